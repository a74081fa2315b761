/**
 * Numbers from a dump (SPEC.md j.7, pg-import.md section 7).
 *
 * numeric → REAL, with the round-trip check: the REAL formatted back at the text's scale
 * (pg_dump pads numeric(p,s) to s digits, so that is the column's scale) must give the same
 * decimal, after normalising the sign of zero and leading zeros. Values with at most 15
 * significant digits always pass (DBL_DIG = 15: the double nearest such a decimal prints back
 * to it at 15 significant digits), which is also the fast path; the rest are
 * formatted exactly (toFixed for |x| < 1e21 and scale ≤ 100, exact BigInt arithmetic
 * otherwise). A failing value is kept and reported as lossy. NaN and ±Infinity become null
 * with a warning (in float columns too: SQLite would store NaN as NULL anyway).
 *
 * int2/int4/int8 → INTEGER; an int8 beyond ±(2^53 − 1) cannot be a JavaScript number
 * exactly and fails that value. boolean → 1/0 (`t`/`f` in COPY, `true`/`false` in INSERTs).
 */
import type { IssueSink } from './value-issue';

const DECIMAL_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT_RE = /^[+-]?\d+$/;

/** Plain decimal (no exponent) of a decimal literal: sign, integer digits, fraction digits. */
function plainParts(text: string): { neg: boolean; int: string; frac: string } {
  let t = text;
  let neg = false;
  if (t[0] === '-' || t[0] === '+') {
    neg = t[0] === '-';
    t = t.slice(1);
  }
  let exp = 0;
  const e = t.search(/[eE]/);
  if (e >= 0) {
    exp = Number(t.slice(e + 1));
    t = t.slice(0, e);
  }
  const dot = t.indexOf('.');
  let int = dot < 0 ? t : t.slice(0, dot);
  let frac = dot < 0 ? '' : t.slice(dot + 1);
  if (exp > 0) {
    const move = frac.slice(0, exp).padEnd(exp, '0');
    int += move;
    frac = frac.slice(exp);
  } else if (exp < 0) {
    const k = -exp;
    const moved = int.slice(Math.max(0, int.length - k)).padStart(k, '0');
    int = int.slice(0, Math.max(0, int.length - k));
    frac = moved + frac;
  }
  int = int.replace(/^0+/, '');
  return { neg, int: int === '' ? '0' : int, frac };
}

function significantDigits(int: string, frac: string): number {
  const all = (int === '0' ? '' : int) + frac;
  const s = all.replace(/^0+/, '').replace(/0+$/, '');
  return s.length;
}

/** Exact decimal of |x| rounded half-up to `scale` fraction digits. */
export function exactFixed(x: number, scale: number): string {
  const v = Math.abs(x);
  if (v < 1e21 && scale <= 100) return v.toFixed(scale);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const bits = dv.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const fracBits = bits & ((1n << 52n) - 1n);
  const mant = expBits === 0 ? fracBits : fracBits | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  let q: bigint;
  if (e >= 0) {
    q = (mant << BigInt(e)) * 10n ** BigInt(scale);
  } else {
    const den = 1n << BigInt(-e);
    const num = mant * 10n ** BigInt(scale);
    q = num / den;
    if (2n * (num % den) >= den) q += 1n;
  }
  if (scale === 0) return q.toString();
  const s = q.toString().padStart(scale + 1, '0');
  return `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

/** True when the REAL `v` prints back to the decimal `text` at the text's own scale. */
export function numericRoundTrips(text: string, v: number): boolean {
  // At most 15 digits in all: at most 15 significant digits (no allocation on this path).
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 101 || c === 69) break; // exponent: the slow path counts properly
  }
  if (digits <= 15 && !/[eE]/.test(text)) return true;
  const p = plainParts(text);
  if (significantDigits(p.int, p.frac) <= 15) return true;
  const expected = p.frac.length > 0 ? `${p.int}.${p.frac}` : p.int;
  return exactFixed(v, p.frac.length) === expected;
}

function notFinite(text: string, sink: IssueSink): null {
  sink.issue('not_finite', 'warning', text, `${text} cannot be stored as a number; stored as null`);
  return null;
}

/**
 * The value of a plain decimal (optional sign, digits, optional point and digits, at least one
 * digit) with at most 15 digits, which always converts exactly (see the file comment); NaN for
 * any other text, which takes the full path.
 */
function shortPlainDecimal(text: string): number {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0;
  let digits = 0;
  let point = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !point) point = true;
    else return NaN;
  }
  return digits > 0 && digits <= 15 ? Number(text) : NaN;
}

/** numeric → REAL (see the file comment). */
export function convertNumeric(text: string, sink: IssueSink): number | null {
  const fast = shortPlainDecimal(text);
  if (!Number.isNaN(fast)) return fast === 0 ? 0 : fast; // exact
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity' || text === '+Infinity') return notFinite(text, sink);
  if (!DECIMAL_RE.test(text)) {
    sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 40))} is not a number`);
    return null;
  }
  const v = Number(text);
  if (!Number.isFinite(v)) return notFinite(text, sink);
  if (!numericRoundTrips(text, v)) {
    sink.issue('lossy_numeric', 'warning', text, `${text} does not fit a REAL exactly; stored as ${v}`);
  }
  return v === 0 ? 0 : v;
}

/** float4 / float8 → REAL; NaN and infinities → null with a warning. */
export function convertFloat(text: string, sink: IssueSink): number | null {
  if (!DECIMAL_RE.test(text)) {
    if (/^[+-]?(NaN|Infinity|inf|infinity)$/i.test(text)) return notFinite(text, sink);
    sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 40))} is not a number`);
    return null;
  }
  const v = Number(text);
  if (!Number.isFinite(v)) return notFinite(text, sink);
  return v === 0 ? 0 : v;
}

/** int2 / int4 / int8 → INTEGER; beyond ±(2^53 − 1) fails the value. */
export function convertInteger(text: string, sink: IssueSink): number | null {
  if (!INT_RE.test(text)) {
    sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 40))} is not an integer`);
    return null;
  }
  const v = Number(text);
  if (!Number.isSafeInteger(v)) {
    sink.issue('integer_out_of_range', 'error', text, `${text} is beyond ±(2^53 − 1) and cannot be stored exactly`);
    return null;
  }
  return v === 0 ? 0 : v;
}

/** boolean → 1 / 0. */
export function convertBoolean(text: string, sink: IssueSink): number | null {
  switch (text) {
    case 't':
    case 'true':
    case 'TRUE':
    case 'True':
      return 1;
    case 'f':
    case 'false':
    case 'FALSE':
    case 'False':
      return 0;
    default:
      sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 40))} is not a boolean`);
      return null;
  }
}
