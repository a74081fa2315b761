/**
 * The tracking grid (SPEC.md h.4, h.7): one row per date with each phase's aggregate status,
 * its per-portfolio entries, and the date's counters from the metadata.
 */
import { z } from 'zod';
import { tradingDaysMissingBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { PhaseCell, TrackingPhase, TrackingRow } from '../../core/api/commands/view-commands';
import { PHASE_NAMES, type PhaseName } from '../../core/domain/phase';
import type { SqliteDatabase } from '../../db/open-database';
import { includeFlag, visibleDateSql } from './completeness';
import { parseJsonColumn } from './json-column';
import { type TrackedStatus } from '../diagnostics/history-report';

const cellJson = z
  .object({
    status: z.string(),
    started_at: z.string().nullish(),
    duration_ms: z.number().nullish(),
    reason: z.string().nullish(),
    error: z.string().nullish(),
  })
  .loose();

const phaseJson = cellJson.extend({ portfolios: z.record(z.string(), cellJson).nullish() });

export const phaseStatusJson = z.record(z.string(), z.unknown());

const metadataJson = z
  .object({
    run_id: z.string().nullish(),
    batch_run_id: z.string().nullish(),
    mode: z.string().nullish(),
    symbol_coverage: z.object({ coverage_pct: z.number().nullish(), usable_coverage_pct: z.number().nullish() }).loose().nullish(),
    missing_price_count: z.number().nullish(),
    fallback_count: z.number().nullish(),
    model_count: z.number().nullish(),
    analytics_totals: z.object({ jobs_expected: z.number().nullish(), jobs_completed: z.number().nullish() }).loose().nullish(),
    errors: z.array(z.string()).nullish(),
  })
  .loose();

export interface TrackingDbRow {
  run_date: string;
  status: string | null;
  started_at: string | null;
  completed_at: string | null;
  run_id: string | null;
  phase_status: string | null;
  metadata: string | null;
  error_message: string | null;
  phase_1_status: string | null;
}

function toCell(c: z.infer<typeof cellJson>): PhaseCell {
  return { status: c.status, startedAt: c.started_at ?? null, durationMs: c.duration_ms ?? null, reason: c.reason ?? null, error: c.error ?? null };
}

/** How a row's status is shown (openDateStatus: a date a stopped run left open shows its run's end). */
type ShownStatus = (t: TrackedStatus) => string | null;

/** Parses one tracking row; a row without phase_status (imported history) shows its legacy status only. */
function toTrackingRow(r: TrackingDbRow, shown: ShownStatus): TrackingRow {
  const ps = parseJsonColumn(r.phase_status, phaseStatusJson) ?? {};
  const meta = parseJsonColumn(r.metadata, metadataJson);
  const phases: Partial<Record<PhaseName, TrackingPhase>> = {};
  for (const name of PHASE_NAMES) {
    const p = phaseJson.safeParse(ps[name]);
    if (!p.success) continue;
    const portfolios = p.data.portfolios ? Object.fromEntries(Object.entries(p.data.portfolios).map(([id, c]) => [id, toCell(c)])) : null;
    phases[name] = { ...toCell(p.data), portfolios };
  }
  return {
    date: r.run_date as TrackingRow['date'],
    status: shown({ status: r.status, completedAt: r.completed_at, runId: r.run_id }) ?? 'imported',
    complete: r.completed_at !== null,
    startedAt: r.started_at,
    completedAt: r.completed_at,
    runId: r.run_id,
    batchRunId: meta?.batch_run_id ?? null,
    mode: meta?.mode ?? null,
    phases,
    missingPriceCount: meta?.missing_price_count ?? 0,
    fallbackCount: meta?.fallback_count ?? 0,
    modelCount: meta?.model_count ?? 0,
    coveragePct: meta?.symbol_coverage?.coverage_pct ?? null,
    usableCoveragePct: meta?.symbol_coverage?.usable_coverage_pct ?? null,
    jobsExpected: meta?.analytics_totals?.jobs_expected ?? 0,
    jobsCompleted: meta?.analytics_totals?.jobs_completed ?? 0,
    errors: meta?.errors ?? [],
  };
}

const COLUMNS = 't.run_date, t.status, t.started_at, t.completed_at, t.run_id, t.phase_status, t.metadata, t.error_message, t.phase_1_status';

export function trackingRows(
  db: SqliteDatabase,
  q: { startDate?: string | undefined; endDate?: string | undefined; includeIncomplete: boolean; limit: number },
  shown: ShownStatus,
): { dates: TrackingRow[]; truncated: boolean; untrackedTradingDays: IsoDate[] } {
  const rows = db
    .prepare(
      `SELECT ${COLUMNS} FROM batch_run_tracking t
       WHERE (? IS NULL OR t.run_date >= ?) AND (? IS NULL OR t.run_date <= ?) AND ${visibleDateSql('t.run_date')}
       ORDER BY t.run_date LIMIT ?`,
    )
    .all(q.startDate ?? null, q.startDate ?? null, q.endDate ?? null, q.endDate ?? null, includeFlag(q.includeIncomplete), q.limit + 1) as TrackingDbRow[];
  const truncated = rows.length > q.limit;
  const dates = rows.slice(0, q.limit).map((r) => toTrackingRow(r, shown));
  return { dates, truncated, untrackedTradingDays: tradingDaysMissingBetween(dates.map((d) => d.date)) };
}

export function dateDetail(
  db: SqliteDatabase,
  date: string,
  includeIncomplete: boolean,
  shown: ShownStatus,
): { row: TrackingRow | null; phaseStatus: Record<string, unknown> | null; metadata: Record<string, unknown> | null } {
  const r = db.prepare(`SELECT ${COLUMNS} FROM batch_run_tracking t WHERE t.run_date = ? AND ${visibleDateSql('t.run_date')}`).get(date, includeFlag(includeIncomplete)) as TrackingDbRow | undefined;
  if (!r) return { row: null, phaseStatus: null, metadata: null };
  return {
    row: toTrackingRow(r, shown),
    phaseStatus: parseJsonColumn(r.phase_status, phaseStatusJson),
    metadata: parseJsonColumn(r.metadata, z.record(z.string(), z.unknown())),
  };
}
