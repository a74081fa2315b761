/**
 * `batchdesk import <path>`: import a PostgreSQL dump (SPEC.md j.7, k.2, m.15).
 *
 * - no flag: a new database file at --db (which must not exist); with no --db and no
 *   BATCHDESK_DB, the app's default database, refused when it exists;
 * - --replace: replace the database after a verified pre-import backup, as a restore would;
 * - --merge [--on-conflict skip|replace]: merge into the database in one transaction.
 * The report is printed (or, with --json, written as one JSON document) and stored in the
 * database's maintenance_log; --report also saves it as JSON. Bad dumps exit with code 5.
 */
import { resolve } from 'node:path';
import { BatchdeskError, EXIT } from '../../core/api/errors';
import { importDumpInputSchema } from '../../core/api/commands/import-commands';
import { formatImportPlan, formatImportReport } from '../../db/pg-import/import-report';
import { dumpImportOptions, runDumpImport } from '../../host/maintenance/dump-import';
import { systemClock } from '../../host/system-ports';
import { stringFlag } from '../args';
import { BANNER, asciiJson } from '../ascii';
import { JSON_FLAG, type CommandSpec } from '../command';
import { parseOrUsage } from '../validate';
import { importProgressSink } from './import-progress';

export const importCommand: CommandSpec = {
  name: 'import',
  summary: 'import a PostgreSQL dump (plain, custom, directory, tar; gzip/LZ4/zstd) into a new database, or replace or merge',
  positionals: [{ name: 'path', required: true, description: 'the dump file, or the folder of a directory-format dump' }],
  flags: {
    replace: { type: 'boolean', description: 'replace the database (a verified pre-import backup is made first)' },
    merge: { type: 'boolean', description: 'merge into the existing database in one transaction' },
    'on-conflict': { type: 'string', valueName: 'skip|replace', description: 'with --merge: rows whose key exists', defaultText: 'skip' },
    schema: { type: 'string', valueName: 'NAME', description: "the dump's schema that holds the tables", defaultText: 'public' },
    database: { type: 'string', valueName: 'NAME', description: 'the database of a pg_dumpall cluster dump' },
    strict: { type: 'boolean', description: 'fail on the first value or row that cannot be converted (default: skip and report it)' },
    'allow-empty': { type: 'boolean', description: "import a dump that has none of batchdesk's tables" },
    'dry-run': { type: 'boolean', description: 'print the plan (tables, columns, conversions, row counts); convert and write no rows, change nothing' },
    report: { type: 'string', valueName: 'PATH', description: 'also save the report as JSON' },
    json: JSON_FLAG,
  },
  example: 'batchdesk import nightly.dump --db portfolios.sqlite',
  async run(ctx) {
    const f = ctx.flags;
    if (f['merge'] === true && f['replace'] === true) throw new BatchdeskError('usage', '--merge and --replace exclude each other (see `batchdesk import --help`)');
    const mode = f['merge'] === true ? 'merge' : f['replace'] === true ? 'replace' : 'new';
    const input = parseOrUsage(
      importDumpInputSchema,
      {
        path: ctx.positionals[0],
        mode,
        onConflict: stringFlag(f['on-conflict']),
        schema: stringFlag(f['schema']),
        database: stringFlag(f['database']),
        strict: f['strict'] === true,
        allowEmpty: f['allow-empty'] === true,
        dryRun: f['dry-run'] === true,
        reportPath: stringFlag(f['report']),
      },
      'import',
    );
    const dumpPath = resolve(ctx.io.cwd, input.path);
    const reportPath = input.reportPath ? resolve(ctx.io.cwd, input.reportPath) : null;
    const progress = input.dryRun
      ? null
      : importProgressSink(
          (t) => {
            if (!ctx.global.quiet) ctx.io.err(t);
          },
          (t) => {
            if (!ctx.global.quiet) process.stderr.write(t);
          },
          { tty: ctx.io.stderrIsTTY, now: () => Date.now() },
        );
    let outcome;
    try {
      outcome = await runDumpImport(
        {
          dumpPath,
          dbPath: ctx.global.dbPath,
          ...dumpImportOptions(input),
          reportPath,
          dbIsDefault: ctx.global.dbIsDefault,
          holder: 'cli',
          ...(progress ? { sinks: [progress] } : {}),
          signal: ctx.signal,
          // The progress line ends before anything else is printed or written.
          afterImport: () => progress?.finish(),
        },
        // A dry run reads no clock (a bad BATCHDESK_NOW does not refuse it).
        input.dryRun ? { now: () => Date.now() } : systemClock(ctx.io.env),
      );
    } finally {
      progress?.finish();
    }

    if (outcome.dryRun) {
      const plan = outcome.plan;
      if (f['json']) ctx.io.out(asciiJson({ dryRun: true, mode: input.mode, database: ctx.global.dbPath, plan }, 2));
      else ctx.io.out([BANNER, `batchdesk import --dry-run  ${dumpPath}`, `Database: ${ctx.global.dbPath} (${input.mode})`, BANNER, formatImportPlan(plan)].join('\n'));
      return EXIT.ok;
    }
    const r = outcome.result;
    if (f['json']) {
      ctx.io.out(asciiJson({ mode: r.mode, database: r.database, backupFile: r.backupFile, report: r.report }, 2));
      return EXIT.ok;
    }
    ctx.io.out(
      [
        BANNER,
        `batchdesk import  ${dumpPath}`,
        `Database: ${r.database} (${r.mode === 'new' ? 'new file' : r.mode === 'replace' ? 'replaced' : `merged, on conflict ${r.report.onConflict ?? 'skip'}`})`,
        ...(r.backupFile ? [`Backup:   ${r.backupFile} (pre-import, verified)`] : []),
        BANNER,
        formatImportReport(r.report),
        ...(reportPath ? [`Report saved to ${reportPath}`] : []),
      ].join('\n'),
    );
    return EXIT.ok;
  },
};
