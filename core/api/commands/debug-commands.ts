/**
 * Single-date debug (SPEC.md g.12, m.21): monitor-only with a trace on the working database.
 * Everything rolls back; the host returns the trace documents (per portfolio-date and phase:
 * inputs read, rows computed, stored rows, differences) and the monitor report.
 */
import { z } from 'zod';
import { calendarDateSchema } from '../../calendar/calendar-range-error';
import { PHASE_NAMES, type PhaseOutcomeStatus } from '../../domain/phase';
import { defineCommand } from '../command-definition';
import { impliedVolSchema, riskFreeRateSchema } from '../run-options';

export const traceDocumentSchema = z.object({
  /** Path inside the trace folder: DATE/PORTFOLIO_ID|date/PHASE.json or .../summary.json. */
  file: z.string(),
  date: z.string().nullable(),
  /** Null for date-level documents. */
  portfolioId: z.string().nullable(),
  /** The phase, or 'summary'. */
  phase: z.string(),
  document: z.unknown(),
});
export type TraceDocument = z.infer<typeof traceDocumentSchema>;

/**
 * A phase's outcome as its trace document carries it (`inputs.outcome`): its status, its coded
 * reason (failed, skipped, not applicable) and its error text (failed). A phase that did not
 * succeed computed none of its rows: the rows its document holds as computed are not its output.
 */
export const tracePhaseOutcomeSchema = z
  .object({
    status: z.enum(['success', 'failed', 'skipped', 'not_applicable'] as const satisfies readonly PhaseOutcomeStatus[]),
    reason: z.string().nullable(),
    error: z.string().nullable(),
  })
  .loose();
export type TracePhaseOutcome = z.infer<typeof tracePhaseOutcomeSchema>;

/**
 * The status of a monitor entry (g.12), the one definition core/engine's MonitorRecorder uses:
 * same: nothing differs; different: something differs beyond tolerance; new: nothing was
 * stored; failed: a critical phase failed (the rows are those computed before the failure);
 * not_run: a portfolio-date whose phases never ran, because a critical date phase failed
 * first (nothing was compared).
 */
export const monitorStatusSchema = z.enum(['same', 'different', 'new', 'failed', 'not_run']);
export type MonitorStatusName = z.infer<typeof monitorStatusSchema>;

const count = z.number().int();
/** How many entries were compared (every status but not_run), and how many have each status. */
const monitorCountsSchema = z.object({ compared: count, ...(Object.fromEntries(monitorStatusSchema.options.map((s) => [s, count])) as Record<MonitorStatusName, typeof count>) });

/**
 * The monitor report's figures the app's verdict reads (the report is core/engine's
 * MonitorReport): each date's date-level rows and the portfolio-dates counted apart, per
 * status, and each entry's status so a portfolio's section can say its own (with, for a
 * portfolio-date not run, the date phase that failed before it); and the tolerances the
 * comparison judged numbers by (g.12: money in dollars, every other number absolute), so a
 * difference within them is shown as such.
 */
export const monitorVerdictSchema = z
  .object({
    clean: z.boolean(),
    tolerances: z.object({ money: z.number(), ratio: z.number() }),
    date_level: monitorCountsSchema,
    portfolio_dates: monitorCountsSchema,
    entries: z
      .array(z.object({ portfolio_id: z.string().nullable(), status: monitorStatusSchema, date_failed_phase: z.enum(PHASE_NAMES).optional() }).loose())
      .readonly(),
  })
  .loose();
export type MonitorVerdict = z.infer<typeof monitorVerdictSchema>;

export const debugCommands = {
  debugDate: defineCommand({
    summary: 'monitor-only run of one date with a trace: per-phase inputs, outputs and differences; nothing is published',
    input: z.object({
      date: calendarDateSchema,
      portfolios: z.array(z.string().min(1)).max(50).default([]),
      phases: z.array(z.enum(PHASE_NAMES)).default([]),
      withPrerequisites: z.boolean().default(true),
      /** The option model's overrides for this run (d.2.3, `run --implied-vol/--risk-free-rate`); absent: the settings. */
      impliedVol: impliedVolSchema.optional(),
      riskFreeRate: riskFreeRateSchema.optional(),
    }),
    output: z.object({
      state: z.string(),
      exitCode: z.number().int().nullable(),
      /** Null when no run was recorded (nothing to run). */
      batchRunId: z.string().nullable(),
      /**
       * A date on which nothing runs (no portfolio in scope is processed on it, so no run is
       * recorded and nothing is traced): the engine's reason, as the CLI prints it after
       * "Nothing to run:". Null when the date ran.
       */
      nothingToRun: z.string().nullable(),
      /** The monitor report (g.12): the whole report, of which the verdict's figures are checked. */
      monitor: monitorVerdictSchema.nullable(),
      /**
       * Why a run that did not complete failed: each date's failed phases with their reasons
       * (as the CLI prints them), then run-level errors no date carries. Empty otherwise.
       */
      failures: z.array(z.string()),
      documents: z.array(traceDocumentSchema),
      /** Documents left out because the trace exceeded the size limit. */
      omitted: z.number().int(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
    mutates: true,
  }),
} as const;
