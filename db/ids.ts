/**
 * Row identifiers (SPEC.md a.3): lowercase UUID text. Random version-4 ids for new rows;
 * MD5-formatted ids where a deterministic id is defined (demo data, j.6; synthetic prices,
 * so that the same seed gives byte-identical rows).
 */
import { createHash, randomUUID } from 'node:crypto';
import { toEpochDay, type IsoDate } from '../core/domain/iso-date';

export function newId(): string {
  return randomUUID();
}

/** The UUID formatting of the MD5 digest of `text` (how the demo file's ids were made). */
export function md5Uuid(text: string): string {
  const h = createHash('md5').update(text, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

type Cyrb128State = readonly [number, number, number, number];

const CYRB128_SEED: Cyrb128State = [1779033703, 3144134277, 1013904242, 2773480762];

/**
 * cyrb128 (bryc, public domain): a fast, well-mixed 128-bit string hash. Not cryptographic;
 * used where ids only need to be deterministic and collision-free in practice (a collision
 * would fail loudly on the primary key, never corrupt silently). Split into absorbing and
 * finishing, so that keys sharing a prefix hash the prefix once.
 */
function cyrb128Absorb(from: Cyrb128State, str: string): Cyrb128State {
  let [h1, h2, h3, h4] = from;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return [h1, h2, h3, h4];
}

/** The last three 32-bit words of cyrb128's digest (the id uses 96 bits). */
function cyrb128Finish([a1, a2, a3, a4]: Cyrb128State): [number, number, number] {
  let h1 = Math.imul(a3 ^ (a1 >>> 18), 597399067);
  let h2 = Math.imul(a4 ^ (a2 >>> 22), 2869860233);
  let h3 = Math.imul(h1 ^ (a3 >>> 17), 951274213);
  const h4 = Math.imul(h2 ^ (a4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  return [h2 >>> 0, h3 >>> 0, (h4 ^ h1) >>> 0];
}

/** Two lowercase hex digits of every byte value. */
const BYTE_HEX = Array.from({ length: 256 }, (_, b) => '0123456789abcdef'[b >>> 4]! + '0123456789abcdef'[b & 15]!);

/** 4 lowercase hex digits of the high and of the low half of an unsigned 32-bit value. */
const hexHigh = (n: number): string => BYTE_HEX[n >>> 24]! + BYTE_HEX[(n >>> 16) & 255]!;
const hexLow = (n: number): string => BYTE_HEX[(n >>> 8) & 255]! + BYTE_HEX[n & 255]!;
const hex8 = (n: number): string => hexHigh(n) + hexLow(n);

/**
 * A deterministic id for a derived row of one processed date, in UUID form: the date's epoch
 * day (8 hex digits) followed by 96 bits of a hash of the row's natural key. Rows of a date
 * then sit together in the primary-key index, so a backfill appends to the index instead of
 * touching pages all over it, and two runs that compute the same rows write the same ids.
 */
export function datedRowId(date: string, key: string): string {
  return formatDatedId(hex8(toEpochDay(date as IsoDate)), cyrb128Absorb(CYRB128_SEED, key));
}

/**
 * The datedRowId of every key that starts with `prefix`, for the rows of one date: the date
 * and the prefix are hashed once, each call hashes only the rest of the key.
 * `datedRowIds(d, p)(s) === datedRowId(d, p + s)`.
 */
export function datedRowIds(date: string, prefix: string): (suffix: string) => string {
  const day = hex8(toEpochDay(date as IsoDate));
  const state = cyrb128Absorb(CYRB128_SEED, prefix);
  return (suffix) => formatDatedId(day, cyrb128Absorb(state, suffix));
}

function formatDatedId(dayHex: string, state: Cyrb128State): string {
  const [b, c, d] = cyrb128Finish(state);
  return `${dayHex}-${hexHigh(b)}-${hexLow(b)}-${hexHigh(c)}-${hexLow(c)}${hex8(d)}`;
}
