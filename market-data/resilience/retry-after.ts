/**
 * The HTTP `Retry-After` header (RFC 9110 section 10.2.3): either a non-negative number of
 * seconds ("120") or an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT").
 *
 * Returns the wait in milliseconds from `nowMs`, 0 for a date in the past, or null when the
 * header is absent or unreadable (then only the backoff applies). The cap is applied by the
 * caller (retryDelay), not here.
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | null {
  if (header == null) return null;
  const value = header.trim();
  if (value === '') return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // RFC 9110 requires IMF-fixdate; Date.parse also reads the two obsolete formats it allows.
  if (!/[A-Za-z]/.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
