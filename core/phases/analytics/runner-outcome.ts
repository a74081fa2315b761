/** What the analytics runner reports per portfolio-date (SPEC.md c.10, h.4). */

/** The stored form of a job outcome (h.4). */
export interface JobOutcome {
  readonly success: boolean;
  readonly reason: string | null;
  readonly metrics: Readonly<Record<string, unknown>>;
}

export interface AnalyticsRunnerOutcome {
  readonly jobsExpected: number;
  readonly jobsCompleted: number;
  readonly jobsFailed: number;
  readonly jobsSkipped: number;
  readonly jobsNotApplicable: number;
  readonly analyticsSkipped: boolean;
  readonly skipReason: string | null;
  readonly jobs: Readonly<Record<string, JobOutcome>>;
}
