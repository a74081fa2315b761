/**
 * What a change of stored closes makes stale (g.8 applied to the price cache): a price import
 * that inserts or replaces closes on dates the batch has already processed leaves marks,
 * snapshots and analytics computed from the old closes. Which tracked work read them:
 *
 * - a portfolio holding the symbol (a lot's symbol, or an option lot's underlying, which
 *   prices its model mark): from the symbol's earliest changed date on, the phases that read
 *   the price cache for its lots (marks, analytics) and the phases that read their output
 *   (snapshots roll equity forward, so every later date is affected, g.8);
 * - every portfolio, when the symbol is one of the factor ETFs that every portfolio's
 *   analytics regress on: analytics from that date on (a changed close sits in the windows of
 *   all later dates);
 * - the date-level market_data entry of a date on which the symbol was recorded missing (its
 *   missing_prices record and coverage may no longer hold), from the earliest change on. A
 *   retry re-runs every portfolio of such a date (g.3: everything reads market_data), which
 *   rewrites their snapshots, so every portfolio is stale from the first such date on, as a
 *   holder is (otherwise the retry would leave their later dates stale, g.8).
 *
 * A date before the earliest change is untouched: nothing there read the changed closes.
 * `run --retry-failed-phases` then recomputes exactly the stale cells (g.3).
 */
import type { IsoDate } from '../domain/iso-date';
import type { PhaseName } from '../domain/phase';
import type { Lot } from '../domain/portfolio';
import { FACTOR_ETFS } from '../domain/symbols';
import { underlyingOf } from '../phases/market-data/symbols-needed';
import { dependentsOf, PHASE_TABLE } from './phase-table';

/** From `from` on, `phases` of the portfolio are stale. */
export interface StaleSpan {
  readonly portfolioId: string;
  readonly from: IsoDate;
  readonly phases: readonly PhaseName[];
}

export interface PriceStaleness {
  readonly spans: readonly StaleSpan[];
  /** The dates whose date-level market_data entry is stale, ascending. */
  readonly marketDataDates: readonly IsoDate[];
}

const earliest = (dates: Iterable<IsoDate | undefined>): IsoDate | null => {
  let out: IsoDate | null = null;
  for (const d of dates) if (d !== undefined && (out === null || d < out)) out = d;
  return out;
};

/**
 * The portfolio phases that read the price cache with the later phases that read their output
 * (for a holder), and analytics with its dependents (for a factor ETF).
 */
function priceReaders(): { holder: PhaseName[]; factor: PhaseName[] } {
  const closure = (p: PhaseName): PhaseName[] => [p, ...dependentsOf(p)];
  const readers = PHASE_TABLE.filter((p) => p.scope === 'portfolio' && p.reads.includes('market_data_cache')).map((p) => p.name);
  const holder = new Set(readers.flatMap(closure));
  return { holder: PHASE_TABLE.map((p) => p.name).filter((n) => holder.has(n)), factor: closure('analytics') };
}

/**
 * What is stale after closes changed, from each changed symbol's earliest changed date
 * (`changes`), the lots of every portfolio, and the dates on which each symbol was recorded
 * missing (`missingDates`, any order).
 */
export function staleAfterCloseChanges(
  changes: ReadonlyMap<string, IsoDate>,
  lots: readonly Lot[],
  missingDates: ReadonlyMap<string, readonly IsoDate[]>,
): PriceStaleness {
  const phases = priceReaders();
  const holdings = new Map<string, Set<string>>();
  for (const lot of lots) {
    let held = holdings.get(lot.portfolioId);
    if (!held) holdings.set(lot.portfolioId, (held = new Set()));
    held.add(lot.symbol);
    const u = underlyingOf(lot);
    if (u) held.add(u);
  }
  const marketDataDates = [...new Set([...changes].flatMap(([symbol, from]) => (missingDates.get(symbol) ?? []).filter((d) => d >= from)))].sort();
  const factorFrom = earliest(FACTOR_ETFS.map((s) => changes.get(s)));
  const spans: StaleSpan[] = [];
  for (const [portfolioId, held] of [...holdings].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const heldFrom = earliest([...held].map((s) => changes.get(s)).concat(marketDataDates[0]));
    if (heldFrom !== null) spans.push({ portfolioId, from: heldFrom, phases: phases.holder });
    if (factorFrom !== null && (heldFrom === null || factorFrom < heldFrom)) spans.push({ portfolioId, from: factorFrom, phases: phases.factor });
  }
  return { spans, marketDataDates };
}
