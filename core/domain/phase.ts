/**
 * Phase vocabulary (SPEC.md c.1, c.3). The per-date order is fixed by PHASE_NAMES.
 */
export const PHASE_NAMES = ['market_data', 'fundamentals', 'marks', 'snapshots', 'sector_tags', 'analytics'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export type PhaseScope = 'date' | 'portfolio';

/** Status a handler returns. */
export type PhaseOutcomeStatus = 'success' | 'failed' | 'skipped' | 'not_applicable';

/** Status stored in tracking (adds running, stale and not_run). */
export type PhaseStatus = PhaseOutcomeStatus | 'running' | 'stale' | 'not_run';

export type SkipReason =
  | 'upstream_failed'
  | 'not_selected'
  | 'insufficient_marks'
  | 'no_positions'
  | 'cancelled'
  | 'prerequisite_missing';

export interface PhaseOutcome {
  readonly status: PhaseOutcomeStatus;
  /** Stable snake_case code; required for failed and skipped. */
  readonly reason: string | null;
  /** Human text for failed. */
  readonly error: string | null;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export function isPhaseName(s: string): s is PhaseName {
  return (PHASE_NAMES as readonly string[]).includes(s);
}

export type DateStatus = 'running' | 'success' | 'partial' | 'failed' | 'stale' | 'imported';
