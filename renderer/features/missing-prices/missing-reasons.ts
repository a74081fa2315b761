/**
 * The missing-price reasons (SPEC.md e.6) in words: a short label for the filter and the table
 * (the Reason column wraps a longer one), and what it means, for the tooltip next to the stored
 * code. A close up to five trading days old is a fallback (`no_data`, a one-off gap); stale is
 * older than that, so its label says "over 5 trading days", the unit of the Fallback age column.
 */
import type { MISSING_REASONS } from '../../../core/api/commands/view-commands';

export type MissingReason = (typeof MISSING_REASONS)[number];

const REASONS: Readonly<Record<MissingReason, { readonly label: string; readonly meaning: string }>> = {
  no_data: { label: 'one-off gap', meaning: 'the source answered with no close for the date, but a close exists in the five trading days before' },
  provider_error: { label: 'provider error', meaning: 'the last request covering the date failed (network error, timeout, server error, malformed answer)' },
  rate_limited: { label: 'rate limited', meaning: 'the last request covering the date was refused for rate limiting' },
  stale_beyond_fallback: { label: 'stale (over 5 trading days)', meaning: 'no close on the date nor in the five trading days before (delisted, renamed or halted)' },
  invalid_price: { label: 'invalid price', meaning: "the date's close failed validation" },
  not_listed_yet: { label: 'not listed yet', meaning: "the symbol's first trade date is after the date" },
};

/** The reason's label: "stale_beyond_fallback" -> "stale (over 5 trading days)". */
export function reasonLabel(code: MissingReason): string {
  return REASONS[code].label;
}

/** The reason's code and meaning, as its tooltip: "stale_beyond_fallback: no close on the date nor ...". */
export function reasonTitle(code: MissingReason): string {
  return `${code}: ${REASONS[code].meaning}`;
}
