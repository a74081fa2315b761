/**
 * Telemetry events (SPEC.md h.2): one envelope, one payload schema per event type. The
 * same schemas validate events in the engine, in the worker bridge and in the renderer.
 */
import { z } from 'zod';

export const EVENT_NAMES = ['run_start', 'phase_start', 'phase_result', 'date_result', 'run_result', 'metric'] as const;
export type EventName = (typeof EVENT_NAMES)[number];
export const EVENT_SOURCES = ['engine', 'market_data', 'analytics', 'import', 'cli', 'app'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
export const EVENT_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

/**
 * A free-form metrics object: any plain object. The same as z.record(z.string(), z.unknown())
 * accepts, checked without visiting (and copying) every key: a backfill sends some 6,000
 * phase_result events per 357 dates, and the record check was most of their validation time.
 */
const metrics = z.custom<Record<string, unknown>>((v) => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}, 'expected a plain object of metrics');
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const payloadSchemas = {
  run_start: z.object({
    batch_run_id: z.string(),
    mode: z.string(),
    triggered_by: z.enum(['cli', 'app', 'schedule', 'serve']),
    database: z.string(),
    target_date: date,
    first_date: date.nullable(),
    last_date: date.nullable(),
    date_count: z.number().int(),
    chunk_days: z.number().int(),
    chunk_count: z.number().int(),
    phases: z.array(z.string()),
    portfolio_scope: z.union([z.literal('all'), z.array(z.string())]),
    options: z.record(z.string(), z.unknown()),
    app_version: z.string(),
  }),
  phase_start: z.object({
    date,
    phase: z.string(),
    scope: z.enum(['date', 'portfolio']),
    portfolio_id: z.string().nullable(),
    portfolio_index: z.number().int().nullable(),
    portfolio_count: z.number().int(),
    chunk_index: z.number().int(),
  }),
  phase_result: z.object({
    date,
    phase: z.string(),
    portfolio_id: z.string().nullable(),
    status: z.string(),
    critical: z.boolean(),
    duration_ms: z.number(),
    reason: z.string().nullable(),
    error: z.string().nullable(),
    metrics,
    missing_price_count: z.number().int().optional(),
    fallback_count: z.number().int().optional(),
    analytics_skipped: z.boolean().optional(),
  }),
  date_result: z.object({
    date,
    status: z.string(),
    duration_ms: z.number(),
    portfolios_total: z.number().int(),
    portfolios_succeeded: z.number().int(),
    portfolios_failed: z.number().int(),
    portfolios_skipped: z.number().int(),
    phases: z.record(z.string(), z.string()),
    symbol_coverage_pct: z.number().nullable(),
    missing_price_count: z.number().int(),
    fallback_count: z.number().int(),
    model_count: z.number().int(),
    analytics_jobs_expected: z.number().int(),
    analytics_jobs_completed: z.number().int(),
    errors: z.array(z.string()),
  }),
  run_result: z.object({
    status: z.string(),
    exit_code: z.number().int(),
    dates_planned: z.number().int(),
    dates_succeeded: z.number().int(),
    dates_partial: z.number().int(),
    dates_failed: z.number().int(),
    /** Planned dates the run did not finish (never reached, or cancelled part-way). */
    dates_skipped: z.number().int(),
    duration_ms: z.number(),
    cancelled: z.boolean(),
    guard_status: z.string().nullable(),
  }),
  metric: z.object({
    name: z.string(),
    value: z.number().nullable(),
    unit: z.string().nullable(),
    date: date.nullable(),
    portfolio_id: z.string().nullable(),
    tags: z.record(z.string(), z.unknown()),
  }),
} as const;

export type EventPayload<E extends EventName> = z.infer<(typeof payloadSchemas)[E]>;

const envelope = <E extends EventName>(name: E) =>
  z.object({
    event: z.literal(name),
    schema: z.literal(1),
    run_id: z.string().nullable(),
    seq: z.number().int().positive(),
    ts: z.string(),
    source: z.enum(EVENT_SOURCES),
    level: z.enum(EVENT_LEVELS),
    payload: payloadSchemas[name],
  });

export const telemetryEventSchema = z.discriminatedUnion('event', [
  envelope('run_start'),
  envelope('phase_start'),
  envelope('phase_result'),
  envelope('date_result'),
  envelope('run_result'),
  envelope('metric'),
]);

export type TelemetryEvent = z.infer<typeof telemetryEventSchema>;

/**
 * The metric a host publishes once a restore or an import, its own or another process's, has
 * replaced its database: the runs it had kept for the live view (its ring, the latest run_start)
 * are gone from the file, so it forgot them, and an open view drops them too and reads the
 * restored file again.
 * Tags: `cause` (DatabaseReplacedCause).
 */
export const DATABASE_REPLACED_METRIC = 'database_replaced';

/** What replaced the database: the host's own restore or import, or another process (a `batchdesk restore` or `import` from a terminal). */
export type DatabaseReplacedCause = 'restore' | 'import' | 'other_process';

/**
 * Events that must never be dropped by a throttling bridge (SPEC.md h.1), the steps of a
 * maintenance operation among them: a purge's steps come within milliseconds, and the log
 * lost the third to the next.
 */
export function isDiscreteEvent(e: TelemetryEvent): boolean {
  if (e.event !== 'metric' && e.event !== 'phase_start') return true;
  return e.event === 'metric' && ['gate_changed', 'guard_result', 'chunk_result', 'insufficient_coverage', 'circuit_state', 'purge_step', 'restore_step', DATABASE_REPLACED_METRIC].includes(e.payload.name);
}
