/**
 * The symbol-level betas of D for a set of symbols (SPEC.md d.6-d.8), computed from the chunk
 * price table: pure, no I/O; the symbol stage writes the rows.
 *
 * Per symbol:
 * - Market Beta (90D) on SPY and IR Beta on TLT: simple OLS over `[D − 120, D]`, n ≥ 30,
 *   methods ols_market / ols_ir, regression_window_days 90, alpha, R², standard error,
 *   p-value, observations, quality 'full_history';
 * - the six ridge style factors over `[D − 120, D]` (n ≥ 30 and n > 6), α = 1, the same R² on
 *   each row, window 90;
 * - the four spread factors over `[D − 210, D]` (n ≥ 60), mean R² of the successful
 *   regressions on each row, window 180; one spread with zero variance fails alone;
 * - Provider Beta (1Y) when the profile beta is non-null, finite and non-zero: method
 *   'provider', observations 252, window 252.
 * A regression that fails writes no row; its reason is kept per (symbol, factor) for the jobs.
 *
 * Every regression aligns only its own series (d.5), through one shared AlignWorkspace.
 */
import type { AlignWorkspace } from '../../calc/align';
import { spreadBetas } from '../../calc/spread-betas';
import { styleFactorBetas } from '../../calc/style-betas';
import { symbolOlsBeta } from '../../calc/symbol-ols-beta';
import type { IsoDate } from '../../domain/iso-date';
import { PROVIDER_BETA_FACTOR } from '../../domain/factor-names';
import type { PriceTable } from '../../engine/price-table';
import type { SymbolExposureRow } from '../../ports/analytics-store';
import {
  OLS_CONFIG,
  OLS_FETCH_DAYS,
  OLS_SETUP,
  OLS_WINDOW_DAYS,
  PROVIDER_OBSERVATIONS,
  PROVIDER_WINDOW_DAYS,
  QUALITY_FULL_HISTORY,
  RIDGE_CONFIG,
  RIDGE_FETCH_DAYS,
  RIDGE_WINDOW_DAYS,
  SPREAD_CONFIG,
  SPREAD_FETCH_DAYS,
  SPREAD_WINDOW_DAYS,
} from './analytics-config';
import { windowRange } from './date-window';
import { SymbolBetaTable } from './symbol-beta-table';

/** Every factor name the symbol stage writes, in row order. */
export const SYMBOL_STAGE_FACTORS: readonly string[] = [
  ...OLS_SETUP.map((f) => f.name),
  ...RIDGE_CONFIG.factors.map((f) => f.name),
  ...SPREAD_CONFIG.definitions.map((d) => d.name),
  PROVIDER_BETA_FACTOR,
];

/** Regression groups, for failure metrics. */
export type BetaGroup = 'market' | 'ir' | 'ridge' | 'spread' | 'provider';

export interface SymbolBetaInput {
  readonly date: IsoDate;
  /** Distinct symbols, in the order rows should be produced. */
  readonly symbols: readonly string[];
  readonly prices: Pick<PriceTable, 'seriesOf' | 'indexOnOrAfter' | 'indexOnOrBefore' | 'length'>;
  /** Every factor ETF's series (a missing ETF is passed as an all-NaN series). */
  readonly etfPrices: Readonly<Record<string, ArrayLike<number>>>;
  /** company_profiles.beta of a symbol, or null. */
  readonly profileBeta: (symbol: string) => number | null;
  /** factor_definitions id by name; must hold every SYMBOL_STAGE_FACTORS name. */
  readonly factorIds: ReadonlyMap<string, string>;
  readonly workspace?: AlignWorkspace;
}

export interface SymbolBetaResult {
  readonly rows: SymbolExposureRow[];
  readonly table: SymbolBetaTable;
  /** Per group: failure reason → number of symbols. */
  readonly failures: Record<BetaGroup, Record<string, number>>;
  /** Per group: symbols with rows. */
  readonly successes: Record<BetaGroup, number>;
}

const NO_ROW_FIELDS = { alpha: null, stdError: null, pValue: null, regularizationAlpha: null } as const;

export function computeSymbolBetas(input: SymbolBetaInput): SymbolBetaResult {
  const { date, prices, etfPrices, workspace } = input;
  const idOf = (name: string): string => {
    const id = input.factorIds.get(name);
    if (id === undefined) throw new Error(`computeSymbolBetas: no factor_definitions row for ${name}`);
    return id;
  };
  const olsRange = windowRange(prices, date, OLS_FETCH_DAYS);
  const ridgeRange = windowRange(prices, date, RIDGE_FETCH_DAYS);
  const spreadRange = windowRange(prices, date, SPREAD_FETCH_DAYS);
  const nan = new Float64Array(prices.length).fill(NaN);
  const table = new SymbolBetaTable();
  const rows: SymbolExposureRow[] = [];
  const failures: Record<BetaGroup, Record<string, number>> = { market: {}, ir: {}, ridge: {}, spread: {}, provider: {} };
  const successes: Record<BetaGroup, number> = { market: 0, ir: 0, ridge: 0, spread: 0, provider: 0 };
  const fail = (group: BetaGroup, symbol: string, names: readonly string[], reason: string) => {
    failures[group][reason] = (failures[group][reason] ?? 0) + 1;
    for (const n of names) table.addFailure(symbol, n, reason);
  };
  const add = (name: string, row: SymbolExposureRow) => {
    rows.push(row);
    table.addRow(name, row);
  };

  for (const symbol of input.symbols) {
    const series = prices.seriesOf(symbol) ?? nan;

    for (const f of OLS_SETUP) {
      const group: BetaGroup = f.method === 'ols_ir' ? 'ir' : 'market';
      const benchmark = etfPrices[f.benchmark];
      if (benchmark === undefined) throw new RangeError(`computeSymbolBetas: no price series for ${f.benchmark}`);
      const r = symbolOlsBeta(series, benchmark, olsRange, OLS_CONFIG, workspace);
      if (!r.ok) {
        fail(group, symbol, [f.name], r.reason);
        continue;
      }
      successes[group]++;
      add(f.name, {
        symbol,
        factorId: idOf(f.name),
        calculationDate: date,
        betaValue: r.beta,
        rSquared: r.rSquared,
        observations: r.observations,
        qualityFlag: QUALITY_FULL_HISTORY,
        calculationMethod: f.method,
        regularizationAlpha: null,
        regressionWindowDays: OLS_WINDOW_DAYS,
        alpha: r.alpha,
        stdError: r.stdError,
        pValue: r.pValue,
      });
    }

    const ridge = styleFactorBetas(series, etfPrices, ridgeRange, RIDGE_CONFIG, workspace);
    if (!ridge.ok) fail('ridge', symbol, RIDGE_CONFIG.factors.map((f) => f.name), ridge.reason);
    else {
      successes.ridge++;
      for (const f of ridge.factors) {
        add(f.name, {
          symbol,
          factorId: idOf(f.name),
          calculationDate: date,
          betaValue: f.beta,
          rSquared: ridge.rSquared,
          observations: ridge.observations,
          qualityFlag: QUALITY_FULL_HISTORY,
          calculationMethod: 'ridge_regression',
          regressionWindowDays: RIDGE_WINDOW_DAYS,
          ...NO_ROW_FIELDS,
          regularizationAlpha: RIDGE_CONFIG.alpha,
        });
      }
    }

    const spread = spreadBetas(series, etfPrices, spreadRange, SPREAD_CONFIG, workspace);
    if (!spread.ok) fail('spread', symbol, SPREAD_CONFIG.definitions.map((d) => d.name), spread.reason);
    else {
      successes.spread++;
      for (const f of spread.factors) {
        if (!f.ok) {
          fail('spread', symbol, [f.name], f.reason);
          continue;
        }
        add(f.name, {
          symbol,
          factorId: idOf(f.name),
          calculationDate: date,
          betaValue: f.beta,
          rSquared: spread.rSquared,
          observations: spread.observations,
          qualityFlag: QUALITY_FULL_HISTORY,
          calculationMethod: 'spread_regression',
          regressionWindowDays: SPREAD_WINDOW_DAYS,
          ...NO_ROW_FIELDS,
        });
      }
    }

    const provider = input.profileBeta(symbol);
    if (provider === null || provider === 0 || !Number.isFinite(provider)) fail('provider', symbol, [PROVIDER_BETA_FACTOR], 'no_profile_beta');
    else {
      successes.provider++;
      add(PROVIDER_BETA_FACTOR, {
        symbol,
        factorId: idOf(PROVIDER_BETA_FACTOR),
        calculationDate: date,
        betaValue: provider,
        rSquared: null,
        observations: PROVIDER_OBSERVATIONS,
        qualityFlag: null,
        calculationMethod: 'provider',
        regressionWindowDays: PROVIDER_WINDOW_DAYS,
        ...NO_ROW_FIELDS,
      });
    }
  }
  return { rows, table, failures, successes };
}
