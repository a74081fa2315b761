/** Factor definitions and regression set-up (factors.json; SPEC.md b.2, d.6-d.9), parsed at load. */
import { z } from 'zod';
import { FACTOR_ETFS, type FactorEtf } from '../domain/symbols';
import raw from './factors.json';

const factorSchema = z.object({
  name: z.string().min(1),
  factor_type: z.enum(['market', 'style', 'macro', 'sector']),
  calculation_method: z.string(),
  etf_proxy: z.string().nullable(),
  display_order: z.number().int(),
  symbol_method: z.enum(['ols_market', 'ols_ir', 'provider', 'ridge_regression', 'spread_regression']),
  description: z.string(),
});

const factorEtfSchema = z.enum(FACTOR_ETFS);

const factorsFileSchema = z.object({
  schema: z.literal('batchdesk.factors/1'),
  factor_etfs: z.array(z.string()).length(8),
  factors: z.array(factorSchema).min(1),
  ridge: z.object({
    factors: z.array(z.object({ name: z.string(), etf: factorEtfSchema })).length(6),
    alpha: z.number().positive(),
    window_days: z.number().int(),
    fetch_days: z.number().int(),
    min_observations: z.number().int(),
    beta_cap: z.number().positive(),
  }),
  spreads: z.object({
    definitions: z.array(z.object({ name: z.string(), long: factorEtfSchema, short: factorEtfSchema })).length(4),
    window_days: z.number().int(),
    fetch_days: z.number().int(),
    min_observations: z.number().int(),
    beta_cap: z.number().positive(),
  }),
  ols: z.object({
    factors: z.array(z.object({ name: z.string(), benchmark: z.string(), symbol_method: z.string() })),
    window_days: z.number().int(),
    fetch_days: z.number().int(),
    min_observations: z.number().int(),
    beta_cap: z.number().positive(),
  }),
});

export type FactorDefinitionSeed = z.infer<typeof factorSchema>;
export const FACTORS_FILE = factorsFileSchema.parse(raw);
export const FACTOR_DEFINITIONS: readonly FactorDefinitionSeed[] = FACTORS_FILE.factors;

/** The six ridge style factors (d.7) and the ETF each regresses on, in factors.json order. */
export const RIDGE_FACTORS: readonly { readonly name: string; readonly etf: FactorEtf }[] = FACTORS_FILE.ridge.factors;

/** The four spread factors (d.8), in factors.json order: return = r_long - r_short. */
export const SPREAD_FACTORS: readonly { readonly name: string; readonly long: FactorEtf; readonly short: FactorEtf }[] = FACTORS_FILE.spreads.definitions;
