/**
 * Faults the Yahoo mock can play, per symbol and per call (scripts), per symbol for every call,
 * or for every request ("fail everything").
 *
 * Transport faults (any endpoint): rate_limit (HTTP 429, with Retry-After when given),
 * server_error (HTTP 500 by default), hang (no answer at all; the client's timeout must fire),
 * malformed_json (HTTP 200 with a truncated JSON body), not_found (Yahoo's 404 envelope).
 * Data faults (chart only): empty_series (the real "no data in range" shape, no timestamps),
 * holes (null OHLCV on every third bar, and the fourth bar missing altogether), negative_close
 * (one bar's close negated), jump (closes from one bar on multiplied by `factor`, default 10).
 * quoteSummary only: module_unavailable (Yahoo's 404 "No fundamentals data found for any of
 * the summaryTypes=..." whenever one of `modules` is requested).
 */
import type { IsoDate } from '../../../core/domain/iso-date';
import type { MockBar } from './mock-series';

export type MockFault =
  | { readonly kind: 'ok' }
  | { readonly kind: 'rate_limit'; readonly retryAfter?: string }
  | { readonly kind: 'server_error'; readonly status?: number; readonly retryAfter?: string }
  | { readonly kind: 'hang' }
  | { readonly kind: 'malformed_json' }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'empty_series' }
  | { readonly kind: 'holes' }
  | { readonly kind: 'negative_close'; readonly date?: IsoDate }
  | { readonly kind: 'jump'; readonly factor?: number; readonly date?: IsoDate }
  | { readonly kind: 'module_unavailable'; readonly modules?: readonly string[] };

export type MockFaultKind = MockFault['kind'];

/** Applies a chart data fault to the bars of one answer (other faults leave them alone). */
export function applyDataFault(bars: readonly MockBar[], fault: MockFault): MockBar[] {
  switch (fault.kind) {
    case 'empty_series':
      return [];
    case 'holes':
      return bars
        .filter((_, i) => i !== 3)
        .map((b, i) => (i % 3 === 2 ? { ...b, open: null, high: null, low: null, close: null, volume: null } : b));
    case 'negative_close': {
      const i = fault.date ? bars.findIndex((b) => b.date === fault.date) : Math.min(1, bars.length - 1);
      return bars.map((b, j) => (j === i && b.close !== null ? { ...b, close: -Math.abs(b.close) } : b));
    }
    case 'jump': {
      const factor = fault.factor ?? 10;
      const from = fault.date ? bars.findIndex((b) => b.date >= fault.date!) : Math.floor(bars.length / 2);
      return bars.map((b, j) =>
        from >= 0 && j >= from
          ? { ...b, close: scale(b.close, factor), open: scale(b.open, factor), high: scale(b.high, factor), low: scale(b.low, factor) }
          : b,
      );
    }
    default:
      return [...bars];
  }
}

function scale(v: number | null, factor: number): number | null {
  return v === null ? null : Math.round(v * factor * 10_000) / 10_000;
}
