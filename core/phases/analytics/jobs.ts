/** The analytics jobs in their fixed order (SPEC.md c.10 table). */
import type { AnalyticsJob } from './job-types';

export const ANALYTICS_JOBS: readonly AnalyticsJob[] = [];
