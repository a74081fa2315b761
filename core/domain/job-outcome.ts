/** Stored analytics job outcomes (SPEC.md h.4): which unsuccessful ones are no failure. */

/**
 * Every reason for which a job may skip as benign: its inputs legitimately do not exist (m.23),
 * or they are edge input that the run records and goes past (m.22: E <= 0). The stored outcome
 * keeps only `{ success: false, reason }`, so the checks that expect a job's rows (verify
 * coverage, verify views) read this list to tell such a skip from a failure.
 */
export const BENIGN_SKIP_REASONS = [
  'not_applicable',
  'insufficient_observations',
  'no_price_data',
  'no_positions',
  'no_symbol_beta',
  'no_factor_exposures',
  'non_positive_equity',
] as const;
export type BenignSkipReason = (typeof BENIGN_SKIP_REASONS)[number];

/** True when a stored job outcome is a benign skip (or not applicable), not a failure. */
export function isBenignSkip(outcome: { readonly success: boolean; readonly reason: string | null }): boolean {
  return !outcome.success && (BENIGN_SKIP_REASONS as readonly (string | null)[]).includes(outcome.reason);
}
