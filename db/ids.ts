/**
 * Row identifiers (SPEC.md a.3): lowercase UUID text. Random version-4 ids for new rows;
 * MD5-formatted ids where a deterministic id is defined (demo data, j.6; synthetic prices,
 * so that the same seed gives byte-identical rows).
 */
import { createHash, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

/** The UUID formatting of the MD5 digest of `text` (how the demo file's ids were made). */
export function md5Uuid(text: string): string {
  const h = createHash('md5').update(text, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * cyrb128 (bryc, public domain): a fast, well-mixed 128-bit string hash. Not cryptographic;
 * used where ids only need to be deterministic and collision-free in practice (a collision
 * would fail loudly on the primary key, never corrupt silently).
 */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const HEX = '0123456789abcdef';

/** 8 lowercase hex digits of an unsigned 32-bit value (no padStart or toString: hot path). */
function hex8(n: number): string {
  return (
    HEX[(n >>> 28) & 15]! + HEX[(n >>> 24) & 15]! + HEX[(n >>> 20) & 15]! + HEX[(n >>> 16) & 15]! +
    HEX[(n >>> 12) & 15]! + HEX[(n >>> 8) & 15]! + HEX[(n >>> 4) & 15]! + HEX[n & 15]!
  );
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' string, without building a Date. */
function epochDay(date: string): number {
  let y = (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + (date.charCodeAt(3) - 48);
  const m = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  const d = (date.charCodeAt(8) - 48) * 10 + (date.charCodeAt(9) - 48);
  // Days from civil (H. Hinnant's algorithm), exact for the proleptic Gregorian calendar.
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * A deterministic id for a derived row of one processed date, in UUID form: the date's epoch
 * day (8 hex digits) followed by 96 bits of a hash of the row's natural key. Rows of a date
 * then sit together in the primary-key index, so a backfill appends to the index instead of
 * touching pages all over it, and two runs that compute the same rows write the same ids.
 */
export function datedRowId(date: string, key: string): string {
  const [, b, c, d] = cyrb128(key);
  const h = hex8(b) + hex8(c) + hex8(d);
  return `${hex8(epochDay(date))}-${h.slice(0, 4)}-${h.slice(4, 8)}-${h.slice(8, 12)}-${h.slice(12, 24)}`;
}
