/**
 * The stress-scenario catalog and configuration (stress-scenarios.json; SPEC.md d.12), parsed
 * at load. A shock whose magnitude exceeds the configured cap rejects the catalog.
 */
import { z } from 'zod';
import raw from './stress-scenarios.json';

const scenarioSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  category_key: z.string(),
  category: z.string(),
  severity: z.string(),
  active: z.boolean(),
  shocks: z.record(z.string(), z.number()),
  description: z.string().optional(),
  period: z.object({ start: z.string(), end: z.string() }).optional(),
});

const configurationSchema = z.object({
  default_lookback_days: z.number().int(),
  lookback_buffer_days: z.number().int(),
  correlation_decay_factor: z.number(),
  min_factor_correlation: z.number(),
  max_factor_correlation: z.number(),
  min_correlation_observations: z.number().int(),
  stress_magnitude_cap: z.number().positive(),
  enable_cross_correlations: z.boolean(),
  default_confidence_level: z.number(),
  loss_floor_fraction_of_portfolio_value: z.number(),
  non_positive_portfolio_value_replacement: z.number(),
  exposure_lookup_rows: z.number().int(),
  ir_shock_mode: z.enum(['literal', 'duration']),
  tlt_duration_years: z.number(),
  include_inactive: z.boolean(),
});

const stressFileSchema = z
  .object({
    schema: z.literal('batchdesk.stress-scenarios/1'),
    configuration: configurationSchema,
    factor_etf_mapping: z.record(z.string(), z.string()),
    scenario_factor_to_exposure: z.record(z.string(), z.string()),
    exposure_to_matrix_factor: z.record(z.string(), z.string()),
    correlation_matrix_factors: z.array(z.object({ name: z.string(), etf: z.string() })),
    scenarios: z.array(scenarioSchema),
  })
  .superRefine((file, ctx) => {
    const cap = file.configuration.stress_magnitude_cap;
    for (const s of file.scenarios) {
      for (const [factor, shock] of Object.entries(s.shocks)) {
        if (Math.abs(shock) > cap) {
          ctx.addIssue({ code: 'custom', message: `scenario ${s.id}: shock ${factor}=${shock} exceeds the magnitude cap ${cap}` });
        }
      }
    }
  });

export type StressCatalogFile = z.infer<typeof stressFileSchema>;

export function parseStressCatalog(input: unknown): StressCatalogFile {
  return stressFileSchema.parse(input);
}

export const STRESS_CATALOG: StressCatalogFile = parseStressCatalog(raw);
