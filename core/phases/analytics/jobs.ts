/** The analytics jobs in their fixed order (SPEC.md c.10 table). */
import { correlationsJob } from './correlations-job';
import { irBetaJob } from './ir-beta-job';
import type { AnalyticsJob } from './job-types';
import { marketBetaJob } from './market-beta-job';
import { providerBetaJob } from './provider-beta-job';
import { ridgeFactorsJob } from './ridge-factors-job';
import { sectorConcentrationJob } from './sector-concentration-job';
import { spreadFactorsJob } from './spread-factors-job';
import { stressTestsJob } from './stress-tests-job';
import { volatilityJob } from './volatility-job';

export const ANALYTICS_JOBS: readonly AnalyticsJob[] = [
  marketBetaJob,
  providerBetaJob,
  irBetaJob,
  spreadFactorsJob,
  ridgeFactorsJob,
  sectorConcentrationJob,
  volatilityJob,
  correlationsJob,
  stressTestsJob,
];
