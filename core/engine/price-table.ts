/**
 * The chunk's in-memory price table (SPEC.md e.3): valid closes of the needed symbols over
 * [first date − 366, last date], one Float64Array per symbol indexed by trading-day index
 * (NaN = no valid close). Phases read prices from it; the market_data phase refreshes it
 * when it writes new rows. Lookups are O(1) plus the fallback scan of a few days.
 */
import { tradingDayAt, tradingDayIndex, tradingIndexOnOrAfter, tradingIndexOnOrBefore } from '../calendar';
import type { IsoDate } from '../domain/iso-date';
import type { PriceHit, PriceLookup } from '../domain/price-lookup';
import type { StoredPrice } from '../ports/store';

export class PriceTable implements PriceLookup {
  private readonly series = new Map<string, Float64Array>();
  private readonly jumps = new Map<string, Set<number>>();
  /** Days with a stored row whose close is not a valid close (a hand-edited cache, say). */
  private readonly invalidRows = new Map<string, Set<number>>();
  /** Values derived from this table's series (computed on first use; dropped with the table). */
  private readonly memo = new Map<string, unknown>();
  /** Trading-day index of element 0. */
  readonly startIndex: number;
  readonly length: number;

  constructor(start: IsoDate, end: IsoDate) {
    this.startIndex = tradingIndexOnOrAfter(start);
    this.length = Math.max(0, tradingIndexOnOrBefore(end) - this.startIndex + 1);
  }

  get start(): IsoDate {
    return tradingDayAt(this.startIndex);
  }

  symbols(): string[] {
    return [...this.series.keys()];
  }

  private ensure(symbol: string): Float64Array {
    let s = this.series.get(symbol);
    if (!s) {
      s = new Float64Array(this.length).fill(NaN);
      this.series.set(symbol, s);
    }
    return s;
  }

  /** Adds symbols with no rows yet, so lookups report "no close" rather than unknown. */
  declare(symbols: Iterable<string>): void {
    for (const s of symbols) this.ensure(s);
  }

  /**
   * A value derived from the table (for example a symbol's table-wide volatility history),
   * built once. Writing a close clears the memo, so a derived value never outlives its inputs.
   */
  derived<T>(key: string, build: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = build();
    this.memo.set(key, v);
    return v;
  }

  /** Stores a row, its close and jump flag replacing any before; non-trading days and rows outside the window are ignored. */
  set(symbol: string, date: IsoDate, close: number, jump = false): void {
    if (this.memo.size > 0) this.memo.clear();
    const idx = tradingDayIndex(date) - this.startIndex;
    if (idx < 0 || idx >= this.length) return;
    const valid = Number.isFinite(close) && close > 0;
    this.ensure(symbol)[idx] = valid ? close : NaN;
    if (valid) this.invalidRows.get(symbol)?.delete(idx);
    else {
      let bad = this.invalidRows.get(symbol);
      if (!bad) this.invalidRows.set(symbol, (bad = new Set()));
      bad.add(idx);
    }
    // The row's flag replaces the one before (a corrected close re-checks its next day's, e.4).
    if (jump) {
      let j = this.jumps.get(symbol);
      if (!j) this.jumps.set(symbol, (j = new Set()));
      j.add(idx);
    } else this.jumps.get(symbol)?.delete(idx);
  }

  load(rows: readonly StoredPrice[]): void {
    for (const r of rows) this.set(r.symbol, r.date, r.close, r.jump);
  }

  /** Local index of a trading day in this table, or -1. */
  indexOf(d: IsoDate): number {
    const g = tradingDayIndex(d);
    if (g < 0) return -1;
    const idx = g - this.startIndex;
    return idx >= 0 && idx < this.length ? idx : -1;
  }

  /** Local index of the last trading day on or before d (may be -1). */
  indexOnOrBefore(d: IsoDate): number {
    return Math.min(this.length - 1, tradingIndexOnOrBefore(d) - this.startIndex);
  }

  /** Local index of the first trading day on or after d (clamped to 0). */
  indexOnOrAfter(d: IsoDate): number {
    return Math.max(0, tradingIndexOnOrAfter(d) - this.startIndex);
  }

  dateAt(localIndex: number): IsoDate {
    return tradingDayAt(localIndex + this.startIndex);
  }

  /** The whole series of a symbol (shared, do not modify), or null when the symbol is unknown. */
  seriesOf(symbol: string): Float64Array | null {
    return this.series.get(symbol) ?? null;
  }

  closeOn(symbol: string, d: IsoDate): number | null {
    const s = this.series.get(symbol);
    const idx = this.indexOf(d);
    if (!s || idx < 0) return null;
    const v = s[idx]!;
    return Number.isNaN(v) ? null : v;
  }

  /** Whether D has a row whose close is not finite and > 0 (e.6 `invalid_price`: a row existed but fails validation). */
  hasInvalidRow(symbol: string, d: IsoDate): boolean {
    const idx = this.indexOf(d);
    return idx >= 0 && (this.invalidRows.get(symbol)?.has(idx) ?? false);
  }

  isJump(symbol: string, d: IsoDate): boolean {
    const idx = this.indexOf(d);
    return idx >= 0 && (this.jumps.get(symbol)?.has(idx) ?? false);
  }

  lookup(symbol: string, d: IsoDate, fallbackDays: number): PriceHit | null {
    const s = this.series.get(symbol);
    if (!s) return null;
    const idx = this.indexOnOrBefore(d);
    if (idx < 0) return null;
    const exactIdx = this.indexOf(d);
    if (exactIdx >= 0 && !Number.isNaN(s[exactIdx]!)) return { price: s[exactIdx]!, date: d, source: 'exact' };
    // The fallback window: the `fallbackDays` trading days strictly before D.
    const from = exactIdx >= 0 ? exactIdx - 1 : idx;
    const stop = (exactIdx >= 0 ? exactIdx : idx + 1) - fallbackDays;
    for (let i = from; i >= Math.max(0, stop); i--) {
      const v = s[i]!;
      if (!Number.isNaN(v)) return { price: v, date: this.dateAt(i), source: 'fallback' };
    }
    return null;
  }

  /** Latest valid close strictly before D, of any age within the table, with its date. */
  lastKnownBefore(symbol: string, d: IsoDate): { price: number; date: IsoDate } | null {
    const s = this.series.get(symbol);
    if (!s) return null;
    const exactIdx = this.indexOf(d);
    for (let i = (exactIdx >= 0 ? exactIdx : this.indexOnOrBefore(d) + 1) - 1; i >= 0; i--) {
      const v = s[i]!;
      if (!Number.isNaN(v)) return { price: v, date: this.dateAt(i) };
    }
    return null;
  }
}
