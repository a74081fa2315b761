/**
 * What a change of stored inputs makes stale (g.8 applied to the inputs a user imports): an
 * import that changes closes or company profiles the batch already read leaves marks,
 * snapshots and analytics computed from the old values. `run --retry-failed-phases` then
 * recomputes exactly the stale cells (g.3).
 *
 * Closes (`prices import`), from each changed symbol's earliest changed date on:
 * - a portfolio holding the symbol (a lot's symbol, or an option lot's underlying, which
 *   prices its model mark): the phases that read the price cache for its lots (marks,
 *   analytics) and the phases that read their output (snapshots roll equity forward, so every
 *   later date is affected, g.8);
 * - every portfolio, when the symbol is one of the factor ETFs that every portfolio's
 *   analytics regress on: analytics (a changed close sits in the windows of all later dates);
 * - the date-level market_data entry of a date on which the symbol was recorded missing (its
 *   missing_prices record and coverage may no longer hold). A retry re-runs every portfolio of
 *   such a date (g.3: everything reads market_data), which rewrites their snapshots, so every
 *   portfolio is stale from the first such date on, as a holder is (otherwise the retry would
 *   leave their later dates stale, g.8).
 * A date before the earliest change is untouched: nothing there read the changed closes.
 *
 * Profiles (`profiles import`): a profile is not dated, so every tracked date of a portfolio
 * holding the symbol read it: the phases that read company_profiles (sector tags, analytics)
 * and their dependents, from the first tracked date on. Only the fields the engine reads
 * count as a change (the caller decides which).
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

export interface InputStaleness {
  readonly spans: readonly StaleSpan[];
  /** The dates whose date-level market_data entry is stale, ascending. */
  readonly marketDataDates: readonly IsoDate[];
}

const earliest = (dates: Iterable<IsoDate | undefined>): IsoDate | null => {
  let out: IsoDate | null = null;
  for (const d of dates) if (d !== undefined && (out === null || d < out)) out = d;
  return out;
};

/** The portfolio phases that read `resource`, with the later phases that read their output, in table order. */
function readersOf(resource: string): PhaseName[] {
  const readers = PHASE_TABLE.filter((p) => p.scope === 'portfolio' && p.reads.includes(resource)).map((p) => p.name);
  const all = new Set(readers.flatMap((p) => [p, ...dependentsOf(p)]));
  return PHASE_TABLE.map((p) => p.name).filter((n) => all.has(n));
}

/** The symbols each portfolio's lots read: their own and, for options, the underlying. */
function holdings(lots: readonly Lot[]): [string, Set<string>][] {
  const out = new Map<string, Set<string>>();
  for (const lot of lots) {
    let held = out.get(lot.portfolioId);
    if (!held) out.set(lot.portfolioId, (held = new Set()));
    held.add(lot.symbol);
    const u = underlyingOf(lot);
    if (u) held.add(u);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : 1));
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
): InputStaleness {
  const holderPhases = readersOf('market_data_cache');
  const factorPhases: PhaseName[] = ['analytics', ...dependentsOf('analytics')];
  const marketDataDates = [...new Set([...changes].flatMap(([symbol, from]) => (missingDates.get(symbol) ?? []).filter((d) => d >= from)))].sort();
  const factorFrom = earliest(FACTOR_ETFS.map((s) => changes.get(s)));
  const spans: StaleSpan[] = [];
  for (const [portfolioId, held] of holdings(lots)) {
    const heldFrom = earliest([...held].map((s) => changes.get(s)).concat(marketDataDates[0]));
    if (heldFrom !== null) spans.push({ portfolioId, from: heldFrom, phases: holderPhases });
    if (factorFrom !== null && (heldFrom === null || factorFrom < heldFrom)) spans.push({ portfolioId, from: factorFrom, phases: factorPhases });
  }
  return { spans, marketDataDates };
}

/**
 * What is stale after the profiles of `changed` symbols changed: every tracked date from
 * `firstTracked` on, for the portfolios holding one of them. Nothing when no date is tracked.
 */
export function staleAfterProfileChanges(changed: ReadonlySet<string>, lots: readonly Lot[], firstTracked: IsoDate | null): InputStaleness {
  if (firstTracked === null || changed.size === 0) return { spans: [], marketDataDates: [] };
  const phases = readersOf('company_profiles');
  const spans = holdings(lots)
    .filter(([, held]) => [...held].some((s) => changed.has(s)))
    .map(([portfolioId]): StaleSpan => ({ portfolioId, from: firstTracked, phases }));
  return { spans, marketDataDates: [] };
}
