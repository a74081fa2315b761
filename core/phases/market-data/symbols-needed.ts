/**
 * Symbols needed on D (SPEC.md e.2): the symbol of every PUBLIC lot active on D, the
 * underlying of every OPTIONS lot active on D (and the contract itself only when
 * fetch_option_contracts is on), and the eight factor ETFs. Private-looking symbols and
 * option contracts are never requested. Also counts the lots and portfolios that need each
 * symbol, directly or as an underlying (missing_prices.positions_affected).
 *
 * A lot fully closed on D (exit_date = D) is no longer active on D, but it is still marked
 * on D (d.3: a row with is_active = 0 and its closing part), at D's close by d.2.1, so it
 * needs its symbol on D like an active lot. Without it the mark of the exit day depended on
 * whether an earlier date of the same chunk had loaded the symbol (m.12).
 */
import type { IsoDate } from '../../domain/iso-date';
import { isActiveOn, type Lot } from '../../domain/portfolio';
import { FACTOR_ETFS, isOptionContractSymbol, isPrivateLookingSymbol, parseOptionContract } from '../../domain/symbols';

export interface SymbolNeed {
  positions: number;
  portfolios: Set<string>;
}

export function underlyingOf(lot: Lot): string | null {
  return lot.underlyingSymbol ?? parseOptionContract(lot.symbol)?.root ?? null;
}

/**
 * Whether `lot` is marked on D with a market price, so its symbol (or underlying) is needed on
 * D: active on D, or fully closed on D (its exit-day mark, d.3).
 */
function markedOn(lot: Lot, d: IsoDate): boolean {
  return isActiveOn(lot, d) || (lot.exitDate === d && lot.entryDate <= d);
}

/** The symbols needed on D by `lots` (e.2, with the exit-day lots), each with the lots and portfolios that need it. */
export function symbolsNeeded(lots: Iterable<Lot>, d: IsoDate, fetchOptionContracts: boolean): Map<string, SymbolNeed> {
  const out = new Map<string, SymbolNeed>();
  const add = (symbol: string | null, lot: Lot | null) => {
    if (!symbol || isPrivateLookingSymbol(symbol)) return;
    if (isOptionContractSymbol(symbol) && !fetchOptionContracts) return;
    let n = out.get(symbol);
    if (!n) out.set(symbol, (n = { positions: 0, portfolios: new Set() }));
    if (lot) {
      n.positions++;
      n.portfolios.add(lot.portfolioId);
    }
  };
  for (const etf of FACTOR_ETFS) add(etf, null);
  for (const lot of lots) {
    if (!markedOn(lot, d)) continue;
    if (lot.investmentClass === 'PUBLIC') add(lot.symbol, lot);
    else if (lot.investmentClass === 'OPTIONS') {
      add(underlyingOf(lot), lot);
      if (fetchOptionContracts) add(lot.symbol, lot);
    }
  }
  return out;
}

/** The symbols a planned date (engine/plan-types.ts PlannedDate) needs: those of the lots of its planned portfolios. */
export function symbolsOfPlannedDate(pd: { readonly date: IsoDate; readonly portfolios: readonly { readonly portfolioId: string }[] }, lotsByPortfolio: ReadonlyMap<string, readonly Lot[]>, fetchOptionContracts: boolean): Set<string> {
  const lots = pd.portfolios.flatMap((p) => lotsByPortfolio.get(p.portfolioId) ?? []);
  return new Set(symbolsNeeded(lots, pd.date, fetchOptionContracts).keys());
}

/**
 * The option contract symbols of `lots` whose closes a run reads from the cache without
 * fetching them: every contract when fetch_option_contracts is off (when it is on they are
 * needed symbols). d.2.2 marks a contract from its own cached close (imported data, say) when
 * there is one, before the model.
 */
export function cachedOnlyContracts(lots: Iterable<Lot>, fetchOptionContracts: boolean): string[] {
  if (fetchOptionContracts) return [];
  const out = new Set<string>();
  for (const lot of lots) if (lot.investmentClass === 'OPTIONS' && isOptionContractSymbol(lot.symbol)) out.add(lot.symbol);
  return [...out].sort();
}
