/**
 * Running one phase and reporting it, shared by the date-scoped and the portfolio-scoped loops
 * of the orchestrator: a thrown error becomes the phase's failure, except the storage failing
 * (the store port says which errors are) and a critical failure, which leave the phase's
 * transaction; and the phase_result event of SPEC.md h.1.
 */
import type { EventPayload } from '../api/telemetry-events';
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName, PhaseOutcome } from '../domain/phase';
import type { EngineStore } from '../ports/engine-store';
import type { Telemetry } from '../telemetry/record-metric';
import type { PhaseEntry } from './date-tracker';

/** A critical portfolio phase failed: thrown to roll its portfolio-date back. */
export class CriticalFailure extends Error {
  constructor(
    readonly phase: PhaseName,
    readonly outcome: PhaseOutcome,
  ) {
    super(outcome.error ?? outcome.reason ?? 'critical failure');
  }
}

/** A phase that threw, as its outcome; a critical failure and the storage failing are thrown on. */
export function phaseFailure(err: unknown, store: Pick<EngineStore, 'isFatalStorageError'>): PhaseOutcome {
  if (err instanceof CriticalFailure || store.isFatalStorageError(err)) throw err;
  const e = err as Error & { code?: string };
  return { status: 'failed', reason: 'exception', error: `${e.message}${e.code ? ` (${e.code})` : ''}`, metrics: {} };
}

export function safeRun(store: Pick<EngineStore, 'isFatalStorageError'>, fn: () => PhaseOutcome): PhaseOutcome {
  try {
    return fn();
  } catch (err) {
    return phaseFailure(err, store);
  }
}

export async function safeRunAsync(store: Pick<EngineStore, 'isFatalStorageError'>, fn: () => Promise<PhaseOutcome>): Promise<PhaseOutcome> {
  try {
    return await fn();
  } catch (err) {
    return phaseFailure(err, store);
  }
}

/** A write of the run: a transaction, or in monitor-only mode one that is always rolled back (g.12). */
export function writeTransaction<T>(run: { readonly monitorOnly: boolean; readonly store: EngineStore }, fn: () => T): T {
  return run.monitorOnly ? run.store.rollbackOnly(fn) : run.store.transaction(fn);
}

export function entryOf(o: PhaseOutcome, durationMs: number, startedAt?: string): PhaseEntry {
  return { status: o.status, ...(startedAt ? { started_at: startedAt } : {}), duration_ms: durationMs, reason: o.reason, error: o.error };
}

export interface PhaseResult {
  readonly date: IsoDate;
  readonly phase: PhaseName;
  /** Null for a date-scoped phase. */
  readonly portfolioId: string | null;
  readonly outcome: PhaseOutcome;
  readonly critical: boolean;
  readonly durationMs: number;
  /** The metrics reported, when more than the outcome's (market_data's prefetch). */
  readonly metrics?: Readonly<Record<string, unknown>>;
}

/**
 * The phase_result event (h.1): market_data and marks add their missing-price and fallback
 * counts, analytics whether the guard skipped it. A failure is an error for a date phase or a
 * critical one, a warning otherwise.
 */
export function recordPhaseResult(telemetry: Telemetry, r: PhaseResult): void {
  const o = r.outcome;
  const payload: EventPayload<'phase_result'> = {
    date: r.date,
    phase: r.phase,
    portfolio_id: r.portfolioId,
    status: o.status,
    critical: r.critical,
    duration_ms: r.durationMs,
    reason: o.reason,
    error: o.error,
    metrics: r.metrics ?? o.metrics,
    ...(r.phase === 'market_data' || r.phase === 'marks' ? { missing_price_count: Number(o.metrics['missing_price_count'] ?? 0), fallback_count: Number(o.metrics['fallback_count'] ?? 0) } : {}),
    ...(r.phase === 'analytics' ? { analytics_skipped: o.reason === 'insufficient_marks' } : {}),
  };
  const source = r.phase === 'market_data' ? 'market_data' : r.phase === 'analytics' ? 'analytics' : 'engine';
  const level = o.status !== 'failed' ? 'info' : r.portfolioId === null || r.critical ? 'error' : 'warn';
  telemetry.recordMetric('phase_result', payload, { source, level });
}
