/**
 * Concentration of a portfolio-date (SPEC.md d.13, "Concentration").
 *
 * Lots: active on D with a non-missing mark (the engine selects them). |MV| is aggregated per
 * symbol (several lots of one symbol count once). W = Σ value_s; w_s = value_s / W.
 *   hhi = Σ w_s² × 10,000 (0 < hhi ≤ 10,000)
 *   effective_num_positions = 10,000 / hhi
 *   top_3_concentration / top_10_concentration = sum of the 3 / 10 largest w_s (fractions)
 * W = 0 → `zero_gross_value` (the job is not_applicable). Non-finite values are ignored.
 */
import { CompensatedSum } from '../domain/money';
import { calcFailure, type CalcFailure } from './outcome';

export interface ConcentrationLot {
  readonly symbol: string;
  readonly marketValue: number;
}

export interface Concentration {
  readonly ok: true;
  readonly hhi: number;
  readonly effectiveNumPositions: number;
  readonly top3Concentration: number;
  readonly top10Concentration: number;
  /** W = Σ |MV| over the lots. */
  readonly grossValue: number;
  /** Distinct symbols with a non-zero value. */
  readonly symbolCount: number;
}

export function concentration(lots: readonly ConcentrationLot[]): Concentration | CalcFailure<'zero_gross_value'> {
  const bySymbol = new Map<string, number>();
  for (const lot of lots) {
    if (!Number.isFinite(lot.marketValue)) continue;
    bySymbol.set(lot.symbol, (bySymbol.get(lot.symbol) ?? 0) + Math.abs(lot.marketValue));
  }
  const values = [...bySymbol.values()].filter((v) => v > 0).sort((a, b) => b - a);
  const total = new CompensatedSum();
  for (const v of values) total.add(v);
  const w = total.value;
  if (!(w > 0)) return calcFailure('zero_gross_value');
  const hhiSum = new CompensatedSum();
  let top3 = 0;
  let top10 = 0;
  values.forEach((v, i) => {
    const share = v / w;
    hhiSum.add(share * share);
    if (i < 3) top3 += share;
    if (i < 10) top10 += share;
  });
  const hhi = hhiSum.value * 10_000;
  return {
    ok: true,
    hhi,
    effectiveNumPositions: 10_000 / hhi,
    top3Concentration: top3,
    top10Concentration: top10,
    grossValue: w,
    symbolCount: values.length,
  };
}
