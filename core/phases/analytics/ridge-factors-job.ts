/**
 * Job ridge_factors (SPEC.md c.10 #5, d.7, d.9): position_factor_exposures rows for the six
 * ridge style factors (Value, Growth, Momentum, Quality, Size, Low Volatility) and one
 * factor_exposures row per style factor that at least one lot has a beta for.
 */
import { RIDGE_CONFIG } from './analytics-config';
import { factorModelJob } from './factor-model-job';

export const ridgeFactorsJob = factorModelJob(
  'ridge_factors',
  RIDGE_CONFIG.factors.map((f) => f.name),
);
