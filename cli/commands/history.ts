/** `batchdesk history`, `history export-baseline`, `history compare` (SPEC.md i.5, i.7, m.24). */
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { historyCommands, historyDaysSchema, historyStatusSchema } from '../../core/api/commands/history-commands';
import { EXIT, usageError } from '../../core/api/errors';
import { targetDate } from '../../core/calendar';
import { shortIds } from '../../core/domain/short-ids';
import { formatTimestamp } from '../../core/domain/timestamp';
import { formatMoney } from '../../core/domain/money';
import { differenceSample, type BaselineDifference } from '../../core/validation/baseline';
import { isMoneyColumn } from '../../core/validation/canonical-form';
import { exportBaseline, writeBaselineFile } from '../../host/diagnostics/baseline';
import { compareBaseline } from '../../host/diagnostics/baseline-compare';
import { historyReport, runningReport } from '../../host/diagnostics/history-report';
import { checkSettledScope } from '../../host/diagnostics/run-dates';
import type { InterruptedRebuild } from '../../db/maintenance/interrupted-maintenance';
import { systemClock } from '../../host/system-ports';
import { stringFlag } from '../args';
import { BANNER, asciiJson, inlineList, table } from '../ascii';
import { advisedDbFlag, JSON_FLAG, type CommandSpec, type FlagValues } from '../command';
import { readNumberFlag, type NumberFlag } from '../number-flag';
import { parseOrUsage } from '../validate';
import { END_FLAG, START_FLAG } from './diagnostic-flags';
import { openStore, staleJudge } from '../../host/engine-host';

/**
 * A rebuild whose process is gone, in words (SPEC.md j.5): what stopped, over which range, when
 * it started, and what to do: run the rebuild again, or put the pre-rebuild backup back.
 */
function interruptedRebuildLines(rebuild: InterruptedRebuild): string[] {
  const range = rebuild.range ? `${rebuild.range.start} .. ${rebuild.range.end}` : 'an unknown range';
  const rerun = rebuild.rerunCommand ? `\`${rebuild.rerunCommand}\`` : 'the same rebuild command';
  return [
    `Rebuild interrupted: the rebuild of ${range} started ${rebuild.startedAt ?? 'at an unknown time'} (maintenance_log #${rebuild.maintenanceId}) stopped before it finished; its process is gone.`,
    `  Its range may be partly purged or rebuilt. Run it again with ${rerun}`,
    rebuild.restoreCommand
      ? `  or put the pre-rebuild backup ${rebuild.backupFile} back with \`${rebuild.restoreCommand}\`.`
      : '  (it stopped before its pre-rebuild backup was made, so there is none to restore).',
    '  The next run or maintenance operation closes the rebuild as failed and closes the gate over its range.',
  ];
}

/**
 * `--running` shows the run in flight now; a period (`--days`) or a status filter (`--status`)
 * has nothing to select there, so they are refused rather than silently ignored.
 */
function refuseRunningWithPeriod(f: FlagValues): void {
  if (!f['running']) return;
  const given = ['days', 'status'].filter((name) => f[name] !== undefined).map((name) => `--${name}`);
  if (given.length === 0) return;
  throw usageError(`--running cannot be combined with ${given.join(' or ')}: it shows the run in flight now; leave ${given.length > 1 ? 'them' : 'it'} out, or drop --running for the runs and dates of a period (see \`batchdesk history --help\`)`);
}

const DAYS_NUMBER: NumberFlag = { name: '--days', range: historyDaysSchema, example: '30' };

export const historyCommand: CommandSpec = {
  name: 'history',
  summary: 'recent runs and tracked dates: phase letters, missing prices, jobs; --running for the run in flight',
  flags: {
    days: { type: 'string', valueName: 'N', nonNegative: true, description: 'period in calendar days', defaultText: '30' },
    status: { type: 'string', valueName: 'S', description: `only runs and dates with this status: ${historyStatusSchema.options.join(', ')}` },
    running: { type: 'boolean', description: 'the lock holder, the running run and the latest committed dates' },
    json: JSON_FLAG,
  },
  example: 'batchdesk history --days 7',
  async run(ctx) {
    const f = ctx.flags;
    refuseRunningWithPeriod(f);
    const clock = systemClock(ctx.io.env);
    const days = readNumberFlag(DAYS_NUMBER, stringFlag(f['days']) ?? '30', 'history');
    const statusFlag = stringFlag(f['status']);
    const status = statusFlag === undefined ? null : parseOrUsage(historyStatusSchema, statusFlag, 'history', '--status');
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      if (f['running']) {
        const r = runningReport(opened.db, staleJudge(opened.store, clock, opened.path));
        if (f['json']) ctx.io.out(asciiJson(r, 2));
        else
          ctx.io.out(
            [
              BANNER,
              'batchdesk history --running',
              BANNER,
              r.lock
                ? `Lock: ${String(r.lock['kind'])} held by ${String(r.lock['holder'])} pid ${String(r.lock['pid'])} on ${String(r.lock['host'])} since ${String(r.lock['acquiredAt'])}, heartbeat ${String(r.lock['heartbeatAt'])}${r.lock['stale'] ? ` (stale: its process is gone; the next run or \`batchdesk cancel${advisedDbFlag(ctx.global)}\` releases it)` : ''}`
                : 'Lock: free (no run in flight)',
              // A rebuild's run is not resumed: the interrupted rebuild's lines say to run it again.
              ...(r.run?.processGone && r.run.mode !== 'rebuild' ? [`Run ${r.run.batchRunId} stopped without finishing (its process is gone): continue it with \`batchdesk run --resume ${r.run.batchRunId}${advisedDbFlag(ctx.global)}\``] : []),
              ...(r.interruptedRebuild ? interruptedRebuildLines(r.interruptedRebuild) : []),
              r.run ? `Run: ${r.run.batchRunId} ${r.run.status ?? ''}  dates ${r.run.datesCompleted ?? 0}/${r.run.datesPlanned ?? 0} done, ${r.run.datesFailed ?? 0} failed, heartbeat ${r.run.heartbeatAt ?? 'n/a'}` : 'Run: none',
              `Dates in progress: ${r.openDates.join(', ') || 'none'}   Latest completed date: ${r.latestCompletedDate ?? 'none'}`,
              ...(r.unfinishedDates.length ? [`Dates left unfinished by a cancelled or interrupted run: ${r.unfinishedDates.join(', ')} (the next run redoes them)`] : []),
              table(['portfolio', 'latest snapshot'], r.portfolios.map((p) => [p.name, p.latestSnapshot ?? '-'])),
            ].join('\n'),
          );
        return EXIT.ok;
      }
      const r = historyReport(opened.db, { days, status, today: targetDate(clock.now()), nowIso: formatTimestamp(clock.now()), isStale: staleJudge(opened.store, clock, opened.path) });
      if (f['json']) {
        ctx.io.out(asciiJson(r, 2));
        return EXIT.ok;
      }
      ctx.io.out(
        [
          BANNER,
          `batchdesk history  since ${r.since}`,
          BANNER,
          table(
            ['batch run id', 'start', 'duration', 'mode', 'trigger', 'status', 'planned', 'completed', 'failed', 'resumed by'],
            r.runs.map((x) => [x.batchRunId, x.startedAt.slice(0, 19), x.durationSeconds === null ? '-' : `${x.durationSeconds.toFixed(1)}s`, x.mode ?? '-', x.triggeredBy ?? '-', x.status ?? '-', String(x.datesPlanned ?? '-'), String(x.datesCompleted ?? '-'), String(x.datesFailed ?? '-'), x.resumedBy ?? '-']),
          ),
          '',
          ...(r.dates.length === 0 && r.olderDates
            ? [`No tracked date in the period shown; ${r.olderDates.count} tracked date(s) are older (from ${r.olderDates.oldest}): use --days ${r.olderDates.days} to see them`]
            : [
                'Phases: market_data fundamentals marks snapshots sector_tags analytics (S success, P partial, F failed, K skipped, T stale, R running, - not run)',
                table(['date', 'status', 'phases', 'missing', 'fallbacks', 'jobs', ''], r.dates.map((d) => [d.date, d.status, d.phases, String(d.missingPrices), String(d.fallbacks), `${d.jobsCompleted}/${d.jobsExpected}`, d.short ? '!' : ''])),
              ]),
          '',
          `Dates with analytics not run in full (fewer jobs than expected, or skipped by the coverage guard): ${r.shortDates.length}`,
          ...r.shortDates.flatMap((d) => [
            `  ${d.date}: ${d.jobsCompleted}/${d.jobsExpected}${d.guardSkipped ? `, and ${d.guardSkipped} portfolio${d.guardSkipped === 1 ? "'s" : "s'"} analytics skipped by the coverage guard` : ''}`,
            ...d.reasons.map((x) => `    ${x}`),
          ]),
          `Dates with failed phases: ${r.failedDates.length}${inlineList(r.failedDates.map((d) => `${d.date} ${d.failedPhases.join('+')}`))}`,
          `Trading days without a tracking row between tracked dates: ${r.untrackedDays.length}${inlineList(r.untrackedDays)}`,
        ].join('\n'),
      );
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};

export const exportBaselineCommand: CommandSpec = {
  name: 'history export-baseline',
  summary: 'archive the tracking summaries and key derived values of a range as a baseline file',
  flags: { 'start-date': { ...START_FLAG, required: true }, 'end-date': { ...END_FLAG, required: true }, out: { type: 'string', valueName: 'FILE', description: 'baseline file to write', required: true }, json: JSON_FLAG },
  example: 'batchdesk history export-baseline --start-date 2025-07-01 --end-date 2025-09-30 --out before.json',
  async run(ctx) {
    const f = ctx.flags;
    const range = { startDate: stringFlag(f['start-date']), endDate: stringFlag(f['end-date']) };
    const { startDate: start, endDate: end } = parseOrUsage(historyCommands.exportBaseline.input, range, 'history export-baseline');
    const out = stringFlag(f['out'])!;
    const clock = systemClock(ctx.io.env);
    // A baseline of days not settled yet would archive nothing, as every report that takes dates refuses them.
    checkSettledScope({ startDate: start, endDate: end }, targetDate(clock.now()));
    const opened = openStore(ctx.global.dbPath, { toRead: true });
    try {
      const b = exportBaseline(opened.db, { start, end, databaseName: basename(opened.path), nowMs: clock.now() });
      const file = resolve(ctx.io.cwd, out);
      writeBaselineFile(file, b, ctx.global.dbPath, '--out');
      if (f['json']) ctx.io.out(asciiJson({ file, dates: b.tracking.length, outputs: b.outputs.length }, 2));
      else ctx.io.out(`Baseline ${file}: ${start} .. ${end}, ${b.tracking.length} tracked dates, ${b.outputs.length} portfolio-dates`);
      return EXIT.ok;
    } finally {
      opened.close();
    }
  },
};

/** Differences of each kind the human report of `history compare` lists; --json lists them all. */
const LISTED_PER_KIND = 50;

/**
 * A compared value or difference as the report prints it: a snapshot's money field as money
 * (SPEC.md k.1; the same columns the money tolerance applies to), other numbers to 10
 * significant digits (the precision baselines hash at), long texts (hashes) cut.
 */
function compareCell(d: BaselineDifference, v: unknown): string {
  if (typeof v === 'number') return d.kind === 'snapshot' && isMoneyColumn(d.field) ? formatMoney(v) : String(Number(v.toPrecision(10)));
  return typeof v === 'string' && v.length > 16 ? `${v.slice(0, 12)}...` : JSON.stringify(v);
}

const tolerances = historyCommands.compareBaselines.input.shape;
const TOLERANCE_MONEY_NUMBER: NumberFlag = { name: '--tolerance-money', range: tolerances.toleranceMoney.unwrap(), example: '0.01' };
const TOLERANCE_RATIO_NUMBER: NumberFlag = { name: '--tolerance-ratio', range: tolerances.toleranceRatio.unwrap(), example: '1e-6', exponent: true };

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() === true;

export const compareBaselineCommand: CommandSpec = {
  name: 'history compare',
  usesDatabase: false,
  summary: 'compare two baselines (or a baseline with `db`) field by field with tolerances',
  positionals: [
    { name: 'A', required: true, description: 'the reference baseline file' },
    { name: 'B', required: true, description: 'another baseline file, or `db` for the current database over A\'s range' },
  ],
  flags: {
    'tolerance-money': { type: 'string', valueName: 'X', nonNegative: true, description: 'money tolerance in dollars', defaultText: '0.01' },
    'tolerance-ratio': { type: 'string', valueName: 'X', nonNegative: true, description: 'tolerance for other numbers', defaultText: '1e-6' },
    json: JSON_FLAG,
  },
  example: 'batchdesk history compare before.json after.json',
  async run(ctx) {
    const f = ctx.flags;
    const tol = {
      money: readNumberFlag(TOLERANCE_MONEY_NUMBER, stringFlag(f['tolerance-money']) ?? '0.01', 'history compare'),
      ratio: readNumberFlag(TOLERANCE_RATIO_NUMBER, stringFlag(f['tolerance-ratio']) ?? '1e-6', 'history compare'),
    };
    const [pa, pb] = ctx.positionals as [string, string];
    if (pa === 'db' && !isFile(resolve(ctx.io.cwd, pa))) {
      throw usageError(`history compare: \`db\` is taken as B only (A, the reference, is a baseline file, whose range B is read over): give the file first, e.g. batchdesk history compare ${pb === 'db' ? 'before.json' : pb} db`);
    }
    // The clock is read (and BATCHDESK_NOW checked) only when B is the database.
    const r = compareBaseline(resolve(ctx.io.cwd, pa), pb === 'db' ? 'db' : { file: resolve(ctx.io.cwd, pb) }, {
      dbPath: ctx.global.dbPath,
      clock: { now: () => systemClock(ctx.io.env).now() },
      tolerances: tol,
    });
    if (f['json']) ctx.io.out(asciiJson(r, 2));
    else {
      const listed = differenceSample(r.differences, LISTED_PER_KIND);
      const short = shortIds(r.differences.flatMap((d) => (d.portfolio_id ? [d.portfolio_id] : [])));
      const unlisted = r.differences.length - listed.length;
      ctx.io.out(
        [
          BANNER,
          `batchdesk history compare  ${pa}  vs  ${pb}   (money +/-${tol.money}, ratios +/-${tol.ratio})`,
          BANNER,
          ...(r.differences.length
            ? [
                table(
                  ['date', 'portfolio', 'kind', 'field', 'A', 'B', '|diff|'],
                  listed.map((d) => [d.date, d.portfolio_id ? short(d.portfolio_id) : '-', d.kind, d.field, compareCell(d, d.a), compareCell(d, d.b), d.abs_diff === undefined ? '' : compareCell(d, d.abs_diff)]),
                  ['l', 'l', 'l', 'l', 'r', 'r', 'r'],
                ),
                ...(unlisted ? [`... ${unlisted} more differences (the first ${LISTED_PER_KIND} of each kind are listed): --json lists them all`] : []),
              ]
            : ['No differences.']),
          '',
          `Totals: ${Object.entries(r.totals).map(([k, v]) => `${k} ${v}`).join(', ')}`,
          `Matching fields: ${r.matching_fields} / ${r.compared_fields} (${(r.match_share * 100).toFixed(2)}%)`,
        ].join('\n'),
      );
    }
    return r.matched ? EXIT.ok : EXIT.checkFailed;
  },
};
