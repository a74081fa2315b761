/**
 * Run options (SPEC.md g.1): produced by the CLI flags and the app's run dialog, validated
 * here once. Cross-field rules (target date vs range, end before start) live in the schema.
 */
import { z } from 'zod';
import { calendarDateSchema } from '../calendar/calendar-range-error';
import { endNotBeforeStart } from './date-range';
import { PHASE_NAMES } from '../domain/phase';

export const marketDataModeSchema = z.enum(['online', 'offline', 'synthetic']);

/** The synthetic generator's seed (SPEC.md e.9): an unsigned 32-bit integer, for `run --seed` and `seed-demo --seed`. */
export const syntheticSeedSchema = z.number().int().min(0).max(0xffffffff);

/** The option model's inputs (SPEC.md d.2.3): `run --implied-vol` and the options.implied_vol setting. */
export const impliedVolSchema = z.number().positive().max(5);
/** `run --risk-free-rate` and the options.risk_free_rate setting (d.2.3). */
export const riskFreeRateSchema = z.number().min(-0.5).max(1);
/** The missing-marks guard's threshold (d.14): `run --max-missing-marks` and the guard.max_missing_marks setting. */
export const maxMissingMarksSchema = z.number().min(0).max(1);
/** The largest `--chunk-days` (SPEC.md g.5): a hundred years of calendar days; 0 means one chunk. */
export const MAX_CHUNK_DAYS = 36_500;

export const runOptionsSchema = z
  .object({
    startDate: calendarDateSchema.optional(),
    endDate: calendarDateSchema.optional(),
    targetDate: calendarDateSchema.optional(),
    portfolios: z.array(z.string().min(1)).default([]),
    phases: z.array(z.enum(PHASE_NAMES)).default([]),
    withPrerequisites: z.boolean().default(false),
    chunkDays: z.number().int().min(0).max(MAX_CHUNK_DAYS).default(0),
    retryFailedPhases: z.boolean().default(false),
    /** A run id, or 'latest' for the latest interrupted or cancelled run. */
    resume: z.string().min(1).optional(),
    dryRun: z.boolean().default(false),
    monitorOnly: z.boolean().default(false),
    trace: z.string().min(1).optional(),
    maxMissingMarks: maxMissingMarksSchema.optional(),
    marketData: marketDataModeSchema.optional(),
    csvDir: z.string().min(1).optional(),
    seed: syntheticSeedSchema.optional(),
    allowMixedSources: z.boolean().default(false),
    impliedVol: impliedVolSchema.optional(),
    riskFreeRate: riskFreeRateSchema.optional(),
    guard: z.boolean().default(true),
    ignoreGate: z.boolean().default(false),
    triggeredBy: z.enum(['cli', 'app', 'schedule', 'serve']).default('cli'),
  })
  .superRefine((o, ctx) => {
    if (o.targetDate && (o.startDate || o.endDate)) {
      ctx.addIssue({ code: 'custom', message: '--target-date cannot be combined with --start-date/--end-date', path: ['targetDate'] });
    }
    if (o.endDate && !o.startDate && !o.retryFailedPhases) {
      ctx.addIssue({ code: 'custom', message: '--end-date needs --start-date', path: ['endDate'] });
    }
    endNotBeforeStart(o, ctx);
    if (o.trace && !o.monitorOnly) ctx.addIssue({ code: 'custom', message: '--trace needs --monitor-only', path: ['trace'] });
    if (o.resume && (o.startDate || o.targetDate || o.retryFailedPhases)) {
      ctx.addIssue({ code: 'custom', message: '--resume cannot be combined with dates or --retry-failed-phases', path: ['resume'] });
    }
    // g.11: a resume continues the stopped run's plan, rebuilt from its stored options; a plan flag
    // given beside it would be recorded but not followed.
    const planFlags = [o.phases.length > 0 && '--phase', o.portfolios.length > 0 && '--portfolio', o.withPrerequisites && '--with-prerequisites', o.chunkDays > 0 && '--chunk-days'].filter((f): f is string => f !== false);
    if (o.resume && planFlags.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `--resume continues the stopped run's plan (its dates, phases, portfolios and chunks) and cannot be combined with ${planFlags.join(', ')}; run without --resume to plan other phases or portfolios`,
        path: ['resume'],
      });
    }
    if (o.dryRun && o.monitorOnly) ctx.addIssue({ code: 'custom', message: '--dry-run and --monitor-only exclude each other', path: ['dryRun'] });
  });

export type RunOptions = z.infer<typeof runOptionsSchema>;
export type RunOptionsInput = z.input<typeof runOptionsSchema>;
