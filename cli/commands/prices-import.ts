/** `batchdesk prices import FILE`: add closes to the price cache from CSV (SPEC.md k.2, m.14). */
import { importedJumpText } from '../../core/api/metric-text';
import { importPricesFile } from '../../host/maintenance/csv-import';
import { inlineList } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { runCsvImport, staleLines } from '../transfer-files';

export const pricesImportCommand: CommandSpec = {
  name: 'prices import',
  summary: 'import closes from a CSV file (symbol,date,close,volume) into the price cache; all or nothing',
  positionals: [{ name: 'file', required: true, description: 'CSV file with the header symbol,date,close[,volume]; - reads standard input' }],
  flags: {
    'skip-bad-rows': { type: 'boolean', description: 'skip bad rows (each is reported) instead of refusing the whole file' },
    json: JSON_FLAG,
  },
  example: 'batchdesk prices import prices.csv --db portfolios.sqlite',
  async run(ctx) {
    return runCsvImport(
      ctx,
      'prices import',
      importPricesFile,
      (s) => [
        `Rows: ${s.rows} (${s.symbols} symbol${s.symbols === 1 ? '' : 's'})   Added: ${s.inserted}   Replaced: ${s.updated}   Unchanged: ${s.unchanged}   Kept stored: ${s.keptStored}`,
        ...[...s.jumps.filter((j) => !j.storedCloseKept), ...s.jumps.filter((j) => j.storedCloseKept)].map((j) => `warning: ${importedJumpText(j)}`),
        ...(s.unneededSymbols.length
          ? [`warning: ${s.unneededSymbols.length} imported symbol(s) no portfolio or factor needs${inlineList(s.unneededSymbols)}: imported anyway; check for a typo${s.unneededSymbols.length > 10 ? ' (--json lists them all)' : ''}`]
          : []),
        ...staleLines(s.stale, 'closes', advisedDbFlag(ctx.global)),
      ],
    );
  },
};
