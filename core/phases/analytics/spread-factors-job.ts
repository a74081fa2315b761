/**
 * Job spread_factors (SPEC.md c.10 #4, d.8, d.9): position_factor_exposures rows for the four
 * spread factors (Growth-Value, Momentum, Size, Quality) and one factor_exposures row per
 * spread that at least one lot has a beta for.
 */
import { SPREAD_CONFIG } from './analytics-config';
import { factorModelJob } from './factor-model-job';

export const spreadFactorsJob = factorModelJob(
  'spread_factors',
  SPREAD_CONFIG.definitions.map((d) => d.name),
);
