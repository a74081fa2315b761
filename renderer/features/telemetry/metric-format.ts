/**
 * Phase metrics (SPEC.md c.5 to c.10, h.4) in words for the cell detail: a label per metric
 * key and its value formatted by what the key says it holds (durations, percentages, money,
 * counts with thousands separators). The keys follow the spec's naming, so the unit is read
 * from the key; a key the rules do not know still reads as words and a plain number.
 */
import { isBenignSkip } from '../../../core/domain/job-outcome';
import { fmtDuration, fmtInt, fmtMoney, fmtPct } from '../../ui/format';

/** Words that read better in their usual form than capitalized. */
const WORDS: Readonly<Record<string, string>> = { nav: 'NAV', pnl: 'P&L', ir: 'IR', hhi: 'HHI', ols: 'OLS', etf: 'ETF', csv: 'CSV', id: 'ID', num: 'number of' };

/** Labels the word rule gets wrong. */
const LABELS: Readonly<Record<string, string>> = { r_squared: 'R-squared' };

/** Unit suffixes the value shows instead (14 ms, 96.88%), so the label leaves them out. */
const UNIT_SUFFIX = /_(ms|seconds|pct)$/;

/** Money amounts of the snapshots and stress-test metrics (c.8, d.12). */
const MONEY = new Set(['nav', 'cash', 'capital_flow', 'realized_today', 'mean_correlation_effect']);
const isMoney = (key: string): boolean => MONEY.has(key) || /_(pnl|value|exposure)$/.test(key);

/** Ratios (0.0123) shown as percentages (1.23%). */
const isRatio = (key: string): boolean => /_(ratio|return|fraction)$/.test(key);

const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const percent = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** A code's words from `words`, if it lists the code (never an object's own property, such as `constructor`). */
export function wordOf(words: Readonly<Record<string, string>>, code: string): string | undefined {
  return Object.hasOwn(words, code) ? words[code] : undefined;
}

/** "symbols_with_exact_close" -> "Symbols with exact close"; "daily_pnl" -> "Daily P&L". */
export function metricLabel(key: string): string {
  const known = wordOf(LABELS, key);
  if (known) return known;
  const words = key.replace(UNIT_SUFFIX, '').split('_').filter(Boolean).map((w) => wordOf(WORDS, w) ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A code in words inside a sentence ("no_public_marked_lots" -> "no public marked lots"), an acronym kept ("IR beta"). */
export function codeWords(code: string): string {
  const label = metricLabel(code);
  return /^.[a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/**
 * A stored analytics job outcome (h.4) in words: a job that does not apply, or that skipped
 * for a benign reason (m.22, m.23: no equity to weight by, too few observations...), is stored
 * unsuccessful with its reason and is no failure; the date's counts call it not applicable too.
 */
export function jobOutcomeWord(outcome: { readonly success?: unknown; readonly reason?: unknown } | null): 'success' | 'not applicable' | 'failed' {
  if (outcome?.success === true) return 'success';
  return isBenignSkip({ success: false, reason: typeof outcome?.reason === 'string' ? outcome.reason : null }) ? 'not applicable' : 'failed';
}

/**
 * A duration: milliseconds under a second, seconds with decimals under a minute (5.12 s), then
 * as elsewhere. The event log words its durations so too (log-words.ts).
 */
export function durationText(ms: number): string {
  if (ms >= 1000 && ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return fmtDuration(ms);
}

function numberText(key: string, v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (key.endsWith('_ms')) return durationText(v);
  if (key.endsWith('_seconds')) return durationText(v * 1000);
  if (key.endsWith('_pct')) return `${percent.format(v)}%`;
  if (isRatio(key)) return fmtPct(v);
  if (isMoney(key)) return fmtMoney(v);
  return Number.isInteger(v) ? fmtInt(v) : decimal.format(v);
}

const isScalar = (v: unknown): boolean => v === null || v === undefined || typeof v !== 'object';

/**
 * A metric's value as text, or null for a value with parts of its own (an object, a list of
 * objects) that the caller lists under the label. Lists of values read as "AAPL, ZM".
 */
export function metricText(key: string, v: unknown): string | null {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return numberText(key, v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return 'none';
    return v.every(isScalar) ? v.map((x) => metricText(key, x)).join(', ') : null;
  }
  if (typeof v === 'object') return Object.keys(v).length === 0 ? 'none' : null;
  return String(v);
}

/** The parts of a value metricText leaves to the caller: an object's entries, a list's items as #1, #2... */
export function metricParts(v: unknown): [string, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [`#${i + 1}`, x]);
  return v && typeof v === 'object' ? Object.entries(v) : [];
}
