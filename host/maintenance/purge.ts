/**
 * Purge (SPEC.md j.4): in-flight check and lock (kind 'purge'), a verified backup (reason
 * pre-purge) unless explicitly disabled (if it fails nothing is purged), row counts before,
 * the purge in one transaction, row counts after, all in one maintenance_log row.
 */
import type { IsoDate } from '../../core/domain/iso-date';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { Clock } from '../../core/ports/clock';
import type { LockHolder } from '../../core/ports/store';
import { finishMaintenance, startMaintenance } from '../../db/maintenance/maintenance-log';
import { countPurge, purgeDerived, rebuildAfterPurge, type PurgeOutcome } from '../../db/maintenance/purge-derived';
import { portfolioIdsIn } from '../../db/portfolio-ids';
import { tableRowCounts } from '../../db/table-counts';
import type { OpenedDatabase } from '../engine-host';
import { makeBackup } from './backup';
import { acquireMaintenanceLock } from './maintenance-lock';

export interface PurgeRequest {
  readonly start: IsoDate | null;
  readonly end: IsoDate | null;
  readonly portfolioIds: readonly string[];
  readonly keepTracking: boolean;
  readonly backup: boolean;
  readonly dryRun: boolean;
  readonly holder: LockHolder;
  /** The caller already holds the lock (rebuild); no lock or in-flight check here. */
  readonly lockHeld?: boolean;
}

export interface PurgeReport {
  readonly dryRun: boolean;
  readonly range: { readonly start: IsoDate | null; readonly end: IsoDate | null };
  readonly portfolioIds: readonly string[];
  readonly backupFile: string | null;
  readonly countsBefore: Record<string, number>;
  readonly countsAfter: Record<string, number>;
  readonly outcome: PurgeOutcome;
  readonly maintenanceId: number | null;
  /** How a backfill rebuilds the purged rows (rebuildAfterPurge); null when no snapshot was in the range. */
  readonly rebuild: { readonly startDate: IsoDate; readonly automatic: boolean } | null;
}

export async function runPurge(opened: OpenedDatabase, req: PurgeRequest, clock: Clock): Promise<PurgeReport> {
  const portfolioIds = portfolioIdsIn(opened.db, req.portfolioIds);
  const scope = { start: req.start, end: req.end, portfolioIds, keepTracking: req.keepTracking };
  const range = { start: req.start, end: req.end };
  if (req.dryRun) {
    const counts = tableRowCounts(opened.db);
    return { dryRun: true, range, portfolioIds, backupFile: null, countsBefore: counts, countsAfter: counts, outcome: countPurge(opened.db, scope), maintenanceId: null, rebuild: rebuildAfterPurge(opened.db, scope) };
  }
  const lock = req.lockHeld ? null : acquireMaintenanceLock(opened.db, opened.store, 'purge', req.holder, clock, opened.path);
  try {
    const started = formatTimestamp(clock.now());
    let backupFile: string | null = null;
    if (req.backup) {
      try {
        backupFile = (await makeBackup(opened, { reason: 'pre-purge', holdsLock: true }, clock)).file;
      } catch (err) {
        const id = startMaintenance(opened.db, 'purge', { range, portfolio_ids: portfolioIds, error: `backup failed, nothing purged: ${(err as Error).message}` }, started);
        finishMaintenance(opened.db, id, 'failed', {}, formatTimestamp(clock.now()));
        throw err;
      }
    }
    const countsBefore = tableRowCounts(opened.db);
    const rebuild = rebuildAfterPurge(opened.db, scope);
    // Dates imported from the reference system: their rows followed its rules (verify rowcounts).
    const importedDates = (opened.db.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE status = 'imported' AND (? IS NULL OR run_date >= ?) AND (? IS NULL OR run_date <= ?)`).get(req.start, req.start, req.end, req.end) as { n: number }).n;
    const id = startMaintenance(
      opened.db,
      'purge',
      { range, portfolio_ids: portfolioIds, keep_tracking: req.keepTracking, backup_file: backupFile, counts_before: countsBefore, imported_dates: importedDates },
      started,
      lock?.lockId ?? null,
    );
    let outcome: PurgeOutcome;
    try {
      outcome = purgeDerived(opened.db, scope, formatTimestamp(clock.now()));
    } catch (err) {
      finishMaintenance(opened.db, id, 'failed', { error: (err as Error).message }, formatTimestamp(clock.now()));
      throw err;
    }
    const countsAfter = tableRowCounts(opened.db);
    finishMaintenance(opened.db, id, 'success', { counts_after: countsAfter, deleted: outcome.deleted, positions_reset: outcome.positionsReset, portfolios_reset: outcome.portfoliosReset, tracking_deleted: outcome.trackingDeleted, tracking_marked_stale: outcome.trackingMarkedStale }, formatTimestamp(clock.now()));
    return { dryRun: false, range, portfolioIds, backupFile, countsBefore, countsAfter, outcome, maintenanceId: id, rebuild };
  } finally {
    lock?.release();
  }
}
