/**
 * What the cache and the fetch log prove about a symbol's history (SPEC.md e.6):
 *
 * - its first trade date: from provider metadata (the fetch log's first_trade_date), else
 *   proven by an answered request that covered D and returned nothing before the earliest
 *   cached close E (then the symbol is not listed before E). Only a market-data provider
 *   proves this; a CSV directory that lacks rows says nothing about a listing;
 * - whether it was ever priced: no valid close cached at any date.
 *
 * The chunk's price table covers [first date − 366, last date]; closes outside it are looked
 * up in the store only when the table has none before D, which is rare (new listings, typos).
 */
import { CALENDAR_END, CALENDAR_START, tradingDayAt } from '../../calendar';
import { addCalendarDays, type IsoDate } from '../../domain/iso-date';
import type { RunContext } from '../../engine/phase-types';

export interface SymbolHistory {
  readonly firstTradeDate: IsoDate | null;
  readonly neverPriced: boolean;
}

/** Earliest valid close in the run's price table, or null. */
function earliestInTable(run: RunContext, symbol: string): IsoDate | null {
  const series = run.prices.seriesOf(symbol);
  if (!series) return null;
  for (let i = 0; i < series.length; i++) if (!Number.isNaN(series[i]!)) return tradingDayAt(run.prices.startIndex + i);
  return null;
}

function storedBetween(run: RunContext, symbol: string, start: IsoDate, end: IsoDate): boolean {
  return start <= end && run.store.loadPrices([symbol], start, end).length > 0;
}

/**
 * The history facts for a symbol that has no valid close on D and none before D in the
 * price table (the only case in which they change a reason).
 */
export function symbolHistory(run: RunContext, symbol: string, d: IsoDate): SymbolHistory {
  const meta = run.marketData.firstTradeDate(symbol);
  const tableStart = run.prices.start;
  const beforeTable = storedBetween(run, symbol, CALENDAR_START, addCalendarDays(tableStart, -1));
  const earliest = earliestInTable(run, symbol);
  const neverPriced = earliest === null && !beforeTable && !storedBetween(run, symbol, addCalendarDays(run.prices.dateAt(run.prices.length - 1), 1), CALENDAR_END);
  if (meta !== null) return { firstTradeDate: meta, neverPriced };
  if (earliest === null || earliest <= d || beforeTable) return { firstTradeDate: null, neverPriced };
  const proven = run.marketData
    .entries(symbol)
    .some((e) => e.provider !== 'csv' && (e.outcome === 'ok' || e.outcome === 'no_data') && e.rangeStart <= d && e.rangeEnd >= d);
  return { firstTradeDate: proven ? earliest : null, neverPriced };
}
