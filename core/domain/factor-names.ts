/**
 * Factor vocabulary (SPEC.md d.6 to d.8), mirroring /work/shared/spec/factors.json: the names
 * stored in factor_definitions and symbol_factor_exposures, and the ETF each regression uses.
 */
import type { FactorEtf } from './symbols';

export const MARKET_BETA_FACTOR = 'Market Beta (90D)';
export const PROVIDER_BETA_FACTOR = 'Provider Beta (1Y)';
export const IR_BETA_FACTOR = 'IR Beta';

/** Univariate OLS factors (d.6): name and benchmark. */
export const OLS_FACTORS: readonly { readonly name: string; readonly benchmark: FactorEtf }[] = [
  { name: MARKET_BETA_FACTOR, benchmark: 'SPY' },
  { name: IR_BETA_FACTOR, benchmark: 'TLT' },
];

/** The six ridge style factors (d.7), in factors.json order. */
export const RIDGE_FACTORS: readonly { readonly name: string; readonly etf: FactorEtf }[] = [
  { name: 'Value', etf: 'VTV' },
  { name: 'Growth', etf: 'VUG' },
  { name: 'Momentum', etf: 'MTUM' },
  { name: 'Quality', etf: 'QUAL' },
  { name: 'Size', etf: 'IWM' },
  { name: 'Low Volatility', etf: 'USMV' },
];

/** The four spread factors (d.8): return = r_long - r_short. */
export const SPREAD_FACTORS: readonly { readonly name: string; readonly long: FactorEtf; readonly short: FactorEtf }[] = [
  { name: 'Growth-Value Spread', long: 'VUG', short: 'VTV' },
  { name: 'Momentum Spread', long: 'MTUM', short: 'SPY' },
  { name: 'Size Spread', long: 'IWM', short: 'SPY' },
  { name: 'Quality Spread', long: 'QUAL', short: 'SPY' },
];
