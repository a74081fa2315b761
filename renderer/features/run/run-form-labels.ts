/**
 * The Run form's words for the run options (the contract's field names), so the engine's
 * messages about them read as the form does ("End date ... is before start date ...").
 */
import type { FieldLabels } from '../../engine-client/engine-error';

export const RUN_FORM_LABELS: FieldLabels = {
  startDate: 'start date',
  endDate: 'end date',
  targetDate: 'date',
  phases: 'phases',
  withPrerequisites: 'add missing prerequisite phases',
  chunkDays: 'chunk size',
  retryFailedPhases: 'retry failed phases only',
  maxMissingMarks: 'coverage guard',
  marketData: 'provider',
  portfolios: 'portfolio',
  impliedVol: 'implied volatility',
  riskFreeRate: 'risk-free rate',
  noGuard: 'no guard',
  allowMixedSources: 'the allow-mixed-sources option (CLI only)',
};
