/** `batchdesk prices export --out FILE`: write cached closes as CSV (SPEC.md k.2, m.14). */
import { z } from 'zod';
import { endNotBeforeStart } from '../../core/api/date-range';
import { EXIT } from '../../core/api/errors';
import { isoDateSchema } from '../../core/domain/iso-date';
import { exportPricesCsv } from '../../db/csv-transfer/price-transfer';
import { listFlag, nearest, stringFlag } from '../args';
import type { CommandSpec } from '../command';
import { parseOrUsage } from '../validate';
import { writeOutputFile } from '../../db/maintenance/database-paths';
import { exportFilePath, reportExport } from '../transfer-files';
import { openStore } from '../../host/engine-host';

const optionsSchema = z
  .object({
    out: z.string(),
    startDate: isoDateSchema.optional(),
    endDate: isoDateSchema.optional(),
    symbols: z.array(z.string().min(1)),
  })
  .superRefine(endNotBeforeStart);

export const pricesExportCommand: CommandSpec = {
  name: 'prices export',
  summary: 'write cached closes to a CSV file (symbol,date,close,volume)',
  flags: {
    out: { type: 'string', valueName: 'FILE', description: 'the CSV file to write', required: true },
    symbols: { type: 'string', multiple: true, valueName: 'A,B', description: 'only these symbols', defaultText: 'all' },
    'start-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'first date' },
    'end-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'last date' },
  },
  example: 'batchdesk prices export --out prices.csv --symbols SPY,AAPL --start-date 2025-01-02 --end-date 2025-06-30',
  async run(ctx) {
    const f = ctx.flags;
    const o = parseOrUsage(
      optionsSchema,
      { out: stringFlag(f['out']), startDate: stringFlag(f['start-date']), endDate: stringFlag(f['end-date']), symbols: listFlag(f['symbols']) },
      'prices export',
    );
    const out = exportFilePath(ctx.io.cwd, o.out, 'prices.csv');
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      const r = exportPricesCsv(opened.db, { symbols: o.symbols, ...(o.startDate ? { start: o.startDate } : {}), ...(o.endDate ? { end: o.endDate } : {}) });
      const path = writeOutputFile(out, r.text, 'the export', [ctx.global.dbPath], '--out');
      reportExport(ctx, path, `Exported ${r.rows} row(s) of ${r.symbols} symbol(s) to ${path}`);
      // A symbol that exported nothing is most often a typo or a range outside the cache.
      for (const e of r.empty) {
        const near = e.cached ? null : nearest(e.symbol, r.cachedSymbols);
        ctx.io.err(`warning: no cached close for ${e.symbol}${e.cached ? ' in the requested dates' : ` at all${near ? `; did you mean ${near}?` : ''}`}`);
      }
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
