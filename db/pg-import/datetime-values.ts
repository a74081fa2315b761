/**
 * Dates and timestamps from a dump (SPEC.md j.7, a.3; pg-import.md section 7).
 *
 * PostgreSQL prints them in ISO DateStyle (pg_dump fixes it): `2024-02-29`, `0044-03-15 BC`,
 * `5874897-12-31`, `infinity`; timestamptz as `2024-01-02 03:04:05.123456+05:30` in the
 * dumping connection's zone, the offset being `±HH`, `±HH:MM` or `±HH:MM:SS`, with ` BC`
 * after it. Everything is parsed with our own patterns and integer day arithmetic (Howard
 * Hinnant's civil-day algorithms), never a JavaScript Date, so no host zone and no Date
 * range limit can interfere.
 *
 * - date → `YYYY-MM-DD`;
 * - timestamptz → UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ` (offset subtracted, six fraction digits);
 * - timestamp → `YYYY-MM-DD HH:MM:SS.ffffff` (no zone conversion).
 * Infinities, BC values and years outside 1-9999 (also after the UTC shift) → null with a
 * warning. Text that is not a valid value → null with an error.
 */
import type { IssueSink } from './value-issue';

/** Days since 1970-01-01 of a proleptic Gregorian date (year may be 0 or negative). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of daysFromCivil. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function validYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dim = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= dim;
}

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p4 = (n: number) => String(n).padStart(4, '0');

const DATE_RE = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/;
const TS_RE = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?( BC)?$/;
const TSTZ_RE = /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)( BC)?$/;

function outOfRange(text: string, sink: IssueSink, why: string): null {
  sink.issue('date_out_of_range', 'warning', text, `${text} ${why}; stored as null`);
  return null;
}

function invalid(text: string, sink: IssueSink, what: string): null {
  sink.issue('invalid_value', 'error', text, `${JSON.stringify(text.slice(0, 60))} is not a valid ${what}`);
  return null;
}

function special(text: string, sink: IssueSink): boolean {
  if (text === 'infinity' || text === '-infinity' || text === '+infinity') {
    outOfRange(text, sink, 'is infinite');
    return true;
  }
  return false;
}

const d2 = (t: string, i: number) => (t.charCodeAt(i) - 48) * 10 + (t.charCodeAt(i + 1) - 48);

function isDigits(t: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `YYYY-MM-DD` with a 4-digit year, checked without allocating. */
function fastYmd(t: string): boolean {
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || !isDigits(t, 0, 4) || !isDigits(t, 5, 7) || !isDigits(t, 8, 10)) return false;
  const y = (t.charCodeAt(0) - 48) * 1000 + d2(t, 1) * 10 + (t.charCodeAt(3) - 48);
  return y >= 1 && validYmd(y, d2(t, 5), d2(t, 8));
}

/** date → `YYYY-MM-DD`. */
export function convertDate(text: string, sink: IssueSink): string | null {
  if (text.length === 10 && fastYmd(text)) return text;
  if (special(text, sink)) return null;
  const m = DATE_RE.exec(text);
  if (!m) return invalid(text, sink, 'date');
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (m[4]) return outOfRange(text, sink, 'is a BC date');
  if (!validYmd(y, mo, d)) return invalid(text, sink, 'date');
  if (y > 9999 || y < 1) return outOfRange(text, sink, 'has a year outside 1-9999');
  return `${p4(y)}-${p2(mo)}-${p2(d)}`;
}

interface WallClock {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
}

/** The fields of a TS_RE or TSTZ_RE match (groups 1-6), or null when they are not a valid date and time of day. */
function wallClock(m: RegExpExecArray): WallClock | null {
  const c = { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]), h: Number(m[4]), mi: Number(m[5]), s: Number(m[6]) };
  return validYmd(c.y, c.mo, c.d) && c.h <= 23 && c.mi <= 59 && c.s <= 59 ? c : null;
}

/** timestamp without time zone → `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function convertTimestamp(text: string, sink: IssueSink): string | null {
  if (special(text, sink)) return null;
  const m = TS_RE.exec(text);
  if (!m) return invalid(text, sink, 'timestamp');
  if (m[8]) return outOfRange(text, sink, 'is a BC timestamp');
  const c = wallClock(m);
  if (!c) return invalid(text, sink, 'timestamp');
  const { y, mo, d, h, mi, s } = c;
  if (y > 9999 || y < 1) return outOfRange(text, sink, 'has a year outside 1-9999');
  const frac = (m[7] ?? '').padEnd(6, '0');
  return `${p4(y)}-${p2(mo)}-${p2(d)} ${p2(h)}:${p2(mi)}:${p2(s)}.${frac}`;
}

const ZEROS = ['000000', '00000', '0000', '000', '00', '0', ''];

/**
 * The common case `YYYY-MM-DD HH:MM:SS[.f…]+00` (a UTC session): no offset arithmetic.
 * Returns null when the text is not in that exact form.
 */
function fastUtc(t: string): string | null {
  const n = t.length;
  if (n < 22 || t.charCodeAt(n - 3) !== 43 || t.charCodeAt(n - 2) !== 48 || t.charCodeAt(n - 1) !== 48) return null;
  if (t.charCodeAt(10) !== 32 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || !fastYmd(t)) return null;
  if (!isDigits(t, 11, 13) || !isDigits(t, 14, 16) || !isDigits(t, 17, 19) || d2(t, 11) > 23 || d2(t, 14) > 59 || d2(t, 17) > 59) return null;
  const fracLen = n - 3 - 19;
  if (fracLen === 0) return `${t.slice(0, 10)}T${t.slice(11, 19)}.000000Z`;
  if (t.charCodeAt(19) !== 46 || fracLen < 2 || fracLen > 7 || !isDigits(t, 20, n - 3)) return null;
  return `${t.slice(0, 10)}T${t.slice(11, n - 3)}${ZEROS[fracLen - 1]}Z`;
}

/** timestamptz (any offset) → UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function convertTimestamptz(text: string, sink: IssueSink): string | null {
  const fast = fastUtc(text);
  if (fast !== null) return fast;
  if (special(text, sink)) return null;
  const m = TSTZ_RE.exec(text);
  if (!m) return invalid(text, sink, 'timestamp with time zone');
  if (m[12]) return outOfRange(text, sink, 'is a BC timestamp');
  const c = wallClock(m);
  if (!c) return invalid(text, sink, 'timestamp with time zone');
  const { y, mo, d, h, mi, s } = c;
  let offset = 0;
  if (m[8]) {
    const oh = Number(m[9]);
    const om = Number(m[10] ?? 0);
    const os = Number(m[11] ?? 0);
    if (om > 59 || os > 59) return invalid(text, sink, 'timestamp with time zone');
    offset = (m[8] === '-' ? -1 : 1) * (oh * 3600 + om * 60 + os);
  }
  const total = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
  const days = Math.floor(total / 86400);
  const secs = total - days * 86400;
  const [uy, um, ud] = civilFromDays(days);
  if (uy > 9999 || uy < 1) return outOfRange(text, sink, 'has a UTC year outside 1-9999');
  const frac = (m[7] ?? '').padEnd(6, '0');
  const hh = Math.floor(secs / 3600);
  const mm = Math.floor((secs % 3600) / 60);
  const ss = secs % 60;
  return `${p4(uy)}-${p2(um)}-${p2(ud)}T${p2(hh)}:${p2(mm)}:${p2(ss)}.${frac}Z`;
}
