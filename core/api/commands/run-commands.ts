/** Run control commands (SPEC.md 0.4, g): start, cancel, status, plan, list. */
import { z } from 'zod';
import { defineCommand } from '../command-definition';
import { runOptionsSchema } from '../run-options';

const runStateSchema = z.enum(['idle', 'running', 'cancelling', 'completed', 'partial', 'failed', 'cancelled', 'interrupted']);

export const runStatusSchema = z.object({
  state: runStateSchema,
  runId: z.string().nullable(),
  batchRunId: z.string().nullable(),
  startedAt: z.string().nullable(),
  datesPlanned: z.number().int(),
  datesDone: z.number().int(),
  exitCode: z.number().int().nullable(),
  /** The run summary (SPEC.md h.5) once finished. */
  summary: z.unknown().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Another process holds the database lock. */
  lockHolder: z.record(z.string(), z.unknown()).nullable(),
});
export type RunStatus = z.infer<typeof runStatusSchema>;

/**
 * A run that another live process (the CLI's `batchdesk run`, another app on the same file) is
 * doing on this database: the holder from its lock row (SPEC.md g.9) and its progress from its
 * committed tracking rows, the figures `history --running` prints (i.5).
 */
export const otherProcessRunSchema = z.object({
  /** The run's id (the lock's run id; the history row's id). */
  runId: z.string(),
  /** Null until the run has written its history row (the moment after it took the lock). */
  batchRunId: z.string().nullable(),
  /** Its history row's mode (normal, resume, retry, monitor, rebuild); null until that row exists. */
  mode: z.string().nullable(),
  holder: z.enum(['cli', 'app', 'serve']),
  host: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  heartbeatAt: z.string(),
  datesPlanned: z.number().int().nullable(),
  /** From its committed tracking rows; a monitor-only run's (rolled back) from its heartbeat. */
  datesDone: z.number().int(),
  datesFailed: z.number().int(),
  /** The date it is working on: its latest started and unfinished date. */
  currentDate: z.string().nullable(),
  /** A cancel was requested (g.10: `batchdesk cancel`, or Live): it stops after its current portfolio-date. */
  cancelRequested: z.boolean(),
});
export type OtherProcessRun = z.infer<typeof otherProcessRunSchema>;

export const runCommands = {
  startRun: defineCommand({
    summary: 'start a run in the background; answers once it has started (its run id) or was refused; progress arrives as telemetry events',
    input: runOptionsSchema,
    /** `accepted`: a run started (it has an id); a refused start (a held lock, a closed gate) or nothing to run says why in `status`. */
    output: z.object({ accepted: z.boolean(), status: runStatusSchema }),
    mutates: true,
  }),
  cancelRun: defineCommand({
    summary: 'ask the running batch to stop after the current portfolio-date',
    input: z.object({ force: z.boolean().default(false) }).default({ force: false }),
    output: z.object({ requested: z.boolean(), status: runStatusSchema }),
    mutates: false,
  }),
  getRunStatus: defineCommand({
    summary: 'the state of the current or last run of this host',
    input: z.object({}).default({}),
    output: runStatusSchema,
    mutates: false,
  }),
  getOtherProcessRun: defineCommand({
    summary: 'the run another live process is doing on this database (its lock holder and progress, as history --running), or null',
    input: z.object({}).default({}),
    output: z.object({ run: otherProcessRunSchema.nullable() }),
    mutates: false,
  }),
  planRun: defineCommand({
    summary: 'the plan of a run (dry run): dates, portfolios, phases and reasons',
    input: runOptionsSchema,
    output: z.object({ plan: z.record(z.string(), z.unknown()) }),
    mutates: false,
  }),
  listRuns: defineCommand({
    summary: 'recent runs from batch_run_history',
    /** `ids`: only these runs (by their id), e.g. the run a resume continues. */
    input: z.object({ limit: z.number().int().min(1).max(1000).default(50), ids: z.array(z.string().min(1)).min(1).max(100).optional() }).default({ limit: 50 }),
    output: z.object({
      runs: z.array(
        z.object({
          id: z.string(),
          batchRunId: z.string(),
          status: z.string().nullable(),
          mode: z.string().nullable(),
          triggeredBy: z.string().nullable(),
          startedAt: z.string(),
          completedAt: z.string().nullable(),
          totalJobs: z.number().nullable(),
          completedJobs: z.number().nullable(),
          failedJobs: z.number().nullable(),
          /** The finished run's partial dates (counted in completedJobs too); null while it runs or when its summary lacks them. */
          partialDates: z.number().nullable(),
          durationSeconds: z.number().nullable(),
          options: z.unknown(),
        }),
      ),
    }),
    mutates: false,
  }),
} as const;
