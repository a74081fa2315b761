/** Builders of valid telemetry envelopes (SPEC.md h.2) for bridge, throttle and UI tests. */
import type { TelemetryEvent } from '../../../core/api/telemetry-events';

function envelope(seq: number | undefined, runId = 'run-1') {
  return { schema: 1 as const, run_id: runId, seq: seq ?? 1, ts: '2025-09-30T23:00:00.000000Z', source: 'engine' as const, level: 'info' as const };
}

/** The start of a run over 2025-07-01 .. 2025-07-03 (`dates` planned). */
export function runStartEvent(seq: number, options: { runId?: string; dates?: number } = {}): TelemetryEvent {
  const runId = options.runId ?? 'run-1';
  return {
    ...envelope(seq, runId),
    event: 'run_start',
    payload: { batch_run_id: `batch_${runId}`, mode: 'normal', triggered_by: 'app', database: 'demo.db', target_date: '2025-07-03', first_date: '2025-07-01', last_date: '2025-07-03', date_count: options.dates ?? 3, chunk_days: 0, chunk_count: 1, phases: [], portfolio_scope: 'all', options: {}, app_version: '0.1.0' },
  };
}

export function metricEvent(name: string, value: number | null = 1, seq?: number): TelemetryEvent {
  return { ...envelope(seq), event: 'metric', payload: { name, value, unit: null, date: '2025-07-01', portfolio_id: null, tags: {} } };
}

export function phaseStartEvent(date: string, phase: string, portfolioId: string | null, seq?: number): TelemetryEvent {
  return {
    ...envelope(seq),
    event: 'phase_start',
    payload: { date, phase, scope: portfolioId ? 'portfolio' : 'date', portfolio_id: portfolioId, portfolio_index: portfolioId ? 0 : null, portfolio_count: 5, chunk_index: 0 },
  };
}

export function phaseResultEvent(date: string, phase: string, portfolioId: string | null, status: string, seq?: number, extra: { reason?: string | null; error?: string | null; metrics?: Record<string, unknown> } = {}): TelemetryEvent {
  return {
    ...envelope(seq),
    level: status === 'failed' ? 'error' : 'info',
    event: 'phase_result',
    payload: {
      date,
      phase,
      portfolio_id: portfolioId,
      status,
      critical: phase === 'market_data' || phase === 'marks' || phase === 'snapshots',
      duration_ms: 5,
      reason: extra.reason ?? null,
      error: extra.error ?? null,
      metrics: extra.metrics ?? {},
    },
  };
}

export function dateResultEvent(date: string, status: string, seq?: number): TelemetryEvent {
  return {
    ...envelope(seq),
    event: 'date_result',
    payload: {
      date,
      status,
      duration_ms: 100,
      portfolios_total: 5,
      portfolios_succeeded: 5,
      portfolios_failed: 0,
      portfolios_skipped: 0,
      phases: { market_data: status },
      symbol_coverage_pct: 100,
      missing_price_count: 0,
      fallback_count: 0,
      model_count: 0,
      analytics_jobs_expected: 9,
      analytics_jobs_completed: 9,
      errors: [],
    },
  };
}
