/** `batchdesk prices import FILE`: add closes to the price cache from CSV (SPEC.md k.2, m.14). */
import { EXIT } from '../../core/api/errors';
import { parseEngineSettings } from '../../core/engine/settings';
import { formatTimestamp } from '../../core/domain/timestamp';
import { importPricesCsv } from '../../db/csv-transfer/price-transfer';
import { openStore } from '../../host/engine-host';
import { systemClock } from '../../host/system-ports';
import { BANNER, asciiJson } from '../ascii';
import { JSON_FLAG, type CommandSpec } from '../command';
import { readInputFile, refusedImport, skippedLines } from '../transfer-files';

export const pricesImportCommand: CommandSpec = {
  name: 'prices import',
  summary: 'import closes from a CSV file (symbol,date,close,volume) into the price cache; all or nothing',
  positionals: [{ name: 'file', required: true, description: 'CSV file with the header symbol,date,close[,volume]' }],
  flags: {
    'skip-bad-rows': { type: 'boolean', description: 'skip bad rows (each is reported) instead of refusing the whole file' },
    json: JSON_FLAG,
  },
  example: 'batchdesk prices import prices.csv --db portfolios.sqlite',
  async run(ctx) {
    const { text, name } = readInputFile(ctx.io.cwd, ctx.positionals[0]!);
    const nowIso = formatTimestamp(systemClock(ctx.io.env).now());
    const opened = openStore(ctx.global.dbPath);
    try {
      const jumpThreshold = parseEngineSettings(opened.store.loadSettings())['market_data.jump_threshold'];
      const r = importPricesCsv(opened.db, text, { file: name, skipBadRows: ctx.flags['skip-bad-rows'] === true, nowIso, jumpThreshold });
      if (!r.ok) throw refusedImport(r.problem);
      const s = r.summary;
      if (ctx.flags['json']) {
        ctx.io.out(asciiJson({ file: name, ...s }, 2));
        return EXIT.ok;
      }
      const kept = s.jumps.filter((j) => j.storedCloseKept);
      const flagged = s.jumps.filter((j) => !j.storedCloseKept);
      ctx.io.out(
        [
          BANNER,
          `batchdesk prices import  ${name}`,
          BANNER,
          `Rows: ${s.rows} (${s.symbols} symbols)   Added: ${s.inserted}   Replaced: ${s.updated}   Unchanged: ${s.unchanged}   Kept stored: ${s.keptStored}`,
          ...flagged.map((j) => `warning: ${j.symbol} ${j.date} close ${j.close} is a jump from ${j.reference}; stored flagged 'jump' (check for a split)`),
          ...kept.map((j) => `warning: ${j.symbol} ${j.date} close ${j.close} differs from the stored ${j.reference} beyond the jump threshold; the stored close stays`),
          ...skippedLines(s.skipped),
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
