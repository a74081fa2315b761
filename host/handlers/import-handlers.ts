/**
 * Handlers of the import commands (core/api/commands/import-commands.ts).
 *
 * importDump: new-file imports write `target` (else the host's database, which must not
 * exist); replace and merge work on the host's database. Progress reaches the host's event bus
 * as `import_progress` metrics; a long-lived host's read connection is closed before the file
 * is swapped.
 *
 * importPrices: the app's "Add prices from CSV" (e.8), the import `prices import` makes, under
 * the same maintenance lock (refused while a run holds the database), all or nothing.
 */
import { resolve } from 'node:path';
import { dataError } from '../../core/api/errors';
import { newYorkDate } from '../../core/calendar';
import { formatTimestamp } from '../../core/domain/timestamp';
import { parseEngineSettings } from '../../core/engine/settings';
import { importPricesCsv } from '../../db/csv-transfer/price-transfer';
import { refuseDatabaseOverwrite, refuseUnusableOutput, writeOutputFile } from '../../db/maintenance/database-paths';
import { formatImportPlan, formatImportReport } from '../../db/pg-import/import-report';
import type { HandlerMap } from '../handler-types';
import { formatCsvProblem, isFileProblem } from '../../market-data/csv/csv-problem';
import { importDumpFile, planDumpFile } from '../maintenance/dump-import';
import { withMaintenanceLock } from '../maintenance/maintenance-lock';
import { plain, withDatabase } from './with-database';

/**
 * Refuses, before anything is imported, a --report path that names a database: the import's
 * own target or the host's database, their companions, or any SQLite file (usage error, exit
 * code 2); and one under a file, in a folder that cannot be written, or that is a folder (an
 * I/O error, exit code 5, as for every output path: database-paths.ts). Found now, not after
 * the import has committed. A missing folder is made when the report is written.
 */
export function checkImportReportPath(path: string, databases: readonly string[]): void {
  refuseDatabaseOverwrite(path, 'the import report', databases);
  refuseUnusableOutput(path, 'the import report', '--report');
}

/** Writes the --report JSON (its folder made when missing, as for backups and event logs); a failed write is an I/O error. */
export function writeImportReport(path: string, value: unknown): void {
  writeOutputFile(path, `${JSON.stringify(value, null, 2)}\n`, 'the import report', [], '--report');
}

export const importHandlers: HandlerMap<'importDump' | 'importPrices'> = {
  async importDump(input, ctx) {
    const dbPath = resolve(input.mode === 'new' && input.target ? input.target : ctx.dbPath);
    // A new file must not be the host's database or one of its -wal/-shm/-journal files.
    if (dbPath !== resolve(ctx.dbPath)) refuseDatabaseOverwrite(dbPath, 'the imported database', [ctx.dbPath]);
    const common = {
      dumpPath: resolve(input.path),
      dbPath,
      schema: input.schema,
      ...(input.database ? { database: input.database } : {}),
      allowEmpty: input.allowEmpty,
    };
    if (input.reportPath) checkImportReportPath(resolve(input.reportPath), [dbPath, ctx.dbPath]);
    if (input.dryRun) {
      const plan = await planDumpFile(common);
      if (input.reportPath) writeImportReport(resolve(input.reportPath), { dryRun: true, plan });
      return { dryRun: true, mode: input.mode, database: dbPath, backupFile: null, report: null, plan: plain(plan), text: formatImportPlan(plan) };
    }
    const r = await importDumpFile(
      {
        ...common,
        mode: input.mode,
        ...(input.onConflict ? { onConflict: input.onConflict } : {}),
        strict: input.strict,
        holder: ctx.holder,
        sinks: [ctx.bus.sink()],
        beforeSwap: () => ctx.reader?.close(),
      },
      ctx.clock,
    );
    if (dbPath === resolve(ctx.dbPath)) ctx.reader?.close();
    if (input.reportPath) writeImportReport(resolve(input.reportPath), { ...r.report, backupFile: r.backupFile });
    return { dryRun: false, mode: r.mode, database: r.database, backupFile: r.backupFile, report: plain(r.report), plan: null, text: formatImportReport(r.report) };
  },  async importPrices(input, ctx) {
    return withDatabase(ctx, (opened) => {
      const now = ctx.clock.now();
      const r = withMaintenanceLock(opened, 'import', ctx.holder, ctx.clock, () =>
        importPricesCsv(opened.db, input.text, {
          file: input.fileName,
          skipBadRows: input.skipBadRows,
          nowIso: formatTimestamp(now),
          today: newYorkDate(now),
          jumpThreshold: parseEngineSettings(opened.store.loadSettings())['market_data.jump_threshold'],
        }),
      );
      if (!r.ok) {
        const fix = isFileProblem(r.problem) ? 'fix the header or the file' : 'fix the row, or skip bad rows to import the others';
        throw dataError(`${formatCsvProblem(r.problem)}; nothing was imported (${fix})`, { problem: r.problem });
      }
      const s = r.summary;
      return {
        file: input.fileName,
        rows: s.rows,
        symbols: s.symbols,
        inserted: s.inserted,
        updated: s.updated,
        unchanged: s.unchanged,
        keptStored: s.keptStored,
        jumps: s.jumps.map((j) => ({ ...j })),
        stale: { ...s.stale },
        skipped: s.skipped.map(formatCsvProblem),
        unneededSymbols: [...s.unneededSymbols],
      };
    });
  },
};
