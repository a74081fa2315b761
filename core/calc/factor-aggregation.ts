/**
 * Portfolio aggregation of symbol betas (SPEC.md d.9).
 *
 * Inputs are the portfolio's "public marked lots" of D (class PUBLIC, mark exact or fallback;
 * the engine selects them), each with its signed market value MV_i from D's marks, and E, the
 * snapshot's equity of D. Every function fails with `non_positive_equity` when E ≤ 0 (or is
 * not finite).
 *
 * - Signed weights w_i = MV_i / E. They need not sum to 1 (long/short or levered books).
 * - Portfolio beta of a factor: β_p = Σ w_i β_i; lots without a beta contribute 0.
 * - Coverage = Σ |w_i| over lots with a beta / Σ |w_i| (null when Σ |w_i| = 0); below 0.8 is
 *   reported as a job warning.
 * - exposure_dollar = roundCents(β_p × E).
 * - Snapshot market-beta fields: R² weighted by |MV| over lots with a beta; the minimum
 *   observation count over those lots.
 * - Provider beta: see providerBeta.
 *
 * Lots whose MV is not finite are ignored (they cannot carry weight); a beta that is not
 * finite counts as "no beta". Sums use compensated summation (SPEC.md a.4).
 */
import { CompensatedSum, roundCents } from '../domain/money';
import type { PositionType } from '../domain/portfolio';
import { calcFailure, type CalcFailure } from './outcome';

export type NonPositiveEquity = CalcFailure<'non_positive_equity'>;

/** Signed weight MV / E (SPEC.md d.9). Null when E ≤ 0 or either input is not finite. */
export function signedWeight(marketValue: number, equity: number): number | null {
  if (!(equity > 0) || !Number.isFinite(equity) || !Number.isFinite(marketValue)) return null;
  return marketValue / equity;
}

export interface BetaLot {
  readonly marketValue: number;
  /** The symbol's beta for the factor on D, or null when the symbol has none. */
  readonly beta: number | null;
}

export interface PortfolioFactorBeta {
  readonly ok: true;
  /** β_p = Σ w_i β_i (exposure_value). */
  readonly beta: number;
  /** roundCents(β_p × E) (exposure_dollar). */
  readonly exposureDollar: number;
  /** Σ |w_i| with a beta / Σ |w_i|; null when no lot carries weight. */
  readonly coverage: number | null;
  /** True when coverage is below the warning threshold (0.8 by default) or null. */
  readonly coverageWarning: boolean;
  readonly lotsWithBeta: number;
  readonly lotsWithoutBeta: number;
}

export const COVERAGE_WARNING_BELOW = 0.8;

/** Portfolio beta of one factor from its lots (SPEC.md d.9). */
export function portfolioFactorBeta(
  lots: readonly BetaLot[],
  equity: number,
  coverageWarningBelow: number = COVERAGE_WARNING_BELOW,
): PortfolioFactorBeta | NonPositiveEquity {
  if (!(equity > 0) || !Number.isFinite(equity)) return calcFailure('non_positive_equity');
  const beta = new CompensatedSum();
  const covered = new CompensatedSum();
  const total = new CompensatedSum();
  let withBeta = 0;
  let without = 0;
  for (const lot of lots) {
    // Null only for a non-finite market value here: equity was checked above.
    const w = signedWeight(lot.marketValue, equity);
    if (w === null) continue;
    total.add(Math.abs(w));
    if (lot.beta !== null && Number.isFinite(lot.beta)) {
      beta.add(w * lot.beta);
      covered.add(Math.abs(w));
      withBeta++;
    } else {
      without++;
    }
  }
  const denom = total.value;
  const coverage = denom > 0 ? covered.value / denom : null;
  const b = beta.value;
  return {
    ok: true,
    beta: b,
    exposureDollar: roundCents(b * equity),
    coverage,
    coverageWarning: coverage === null || coverage < coverageWarningBelow,
    lotsWithBeta: withBeta,
    lotsWithoutBeta: without,
  };
}

export interface MarketBetaFitLot {
  readonly marketValue: number;
  readonly rSquared: number;
  readonly observations: number;
}

export interface MarketBetaSnapshotStats {
  /** beta_calculated_90d_r_squared = Σ |MV_i| R²_i / Σ |MV_i|; null when Σ |MV_i| = 0. */
  readonly rSquared: number | null;
  /** beta_calculated_90d_observations = min observations; null without lots. */
  readonly observations: number | null;
}

/** Snapshot fields of the market_beta job, over the lots whose symbol has a market beta (d.9). */
export function marketBetaSnapshotStats(lotsWithBeta: readonly MarketBetaFitLot[]): MarketBetaSnapshotStats {
  const num = new CompensatedSum();
  const den = new CompensatedSum();
  let minObs: number | null = null;
  for (const lot of lotsWithBeta) {
    if (Number.isFinite(lot.marketValue) && Number.isFinite(lot.rSquared)) {
      const v = Math.abs(lot.marketValue);
      num.add(v * lot.rSquared);
      den.add(v);
    }
    if (minObs === null || lot.observations < minObs) minObs = lot.observations;
  }
  const d = den.value;
  return { rSquared: d > 0 ? num.value / d : null, observations: minObs };
}

export interface ProviderBetaLot {
  readonly positionType: PositionType;
  readonly marketValue: number;
  /** company_profiles.beta (null when absent). */
  readonly profileBeta: number | null;
  /** The symbol's ols_market beta of D, if any. */
  readonly olsBetaOnDate: number | null;
  /** The symbol's latest ols_market beta before D, if any. */
  readonly olsBetaBefore: number | null;
}

export type ProviderBetaSource = 'profile' | 'ols_on_date' | 'ols_before';

export interface ProviderBeta {
  readonly ok: true;
  /** β_provider = Σ MV_i β_i / E (beta_provider_1y). */
  readonly beta: number;
  readonly exposureDollar: number;
  readonly lotsUsed: number;
  readonly sources: Readonly<Record<ProviderBetaSource, number>>;
}

/**
 * Provider beta (SPEC.md d.9 `provider_beta`). Lots: LONG or SHORT with MV ≠ 0. β_i = the
 * profile beta when non-null and non-zero, else the symbol's ols_market beta of D, else its
 * latest ols_market beta before D. β = Σ MV_i β_i / E over lots with a β.
 * `no_qualifying_lots` (job status not_applicable) when no such lot has a β.
 */
export function providerBeta(
  lots: readonly ProviderBetaLot[],
  equity: number,
): ProviderBeta | CalcFailure<'non_positive_equity' | 'no_qualifying_lots'> {
  if (!(equity > 0) || !Number.isFinite(equity)) return calcFailure('non_positive_equity');
  const sum = new CompensatedSum();
  const sources = { profile: 0, ols_on_date: 0, ols_before: 0 };
  let used = 0;
  for (const lot of lots) {
    if (lot.positionType !== 'LONG' && lot.positionType !== 'SHORT') continue;
    if (!(lot.marketValue !== 0) || !Number.isFinite(lot.marketValue)) continue;
    let beta: number | null = null;
    let source: ProviderBetaSource | null = null;
    if (lot.profileBeta !== null && lot.profileBeta !== 0 && Number.isFinite(lot.profileBeta)) {
      beta = lot.profileBeta;
      source = 'profile';
    } else if (lot.olsBetaOnDate !== null && Number.isFinite(lot.olsBetaOnDate)) {
      beta = lot.olsBetaOnDate;
      source = 'ols_on_date';
    } else if (lot.olsBetaBefore !== null && Number.isFinite(lot.olsBetaBefore)) {
      beta = lot.olsBetaBefore;
      source = 'ols_before';
    }
    if (beta === null || source === null) continue;
    sum.add(lot.marketValue * beta);
    sources[source]++;
    used++;
  }
  if (used === 0) return calcFailure('no_qualifying_lots');
  const b = sum.value / equity;
  return { ok: true, beta: b, exposureDollar: roundCents(b * equity), lotsUsed: used, sources };
}
