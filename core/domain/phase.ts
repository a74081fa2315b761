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

/**
 * Skip reasons that are not a problem: nothing to do for the portfolio-date (no position, the
 * phase not selected) or nothing planned for it (before its first entry, already up to date).
 * A phase entry skipped for one of them counts as done in its aggregate (SPEC.md h.4), and a
 * portfolio-date whose phases were all skipped for one is `skipped`, not `partial`.
 */
export const BENIGN_SKIP_REASONS: ReadonlySet<string> = new Set(['no_positions', 'not_selected', 'before_first_entry', 'up_to_date']);

export function isBenignSkip(e: { readonly status: string; readonly reason?: string | null }): boolean {
  return e.status === 'skipped' && BENIGN_SKIP_REASONS.has(e.reason ?? '');
}

/**
 * The status of a portfolio phase over its portfolios (SPEC.md h.4), as the tracking row stores
 * it and the live grid shows it: not_run when there is none; stale when any is stale, else
 * running when any runs; failed when all failed, partial when some did; success when every one
 * succeeded or was not applicable, each benignly skipped or each not run; skipped when all were skipped;
 * partial otherwise (a skip after an upstream failure or a guard skip among successes).
 */
export function aggregateStatus(entries: readonly { readonly status: string; readonly reason?: string | null }[]): string {
  if (entries.length === 0) return 'not_run';
  if (entries.some((e) => e.status === 'stale')) return 'stale';
  if (entries.some((e) => e.status === 'running')) return 'running';
  const failed = entries.filter((e) => e.status === 'failed').length;
  if (failed === entries.length) return 'failed';
  if (failed > 0) return 'partial';
  if (entries.every((e) => e.status === 'not_run')) return 'not_run';
  const done = (e: { readonly status: string }) => e.status === 'success' || e.status === 'not_applicable';
  if (entries.every((e) => done(e) || isBenignSkip(e)) || entries.every((e) => done(e) || e.status === 'not_run')) return 'success';
  if (entries.every((e) => e.status === 'skipped')) return 'skipped';
  return 'partial';
}
