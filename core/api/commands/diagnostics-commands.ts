/** Diagnostics and validation commands (SPEC.md i.1-i.8): reconcile, diagnose, verify, gate, history, baselines. */
import { z } from 'zod';
import { calendarDateSchema } from '../../calendar/calendar-range-error';
import { endNotBeforeStart } from '../date-range';
import { defineCommand } from '../command-definition';

const record = z.record(z.string(), z.unknown());
const list = z.array(record);

/** The money difference above which reconcile and diagnose flag (i.1): `--threshold` and the reconcile.threshold setting. */
export const reconcileThresholdSchema = z.number().positive();

const dateScope = z
  .object({
    date: calendarDateSchema.optional(),
    startDate: calendarDateSchema.optional(),
    endDate: calendarDateSchema.optional(),
    portfolios: z.array(z.string().min(1)).default([]),
  })
  .superRefine((o, ctx) => {
    if (o.date && (o.startDate || o.endDate)) ctx.addIssue({ code: 'custom', message: '--date cannot be combined with --start-date/--end-date', path: ['date'] });
    endNotBeforeStart(o, ctx);
  });

export const reconcileInputSchema = z.intersection(dateScope, z.object({ threshold: reconcileThresholdSchema.optional() }));
export type ReconcileInput = z.infer<typeof reconcileInputSchema>;
export const guardInputSchema = dateScope;
export const coverageInputSchema = z
  .object({ startDate: calendarDateSchema, endDate: calendarDateSchema, portfolios: z.array(z.string().min(1)).default([]) })
  .superRefine(endNotBeforeStart);

const oneDate = z.object({ date: calendarDateSchema.optional(), portfolios: z.array(z.string().min(1)).default([]) });

export const gateSchema = z.object({
  state: z.enum(['open', 'closed']),
  since: z.string().nullable(),
  run_id: z.string().nullable().optional(),
  findings: list.optional(),
  dates: z.array(z.string()).optional(),
  reason: z.string().nullable().optional(),
});
/** The regression gate: settings.gate, and what getGate, verifyGuard and reopenGate return (i.4). */
export type Gate = z.infer<typeof gateSchema>;

/**
 * The gate that a stored settings.gate value means: none is open; a value of another shape (an
 * edited settings row) is closed, never silently open, until the guard or a reopen with a reason
 * rewrites it. Read this way by the run's refusal and by getGate alike.
 */
export function gateFromSetting(stored: unknown): Gate {
  if (stored === undefined || stored === null) return { state: 'open', since: null, reason: null };
  const parsed = gateSchema.safeParse(stored);
  if (!parsed.success) {
    return { state: 'closed', since: null, reason: 'the stored gate (settings.gate) is unreadable; run `batchdesk verify guard` over the dates to check, or `batchdesk verify guard --reopen --reason "..."`' };
  }
  const g = parsed.data;
  return g.state === 'closed' ? g : { state: 'open', since: g.since ?? null, reason: g.reason ?? null };
}

export const diagnosticsCommands = {
  reconcile: defineCommand({
    summary: 'reconciliation checks per portfolio-date (i.1)',
    input: reconcileInputSchema,
    output: z.object({
      threshold: z.number(),
      range: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
      flagged: z.number().int(),
      total: z.number().int(),
      results: list,
      /** Tracked portfolio-dates without their snapshot (each a break: nothing there can be reconciled). */
      missingSnapshots: z.array(z.object({ portfolioId: z.string(), portfolioName: z.string(), date: z.string() })),
    }),
    mutates: false,
  }),
  diagnoseEquityCash: defineCommand({
    summary: 'equity and cash diagnosis per portfolio for one date (i.2)',
    input: z.intersection(oneDate, z.object({ threshold: reconcileThresholdSchema.optional() })),
    output: z.object({ date: z.string().nullable(), threshold: z.number(), flagged: z.number().int(), checked: z.number().int(), lines: list }),
    mutates: false,
  }),
  diagnosePrices: defineCommand({
    summary: 'price coverage of one date: exact, fallback, missing, reasons, unmarked lots (i.2)',
    input: oneDate,
    output: z.object({ date: z.string().nullable(), symbols: list, unmarkedLots: list, counts: z.record(z.string(), z.number().int()) }),
    mutates: false,
  }),
  verifyDemo: defineCommand({
    summary: 'demo readiness: structure, completeness, freshness, price coverage (i.3)',
    input: z.object({}).default({}),
    output: z.object({ ready: z.boolean(), readiness: z.number(), label: z.string(), report: record }),
    mutates: false,
  }),
  verifyGuard: defineCommand({
    summary: 'the regression guard over dates; a failure closes the gate, a pass over the failed dates reopens it (i.4)',
    input: guardInputSchema,
    output: z.object({ status: z.enum(['pass', 'fail']), checked: z.number().int(), dates: z.array(z.string()), findings: list, gate: gateSchema }),
    mutates: true,
  }),
  reopenGate: defineCommand({
    summary: 'reopen the gate with a reason recorded in maintenance_log (i.4)',
    input: z.object({ reason: z.string().trim().min(1) }),
    output: z.object({ gate: gateSchema }),
    mutates: true,
  }),
  getGate: defineCommand({
    summary: 'the state of the regression gate',
    input: z.object({}).default({}),
    output: z.object({ gate: gateSchema }),
    mutates: false,
  }),
  verifyCoverage: defineCommand({
    summary: 'snapshots, marks, exposures, stress results and tracking without gaps over a range (i.6)',
    input: coverageInputSchema,
    output: z.object({ start: z.string(), end: z.string(), tradingDays: z.number().int(), checked: z.number().int(), gaps: list }),
    mutates: false,
  }),
  verifyRowcounts: defineCommand({
    summary: 'row counts against the counts recorded before a purge (i.8)',
    input: z.object({ sincePurge: z.number().int().positive().optional() }).default({}),
    output: z.object({ maintenanceId: z.number().int().nullable(), purgedAt: z.string().nullable(), failed: z.boolean(), lines: list, message: z.string().nullable() }),
    mutates: false,
  }),
  verifyViews: defineCommand({
    summary: 'the factor and stress view queries return rows where analytics applied (i.8)',
    input: oneDate,
    output: z.object({ date: z.string().nullable(), failed: z.boolean(), checks: list, message: z.string().nullable() }),
    mutates: false,
  }),
} as const;
