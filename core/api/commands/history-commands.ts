/** Run and date history, the in-flight view, and baselines (SPEC.md i.5, i.7). */
import { z } from 'zod';
import { calendarDateSchema } from '../../calendar/calendar-range-error';
import type { DateStatus } from '../../domain/phase';
import type { RunStatus } from '../../ports/store';
import { defineCommand } from '../command-definition';
import { endNotBeforeStart } from '../date-range';

const record = z.record(z.string(), z.unknown());
const list = z.array(record);

/**
 * What a history status filter matches: a run's status (h.6) or a tracked date's (h.4). Checked
 * against both unions, so a status added to either type must be added here too.
 */
export const historyStatusSchema = z.enum({
  running: 'running',
  completed: 'completed',
  partial: 'partial',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
  success: 'success',
  stale: 'stale',
  imported: 'imported',
} satisfies { readonly [S in RunStatus | DateStatus]: S });

/** The period of `history --days` and getHistory, in calendar days: at most a hundred years (the calendar's span and more). */
export const historyDaysSchema = z.number().int().min(1).max(36_500);

export const historyCommands = {
  getHistory: defineCommand({
    summary: 'runs and tracked dates of the last days, with short and failed dates (i.5)',
    input: z.object({ days: historyDaysSchema.default(30), status: historyStatusSchema.optional() }).default({ days: 30 }),
    output: z.object({ since: z.string(), runs: list, dates: list, shortDates: list, failedDates: list, untrackedDays: z.array(z.string()), olderDates: z.object({ count: z.number().int(), oldest: z.string(), days: z.number().int() }).nullable() }),
    mutates: false,
  }),
  getRunningState: defineCommand({
    summary: 'the lock holder, the running run and the latest committed dates (history --running)',
    input: z.object({}).default({}),
    output: z.object({ lock: record.nullable(), run: record.nullable(), openDates: z.array(z.string()), unfinishedDates: z.array(z.string()), latestCompletedDate: z.string().nullable(), portfolios: list }),
    mutates: false,
  }),
  exportBaseline: defineCommand({
    summary: 'archive the tracking summaries and key derived values of a range (i.7)',
    input: z
      .object({ startDate: calendarDateSchema, endDate: calendarDateSchema, out: z.string().min(1).optional() })
      .superRefine(endNotBeforeStart),
    output: z.object({ file: z.string().nullable(), dates: z.number().int(), outputs: z.number().int(), baseline: record.nullable() }),
    mutates: false,
  }),
  compareBaselines: defineCommand({
    summary: 'compare two baseline files, or a baseline file with the database (i.7)',
    input: z.object({ a: z.string().min(1), b: z.string().min(1), toleranceMoney: z.number().min(0).default(0.01), toleranceRatio: z.number().min(0).default(1e-6) }),
    output: z.object({ matched: z.boolean(), compared_fields: z.number().int(), matching_fields: z.number().int(), match_share: z.number(), totals: z.record(z.string(), z.number().int()), differences: list }),
    mutates: false,
  }),
} as const;
