/**
 * Stress-test P&L of one scenario for one portfolio-date (SPEC.md d.12), and the job summary.
 *
 * Inputs (typed; the engine parses stress-scenarios.json with zod and reads the rows):
 * - V = snapshot net_exposure of D, replaced by 1.0 when ≤ 0 (stressPortfolioValue); E = equity.
 * - Latest exposures: among the 50 most recent factor_exposures rows dated ≤ D, the most recent
 *   row per factor name (latestExposures).
 * - dollars(F) = exposure_dollar(F) when non-null and non-zero, else V × exposure_value(F).
 *
 * Direct impact, per shocked factor S with shock x:
 * - S = the rate factor (Interest_Rate): pnl = E × β_IR × x ('literal', default) or
 *   E × β_IR × (−duration × x) ('duration'), β_IR = exposure_value of the latest IR Beta.
 * - other S: F = the mapped exposure; pnl = dollars(F) × x.
 * - a factor without an exposure contributes 0 and is listed in missing_factors.
 * - direct = max(Σ pnl, −0.99 V); per-factor impacts are not rescaled by the floor.
 * Correlated impact: start with the rate impact (uncorrelated); for each exposure F of the
 * latest-exposure map (in map order) with matrix factor M(F), and each non-rate shock (S, x):
 * add dollars(F) × x × ρ[S][M(F)] when M(F) exists; otherwise add dollars(F) × x when S is F's
 * own name. correlated = max(sum, −0.99 V); correlation_effect = correlated − direct. With
 * cross-correlations disabled, correlated = direct. ρ[S][M] is read from the factor matrix;
 * a name missing from it correlates 1 with itself and 0 with anything else.
 * Coverage: a scenario none of whose shocked factors has an exposure is skipped (no row).
 *
 * Money is returned unrounded; the engine rounds direct_pnl, correlated_pnl and
 * correlation_effect to cents when writing (SPEC.md a.3). Sums are compensated.
 */
import type { IsoDate } from '../domain/iso-date';
import { CompensatedSum } from '../domain/money';
import type { FactorCorrelationMatrix } from './ewma-correlation';
import { matrixAt } from './square-matrix';

export type IrShockMode = 'literal' | 'duration';

export interface StressScenario {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly severity: string;
  /** Scenario factor → decimal shock (Interest_Rate: decimal rate change). */
  readonly shocks: Readonly<Record<string, number>>;
}

export interface StressConfig {
  /** The scenario factor handled as an interest-rate shock ('Interest_Rate'). */
  readonly rateFactor: string;
  /** scenario_factor_to_exposure (Market → 'Market Beta (90D)', Interest_Rate → 'IR Beta', …). */
  readonly scenarioFactorToExposure: Readonly<Record<string, string>>;
  /** exposure_to_matrix_factor ('Market Beta (90D)' → Market, style factors → themselves). */
  readonly exposureToMatrixFactor: Readonly<Record<string, string>>;
  /** stress.ir_shock_mode. */
  readonly irShockMode: IrShockMode;
  /** stress.tlt_duration (17). */
  readonly tltDurationYears: number;
  /** loss_floor_fraction_of_portfolio_value (0.99). */
  readonly lossFloorFraction: number;
  /** non_positive_portfolio_value_replacement (1.0). */
  readonly nonPositiveValueReplacement: number;
  /** enable_cross_correlations. */
  readonly enableCrossCorrelations: boolean;
}

/** One factor_exposures row (portfolio level). */
export interface FactorExposureRow {
  readonly factorName: string;
  readonly calculationDate: IsoDate;
  readonly exposureValue: number;
  readonly exposureDollar: number | null;
}

export interface StressPortfolio {
  /** Snapshot net_exposure of D. */
  readonly netExposure: number;
  /** Snapshot equity of D. */
  readonly equity: number;
  /** latestExposures(...) of the portfolio. */
  readonly exposures: ReadonlyMap<string, FactorExposureRow>;
}

/** factor_impacts entry, as stored (snake_case keys). */
export interface FactorImpact {
  readonly shock_pct: number;
  readonly direct_pnl: number;
  readonly exposure: number;
  readonly exposure_dollar: number;
}

/** calculation_metadata, as stored (snake_case keys). */
export interface StressMetadata {
  readonly scenario_name: string;
  readonly category: string;
  readonly severity: string;
  readonly correlation_matrix_date: IsoDate;
  readonly data_days: number;
  readonly portfolio_value: number;
  readonly equity: number;
  readonly exposure_dates: Readonly<Record<string, IsoDate>>;
  readonly missing_factors: readonly string[];
  readonly ir_shock_mode: IrShockMode;
}

export interface StressResult {
  readonly tested: true;
  readonly scenarioId: string;
  readonly directPnl: number;
  readonly correlatedPnl: number;
  readonly correlationEffect: number;
  /** True when the −0.99 V floor bound the direct or the correlated figure. */
  readonly floored: boolean;
  readonly factorImpacts: Readonly<Record<string, FactorImpact>>;
  readonly metadata: StressMetadata;
}

export interface StressSkipped {
  readonly tested: false;
  readonly scenarioId: string;
  readonly reason: 'no_exposed_factor';
}

export const DEFAULT_EXPOSURE_LOOKUP_ROWS = 50;

/**
 * The latest exposure per factor name: among the `lookupRows` most recent rows dated ≤ asOf
 * (ties in date keep input order), the first row of each factor. Map order: most recent first.
 */
export function latestExposures(
  rows: readonly FactorExposureRow[],
  asOf: IsoDate,
  lookupRows: number = DEFAULT_EXPOSURE_LOOKUP_ROWS,
): Map<string, FactorExposureRow> {
  const recent = rows
    .filter((r) => r.calculationDate <= asOf)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.calculationDate < b.r.calculationDate ? 1 : a.r.calculationDate > b.r.calculationDate ? -1 : a.i - b.i))
    .slice(0, Math.max(0, lookupRows));
  const out = new Map<string, FactorExposureRow>();
  for (const { r } of recent) if (!out.has(r.factorName)) out.set(r.factorName, r);
  return out;
}

/** V: the snapshot's net exposure, replaced when ≤ 0 (or not finite). */
export function stressPortfolioValue(netExposure: number, replacement = 1.0): number {
  return netExposure > 0 && Number.isFinite(netExposure) ? netExposure : replacement;
}

/** dollars(F) = exposure_dollar when non-null and non-zero, else V × exposure_value. */
export function exposureDollars(row: FactorExposureRow, portfolioValue: number): number {
  if (row.exposureDollar !== null && row.exposureDollar !== 0 && Number.isFinite(row.exposureDollar)) return row.exposureDollar;
  return portfolioValue * row.exposureValue;
}

function correlationOf(matrix: FactorCorrelationMatrix, a: string, b: string): number {
  const i = matrix.factors.indexOf(a);
  const j = matrix.factors.indexOf(b);
  if (i < 0 || j < 0) return a === b ? 1 : 0;
  return matrixAt(matrix.matrix, i, j);
}

/** One scenario (SPEC.md d.12). `asOf` is D (the correlation matrix date). */
export function runStressScenario(
  scenario: StressScenario,
  portfolio: StressPortfolio,
  correlation: FactorCorrelationMatrix,
  config: StressConfig,
  asOf: IsoDate,
): StressResult | StressSkipped {
  const v = stressPortfolioValue(portfolio.netExposure, config.nonPositiveValueReplacement);
  const e = portfolio.equity;
  const floor = -config.lossFloorFraction * v;
  const impacts: Record<string, FactorImpact> = {};
  const exposureDates: Record<string, IsoDate> = {};
  const missing: string[] = [];
  const direct = new CompensatedSum();
  const correlated = new CompensatedSum();
  const nonRate: [string, number][] = [];
  let exposed = 0;

  for (const [factor, shock] of Object.entries(scenario.shocks)) {
    const exposureName = config.scenarioFactorToExposure[factor];
    const row = exposureName === undefined ? undefined : portfolio.exposures.get(exposureName);
    if (factor !== config.rateFactor) nonRate.push([factor, shock]);
    if (row === undefined) {
      missing.push(factor);
      continue;
    }
    exposed++;
    exposureDates[row.factorName] = row.calculationDate;
    const dollars = exposureDollars(row, v);
    let pnl: number;
    if (factor === config.rateFactor) {
      const move = config.irShockMode === 'duration' ? -config.tltDurationYears * shock : shock;
      pnl = e * row.exposureValue * move;
      correlated.add(pnl); // the rate impact enters the correlated sum uncorrelated
    } else {
      pnl = dollars * shock;
    }
    direct.add(pnl);
    impacts[factor] = { shock_pct: shock * 100, direct_pnl: pnl, exposure: row.exposureValue, exposure_dollar: dollars };
  }
  if (exposed === 0) return { tested: false, scenarioId: scenario.id, reason: 'no_exposed_factor' };

  const directRaw = direct.value;
  const directPnl = Math.max(directRaw, floor);
  let correlatedPnl: number;
  let correlatedFloored = false;
  if (config.enableCrossCorrelations) {
    for (const row of portfolio.exposures.values()) {
      const m = config.exposureToMatrixFactor[row.factorName];
      let used = false;
      for (const [s, x] of nonRate) {
        if (m !== undefined) {
          correlated.add(exposureDollars(row, v) * x * correlationOf(correlation, s, m));
          used = true;
        } else if (s === row.factorName) {
          correlated.add(exposureDollars(row, v) * x);
          used = true;
        }
      }
      if (used && exposureDates[row.factorName] === undefined) exposureDates[row.factorName] = row.calculationDate;
    }
    const raw = correlated.value;
    correlatedPnl = Math.max(raw, floor);
    correlatedFloored = raw < floor;
  } else {
    correlatedPnl = directPnl;
  }
  return {
    tested: true,
    scenarioId: scenario.id,
    directPnl,
    correlatedPnl,
    correlationEffect: correlatedPnl - directPnl,
    floored: directRaw < floor || correlatedFloored,
    factorImpacts: impacts,
    metadata: {
      scenario_name: scenario.name,
      category: scenario.category,
      severity: scenario.severity,
      correlation_matrix_date: asOf,
      data_days: correlation.observations,
      portfolio_value: v,
      equity: e,
      exposure_dates: exposureDates,
      missing_factors: missing,
      ir_shock_mode: config.irShockMode,
    },
  };
}

/** Scenarios to test: the active ones, or all when stress.include_inactive is true. */
export function scenariosToTest<T extends { readonly active: boolean }>(scenarios: readonly T[], includeInactive: boolean): T[] {
  return scenarios.filter((s) => includeInactive || s.active);
}

export interface StressSummary {
  readonly scenariosTested: number;
  readonly worstCorrelatedPnl: number;
  readonly bestCorrelatedPnl: number;
  readonly meanCorrelatedPnl: number;
  readonly medianCorrelatedPnl: number;
  /** Sample standard deviation (n − 1); null with a single scenario. */
  readonly stdCorrelatedPnl: number | null;
  readonly meanCorrelationEffect: number;
  readonly negativeScenarios: number;
  readonly positiveScenarios: number;
}

/** Job metrics over the tested scenarios (SPEC.md d.12 "Job metrics"); null when none. */
export function stressSummary(results: readonly Pick<StressResult, 'correlatedPnl' | 'correlationEffect'>[]): StressSummary | null {
  const n = results.length;
  if (n === 0) return null;
  const pnl = results.map((r) => r.correlatedPnl);
  const sorted = [...pnl].sort((a, b) => a - b);
  const sum = new CompensatedSum();
  const effect = new CompensatedSum();
  for (const r of results) {
    sum.add(r.correlatedPnl);
    effect.add(r.correlationEffect);
  }
  const mean = sum.value / n;
  let std: number | null = null;
  if (n >= 2) {
    const ss = new CompensatedSum();
    for (const x of pnl) ss.add((x - mean) * (x - mean));
    std = Math.sqrt(ss.value / (n - 1));
  }
  const mid = Math.floor(n / 2);
  return {
    scenariosTested: n,
    worstCorrelatedPnl: sorted[0]!,
    bestCorrelatedPnl: sorted[n - 1]!,
    meanCorrelatedPnl: mean,
    medianCorrelatedPnl: n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2,
    stdCorrelatedPnl: std,
    meanCorrelationEffect: effect.value / n,
    negativeScenarios: pnl.filter((x) => x < 0).length,
    positiveScenarios: pnl.filter((x) => x > 0).length,
  };
}
