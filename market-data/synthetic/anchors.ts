/**
 * Anchors: the (date, price) each synthetic path passes through exactly (SPEC.md e.9, m.8,
 * Appendix B.1). Precedence:
 *   1. the caller's anchor for the symbol (the demo lot's entry, or the earliest lot's entry);
 *   2. Appendix B for the factor ETFs and VIX, on 2025-06-30 when the window contains it, else
 *      on the window start (SPY: 615.00; the demo passes its lot's 616.1418 as a caller anchor);
 *   3. 100.00 on the window start.
 * An anchor date that is not a trading day moves to the first trading day on or after it (a
 * lot entered on a Saturday is first marked on Monday at its entry price), or, past the last
 * trading day of the calendar, to the last one.
 */
import { TRADING_DAY_COUNT, tradingIndexOnOrAfter } from '../../core/calendar/trading-calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import type { Anchor, SyntheticConfig } from './synthetic-config';

export const DEFAULT_ANCHOR_DATE = '2025-06-30' as IsoDate;
export const OTHER_SYMBOL_ANCHOR_PRICE = 100;

/** Appendix B.1 default anchor prices (factor ETFs and the unheld option underlying VIX). */
export const DEFAULT_ANCHOR_PRICES: Readonly<Record<string, number>> = Object.freeze({
  SPY: 615.0,
  VTV: 175.0,
  VUG: 440.0,
  MTUM: 240.0,
  QUAL: 185.0,
  IWM: 215.0,
  USMV: 94.0,
  TLT: 87.0,
  VIX: 17.0,
});

export interface ResolvedAnchor {
  /** The anchor as configured or defaulted. */
  readonly requested: Anchor;
  /** Index of the trading day the path is anchored on. */
  readonly index: number;
  readonly price: number;
}

/** The anchor of `symbol` (canonical) under `config`. */
export function resolveAnchor(symbol: string, config: SyntheticConfig): ResolvedAnchor {
  const requested = config.anchors[symbol] ?? defaultAnchor(symbol, config);
  const after = tradingIndexOnOrAfter(requested.date);
  const index = after < TRADING_DAY_COUNT ? after : TRADING_DAY_COUNT - 1;
  return { requested, index, price: requested.price };
}

function defaultAnchor(symbol: string, config: SyntheticConfig): Anchor {
  const price = DEFAULT_ANCHOR_PRICES[symbol];
  if (price === undefined) return { date: config.start, price: OTHER_SYMBOL_ANCHOR_PRICE };
  const date = config.start <= DEFAULT_ANCHOR_DATE && DEFAULT_ANCHOR_DATE <= config.end ? DEFAULT_ANCHOR_DATE : config.start;
  return { date, price };
}
