/**
 * Rebuild (SPEC.md j.5): the whole validation procedure in one command, recorded in one
 * maintenance_log row (operation 'rebuild').
 *
 *   0 safeguards: in-flight check and lock (kind 'rebuild', held to the end; the embedded run
 *     works under it), a verified backup, then the maintenance_log row and settings.maintenance
 *     = { active, reason, since } (after the backup: restoring it leaves no trace of the rebuild);
 *   1 baseline before.json of [S, E] and the purge of [S, E] with counts;
 *   2 a normal run over [S, E] (JSON-lines log and summary next to it), then one retry of
 *     failed dates with --retry-failed-phases;
 *   4 verification: row counts since the purge, verify demo (when the demo exists), reconcile,
 *     coverage, the guard and the views over [S, E]; after.json and its comparison with
 *     before.json (kept with both files);
 *   5 settings.maintenance cleared; the CLI prints the monitor-only suggestion.
 * A failing safeguard, purge or backfill stops the procedure; failed verifications close the
 * gate. Every failure names the backup to restore.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BatchdeskError } from '../../core/api/errors';
import { shellWord } from '../../core/api/shell-word';
import type { RunOptions } from '../../core/api/run-options';
import { DEMO_PORTFOLIOS } from '../../core/data/demo-portfolios';
import { targetDate, tradingDaysBetween } from '../../core/calendar';
import { checkSettledDate } from '../../core/engine/planner';
import { resolveRunSettings } from '../../core/engine/run-context';
import { csvDirProblem, sourcesProblem } from '../../core/engine/settings';
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { RunSummary } from '../../core/engine/run-summary';
import type { Clock } from '../../core/ports/clock';
import type { LockHolder } from '../../core/ports/store';
import type { TelemetrySink } from '../../core/telemetry/record-metric';
import type { GuardFinding } from '../../core/validation/regression-guard';
import { restoreCommandFor } from '../../db/maintenance/interrupted-maintenance';
import { finishMaintenance, startMaintenance, updateMaintenance } from '../../db/maintenance/maintenance-log';
import { exportBaseline, writeBaselineFile } from '../diagnostics/baseline';
import { closeGate, guardAndGate } from '../diagnostics/guard';
import { reconcileScope } from '../diagnostics/reconcile';
import { verifyCoverage } from '../diagnostics/verify-coverage';
import { verifyDemo } from '../diagnostics/verify-demo';
import { verifyRowCounts } from '../diagnostics/verify-rowcounts';
import { verifyViews } from '../diagnostics/verify-views';
import { compareBaselines, type Baseline, type BaselineComparison } from '../../core/validation/baseline';
import { describeCoverageGap } from '../../core/validation/coverage-gaps';
import { assertCsvDirectory } from '../../market-data/csv/csv-directory-source';
import { openStore, runOnDatabase, type OpenedDatabase } from '../engine-host';
import { backupStamp, makeBackup } from './backup';
import { acquireMaintenanceLock } from './maintenance-lock';
import { runPurge } from './purge';
import { portfolioIdsIn } from '../../db/portfolio-ids';

/** The command that redoes the later dates the rebuild left stale, naming the database as restoreCommandFor does. */
function retryCommand(dbPath: string): string {
  return `batchdesk run --retry-failed-phases --db ${shellWord(dbPath)}`;
}

export interface RebuildRequest {
  readonly dbPath: string;
  readonly start: IsoDate;
  readonly end: IsoDate | null;
  readonly chunkDays: number;
  readonly portfolioIds: readonly string[];
  readonly marketData?: RunOptions['marketData'];
  readonly csvDir?: string;
  readonly monitorDays: number;
  readonly holder: LockHolder;
  /** Telemetry sinks of the embedded run (the CLI passes its JSON-lines log file). */
  readonly sinks: readonly TelemetrySink[];
  /** Where the embedded run's log goes (reported; the caller's sink writes it). */
  readonly logFile: string | null;
  /** Folder for before.json, after.json, the comparison and the summary (default: next to the database). */
  readonly folder?: string;
  readonly signal?: AbortSignal;
}

export type StepStatus = 'pass' | 'fail' | 'info' | 'skipped';

export interface RebuildStep {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
  /** Wall time since the previous step ended (the rebuild's start for the first). */
  readonly durationMs: number;
}

export interface RebuildReport {
  readonly status: 'success' | 'failed';
  readonly range: { readonly start: string; readonly end: string };
  readonly folder: string;
  readonly backupFile: string | null;
  readonly steps: readonly RebuildStep[];
  readonly failures: readonly string[];
  readonly maintenanceId: number;
  readonly monitorDays: number;
  readonly runExitCode: number | null;
}

/**
 * The comparison of the baselines in words. A range that had no derived rows before the rebuild
 * (purged earlier, or never run) has nothing to compare with: every rebuilt field would count as
 * a difference, so it says that instead; dates that were new to the rebuild are named apart.
 */
export function comparisonText(before: Baseline, after: Baseline, cmp: BaselineComparison): string {
  if (before.tracking.length === 0 && before.outputs.length === 0) {
    return `nothing to compare: the range had no derived rows before the rebuild (purged earlier or never run), so all ${after.tracking.length} date(s) and ${after.outputs.length} portfolio-date(s) are new`;
  }
  const had = new Set(before.tracking.map((t) => t.run_date));
  const fresh = after.tracking.filter((t) => !had.has(t.run_date)).length;
  const text = `${cmp.differences.length} difference(s); ${(cmp.match_share * 100).toFixed(2)}% of ${cmp.compared_fields} fields match`;
  return fresh > 0 ? `${text}; ${fresh} of the ${after.tracking.length} date(s) had no derived rows before the rebuild and count as differences` : text;
}

/** A step's duration for the report lines: "0.4 s", "12.3 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The verified pre-rebuild backup (step 0) as its step; a failure is the step's, never thrown,
 * so the rebuild records it and stops before anything is purged.
 */
async function preRebuildBackup(opened: OpenedDatabase, folder: string, clock: Clock): Promise<{ readonly file: string | null; readonly step: Omit<RebuildStep, 'durationMs'> }> {
  try {
    mkdirSync(folder, { recursive: true });
    const made = await makeBackup(opened, { reason: 'pre-rebuild', holdsLock: true }, clock);
    return { file: made.file, step: { step: 'backup', status: 'pass', detail: [made.file, ...made.warnings.map((w) => `warning: ${w}`)].join('; ') } };
  } catch (err) {
    return { file: null, step: { step: 'backup', status: 'fail', detail: (err as Error).message } };
  }
}

export async function rebuild(req: RebuildRequest, clock: Clock, progress: (line: string) => void = () => {}): Promise<RebuildReport> {
  const dbPath = resolve(req.dbPath);
  // The range is checked before anything is written: a bad date must not cost a purge.
  const target = targetDate(clock.now());
  const end = req.end ?? target;
  // A start after the target date is refused for itself, not as an end (maybe not given) before it.
  checkSettledDate(req.start, target, '--start-date');
  if (end < req.start) throw new BatchdeskError('usage', `--end-date ${end} is before --start-date ${req.start}`);
  checkSettledDate(end, target, '--end-date');
  const days = tradingDaysBetween(req.start, end);
  if (days.length === 0) throw new BatchdeskError('usage', `${req.start} .. ${end} holds no trading day, so there is nothing to rebuild; widen the range`);
  const lastDay = days[days.length - 1]!;
  if (req.csvDir) assertCsvDirectory(req.csvDir);
  const opened = openStore(dbPath, { mustExist: true });
  try {
    // --portfolio values as full ids (an unknown one is a usage error before anything starts).
    req = { ...req, portfolioIds: portfolioIdsIn(opened.db, req.portfolioIds) };
    // A --csv-dir the mode never reads is refused before anything is purged, as `run` refuses it.
    const stored = opened.store.loadSettings();
    const settings = resolveRunSettings(stored, { ...(req.marketData ? { marketData: req.marketData } : {}) } as RunOptions);
    const csvProblem = csvDirProblem(settings, req);
    if (csvProblem) throw new BatchdeskError('usage', csvProblem);
    // So is a price source the backfill would refuse (synthetic prices mixed with real ones):
    // found after the purge, it left the range purged and the gate closed.
    const sources = sourcesProblem(stored, settings, { allowMixedSources: false, mixedSourcesFlag: false });
    if (sources) throw new BatchdeskError('usage', `cannot rebuild: ${sources}`);
  } catch (err) {
    opened.close();
    throw err;
  }
  const steps: RebuildStep[] = [];
  const failures: string[] = [];
  let stepStart = clock.now();
  const step = (fields: Omit<RebuildStep, 'durationMs'>) => {
    const t = clock.now();
    const s: RebuildStep = { ...fields, durationMs: t - stepStart };
    stepStart = t;
    steps.push(s);
    if (s.status === 'fail') failures.push(`${s.step}: ${s.detail}`);
    progress(`[${s.status.toUpperCase().padEnd(4)}] ${formatSeconds(s.durationMs).padStart(7)}  ${s.step}: ${s.detail}`);
  };
  const now = () => formatTimestamp(clock.now());
  const lock = acquireMaintenanceLock(opened.db, opened.store, 'rebuild', req.holder, clock, dbPath, { sinks: req.sinks, source: req.holder === 'cli' ? 'cli' : 'app' });
  const folder = resolve(req.folder ?? join(dirname(dbPath), 'rebuilds', `rebuild_${req.start}_to_${end}_${backupStamp(clock.now())}`));
  // Step 0: safeguards. The backup comes first, under the lock and before the rebuild's
  // maintenance_log row and settings.maintenance exist: restored, it is the database as it was
  // before the rebuild, with nothing of the rebuild in it and nothing written in between.
  step({ step: 'lock', status: 'pass', detail: 'lock taken (kind rebuild); consumers are paused (settings.maintenance) once the backup is made' });
  const backup = await preRebuildBackup(opened, folder, clock);
  step(backup.step);
  const backupFile = backup.file;
  const maintId = opened.store.transaction(() => {
    // Its options too: the command that runs an interrupted rebuild again repeats them (interrupted-maintenance.ts).
    const options = { chunk_days: req.chunkDays, ...(req.marketData ? { market_data: req.marketData } : {}), ...(req.csvDir ? { csv_dir: req.csvDir } : {}) };
    const id = startMaintenance(opened.db, 'rebuild', { range: { start: req.start, end }, portfolio_ids: req.portfolioIds, options, folder, backup_file: backupFile }, now(), lock.lockId);
    opened.store.setSetting('maintenance', { active: true, reason: 'rebuild', since: now() }, now());
    return id;
  });
  let runExitCode: number | null = null;
  const finish = (status: 'success' | 'failed'): RebuildReport => {
    const report: RebuildReport = { status, range: { start: req.start, end }, folder, backupFile, steps, failures, maintenanceId: maintId, monitorDays: req.monitorDays, runExitCode };
    finishMaintenance(opened.db, maintId, status, { steps, failures, backup_file: backupFile, run_exit_code: runExitCode }, now());
    try {
      writeFileSync(join(folder, 'rebuild-report.json'), `${JSON.stringify(report, null, 2)}\n`);
    } catch {
      // the folder may be the failing part; the maintenance_log row has the report
    }
    return report;
  };
  const stop = (why: string): RebuildReport => {
    failures.push(`${why}${backupFile ? `; restore the backup with \`${restoreCommandFor(backupFile, dbPath)}\`` : ''}`);
    const findings: GuardFinding[] = [{ portfolio_id: null, portfolio_name: null, date: `${req.start}..${end}`, check: 'G1', expected: 'rebuild completed', actual: why, message: `rebuild failed: ${why}` }];
    try {
      // Every trading day of the range counts as failed: a guard that passes over them all reopens the gate.
      closeGate(opened.db, findings, days, lock.lockId, clock);
    } catch {
      // keep the original failure
    }
    return finish('failed');
  };
  try {
    // Nothing has changed yet: the gate stays as it was (the data is as trusted as before) and
    // there is no backup to restore; the report says so and the command exits 5 (k.3).
    if (backupFile === null) {
      failures.push('the verified backup failed; nothing was purged or changed, and the gate is as it was: fix what stopped the backup (above) and run the rebuild again');
      return finish('failed');
    }
    // Step 1: baseline and purge.
    const before = exportBaseline(opened.db, { start: req.start, end, databaseName: opened.path, nowMs: clock.now(), portfolioIds: req.portfolioIds });
    writeBaselineFile(join(folder, 'before.json'), before, opened.path);
    step({ step: 'baseline before', status: 'pass', detail: `${join(folder, 'before.json')} (${before.tracking.length} dates, ${before.outputs.length} portfolio-dates)` });
    const purge = await runPurge(opened, { start: req.start, end, portfolioIds: req.portfolioIds, keepTracking: false, backup: false, dryRun: false, holder: req.holder, lockHeld: true }, clock);
    const deleted = Object.values(purge.outcome.deleted).reduce((a, b) => a + b, 0);
    step({ step: 'purge', status: 'pass', detail: `${deleted} derived rows deleted (maintenance #${purge.maintenanceId})` });
    updateMaintenance(opened.db, maintId, { purge_maintenance_id: purge.maintenanceId, counts_before: purge.countsBefore, counts_after_purge: purge.countsAfter });
    // Step 2: backfill, then one retry of failed dates.
    const base = {
      startDate: req.start,
      endDate: end,
      chunkDays: req.chunkDays,
      portfolios: [...req.portfolioIds],
      ...(req.marketData ? { marketData: req.marketData } : {}),
      ...(req.csvDir ? { csvDir: req.csvDir } : {}),
    };
    const runOnce = async (options: Partial<RunOptions>): Promise<RunSummary | null> => {
      const r = await runOnDatabase({
        dbPath,
        options: { phases: [], withPrerequisites: false, retryFailedPhases: false, dryRun: false, monitorOnly: false, allowMixedSources: false, guard: false, ignoreGate: true, triggeredBy: req.holder === 'app' ? 'app' : req.holder === 'serve' ? 'serve' : 'cli', portfolios: [], chunkDays: 0, ...options } as RunOptions,
        holder: req.holder,
        sinks: req.sinks,
        control: { signal: req.signal ?? new AbortController().signal },
        clock,
        inheritLock: lock.lockId,
      });
      runExitCode = r.exitCode;
      return r.kind === 'run' ? r.summary : null;
    };
    let summary: RunSummary | null;
    try {
      summary = await runOnce(base);
    } catch (err) {
      step({ step: 'backfill', status: 'fail', detail: (err as Error).message });
      return stop('the backfill stopped');
    }
    if (summary) {
      const dir = req.logFile ? dirname(resolve(req.logFile)) : folder;
      writeFileSync(join(dir, `rebuild_${req.start}_to_${end}.summary.json`), `${JSON.stringify(summary, null, 2)}\n`);
      step({ step: 'backfill', status: summary.status === 'cancelled' ? 'fail' : 'pass', detail: `${summary.dates.processed} dates: ${summary.dates.success} success, ${summary.dates.partial} partial, ${summary.dates.failed} failed${req.logFile ? `; log ${req.logFile}` : ''}` });
      if (summary.status === 'cancelled') return stop('the backfill was cancelled');
      if (summary.dates.failed > 0) {
        const retry = await runOnce({ ...base, retryFailedPhases: true });
        step({ step: 'retry failed dates', status: retry && retry.dates.failed > 0 ? 'fail' : 'pass', detail: retry ? `${retry.dates.processed} dates retried: ${retry.dates.failed} still failed` : 'nothing to retry' });
      }
    } else {
      step({ step: 'backfill', status: 'info', detail: 'nothing to run' });
    }
    // Dates after the range that build on it are stale now (g.3): say so, with the command that redoes them.
    const stale = (opened.db.prepare(`SELECT run_date FROM batch_run_tracking WHERE status = 'stale' AND run_date > ? ORDER BY run_date`).all(end) as { run_date: string }[]).map((r) => r.run_date);
    if (stale.length > 0) {
      step({ step: 'later dates', status: 'info', detail: `${stale.length} later date(s) from ${stale[0]} to ${stale.at(-1)} are now stale: \`${retryCommand(dbPath)}\` redoes them` });
    }
    // Step 4: post-run verification.
    const rc = verifyRowCounts(opened.db, purge.maintenanceId);
    const countsOf = (statuses: readonly string[]) => rc.lines.filter((l) => statuses.includes(l.status)).map((l) => `${l.table} ${l.before} -> ${l.now}`).join(', ');
    const recomputed = countsOf(['recomputed']);
    if (rc.failed) step({ step: 'verify rowcounts', status: 'fail', detail: countsOf(['missing', 'changed']) });
    else if (recomputed) step({ step: 'verify rowcounts', status: 'info', detail: `the range held rows imported from the reference system, now made by batchdesk's rules: ${recomputed}` });
    else step({ step: 'verify rowcounts', status: 'pass', detail: 'counts match the pre-purge baseline or grew by new dates' });
    const demoPresent = DEMO_PORTFOLIOS.some((p) => opened.db.prepare(`SELECT 1 FROM portfolios WHERE id = ? AND deleted_at IS NULL`).get(p.portfolio_id_deterministic) !== undefined);
    if (demoPresent) {
      const demo = verifyDemo(opened.db, target);
      step({ step: 'verify demo', status: demo.ready ? 'pass' : 'fail', detail: `${demo.label} (readiness ${demo.readiness.toFixed(2)})` });
    } else step({ step: 'verify demo', status: 'skipped', detail: 'no demo portfolios in this database' });
    const rec = reconcileScope(opened.db, { start: req.start, end, portfolioIds: req.portfolioIds });
    step({ step: 'reconcile', status: rec.flagged ? 'fail' : 'pass', detail: `flagged portfolio-dates: ${rec.flagged} / ${rec.total}` });
    const cov = verifyCoverage(opened.db, { start: req.start, end, portfolioIds: req.portfolioIds });
    step({ step: 'verify coverage', status: cov.gaps.length ? 'fail' : 'pass', detail: cov.gaps.length ? cov.gaps.slice(0, 5).map((g) => `${g.portfolioName}: ${describeCoverageGap(g)}`).join('; ') : `${cov.checked} portfolio-dates without gaps` });
    const guard = guardAndGate(opened.db, { start: req.start, end, portfolioIds: req.portfolioIds }, lock.lockId, clock);
    step({ step: 'verify guard', status: guard.status === 'pass' ? 'pass' : 'fail', detail: `${guard.status} (${guard.findings.length} finding(s))` });
    if (cov.checked === 0) {
      // No portfolio-date in the range (before every portfolio's first entry, say): no view has
      // rows to show, and that is no failure (it closed the gate on unchanged data).
      step({ step: 'verify views', status: 'skipped', detail: 'no portfolio-date in the range, so no view to check' });
    } else {
      const views = verifyViews(opened.db, { date: lastDay, portfolioIds: req.portfolioIds });
      step({ step: 'verify views', status: views.failed ? 'fail' : 'pass', detail: `${views.checks.filter((c) => c.status === 'ok').length} view(s) with rows on ${views.date ?? 'n/a'}` });
    }
    const after = exportBaseline(opened.db, { start: req.start, end, databaseName: opened.path, nowMs: clock.now(), portfolioIds: req.portfolioIds });
    writeBaselineFile(join(folder, 'after.json'), after, opened.path);
    const cmp = compareBaselines(before, after);
    writeFileSync(join(folder, 'comparison.json'), `${JSON.stringify(cmp, null, 2)}\n`);
    step({ step: 'compare baselines', status: 'info', detail: `${comparisonText(before, after, cmp)} (${join(folder, 'comparison.json')})` });
    const verificationFailed = steps.some((s) => s.status === 'fail');
    if (verificationFailed) {
      const findings: GuardFinding[] = failures.map((f) => ({ portfolio_id: null, portfolio_name: null, date: `${req.start}..${end}`, check: 'G1', expected: 'verification passed', actual: f, message: `rebuild verification failed: ${f}` }));
      closeGate(opened.db, [...guard.findings, ...findings], guard.dates, lock.lockId, clock);
      failures.push(`the gate is closed; restore the backup with \`${restoreCommandFor(backupFile, dbPath)}\` if the rebuilt data cannot be trusted`);
      return finish('failed');
    }
    return finish('success');
  } catch (err) {
    // An unexpected error still closes the maintenance_log row and the gate, naming the backup.
    try {
      step({ step: 'rebuild', status: 'fail', detail: (err as Error).message });
      stop('the rebuild stopped on an unexpected error');
    } catch {
      // keep the original error
    }
    throw err;
  } finally {
    try {
      opened.store.transaction(() => opened.store.setSetting('maintenance', { active: false, reason: null, since: now() }, now()));
    } finally {
      lock.release();
      opened.close();
    }
  }
}
