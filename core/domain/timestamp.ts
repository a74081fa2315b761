/**
 * Timestamps: UTC text with exactly six fraction digits, `YYYY-MM-DDTHH:MM:SS.ffffffZ`
 * (SPEC.md a.3). The fixed width keeps string order equal to time order. JavaScript gives
 * milliseconds, so the last three digits are always 000.
 */
export type Timestamp = string & { readonly __brand: 'Timestamp' };

/** The last instant formatted: a backfill stamps thousands of rows and events within one millisecond. */
let lastMs = Number.NaN;
let lastText = '' as Timestamp;

export function formatTimestamp(epochMs: number): Timestamp {
  if (epochMs === lastMs) return lastText;
  const iso = new Date(epochMs).toISOString(); // 2025-07-01T22:30:04.123Z
  lastMs = epochMs;
  lastText = `${iso.slice(0, 23)}000Z` as Timestamp;
  return lastText;
}

const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function isTimestamp(s: string): s is Timestamp {
  return TS_RE.test(s);
}

/** Epoch milliseconds of a stored timestamp (sub-millisecond digits are dropped). */
export function timestampToEpochMs(ts: string): number {
  return Date.parse(`${ts.slice(0, 23)}Z`);
}
