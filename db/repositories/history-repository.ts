/** batch_run_history rows (SPEC.md b.4, h.6), written synchronously at start, chunk ends and the end. */
import type { HistoryRecord, HistoryStore } from '../../core/ports/store';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';

/**
 * History rows with the resume that continued each one (g.11): a resume run records the run it
 * resumed in its options, so the link is read from there rather than stored twice. A monitor-only
 * run with --resume publishes nothing and continues nothing.
 */
const RUNS_WITH_RESUMER = `SELECT h.*, json_extract(h.options, '$.resumed_run_id') AS resumed_run_id,
  (SELECT r.batch_run_id FROM batch_run_history r WHERE r.mode = 'resume' AND json_extract(r.options, '$.resumed_run_id') = h.id ORDER BY r.started_at LIMIT 1) AS resumed_by
  FROM batch_run_history h`;

function toRecord(r: Record<string, unknown> | undefined): HistoryRecord | null {
  if (!r) return null;
  return {
    id: r['id'] as string,
    batchRunId: r['batch_run_id'] as string,
    status: (r['status'] as string | null) ?? null,
    mode: (r['mode'] as string | null) ?? null,
    options: r['options'] ? JSON.parse(r['options'] as string) : null,
    startedAt: r['started_at'] as string,
    completedAt: (r['completed_at'] as string | null) ?? null,
    heartbeatAt: (r['heartbeat_at'] as string | null) ?? null,
    resumedRunId: (r['resumed_run_id'] as string | null) ?? null,
    resumedBy: (r['resumed_by'] as string | null) ?? null,
  };
}

export function historyRepository(db: SqliteDatabase): HistoryStore {
  const sql = statementCache(db);
  return {
    startRun(h) {
      sql(
        `INSERT INTO batch_run_history (id, batch_run_id, triggered_by, started_at, status, total_jobs, completed_jobs, failed_jobs, portfolio_id, created_at, mode, options, heartbeat_at, host, pid, app_version)
         VALUES (?, ?, ?, ?, 'running', ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(h.id, h.batchRunId, h.triggeredBy, h.startedAt, h.totalJobs, h.portfolioId, h.startedAt, h.mode, JSON.stringify(h.options), h.startedAt, h.host, h.pid, h.appVersion);
    },
    progressRun(id, p) {
      sql(`UPDATE batch_run_history SET completed_jobs = ?, failed_jobs = ?, heartbeat_at = ?, activity_log = COALESCE(?, activity_log) WHERE id = ?`).run(
        p.completedJobs,
        p.failedJobs,
        p.heartbeatAt,
        p.activityLog ? JSON.stringify(p.activityLog) : null,
        id,
      );
    },
    finishRun(id, f) {
      sql(
        `UPDATE batch_run_history SET status = ?, completed_at = ?, completed_jobs = ?, failed_jobs = ?, heartbeat_at = ?, phase_durations = ?, error_summary = ?, summary = ?, activity_log = COALESCE(?, activity_log) WHERE id = ?`,
      ).run(
        f.status,
        f.completedAt,
        f.completedJobs,
        f.failedJobs,
        f.heartbeatAt,
        JSON.stringify(f.phaseDurations),
        JSON.stringify(f.errorSummary),
        JSON.stringify(f.summary),
        f.activityLog ? JSON.stringify(f.activityLog) : null,
        id,
      );
    },
    markInterrupted(runId, nowIso) {
      const run = sql(`SELECT heartbeat_at FROM batch_run_history WHERE id = ?`).get(runId) as { heartbeat_at: string | null } | undefined;
      // The history row's counters are written at chunk ends and on heartbeats, so after a
      // kill they lag; the dates the run committed are its finished tracking rows.
      const countDone = () =>
        sql(
          `SELECT count(*) AS dates, coalesce(sum(status IN ('success', 'partial')), 0) AS ok, coalesce(sum(status = 'failed'), 0) AS failed
           FROM batch_run_tracking WHERE run_id = ? AND completed_at IS NOT NULL`,
        ).get(runId) as { dates: number; ok: number; failed: number };
      const done = countDone();
      // The date in flight at the kill is closed as failed (interrupted) so that the next run
      // redoes it (g.9), but it did not fail: the run's failed_jobs count the dates that failed (h.6).
      // h.4's error_message shape (errors, and phase_status with the three legacy keys from the
      // row's phase_status), plus `reason`, by which a retry knows the date was interrupted.
      sql(
        `UPDATE batch_run_tracking SET status = 'failed', completed_at = ?, updated_at = ?,
           error_message = json_object('errors', json_array(?), 'phase_status', json_object('phase_1_5', json_extract(phase_status, '$.fundamentals'), 'phase_2_5', json_extract(phase_status, '$.marks'), 'phase_2_75', json_extract(phase_status, '$.sector_tags')), 'reason', 'interrupted')
         WHERE run_id = ? AND completed_at IS NULL`,
      ).run(nowIso, nowIso, 'interrupted: the run stopped before this date finished', runId);
      sql(`UPDATE batch_run_history SET status = 'interrupted', completed_at = ?, completed_jobs = ?, failed_jobs = ?, error_summary = ? WHERE id = ? AND status = 'running'`).run(
        nowIso,
        done.ok,
        done.failed,
        JSON.stringify({ interrupted: true, last_heartbeat_at: run?.heartbeat_at ?? null, crashed_after_dates: done.dates }),
        runId,
      );
    },
    latestResumable() {
      // A rebuild's run comes last: it is returned only when no other stopped run is left, so
      // that the planner refuses it with the rebuild to run again instead of "nothing to resume".
      return toRecord(
        sql(`SELECT * FROM (${RUNS_WITH_RESUMER}) WHERE status IN ('interrupted', 'cancelled') AND resumed_by IS NULL ORDER BY mode IS 'rebuild', started_at DESC LIMIT 1`).get() as
          | Record<string, unknown>
          | undefined,
      );
    },
    getRun(runId) {
      return toRecord(sql(`${RUNS_WITH_RESUMER} WHERE h.id = ? OR h.batch_run_id = ?`).get(runId, runId) as Record<string, unknown> | undefined);
    },
    pruneHistory(olderThanIso) {
      return sql(`DELETE FROM batch_run_history WHERE started_at < ? AND status != 'running'`).run(olderThanIso).changes;
    },
  };
}
