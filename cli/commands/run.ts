/** `batchdesk run`: run the batch over a date range (SPEC.md g, k.2, k.3, m.16). */
import { resolve } from 'node:path';
import { z } from 'zod';
import { EXIT } from '../../core/api/errors';
import { impliedVolSchema, maxMissingMarksSchema, riskFreeRateSchema, runOptionsSchema, syntheticSeedSchema, type RunOptions } from '../../core/api/run-options';
import { PHASE_NAMES } from '../../core/domain/phase';
import { shortIds } from '../../core/domain/short-ids';
import type { MonitorCounts, MonitorReport } from '../../core/engine/monitor-recorder';
import type { ChunkFetchPreview, RunPlan } from '../../core/engine/plan-types';
import { blockedRunCommand, type DateResult, type RunSummary } from '../../core/engine/run-summary';
import type { TelemetrySink } from '../../core/telemetry/record-metric';
import { runOnDatabase } from '../../host/engine-host';
import { planDocument } from '../../host/plan-document';
import { systemClock } from '../../host/system-ports';
import { listFlag, stringFlag } from '../args';
import { BANNER, asciiJson, table } from '../ascii';
import { advisedDbFlag, type CommandContext, type CommandSpec, type FlagValues } from '../command';
import { fileSink, streamSink } from '../telemetry/log-file-sinks';
import { progressSink, targetDateWords } from '../telemetry/progress-sink';
import { sqlEcho } from '../telemetry/sql-echo';
import { readNumberFlag, type NumberFlag } from '../number-flag';
import { parseOrUsage } from '../validate';

const CHUNK_DAYS_NUMBER: NumberFlag = { name: '--chunk-days', range: runOptionsSchema.shape.chunkDays.unwrap(), example: '7' };
const SEED_NUMBER: NumberFlag = { name: '--seed', range: syntheticSeedSchema, example: '42' };
const MAX_MISSING_MARKS_NUMBER: NumberFlag = { name: '--max-missing-marks', range: maxMissingMarksSchema, example: '0.05' };
const IMPLIED_VOL_NUMBER: NumberFlag = { name: '--implied-vol', range: impliedVolSchema, example: '0.30' };
const RISK_FREE_RATE_NUMBER: NumberFlag = { name: '--risk-free-rate', range: riskFreeRateSchema, example: '0.04' };

export function runOptionsFromFlags(f: FlagValues, triggeredBy: RunOptions['triggeredBy'] = 'cli'): RunOptions {
  const resume = stringFlag(f['resume']);
  return parseOrUsage(
    runOptionsSchema,
    {
      startDate: stringFlag(f['start-date']),
      endDate: stringFlag(f['end-date']),
      targetDate: stringFlag(f['target-date']),
      portfolios: listFlag(f['portfolio']),
      phases: listFlag(f['phase']),
      withPrerequisites: f['with-prerequisites'] === true,
      chunkDays: readNumberFlag(CHUNK_DAYS_NUMBER, stringFlag(f['chunk-days']), 'run'),
      retryFailedPhases: f['retry-failed-phases'] === true,
      resume,
      dryRun: f['dry-run'] === true,
      monitorOnly: f['monitor-only'] === true,
      trace: stringFlag(f['trace']),
      maxMissingMarks: readNumberFlag(MAX_MISSING_MARKS_NUMBER, stringFlag(f['max-missing-marks']), 'run'),
      marketData: stringFlag(f['market-data']),
      csvDir: stringFlag(f['csv-dir']),
      seed: readNumberFlag(SEED_NUMBER, stringFlag(f['seed']), 'run'),
      allowMixedSources: f['allow-mixed-sources'] === true,
      impliedVol: readNumberFlag(IMPLIED_VOL_NUMBER, stringFlag(f['implied-vol']), 'run'),
      riskFreeRate: readNumberFlag(RISK_FREE_RATE_NUMBER, stringFlag(f['risk-free-rate']), 'run'),
      guard: f['no-guard'] !== true,
      ignoreGate: f['ignore-gate'] === true,
      triggeredBy,
    },
    'run',
  );
}

/**
 * The phases the plan runs, in phase order: those of its cells, not the selected ones, since a
 * retry (g.3, m.3) runs only the cells to redo and the ones that depend on them.
 */
function plannedPhases(plan: RunPlan): string {
  const used = new Set(plan.dates.flatMap((d) => [...d.datePhases, ...d.portfolios.flatMap((p) => p.phases)]));
  const phases = PHASE_NAMES.filter((p) => used.has(p)).join(', ') || 'none';
  return plan.mode === 'retry' ? `${phases} (retry: only the failed, stale and guard-skipped cells and those that depend on them)` : phases;
}

const RANGES_SHOWN = 5;

/**
 * A chunk's market-data fetch plan (g.4): its symbols, the ranges the prefetch would ask for,
 * the estimated requests and the source chain; the first ranges by name (all of them with
 * --summary-json).
 */
function fetchPlanLines(f: ChunkFetchPreview, chunks: number): string[] {
  const which = chunks === 1 ? 'Market data' : `Market data, chunk ${f.index + 1} (${f.firstDate}..${f.lastDate})`;
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  if (!f.marketData) return [`${which}: not run; the cache's closes are used`];
  const chain = f.sources.join(' then ');
  if (f.ranges.length === 0) return [`${which}: ${n(f.symbols.length, 'symbol')}, all cached; nothing to fetch${chain ? ` (sources: ${chain})` : ''}`];
  const missing = `${n(f.ranges.length, 'range')} missing (${n(f.requestedDays, 'trading day')}, ${f.fetchMode})`;
  const head = chain
    ? `${which}: ${n(f.symbols.length, 'symbol')}, ${missing}; about ${n(f.estimatedRequests, 'request')} to ${chain}`
    : `${which}: ${n(f.symbols.length, 'symbol')}, ${missing}; offline without a CSV folder nothing is asked: those dates use a fallback close or stay missing`;
  const shown = f.ranges.slice(0, RANGES_SHOWN).map((r) => `${r.symbol} ${r.start}..${r.end} (${n(r.days, 'day')})`);
  const more = f.ranges.length > RANGES_SHOWN ? `, and ${f.ranges.length - RANGES_SHOWN} more (all of them: --summary-json)` : '';
  return [head, `  ${shown.join(', ')}${more}`];
}

/** The fetch plan of every chunk; chunks with nothing to fetch are counted on one line when there are several. */
function fetchPlanSection(fetches: readonly ChunkFetchPreview[]): string[] {
  if (fetches.length <= 1) return fetches.flatMap((f) => fetchPlanLines(f, fetches.length));
  const quiet = fetches.filter((f) => !f.marketData || f.ranges.length === 0);
  const cached = quiet.filter((f) => f.marketData);
  const lines = fetches.filter((f) => !quiet.includes(f)).flatMap((f) => fetchPlanLines(f, fetches.length));
  const chain = fetches[0]!.sources.join(' then ');
  if (cached.length > 0) lines.push(`Market data: ${cached.length} of ${fetches.length} chunks have every needed close cached; nothing to fetch for them${chain ? ` (sources: ${chain})` : ''}`);
  if (quiet.length > cached.length) lines.push(`Market data: ${quiet.length - cached.length} of ${fetches.length} chunks run no market_data; the cache's closes are used`);
  return lines;
}

/**
 * A dry run's heading (g.4): the dates asked for, as the flags wrote them; the dates they
 * resolved to; and the target date. The plan's target date is the latest settled trading day,
 * the automatic range's end: with --target-date D the heading names D, as asked.
 */
function dryRunHeading(options: RunOptions, plan: Pick<RunPlan, 'targetDate' | 'targetDerivation' | 'dates'>): string[] {
  const asked = [
    options.targetDate && `--target-date ${options.targetDate}`,
    options.startDate && `--start-date ${options.startDate}`,
    options.endDate && `--end-date ${options.endDate}`,
    options.retryFailedPhases && '--retry-failed-phases',
    options.resume && `--resume ${options.resume}`,
  ].filter((a) => typeof a === 'string');
  const first = plan.dates[0]?.date;
  const last = plan.dates.at(-1)?.date;
  const n = plan.dates.length;
  const resolved = first === undefined ? 'no date to run' : `${first === last ? first : `${first} .. ${last}`} (${n} date${n === 1 ? '' : 's'} to run)`;
  const target = targetDateWords(options.resume ? undefined : options.targetDate, plan.targetDate, plan.targetDerivation);
  return [
    `batchdesk run --dry-run   Asked: ${asked.length ? asked.join(' ') : 'no dates (every date not yet run, up to the target date)'}`,
    `Resolved: ${resolved}`,
    `Target date: ${target}`,
  ];
}

function printPlan(ctx: CommandContext, options: RunOptions, plan: RunPlan): void {
  const lines = [BANNER, ...dryRunHeading(options, plan), BANNER];
  if (plan.upToDateMessage) lines.push(plan.upToDateMessage);
  lines.push(`Dates: ${plan.dates.length} in ${plan.chunks.length} chunk(s)   Phases: ${plannedPhases(plan)}`);
  lines.push(...fetchPlanSection(plan.fetches ?? []));
  const short = shortIds(plan.dates.flatMap((d) => [...d.portfolios, ...d.skipped].map((p) => p.portfolioId)));
  const rows: string[][] = [];
  for (const d of plan.dates) {
    for (const p of d.portfolios) rows.push([d.date, short(p.portfolioId), 'run', [...d.datePhases, ...p.phases].join(','), p.reason]);
    for (const s of d.skipped) rows.push([d.date, short(s.portfolioId), 'skip', '-', s.reason]);
  }
  if (rows.length) lines.push('', table(['date', 'portfolio', 'action', 'phases', 'why'], rows));
  for (const w of plan.warnings) lines.push(`warning: ${w}`);
  lines.push('', 'Dry run: nothing was written.');
  ctx.io.out(lines.join('\n'));
}

/**
 * Monitor-only runs (g.12): the verdict, and each portfolio-date and table that differs, is new,
 * failed or was not run (the first 20).
 */
function monitorLines(report: MonitorReport): string[] {
  const t = report.totals;
  const pd = report.portfolio_dates;
  const dl = report.date_level;
  const counts = (c: MonitorCounts) => `${c.compared} compared, ${c.different} different, ${c.new} new${c.failed > 0 ? `, ${c.failed} failed` : ''}${c.not_run > 0 ? `, ${c.not_run} not run` : ''}`;
  const head = report.clean
    ? `Monitor: clean: ${pd.compared} portfolio-date${pd.compared === 1 ? '' : 's'} and the date-level rows of ${dl.compared} date${dl.compared === 1 ? '' : 's'} compared, all the same; nothing was written but the run's history row`
    : `Monitor: ${pd.failed + pd.not_run + dl.failed > 0 ? 'FAILED' : 'DIFFERENT'}: portfolio-dates ${counts(pd)}; date-level rows ${counts(dl)} (rows added ${t.rows_added}, removed ${t.rows_removed}, changed ${t.rows_changed}); nothing was written but the run's history row`;
  const short = shortIds(report.entries.flatMap((e) => (e.portfolio_id ? [e.portfolio_id] : [])));
  const rows: string[] = [];
  for (const e of report.entries) {
    if (e.status === 'same') continue;
    const who = `${e.date}  ${e.portfolio_id ? short(e.portfolio_id) : 'date    '}`;
    if (e.status === 'new') rows.push(`  ${who}  new: nothing stored yet`);
    if (e.status === 'failed') rows.push(`  ${who}  failed: a critical phase failed (rolled back); its rows computed before the failure are compared`);
    if (e.status === 'not_run') rows.push(`  ${who}  not run: the date's ${e.date_failed_phase} phase failed before it; nothing was compared`);
    for (const tb of e.tables) {
      if (tb.added + tb.removed + tb.changed === 0) continue;
      const [col, diff] = Object.entries(tb.max_abs_diff).sort((a, b) => b[1] - a[1])[0] ?? [];
      rows.push(`  ${who}  ${tb.table}  added ${tb.added}, removed ${tb.removed}, changed ${tb.changed}${col && diff ? `  largest difference: ${col} ${diff}` : ''}`);
    }
  }
  const shown = rows.slice(0, 20);
  if (rows.length > shown.length) shown.push(`  ... ${rows.length - shown.length} more (the whole report: --trace DIR or --summary-json)`);
  return [head, ...shown];
}

/**
 * The dates a run did not finish, and how to run them: a cancelled run is resumed by its id
 * (g.11); a run stopped by an error cannot be resumed, so its remaining range is run again.
 */
function notRunLine(ctx: CommandContext, s: RunSummary): string {
  const dates = s.dates.not_run_dates;
  const first = dates[0]!;
  const last = dates.at(-1)!;
  const db = advisedDbFlag(ctx.global);
  const what = dates.length === 1 ? first : `${dates.length} dates from ${first} to ${last}`;
  // By the batch run id `history` and the app show (--resume takes either id).
  const how = s.dates.not_run_reason === 'cancelled' ? `batchdesk run --resume ${s.batch_run_id}${db}` : `batchdesk run --start-date ${first} --end-date ${last}${db}`;
  return `Not run (${s.dates.not_run_reason ?? 'stopped'}): ${what}; to run them: ${how}`;
}

/**
 * The run's missing prices, summed over its dates: every needed symbol without a close exactly
 * on the date (a `missing_prices` row, e.6), split into those a fallback close covered and
 * those left without a usable price (the ones `diagnose prices` lists).
 */
function missingPricesLine(s: Pick<RunSummary, 'market_data' | 'phases' | 'dates'>, db: string): string {
  const ran = s.phases['market_data']?.runs ?? 0;
  // A run without market_data (a retry of later phases, --phase) checked no price: it says so
  // rather than "none", and where the cache's missing prices are listed.
  if (ran === 0) {
    const date = s.dates.last ? ` --date ${s.dates.last}` : '';
    return `Missing prices: not checked (market_data did not run; \`batchdesk diagnose prices${date}${db}\` lists what a date lacks)`;
  }
  const missing = Number(s.market_data['missing_price_count']);
  const fallback = Number(s.market_data['fallback_count']);
  const where = ran < s.dates.processed ? ` on the ${ran} date${ran === 1 ? '' : 's'} market_data ran` : '';
  if (missing === 0) return `Missing prices: none (every needed symbol had a close${where || ' on each date'})`;
  return `Missing prices: ${missing} symbol-date${missing === 1 ? '' : 's'} without a close on the day${where} (${fallback} covered by a fallback close, ${missing - fallback} with no usable price)`;
}

/** A provider's counters in the summary (core/phases/market-data/run-state.ts ProviderCounters). */
const providerCountersSchema = z.object({ requests: z.number(), failures: z.number(), refused: z.number(), http_requests: z.number() });

/**
 * Advice when a network provider could not be reached during the run and dates failed for lack
 * of prices (market_data failed: SPY or too few symbols without a close, c.5): run offline, or
 * add the closes from a file. Not reached: its circuit opened (requests refused), or every
 * request it was sent failed. Read from the summary's provider counters; null otherwise.
 */
export function unreachableProviderAdvice(s: Pick<RunSummary, 'market_data' | 'phases'>, db: string): string | null {
  const failedDates = s.phases['market_data']?.failed ?? 0;
  if (failedDates === 0) return null;
  const providers = Object.entries((s.market_data['providers'] ?? {}) as Record<string, unknown>).flatMap(([name, raw]) => {
    const p = providerCountersSchema.safeParse(raw);
    return p.success ? [{ name, ...p.data }] : [];
  });
  const silent = providers.filter((p) => p.refused > 0 || (p.requests > 0 && p.http_requests > 0 && p.failures === p.requests));
  if (silent.length === 0) return null;
  const who = silent.map((p) => `${p.name} (${p.failures + p.refused} of ${p.requests} requests failed or refused)`).join(', ');
  const dates = `${failedDates} date${failedDates === 1 ? '' : 's'}`;
  return `Prices: ${who} could not be reached and market_data failed on ${dates} for lack of closes; run with --market-data offline (the price cache, a --csv-dir folder and fallback closes; no network), e.g. \`batchdesk run --retry-failed-phases --market-data offline${db}\`, or add closes with \`batchdesk prices import FILE${db}\``;
}

/**
 * What to do after a run that left failed or partial dates, or null (a clean, cancelled or
 * monitor-only run, or one whose unreachable provider has its own advice). When closes were
 * missing with no usable fallback: where they are listed (diagnose prices on the first such
 * date) and how to add them; then the retry that redoes the failed and partial portfolio-dates
 * and the later dates they made stale (g.3).
 */
export function nextStepLine(s: RunSummary, db: string): string | null {
  if ((s.status !== 'partial' && s.status !== 'failed') || s.mode === 'monitor' || unreachableProviderAdvice(s, db) !== null) return null;
  const results: readonly DateResult[] = s.results;
  const unfinished = results.filter((r) => r.status === 'partial' || r.status === 'failed');
  if (unfinished.length === 0) return null;
  const retry = `\`batchdesk run --retry-failed-phases${db}\``;
  const lacking = unfinished.find((r) => r.missing_price_count > r.fallback_count);
  if (lacking) return `Next: \`batchdesk diagnose prices --date ${lacking.date}${db}\` lists the closes ${lacking.date} lacks; add them with \`batchdesk prices import FILE${db}\`, then ${retry} redoes the failed and partial dates and the later dates they made stale`;
  return `Next: once the cause is fixed, ${retry} redoes the failed and partial dates and the later dates they made stale`;
}

/** The run's result in one line: what --quiet prints of the summary. */
function statusLine(s: RunSummary): string {
  const d = s.dates;
  return `Status: ${s.status} (${d.success} success, ${d.partial} partial, ${d.failed} failed${d.skipped ? `, ${d.skipped} not run` : ''})  Duration: ${s.duration_seconds.toFixed(1)}s`;
}

function printSummary(ctx: CommandContext, s: RunSummary): void {
  const d = s.dates;
  ctx.io.err(
    [
      BANNER,
      statusLine(s),
      ...(d.skipped ? [notRunLine(ctx, s)] : []),
      missingPricesLine(s, advisedDbFlag(ctx.global)),
      ...[unreachableProviderAdvice(s, advisedDbFlag(ctx.global))].filter((l) => l !== null),
      `Model marks: ${String(s.market_data['model_count'])}  Provider requests: ${String(s.market_data['requests'])}`,
      (s.phases['analytics']?.runs ?? 0) > 0
        ? `Analytics jobs: ${s.analytics.jobs_completed}/${s.analytics.jobs_expected} completed, ${s.analytics.jobs_failed} failed, ${s.analytics.guard_skips} guard skips`
        : 'Analytics jobs: not run (the analytics phase did not run)',
      `Guard: ${s.guard ? s.guard.status : 'not run'}`,
      ...(s.monitor ? monitorLines(s.monitor as MonitorReport) : []),
      ...s.errors.slice(0, 10).map((e) => `  ${e}`),
      ...(s.errors.length > 10 ? [`  ... ${s.errors.length - 10} more errors (all of them: --summary-json)`] : []),
      // The plan's warnings (a re-run making later dates stale, ...) and the run's (flagged closes, a provider that refused requests).
      ...s.warnings.map((w) => `warning: ${w}`),
      ...s.blocked.map(
        (b) =>
          `  ${b.first_date}..${b.last_date} (${b.dates} date${b.dates === 1 ? '' : 's'}, ${b.portfolios.length} portfolio${b.portfolios.length === 1 ? '' : 's'}): blocked by ${b.blocked_by}, which has no snapshot; to run it and the blocked dates in order: ${blockedRunCommand(b.blocked_by, b.last_date, b.portfolios)}${advisedDbFlag(ctx.global)}`,
      ),
      ...[nextStepLine(s, advisedDbFlag(ctx.global))].filter((l) => l !== null),
      BANNER,
    ].join('\n'),
  );
}

export const runCommand: CommandSpec = {
  name: 'run',
  summary: 'run the batch: backfill a date range, one date, or everything missing',
  flags: {
    'start-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'first date of an explicit range' },
    'end-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'last date', defaultText: 'the target date' },
    'target-date': { type: 'string', valueName: 'YYYY-MM-DD', description: 'one date (not with --start-date/--end-date)' },
    portfolio: { type: 'string', multiple: true, valueName: 'ID', description: 'restrict to a portfolio' },
    phase: { type: 'string', multiple: true, valueName: 'NAME', description: 'run only these phases (comma-separated or repeated)' },
    'with-prerequisites': { type: 'boolean', description: 'add missing producer phases instead of refusing' },
    'chunk-days': { type: 'string', valueName: 'N', nonNegative: true, description: 'chunk size in calendar days; 0 = one chunk', defaultText: '0' },
    'retry-failed-phases': { type: 'boolean', description: 'redo only failed, skipped-by-failure, guard-skipped and stale work' },
    resume: { type: 'string', valueName: 'RUN_ID', optionalValue: 'latest', description: "resume an interrupted or cancelled run (default: the latest), with that run's dates, phases, portfolios and chunks" },
    'dry-run': { type: 'boolean', description: 'print the plan and exit; writes nothing' },
    'monitor-only': { type: 'boolean', description: 'compute without publishing and report differences' },
    'summary-json': { type: 'boolean', description: 'print the run summary as one JSON document on stdout' },
    'log-json': { type: 'boolean', description: 'JSON-lines event log (to --log-file, else stderr)' },
    'log-file': { type: 'string', valueName: 'PATH', description: 'write the event log to PATH' },
    'market-data': { type: 'string', valueName: 'online|offline|synthetic', description: 'price source mode', defaultText: 'settings, else online' },
    'csv-dir': { type: 'string', valueName: 'DIR', description: 'CSV price directory' },
    seed: { type: 'string', valueName: 'N', nonNegative: true, description: 'synthetic seed (0 to 4294967295); a database with synthetic prices takes only their seed', defaultText: 'the seed of the stored synthetic prices, else 42' },
    'allow-mixed-sources': { type: 'boolean', description: 'allow online fetching on a database that holds synthetic prices' },
    'max-missing-marks': { type: 'string', valueName: 'FRACTION', nonNegative: true, description: 'missing-marks guard threshold for this run; 1 disables', defaultText: 'setting guard.max_missing_marks (0.05)' },
    'implied-vol': { type: 'string', valueName: 'X', nonNegative: true, description: 'option model implied volatility for this run', defaultText: 'setting options.implied_vol (0.30)' },
    'risk-free-rate': { type: 'string', valueName: 'X', description: 'option model risk-free rate for this run', defaultText: 'setting options.risk_free_rate (0.04)' },
    'no-guard': { type: 'boolean', description: 'do not run the regression guard after the run' },
    'ignore-gate': { type: 'boolean', description: 'start although the gate is closed' },
    'sql-echo': { type: 'boolean', description: 'log every SQL statement at debug level' },
    trace: { type: 'string', valueName: 'DIR', description: 'with --monitor-only: write per-phase inputs, outputs and differences' },
  },
  example: 'batchdesk run --start-date 2025-07-01 --end-date 2025-09-30 --chunk-days 7 --log-json --log-file logs/backfill.jsonl',
  async run(ctx) {
    const f = ctx.flags;
    const options = runOptionsFromFlags(f);
    const clock = systemClock(ctx.io.env);
    const sinks: TelemetrySink[] = [];
    const logFile = stringFlag(f['log-file']);
    const file = logFile ? fileSink(resolve(ctx.io.cwd, logFile), f['log-json'] ? 'json' : 'kv', ctx.global.dbPath) : null;
    if (file) sinks.push(file);
    // `--log-json` without `--log-file` (h.3): stderr carries the JSON lines and no human line;
    // the summary's numbers are in the run_result and date_result events (all of it: --summary-json).
    const jsonOnStderr = f['log-json'] === true && !logFile;
    if (jsonOnStderr) sinks.push(streamSink((l) => ctx.io.err(l), 'json'));
    // A dry run shows no progress; with --sql-echo the progress sink prints its statements.
    else if (!options.dryRun || f['sql-echo'] === true) sinks.push(progressSink((l) => ctx.io.err(l), { tty: ctx.io.stderrIsTTY, level: ctx.global.logLevel, now: () => clock.now(), color: ctx.global.color, commandSuffix: advisedDbFlag(ctx.global) }));
    try {
      const result = await runOnDatabase({
        dbPath: ctx.global.dbPath,
        options,
        holder: 'cli',
        sinks,
        control: { signal: ctx.signal, hardSignal: ctx.hardSignal },
        clock,
        // The lock, gate and resume refusals advise commands on this database, as printed.
        commandSuffix: advisedDbFlag(ctx.global),
        // --sql-echo (k.2): debug-level `sql` events through the run's sinks (cli/telemetry/sql-echo.ts).
        ...(f['sql-echo'] ? { sqlEcho: sqlEcho(sinks, clock) } : {}),
      });
      if (result.kind === 'plan') {
        if (f['summary-json']) ctx.io.out(asciiJson(planDocument(result.plan)));
        else printPlan(ctx, options, result.plan);
        return EXIT.ok;
      }
      if (result.kind === 'up_to_date') {
        if (f['summary-json']) ctx.io.out(asciiJson(result.summary));
        else if (!jsonOnStderr) {
          // What it found on the way (a dead holder's lock taken over, a closed gate) before "nothing to do".
          for (const w of result.summary.warnings) ctx.io.err(`warning: ${w}`);
          ctx.io.err(result.message);
        }
        return EXIT.ok;
      }
      // --quiet prints errors and results only (k.1): the run's result is its status line.
      if (!jsonOnStderr && (ctx.global.logLevel !== 'error' || f['summary-json'])) printSummary(ctx, result.summary);
      else if (!jsonOnStderr) ctx.io.err(statusLine(result.summary));
      if (f['summary-json']) ctx.io.out(asciiJson(result.summary));
      return result.exitCode;
    } finally {
      file?.close();
    }
  },
};
