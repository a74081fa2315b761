/** `batchdesk purge`: delete derived rows of a range after a verified backup (SPEC.md j.4). */
import { EXIT } from '../../core/api/errors';
import { targetDate } from '../../core/calendar';
import { purgeInputSchema } from '../../core/api/commands/maintenance-commands';
import { refuseReadOnlyDatabase } from '../../db/open-database';
import { openStore } from '../../host/engine-host';
import { checkPurgeRange, runPurge } from '../../host/maintenance/purge';
import { systemClock } from '../../host/system-ports';
import { listFlag, stringFlag } from '../args';
import { BANNER, asciiJson, table } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec } from '../command';
import { parseOrUsage } from '../validate';
import { confirmOrAbort } from './confirm';

/** The command that rebuilds the purged rows, and why it needs (or not) a start date. */
function rebuildLine(rebuild: { startDate: string; automatic: boolean }, portfolioIds: readonly string[], dryRun: boolean, db: string): string {
  const lead = dryRun ? 'Rebuild after the purge' : 'Rebuild';
  if (rebuild.automatic) return `${lead}: batchdesk run${db}   (no later snapshot remains, so the automatic range starts again at ${rebuild.startDate})`;
  const scope = portfolioIds.map((id) => ` --portfolio ${id}`).join('');
  return `${lead}: batchdesk run --start-date ${rebuild.startDate}${scope}${db}   (to the latest date: later snapshots remain, so a run without dates would resume after them and skip the purged dates)`;
}

/** The purged range in words: both ends, one open end, or every date. */
function rangeText(range: { start: string | null; end: string | null }): string {
  if (range.start && range.end) return `${range.start} .. ${range.end}`;
  if (range.start) return `from ${range.start} on`;
  if (range.end) return `up to ${range.end}`;
  return 'every date';
}

export const purgeCommand: CommandSpec = {
  name: 'purge',
  summary: 'delete derived rows (marks, snapshots, analytics, tracking) of a range; raw data is never touched',
  flags: {
    from: { type: 'string', valueName: 'YYYY-MM-DD', description: 'first date to purge', defaultText: 'everything' },
    to: { type: 'string', valueName: 'YYYY-MM-DD', description: 'last date to purge', defaultText: 'everything' },
    portfolio: { type: 'string', multiple: true, valueName: 'ID', description: 'only these portfolios (date-level rows are kept)' },
    'keep-tracking': { type: 'boolean', description: 'keep the batch_run_tracking rows of the range' },
    'no-backup': { type: 'boolean', description: 'skip the verified backup (not recommended)' },
    'dry-run': { type: 'boolean', description: 'print what would be deleted; change nothing' },
    yes: { type: 'boolean', description: 'do not ask for confirmation' },
    json: JSON_FLAG,
  },
  example: 'batchdesk purge --from 2025-07-01 --to 2025-09-30 --yes',
  async run(ctx) {
    const f = ctx.flags;
    const input = parseOrUsage(
      purgeInputSchema,
      { from: stringFlag(f['from']), to: stringFlag(f['to']), portfolios: listFlag(f['portfolio']), keepTracking: f['keep-tracking'] === true, backup: f['no-backup'] !== true, dryRun: f['dry-run'] === true },
      'purge',
    );
    const clock = systemClock(ctx.io.env);
    // A range that holds no trading day, or dates after the target date, is refused before the question (runPurge checks it again).
    checkPurgeRange(input.from ?? null, input.to ?? null, targetDate(clock.now()));
    // A database that cannot be written is refused before the question, as `run` refuses it (a dry run only reads).
    if (!input.dryRun) refuseReadOnlyDatabase(ctx.global.dbPath);
    const opened = openStore(ctx.global.dbPath, { mustExist: true });
    try {
      if (!input.dryRun) await confirmOrAbort(`Purge derived rows ${input.from ?? 'from the start'} .. ${input.to ?? 'to the end'} in ${ctx.global.dbPath}?`, f['yes'] === true);
      const r = await runPurge(opened, { start: input.from ?? null, end: input.to ?? null, portfolioIds: input.portfolios, keepTracking: input.keepTracking, backup: input.backup, dryRun: input.dryRun, holder: 'cli', signal: ctx.signal }, clock);
      for (const w of [...r.warnings, ...(r.backupWarnings ?? [])]) ctx.io.err(`warning: ${w}`);
      // Ctrl-C stops a purge only before its delete (exit code 130, nothing deleted); one that came later met the transaction already running.
      if (!r.dryRun && ctx.signal.aborted) ctx.io.err('Ctrl-C came after the delete transaction had begun: a transaction runs to its end, so the purge below is complete.');
      if (f['json']) {
        ctx.io.out(asciiJson(r, 2));
        return EXIT.ok;
      }
      const tables = [...new Set([...Object.keys(r.countsBefore), ...Object.keys(r.countsAfter)])].sort();
      const rows = r.dryRun
        ? Object.entries(r.outcome.deleted).map(([t, n]) => [t, String(r.countsBefore[t] ?? 0), String(n)])
        : tables.map((t) => [t, String(r.countsBefore[t] ?? 0), String(r.countsAfter[t] ?? 0), String(r.outcome.deleted[t] ?? 0)]);
      ctx.io.out(
        [
          BANNER,
          `batchdesk purge${r.dryRun ? ' --dry-run' : ''}  ${ctx.global.dbPath}`,
          `Range: ${rangeText(r.range)}   Portfolios: ${r.portfolioIds.length ? r.portfolioIds.join(', ') : 'all'}`,
          BANNER,
          r.dryRun ? table(['table', 'rows', 'would delete'], rows, ['l', 'r', 'r']) : table(['table', 'before', 'after', 'deleted'], rows, ['l', 'r', 'r', 'r']),
          '',
          `Positions whose mark cache is reset: ${r.outcome.positionsReset}   Portfolios whose equity is reset: ${r.outcome.portfoliosReset}`,
          ...(r.gateClosedWaysOut ? [`Rebuild: \`batchdesk run\` is refused at the gate the lock takeover above closed; for the interrupted rebuild, ${r.gateClosedWaysOut}`] : r.rebuild ? [rebuildLine(r.rebuild, r.portfolioIds, r.dryRun, advisedDbFlag(ctx.global))] : []),
          r.dryRun ? 'Dry run: nothing was changed.' : `Backup: ${r.backupFile ?? 'none (--no-backup)'}   maintenance_log #${r.maintenanceId}`,
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};
