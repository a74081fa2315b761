/**
 * Candidate filters of the position-correlation job (SPEC.md d.11 steps 1–4), over lot
 * descriptors the engine builds from D's marks.
 *
 * 1. Candidates: lots (active on D; the engine passes only those) with class PUBLIC and an
 *    `exact` or `fallback` mark. Value v_i = |MV_i|.
 * 2. Portfolio value = the snapshot's gross_exposure of D; ≤ 0 (or not finite) →
 *    `zero_portfolio_value` (job not_applicable).
 * 3. Keep a lot when v_i ≥ min_position_value (10,000) and v_i / portfolio value ≥
 *    min_portfolio_weight (0.01). Kept symbols: the distinct symbols of kept lots.
 * 4. Drop kept symbols with fewer than 31 valid closes in `[D − 90, D]` (reason short_history).
 *    Fewer than 2 symbols left → `fewer_than_two_symbols` (job not_applicable).
 * Step 10: included = kept lots whose symbol survived; excluded = candidates − included, each
 * with the first rule it failed. Symbols are returned sorted ascending (deterministic order).
 */
import type { InvestmentClass } from '../domain/symbols';

export interface CorrelationLot {
  readonly lotId: string;
  readonly symbol: string;
  readonly investmentClass: InvestmentClass;
  readonly priceSource: 'exact' | 'fallback' | 'model' | 'entry' | 'missing';
  /** Signed market value of D's mark (null when missing). */
  readonly marketValue: number | null;
}

export interface CorrelationFilterParams {
  /** min_position_value (10,000). */
  readonly minPositionValue: number;
  /** min_portfolio_weight (0.01). */
  readonly minPortfolioWeight: number;
  /** Minimum valid closes in the window (31). */
  readonly minValidCloses: number;
}

export const DEFAULT_CORRELATION_FILTERS: CorrelationFilterParams = {
  minPositionValue: 10_000,
  minPortfolioWeight: 0.01,
  minValidCloses: 31,
};

export type CorrelationExclusion = 'below_min_value' | 'below_min_weight' | 'short_history';

export interface CorrelationSelection {
  readonly candidates: readonly CorrelationLot[];
  readonly included: readonly CorrelationLot[];
  readonly excluded: readonly { readonly lot: CorrelationLot; readonly reason: CorrelationExclusion }[];
  /** Surviving symbols, sorted. */
  readonly symbols: readonly string[];
  /** Kept symbols dropped for short history, sorted. */
  readonly shortHistorySymbols: readonly string[];
}

export type CorrelationSelectionResult =
  | ({ readonly ok: true } & CorrelationSelection)
  | ({ readonly ok: false; readonly reason: 'zero_portfolio_value' | 'fewer_than_two_symbols' } & CorrelationSelection);

/**
 * Steps 1–4. `validCloses(symbol)` returns the symbol's number of valid closes in
 * `[D − 90, D]` (see countValidCloses in returns.ts).
 */
export function selectCorrelationSymbols(
  lots: readonly CorrelationLot[],
  grossExposure: number,
  validCloses: (symbol: string) => number,
  params: CorrelationFilterParams = DEFAULT_CORRELATION_FILTERS,
): CorrelationSelectionResult {
  const candidates = lots.filter(
    (l) =>
      l.investmentClass === 'PUBLIC' &&
      (l.priceSource === 'exact' || l.priceSource === 'fallback') &&
      l.marketValue !== null &&
      Number.isFinite(l.marketValue),
  );
  if (!(grossExposure > 0) || !Number.isFinite(grossExposure)) {
    return {
      ok: false,
      reason: 'zero_portfolio_value',
      candidates,
      included: [],
      excluded: [],
      symbols: [],
      shortHistorySymbols: [],
    };
  }
  const excluded: { lot: CorrelationLot; reason: CorrelationExclusion }[] = [];
  const kept: CorrelationLot[] = [];
  for (const lot of candidates) {
    const v = Math.abs(lot.marketValue!);
    if (!(v >= params.minPositionValue)) excluded.push({ lot, reason: 'below_min_value' });
    else if (!(v / grossExposure >= params.minPortfolioWeight)) excluded.push({ lot, reason: 'below_min_weight' });
    else kept.push(lot);
  }
  const keptSymbols = [...new Set(kept.map((l) => l.symbol))].sort();
  const shortHistory = keptSymbols.filter((s) => validCloses(s) < params.minValidCloses);
  const short = new Set(shortHistory);
  const included: CorrelationLot[] = [];
  for (const lot of kept) {
    if (short.has(lot.symbol)) excluded.push({ lot, reason: 'short_history' });
    else included.push(lot);
  }
  const symbols = keptSymbols.filter((s) => !short.has(s));
  const selection = { candidates, included, excluded, symbols, shortHistorySymbols: shortHistory };
  if (symbols.length < 2) return { ok: false, reason: 'fewer_than_two_symbols', ...selection };
  return { ok: true, ...selection };
}
