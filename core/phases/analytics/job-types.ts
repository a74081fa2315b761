/**
 * Analytics jobs (SPEC.md c.10): each returns { success, reason, metrics }. A job that is
 * not applicable, or skipped because its inputs legitimately do not exist yet (m.23: benign
 * skips such as insufficient_observations before a window fills), does not count as
 * expected and does not make the date partial.
 */
import type { BenignSkipReason } from '../../domain/job-outcome';
import type { LotMark } from '../../domain/mark';
import type { Lot } from '../../domain/portfolio';
import type { PortfolioDateContext } from '../../engine/phase-types';
import type { SnapshotRecord } from '../../ports/store';
import type { AnalyticsDateCache } from './analytics-date-cache';
import type { JobOutcome } from './runner-outcome';

export type { AnalyticsRunnerOutcome, JobOutcome } from './runner-outcome';

export const JOB_NAMES = [
  'market_beta',
  'provider_beta',
  'ir_beta',
  'spread_factors',
  'ridge_factors',
  'sector_concentration',
  'volatility',
  'correlations',
  'stress_tests',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export type JobStatus = 'success' | 'failed' | 'not_applicable' | 'benign_skip';

export interface JobResult {
  readonly status: JobStatus;
  readonly reason: string | null;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface JobContext {
  readonly pd: PortfolioDateContext;
  /** D's marks of the portfolio. */
  readonly marks: readonly LotMark[];
  readonly lotsById: ReadonlyMap<string, Lot>;
  /** The complete snapshot of D. */
  readonly snapshot: SnapshotRecord;
  readonly nowIso: string;
  /** What the portfolios of D share: symbol betas, return series, the factor matrix. */
  readonly cache: AnalyticsDateCache;
}

export interface AnalyticsJob {
  readonly name: JobName;
  run(ctx: JobContext): JobResult;
}

export const jobSuccess = (metrics: Record<string, unknown> = {}): JobResult => ({ status: 'success', reason: null, metrics });
export const jobFailed = (reason: string, metrics: Record<string, unknown> = {}): JobResult => ({ status: 'failed', reason, metrics });
export const jobNotApplicable = (metrics: Record<string, unknown> = {}, reason = 'not_applicable'): JobResult => ({ status: 'not_applicable', reason, metrics });
export const jobBenignSkip = (reason: BenignSkipReason, metrics: Record<string, unknown> = {}): JobResult => ({ status: 'benign_skip', reason, metrics });

