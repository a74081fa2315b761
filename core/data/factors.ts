/** Factor definitions and regression set-up (factors.json; SPEC.md b.2, d.6-d.9), parsed at load. */
import { z } from 'zod';
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

const factorsFileSchema = z.object({
  schema: z.literal('batchdesk.factors/1'),
  factor_etfs: z.array(z.string()).length(8),
  factors: z.array(factorSchema).min(1),
  ridge: z.object({
    factors: z.array(z.object({ name: z.string(), etf: z.string() })).length(6),
    alpha: z.number().positive(),
    window_days: z.number().int(),
    fetch_days: z.number().int(),
    min_observations: z.number().int(),
    beta_cap: z.number().positive(),
  }),
  spreads: z.object({
    definitions: z.array(z.object({ name: z.string(), long: z.string(), short: z.string() })).length(4),
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

/** Factor names used by the jobs (SPEC.md d.6-d.9). */
export const FACTOR = {
  market: 'Market Beta (90D)',
  provider: 'Provider Beta (1Y)',
  ir: 'IR Beta',
} as const;
