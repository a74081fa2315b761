/**
 * The factor names the market, provider and IR beta jobs store and read by name (SPEC.md d.6,
 * d.9): names of core/data/factors.json, as in factor_definitions and symbol_factor_exposures.
 * The ridge and spread factors are listed by core/data/factors.ts (RIDGE_FACTORS, SPREAD_FACTORS).
 */

export const MARKET_BETA_FACTOR = 'Market Beta (90D)';
export const PROVIDER_BETA_FACTOR = 'Provider Beta (1Y)';
export const IR_BETA_FACTOR = 'IR Beta';
