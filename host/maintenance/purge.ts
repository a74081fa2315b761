/**
 * Purge (SPEC.md j.4): in-flight check and lock (kind 'purge'), a verified backup (reason
 * pre-purge) unless explicitly disabled (if it fails nothing is purged), row counts before,
 * the purge in one transaction, row counts after, all in one maintenance_log row, whose finish
 * commits in the purge's transaction.
 *
 * Each step reports its start as a `purge_step` metric event, as a restore reports
 * `restore_step` (value: its number from 1; tags: `step`, its key, and `steps`, the words of
 * every step planned, in order): the app shows the steps as they happen.
 *
 * With a `signal` (Ctrl-C in the CLI) the purge stops at a step boundary: before the backup,
 * during it (the partial backup file is removed), after it, and before the delete transaction.
 * A stopped purge deleted nothing: it is a `cancelled` error (exit code 130, SPEC.md k.3) that
 * says so and names the backup it completed, the purge is logged `cancelled` in maintenance_log,
 * and the lock is released. Once the delete transaction has begun it runs to its end: it is one
 * synchronous transaction, so no signal is seen before it has committed.
 *
 * A purge that takes over a killed rebuild's lock closes the gate over that rebuild's range
 * (interrupted-maintenance.ts): its report says so (`warnings`, takeover-words.ts), and its
 * advice is then the rebuild's ways out, since a run would be refused at that gate.
 */
import { BatchdeskError } from '../../core/api/errors';
import { targetDate, tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { checkSettledDate } from '../../core/engine/planner';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { Clock } from '../../core/ports/clock';
import { interruptedRebuildWaysOut } from '../../core/maintenance/interrupted-rebuild';
import { takeoverWarnings } from '../../core/maintenance/takeover-words';
import type { LockHolder, LockTakeover } from '../../core/ports/store';
import { stepReporter, stopIfCancelled, type StepEventTarget } from './step-events';
import { finishMaintenance, logMaintenance, startMaintenance } from '../../db/maintenance/maintenance-log';
import { countPurge, purgeDerived, rebuildAfterPurge, type PurgeOutcome } from '../../db/maintenance/purge-derived';
import { portfolioIdsIn } from '../../db/portfolio-ids';
import { tableRowCounts } from '../../db/table-counts';
import type { OpenedDatabase } from '../engine-host';
import { makeBackup } from './backup';
import { acquireMaintenanceLock } from './maintenance-lock';

/** With `sinks`, the purge reports its steps as `purge_step` events (step-events.ts). */
export interface PurgeRequest extends StepEventTarget {
  readonly start: IsoDate | null;
  readonly end: IsoDate | null;
  readonly portfolioIds: readonly string[];
  readonly keepTracking: boolean;
  readonly backup: boolean;
  readonly dryRun: boolean;
  readonly holder: LockHolder;
  /** The caller already holds the lock (rebuild); no lock or in-flight check here. */
  readonly lockHeld?: boolean;
  /** Stops the purge at its next step boundary before the delete transaction (see the file comment). */
  readonly signal?: AbortSignal;
}

/** The steps of a purge that take time, in order, with the words the app shows for each. */
export const PURGE_STEPS = {
  backup: 'Making a verified backup of the database: copy, integrity check, row counts',
  count: 'Counting the rows of every table',
  purge: 'Deleting the derived rows in one transaction',
  record: 'Counting the rows left and recording the purge',
} as const;
export type PurgeStep = keyof typeof PURGE_STEPS;

/** The steps a purge will take: no backup when it is turned off. */
export function plannedPurgeSteps(backup: boolean): PurgeStep[] {
  return [...(backup ? (['backup'] as const) : []), 'count', 'purge', 'record'];
}

export interface PurgeReport {
  readonly dryRun: boolean;
  readonly range: { readonly start: IsoDate | null; readonly end: IsoDate | null };
  readonly portfolioIds: readonly string[];
  readonly backupFile: string | null;
  /** The backup's warnings (makeBackup): a retention pass that left files without a manifest says so. */
  readonly backupWarnings?: readonly string[];
  readonly countsBefore: Record<string, number>;
  readonly countsAfter: Record<string, number>;
  readonly outcome: PurgeOutcome;
  readonly maintenanceId: number | null;
  /** How a backfill rebuilds the purged rows (rebuildAfterPurge); null when no snapshot was in the range. */
  readonly rebuild: { readonly startDate: IsoDate; readonly automatic: boolean } | null;
  /** What taking the lock over from a killed rebuild did (the gate closed over its range), in words; empty otherwise. */
  readonly warnings: readonly string[];
  /**
   * When that takeover closed the gate: the killed rebuild's ways out (run it again, or restore
   * its backup), the advice instead of a run over `rebuild`, which the closed gate would refuse.
   */
  readonly gateClosedWaysOut: string | null;
}

/** The warnings and the advice of a purge whose lock was taken over from `takeover`'s dead holder (see PurgeReport). */
function takeoverReport(takeover: LockTakeover | null): Pick<PurgeReport, 'warnings' | 'gateClosedWaysOut'> {
  const warnings = takeoverWarnings(takeover);
  const rebuild = takeover?.interruptedRebuild;
  return { warnings, gateClosedWaysOut: warnings.length && rebuild ? interruptedRebuildWaysOut(rebuild) : null };
}

/** What a purge stopped before its delete says: nothing deleted, and the backup it kept, if it completed one. */
export function purgeCancelledMessage(backupFile: string | null): string {
  return `purge cancelled before the delete; nothing was deleted${backupFile ? ` (the pre-purge backup it completed is kept: ${backupFile})` : ''}`;
}

/**
 * Refuses a purge range that can hold no derived row, before any backup or log row, as `run`
 * refuses the same range (SPEC.md k.3: a usage error, exit code 2): a date after the target date
 * (no close is settled there, nothing was processed), or a range with no trading day (weekends
 * and NYSE holidays are never processed). The CLI and the app's purgeDerived both get it here.
 */
export function checkPurgeRange(start: IsoDate | null, end: IsoDate | null, target: IsoDate): void {
  if (start) checkSettledDate(start, target, '--from');
  if (end) checkSettledDate(end, target, '--to');
  if (start && end && end >= start && tradingDaysBetween(start, end).length === 0) {
    const what = start === end ? `${start} is not a trading day` : `no trading day from ${start} to ${end}`;
    throw new BatchdeskError('usage', `Nothing to purge: ${what} (weekends and NYSE holidays are not processed, so no derived row is dated there); choose a range with a trading day. Nothing was changed.`);
  }
}

export async function runPurge(opened: OpenedDatabase, req: PurgeRequest, clock: Clock): Promise<PurgeReport> {
  checkPurgeRange(req.start, req.end, targetDate(clock.now()));
  const portfolioIds = portfolioIdsIn(opened.db, req.portfolioIds);
  const scope = { start: req.start, end: req.end, portfolioIds, keepTracking: req.keepTracking };
  const range = { start: req.start, end: req.end };
  if (req.dryRun) {
    const counts = tableRowCounts(opened.db);
    return { dryRun: true, range, portfolioIds, backupFile: null, countsBefore: counts, countsAfter: counts, outcome: countPurge(opened.db, scope), maintenanceId: null, rebuild: rebuildAfterPurge(opened.db, scope), ...takeoverReport(null) };
  }
  const lock = req.lockHeld ? null : acquireMaintenanceLock(opened.db, opened.store, 'purge', req.holder, clock, opened.path, req);
  try {
    const report = stepReporter('purge_step', PURGE_STEPS, plannedPurgeSteps(req.backup), req, clock);
    const started = formatTimestamp(clock.now());
    let backupFile: string | null = null;
    let backupWarnings: readonly string[] = [];
    // A step boundary: a Ctrl-C seen here stops the purge, logged as cancelled, before it deletes anything.
    const boundary = async (): Promise<void> => {
      try {
        await stopIfCancelled(req.signal, () => purgeCancelledMessage(backupFile));
      } catch (err) {
        logMaintenance(opened.db, 'purge', 'cancelled', { range, portfolio_ids: portfolioIds, backup_file: backupFile, error: (err as Error).message }, started, formatTimestamp(clock.now()));
        throw err;
      }
    };
    if (req.backup) {
      await boundary();
      report('backup');
      try {
        ({ file: backupFile, warnings: backupWarnings } = await makeBackup(opened, { reason: 'pre-purge', holdsLock: true, ...(req.signal ? { signal: req.signal } : {}) }, clock));
      } catch (err) {
        const cancelled = err instanceof BatchdeskError && err.code === 'cancelled';
        const failure = cancelled ? new BatchdeskError('cancelled', `purge cancelled during the pre-purge backup; the partial backup file was removed and nothing was deleted`) : err;
        const status = cancelled ? 'cancelled' : 'failed';
        logMaintenance(opened.db, 'purge', status, { range, portfolio_ids: portfolioIds, error: cancelled ? (failure as Error).message : `backup failed, nothing purged: ${(err as Error).message}` }, started, formatTimestamp(clock.now()));
        throw failure;
      }
    }
    await boundary();
    report('count');
    const countsBefore = tableRowCounts(opened.db);
    const rebuild = rebuildAfterPurge(opened.db, scope);
    // Dates imported from the reference system: their rows followed its rules (verify rowcounts).
    const importedDates = (opened.db.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE status = 'imported' AND (? IS NULL OR run_date >= ?) AND (? IS NULL OR run_date <= ?)`).get(req.start, req.start, req.end, req.end) as { n: number }).n;
    // The last boundary: from here the delete transaction runs to its end.
    await boundary();
    const id = startMaintenance(
      opened.db,
      'purge',
      { range, portfolio_ids: portfolioIds, keep_tracking: req.keepTracking, backup_file: backupFile, counts_before: countsBefore, imported_dates: importedDates },
      started,
      lock?.lockId ?? null,
    );
    report('purge');
    // The delete and the log row saying it finished commit together: a purge killed at any
    // point has either deleted nothing with its row open, or deleted and recorded it.
    const deleteAndRecord = opened.db.transaction(() => {
      const outcome = purgeDerived(opened.db, scope, formatTimestamp(clock.now()));
      report('record');
      const countsAfter = tableRowCounts(opened.db);
      finishMaintenance(opened.db, id, 'success', { counts_after: countsAfter, deleted: outcome.deleted, positions_reset: outcome.positionsReset, portfolios_reset: outcome.portfoliosReset, tracking_deleted: outcome.trackingDeleted, tracking_marked_stale: outcome.trackingMarkedStale }, formatTimestamp(clock.now()));
      return { outcome, countsAfter };
    });
    let outcome: PurgeOutcome;
    let countsAfter: Record<string, number>;
    try {
      ({ outcome, countsAfter } = deleteAndRecord.immediate());
    } catch (err) {
      finishMaintenance(opened.db, id, 'failed', { error: (err as Error).message }, formatTimestamp(clock.now()));
      throw err;
    }
    return { dryRun: false, range, portfolioIds, backupFile, ...(backupWarnings.length ? { backupWarnings } : {}), countsBefore, countsAfter, outcome, maintenanceId: id, rebuild, ...takeoverReport(lock?.takeover ?? null) };
  } finally {
    lock?.release();
  }
}
