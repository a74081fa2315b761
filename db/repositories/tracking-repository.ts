/** batch_run_tracking rows (SPEC.md b.4, h.4): one per date, upserted by run_date. */
import type { IsoDate } from '../../core/domain/iso-date';
import { legacyPhaseStatus } from '../../core/engine/date-tracker';
import type { StaleMarked, TrackingRecord, TrackingStore } from '../../core/ports/store';
import { datedRowId } from '../ids';
import type { SqliteDatabase } from '../open-database';
import { statementCache } from '../statement-cache';

function toRecord(r: Record<string, unknown>): TrackingRecord {
  return {
    id: r['id'] as string,
    runDate: r['run_date'] as IsoDate,
    status: (r['status'] as string | null) ?? null,
    runId: (r['run_id'] as string | null) ?? null,
    phaseStatus: r['phase_status'] ? (JSON.parse(r['phase_status'] as string) as Record<string, unknown>) : null,
    metadata: r['metadata'] ? (JSON.parse(r['metadata'] as string) as Record<string, unknown>) : null,
    startedAt: (r['started_at'] as string | null) ?? null,
    completedAt: (r['completed_at'] as string | null) ?? null,
    createdAt: r['created_at'] as string,
    interrupted: closedAsInterrupted(r['error_message']),
  };
}

/** Whether a row's error_message is the one a lock takeover writes into the date a killed run left open (history-repository.ts markInterrupted). */
function closedAsInterrupted(errorMessage: unknown): boolean {
  if (typeof errorMessage !== 'string' || !errorMessage.includes('interrupted')) return false;
  try {
    return (JSON.parse(errorMessage) as { reason?: unknown }).reason === 'interrupted';
  } catch {
    return false;
  }
}

export function trackingRepository(db: SqliteDatabase): TrackingStore {
  const sql = statementCache(db);
  const one = sql(`SELECT * FROM batch_run_tracking WHERE run_date = ?`);
  const upsert = sql(
    `INSERT INTO batch_run_tracking (id, run_date, phase_1_status, phase_2_status, phase_3_status, phase_1_duration_seconds, phase_2_duration_seconds,
       phase_3_duration_seconds, portfolios_processed, symbols_fetched, data_coverage_pct, error_message, completed_at, created_at, run_id, status,
       phase_status, metadata, started_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(run_date) DO UPDATE SET phase_1_status = excluded.phase_1_status, phase_2_status = excluded.phase_2_status,
       phase_3_status = excluded.phase_3_status, phase_1_duration_seconds = excluded.phase_1_duration_seconds,
       phase_2_duration_seconds = excluded.phase_2_duration_seconds, phase_3_duration_seconds = excluded.phase_3_duration_seconds,
       portfolios_processed = excluded.portfolios_processed, symbols_fetched = excluded.symbols_fetched, data_coverage_pct = excluded.data_coverage_pct,
       error_message = excluded.error_message, completed_at = excluded.completed_at, run_id = excluded.run_id, status = excluded.status,
       phase_status = excluded.phase_status, metadata = excluded.metadata, started_at = excluded.started_at, updated_at = excluded.updated_at`,
  );
  return {
    loadTracking(d) {
      const r = one.get(d) as Record<string, unknown> | undefined;
      return r ? toRecord(r) : null;
    },
    loadTrackingRange(start, end) {
      return (
        db
          .prepare(`SELECT * FROM batch_run_tracking WHERE (? IS NULL OR run_date >= ?) AND (? IS NULL OR run_date <= ?) ORDER BY run_date`)
          .all(start, start, end, end) as Record<string, unknown>[]
      ).map(toRecord);
    },
    trackingImage(d) {
      return (one.get(d) as Record<string, unknown> | undefined) ?? null;
    },
    restoreTracking(d, image) {
      sql(`DELETE FROM batch_run_tracking WHERE run_date = ?`).run(d);
      if (!image) return;
      // The column names are the stored row's own (SELECT *), never input.
      const columns = Object.keys(image);
      const storedColumns = columns.map((c) => `"${c}"`).join(', ');
      const placeholders = columns.map(() => '?').join(', ');
      db.prepare(`INSERT INTO batch_run_tracking (${storedColumns}) VALUES (${placeholders})`).run(...columns.map((c) => image[c]));
    },
    writeTracking(t, nowIso) {
      const l = t.legacy;
      upsert.run(
        datedRowId(t.runDate, `batch_run_tracking:${t.runDate}`), t.runDate, l.phase1Status, l.phase2Status, l.phase3Status, l.phase1DurationSeconds,
        l.phase2DurationSeconds, l.phase3DurationSeconds, l.portfoliosProcessed, l.symbolsFetched, l.dataCoveragePct, l.errorMessage,
        t.completedAt, nowIso, t.runId, t.status, JSON.stringify(t.phaseStatus), JSON.stringify(t.metadata), t.startedAt, nowIso,
      );
    },
    markStale(dates, portfolioId, phases, nowIso) {
      const changed: StaleMarked[] = [];
      for (const d of dates) {
        const r = one.get(d) as Record<string, unknown> | undefined;
        if (!r || !r['phase_status']) continue;
        const ps = JSON.parse(r['phase_status'] as string) as Record<string, { status?: string; portfolios?: Record<string, { status: string }> }>;
        const marked: string[] = [];
        for (const phase of phases) {
          const entry = portfolioId === null ? ps[phase] : ps[phase]?.portfolios?.[portfolioId];
          if (entry && entry.status === 'success') {
            entry.status = 'stale';
            ps[phase]!.status = 'stale';
            marked.push(phase);
          }
        }
        if (marked.length === 0) continue;
        // The legacy columns follow (h.4): a stale snapshots or analytics aggregate reads `failed` there too.
        sql(`UPDATE batch_run_tracking SET phase_status = ?, status = 'stale', phase_2_status = coalesce(?, phase_2_status), phase_3_status = coalesce(?, phase_3_status), updated_at = ? WHERE run_date = ?`).run(
          JSON.stringify(ps),
          legacyPhaseStatus(ps['snapshots']?.status),
          legacyPhaseStatus(ps['analytics']?.status),
          nowIso,
          d,
        );
        changed.push({ date: d, phases: marked });
      }
      return changed;
    },
  };
}
