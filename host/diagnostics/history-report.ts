/**
 * `history` and `history --running` (SPEC.md i.5): the runs and tracked dates of a period,
 * dates with analytics not run in full (fewer jobs than expected, or a portfolio skipped by the
 * coverage guard) or failed phases, untracked trading days
 * between tracked ones, and the in-flight view (lock holder, progress, latest committed dates).
 */
import { tradingDaysMissingBetween } from '../../core/calendar';
import { addCalendarDays, calendarDaysBetween, type IsoDate } from '../../core/domain/iso-date';
import { historyDateLine, type HistoryDateLine } from '../../core/validation/history-report';
import type { LockRecord } from '../../core/ports/store';
import { createEngineStore } from '../../db/engine-store';
import { interruptedRebuild, type InterruptedRebuild } from '../../db/maintenance/interrupted-maintenance';
import type { SqliteDatabase } from '../../db/open-database';

/** Whether a lock row is stale: its holder is gone (engine-host.ts staleJudge). */
export type LockStaleness = (lock: LockRecord) => boolean;

/**
 * The ids of runs whose history row says 'running' but whose process is gone: no live lock is
 * held for them (killed, or the machine stopped). Their row is set to 'interrupted' only when
 * the next run, a resume or `cancel` takes the stale lock; until then the reports say so.
 */
function goneRuns(db: SqliteDatabase, isStale: LockStaleness): Set<string> {
  const lock = createEngineStore(db).readLock();
  const live = lock && !isStale(lock) ? lock.runId : null;
  const running = db.prepare(`SELECT id FROM batch_run_history WHERE status = 'running'`).all() as { id: string }[];
  return new Set(running.map((r) => r.id).filter((id) => id !== live));
}

/** A tracking row's fields that openDateStatus reads. */
export interface TrackedStatus {
  readonly status: string | null;
  readonly completedAt: string | null;
  readonly runId: string | null;
}

/**
 * The status a tracking row is shown with. A date a cancelled or interrupted run left open still
 * says 'running' in tracking (the next run redoes it); as no run is working on it, it shows what
 * happened to its run ('cancelled', 'failed', or 'interrupted' when the process is gone). A date
 * the run in flight is on stays 'running'.
 */
export function openDateStatus(db: SqliteDatabase, isStale: LockStaleness): (t: TrackedStatus) => string | null {
  const gone = goneRuns(db, isStale);
  const runStatus = db.prepare(`SELECT status FROM batch_run_history WHERE id = ?`);
  return (t) => {
    if (t.status !== 'running' || t.completedAt !== null || t.runId === null) return t.status;
    if (gone.has(t.runId)) return 'interrupted';
    const run = (runStatus.get(t.runId) as { status: string | null } | undefined)?.status;
    return run && run !== 'running' ? run : t.status;
  };
}

/** A run's dates done and failed so far, from its committed tracking rows (its history row lags). */
function trackedProgress(db: SqliteDatabase, runId: string): { done: number; failed: number } {
  return db
    .prepare(`SELECT count(*) FILTER (WHERE status IS NOT 'failed') AS done, count(*) FILTER (WHERE status = 'failed') AS failed FROM batch_run_tracking WHERE run_id = ? AND completed_at IS NOT NULL`)
    .get(runId) as { done: number; failed: number };
}

export interface HistoryRun {
  readonly id: string;
  readonly batchRunId: string;
  readonly startedAt: string;
  readonly durationSeconds: number | null;
  readonly mode: string | null;
  readonly triggeredBy: string | null;
  readonly status: string | null;
  readonly datesPlanned: number | null;
  readonly datesCompleted: number | null;
  readonly datesFailed: number | null;
  /** Its row says 'running' but its process is gone (shown as interrupted; see goneRuns). */
  readonly processGone: boolean;
  /** The batch run id of the resume that continued this interrupted or cancelled run (g.11), if any. */
  readonly resumedBy: string | null;
}

export interface HistoryReport {
  readonly since: string;
  readonly runs: readonly HistoryRun[];
  readonly dates: readonly HistoryDateLine[];
  readonly shortDates: readonly HistoryDateLine[];
  readonly failedDates: readonly HistoryDateLine[];
  readonly untrackedDays: readonly string[];
  /** Tracked dates (with the status asked for) before the period, and the --days that shows them all. */
  readonly olderDates: { readonly count: number; readonly oldest: string; readonly days: number } | null;
}

export function historyReport(db: SqliteDatabase, args: { days: number; status: string | null; today: IsoDate; nowIso: string; isStale: LockStaleness }): HistoryReport {
  const since = addCalendarDays(args.today, -args.days);
  const sinceTs = `${since}T00:00:00.000000Z`;
  const gone = goneRuns(db, args.isStale);
  const store = createEngineStore(db);
  const runs = (
    db
      .prepare(`SELECT * FROM batch_run_history WHERE started_at >= ? ORDER BY started_at DESC`)
      .all(sinceTs) as Record<string, unknown>[]
  )
    .map((r): HistoryRun => {
      const id = r['id'] as string;
      const processGone = gone.has(id);
      const progress = processGone ? trackedProgress(db, id) : null;
      const stopped = r['status'] === 'interrupted' || r['status'] === 'cancelled';
      return {
        id,
        batchRunId: r['batch_run_id'] as string,
        startedAt: r['started_at'] as string,
        durationSeconds: r['completed_at'] ? (Date.parse((r['completed_at'] as string).slice(0, 23) + 'Z') - Date.parse((r['started_at'] as string).slice(0, 23) + 'Z')) / 1000 : null,
        mode: (r['mode'] as string | null) ?? null,
        triggeredBy: (r['triggered_by'] as string | null) ?? null,
        status: processGone ? 'interrupted' : ((r['status'] as string | null) ?? null),
        datesPlanned: (r['total_jobs'] as number | null) ?? null,
        datesCompleted: progress ? progress.done : ((r['completed_jobs'] as number | null) ?? null),
        datesFailed: progress ? progress.failed : ((r['failed_jobs'] as number | null) ?? null),
        processGone,
        resumedBy: stopped ? (store.getRun(id)?.resumedBy ?? null) : null,
      };
    })
    .filter((r) => args.status === null || r.status === args.status);
  const shownStatus = openDateStatus(db, args.isStale);
  const all = store
    .loadTrackingRange(null, null)
    .map((t) => ({ ...t, status: shownStatus(t) }))
    .filter((t) => args.status === null || t.status === args.status);
  const tracked = all.filter((t) => t.runDate >= since);
  const older = all.filter((t) => t.runDate < since);
  const olderDates = older.length ? { count: older.length, oldest: older[0]!.runDate, days: calendarDaysBetween(older[0]!.runDate, args.today) } : null;
  const dates = tracked.map((t) => historyDateLine({ runDate: t.runDate, status: t.status, phaseStatus: t.phaseStatus, metadata: t.metadata, completedAt: t.completedAt }));
  const untrackedDays = args.status === null ? tradingDaysMissingBetween(tracked.map((t) => t.runDate)) : [];
  return { since, runs, dates, shortDates: dates.filter((d) => d.short), failedDates: dates.filter((d) => d.failedPhases.length > 0), untrackedDays, olderDates };
}

export interface RunningReport {
  readonly lock: Record<string, unknown> | null;
  readonly run: { readonly id: string; readonly batchRunId: string; readonly mode: string | null; readonly status: string | null; readonly processGone: boolean; readonly datesPlanned: number | null; readonly datesCompleted: number | null; readonly datesFailed: number | null; readonly heartbeatAt: string | null; readonly startedAt: string } | null;
  /** Dates the run in flight has started and not finished. */
  readonly openDates: readonly string[];
  /** Dates a cancelled or interrupted run left unfinished (the next run redoes them). */
  readonly unfinishedDates: readonly string[];
  /** The latest date a run finished without failing (a date it failed on, or a killed run was on, is closed as failed). */
  readonly latestCompletedDate: string | null;
  readonly portfolios: readonly { readonly portfolioId: string; readonly name: string; readonly latestSnapshot: string | null }[];
  /**
   * A rebuild whose process is gone (the lock is free or stale) but whose maintenance_log row
   * or settings.maintenance is still open: it is not rebuilding any more; the next taker of the
   * lock closes it and the gate (interrupted-maintenance.ts). Names the pre-rebuild backup.
   */
  readonly interruptedRebuild: InterruptedRebuild | null;
}

/**
 * The history row of the run the lock is for: a run's own, a rebuild's backfill (its run works
 * under the rebuild's lock, j.5, and is recorded with mode 'rebuild'), else with no lock the
 * latest row still 'running'.
 */
function lockedRun(db: SqliteDatabase, lock: LockRecord | null): Record<string, unknown> | undefined {
  const row =
    lock?.kind === 'rebuild'
      ? db.prepare(`SELECT * FROM batch_run_history WHERE status = 'running' AND mode = 'rebuild' ORDER BY started_at DESC LIMIT 1`).get()
      : lock?.runId
        ? db.prepare(`SELECT * FROM batch_run_history WHERE id = ?`).get(lock.runId)
        : db.prepare(`SELECT * FROM batch_run_history WHERE status = 'running' ORDER BY started_at DESC LIMIT 1`).get();
  return row as Record<string, unknown> | undefined;
}

export function runningReport(db: SqliteDatabase, isStale: LockStaleness): RunningReport {
  const store = createEngineStore(db);
  const lock = store.readLock();
  const stale = lock !== null && isStale(lock);
  const row = lockedRun(db, lock);
  const open = db.prepare(`SELECT run_date, run_id FROM batch_run_tracking WHERE completed_at IS NULL AND status IS NOT 'imported' ORDER BY run_date`).all() as { run_date: string; run_id: string | null }[];
  const processGone = row !== undefined && row['status'] === 'running' && (lock === null || stale);
  const inFlight = row && row['status'] === 'running' && lock && !stale ? (row['id'] as string) : null;
  const openDates = open.filter((r) => r.run_id !== null && r.run_id === inFlight).map((r) => r.run_date);
  const unfinishedDates = open.filter((r) => r.run_id === null || r.run_id !== inFlight).map((r) => r.run_date);
  // A failed date is closed too (completed_at set), the one a killed run was on among them: the
  // latest completed date is the latest one a run finished without failing (as trackedProgress counts it).
  const latest = (db.prepare(`SELECT MAX(run_date) AS d FROM batch_run_tracking WHERE completed_at IS NOT NULL AND status IS NOT 'failed'`).get() as { d: string | null }).d;
  // A run in flight writes its progress to history only with its heartbeat; its tracking rows
  // are committed date by date, so they give the dates done so far (also for a run whose
  // process is gone). A monitor-only run (g.12) rolls its tracking rows back: its heartbeat's
  // counters are all there is.
  const live = row && row['status'] === 'running' && row['mode'] !== 'monitor' ? trackedProgress(db, row['id'] as string) : null;
  const portfolios = (db.prepare(`SELECT p.id, p.name, (SELECT MAX(snapshot_date) FROM portfolio_snapshots s WHERE s.portfolio_id = p.id) AS latest FROM portfolios p WHERE p.deleted_at IS NULL ORDER BY p.name, p.id`).all() as { id: string; name: string; latest: string | null }[]).map((p) => ({ portfolioId: p.id, name: p.name, latestSnapshot: p.latest }));
  return {
    lock: lock ? { ...lock, stale } : null,
    run: row
      ? {
          id: row['id'] as string,
          batchRunId: row['batch_run_id'] as string,
          mode: (row['mode'] as string | null) ?? null,
          status: processGone ? 'interrupted' : ((row['status'] as string | null) ?? null),
          processGone,
          datesPlanned: (row['total_jobs'] as number | null) ?? null,
          datesCompleted: live ? live.done : ((row['completed_jobs'] as number | null) ?? null),
          datesFailed: live ? live.failed : ((row['failed_jobs'] as number | null) ?? null),
          heartbeatAt: (row['heartbeat_at'] as string | null) ?? null,
          startedAt: row['started_at'] as string,
        }
      : null,
    openDates,
    unfinishedDates,
    latestCompletedDate: latest,
    portfolios,
    interruptedRebuild: lock === null || stale ? interruptedRebuild(db) : null,
  };
}
