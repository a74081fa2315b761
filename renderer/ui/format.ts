/** Display formatting for the views: money with separators, percentages, durations, counts. */

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Money in a view cell. Not core/domain/money.ts formatMoney, the text reports' form: an empty
 * cell reads '-' like every fmt* here, where a report line says 'n/a'.
 */
export function fmtMoney(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : money.format(v);
}

export function fmtInt(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : int.format(v);
}

export function fmtNum(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

/** A ratio (0.1234) as a percentage ("12.34%"). */
export function fmtPct(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(digits)}%`;
}

/** A duration in one style at every size: "850 ms", "59 s", "3 min 39 s", "1 h 05 min". */
export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A stored UTC timestamp (SPEC.md a.3) to the second: "2025-07-10 23:00:00". */
export function fmtTimestamp(ts: string): string {
  return ts.slice(0, 19).replace('T', ' ');
}

/** A stored UTC timestamp inside an engine message ("since 2026-11-27T23:00:00.000000Z"). */
const TIMESTAMP_IN_TEXT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * An engine message with its timestamps as the app shows times (fmtTimestamp): a lock refusal
 * names when its holder took the lock and last wrote its heartbeat in the stored form.
 */
export function withAppTimes(text: string): string {
  return text.replace(TIMESTAMP_IN_TEXT, (ts) => fmtTimestamp(ts));
}

/** A size in bytes with binary (1024-based) units, named as such: "512 B", "4.0 KiB", "25.7 MiB", "1.25 GiB". */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Phase names as people read them. */
export function phaseLabel(phase: string): string {
  return phase.replace('_', ' ');
}

/** The run lock's holders (run_lock.holder) in words. */
export const HOLDERS: Readonly<Record<string, string>> = { cli: 'the CLI', app: 'the desktop app', serve: 'browser mode (batchdesk serve)' };

/** A number with thousands separators and `digits` decimals ("1,250.00"), e.g. a quantity. */
export function fmtDecimal(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
