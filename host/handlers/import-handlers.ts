/**
 * Handlers of the import commands (core/api/commands/import-commands.ts).
 *
 * importDump: new-file imports write `target` (else the host's database, which must not
 * exist); replace and merge work on the host's database. Progress reaches the host's event bus
 * as `import_progress` metrics; a long-lived host's read connection is closed before the file
 * is swapped. An import that replaced the host's database (replace, or new at its path) makes the
 * host forget the runs it kept for the live view (database-replaced.ts).
 *
 * Both run the flow `batchdesk import` and `prices import` run (host/maintenance/dump-import.ts
 * runDumpImport, host/maintenance/csv-import.ts importPricesFile) and only map its result onto
 * the contract's output.
 *
 * importPrices: the app's "Add prices from CSV" (e.8), the import `prices import` makes, under
 * the same maintenance lock (refused while a run holds the database), all or nothing. Its
 * warnings (a killed rebuild's lock taken over closed the gate) reach the app as the CLI prints
 * them; importDump's are in its report and its `text`.
 */
import { resolve } from 'node:path';
import { formatImportPlan, formatImportReport } from '../../db/pg-import/import-report';
import { formatCsvProblem } from '../../market-data/csv/csv-problem';
import type { HandlerMap } from '../handler-types';
import { importPricesFile } from '../maintenance/csv-import';
import { dumpImportOptions, runDumpImport } from '../maintenance/dump-import';
import { withAppLockAdvice } from './app-advice';
import { afterDatabaseReplaced } from './database-replaced';
import { plain } from './with-database';

export const importHandlers: HandlerMap<'importDump' | 'importPrices'> = {
  async importDump(input, ctx) {
    const dbPath = resolve(input.mode === 'new' && input.target ? input.target : ctx.dbPath);
    const outcome = await withAppLockAdvice(ctx, () => runDumpImport(
      {
        dumpPath: resolve(input.path),
        dbPath,
        hostDatabase: ctx.dbPath,
        ...dumpImportOptions(input),
        reportPath: input.reportPath ? resolve(input.reportPath) : null,
        holder: ctx.holder,
        sinks: [ctx.bus.sink()],
        beforeSwap: () => ctx.reader?.close(),
        afterImport: () => {
          if (dbPath === resolve(ctx.dbPath)) ctx.reader?.close();
        },
      },
      ctx.clock,
    ));
    if (outcome.dryRun) return { dryRun: true, mode: input.mode, database: dbPath, backupFile: null, report: null, plan: plain(outcome.plan), text: formatImportPlan(outcome.plan) };
    const r = outcome.result;
    // A new or replaced file at the host's database holds none of the runs the live view kept; a merge keeps them.
    if (r.mode !== 'merge' && resolve(r.database) === resolve(ctx.dbPath)) afterDatabaseReplaced(ctx, 'import');
    return { dryRun: false, mode: r.mode, database: r.database, backupFile: r.backupFile, report: plain(r.report), plan: null, text: formatImportReport(r.report) };
  },
  async importPrices(input, ctx) {
    const s = await withAppLockAdvice(ctx, () => importPricesFile({ dbPath: ctx.dbPath, source: input.text, fileName: input.fileName, skipBadRows: input.skipBadRows, holder: ctx.holder, clock: ctx.clock }));
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
      warnings: [...s.warnings],
    };
  },
};
