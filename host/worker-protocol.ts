/**
 * Messages between a host process (Electron main, `serve`), the engine worker and its run
 * workers, parsed with zod both ways (SPEC.md 0.4). Commands are dispatched by name through
 * the contract; the dispatcher inside the worker validates inputs and outputs, and the result
 * shape ({ ok, output } | { ok: false, error }) is checked again on receipt.
 *
 * Threads: the host starts one engine worker (commands, views, settings; always responsive).
 * Each batch run gets its own run worker, started by the engine worker from the same module,
 * because a synthetic backfill keeps its thread busy from start to end. Cancel reaches the
 * run worker through a shared flag that the run checks between portfolio-dates.
 */
import { z } from 'zod';
import { errorShapeSchema } from '../core/api/errors';
import { runOptionsSchema } from '../core/api/run-options';
import { telemetryEventSchema } from '../core/api/telemetry-events';

/** Marks workerData meant for the engine worker module, so importing it elsewhere starts nothing. */
export const ENGINE_WORKER_KIND = 'batchdesk-engine-worker';
export const RUN_WORKER_KIND = 'batchdesk-run-worker';

export const workerOptionsSchema = z.object({
  dbPath: z.string().min(1),
  holder: z.enum(['app', 'serve']),
  /** The module this worker was started from (file URL or path); run workers start from it too. */
  entry: z.string().min(1),
  /** Folder of the drizzle migrations (the packaged app ships them as extra resources). */
  migrationsFolder: z.string().min(1).optional(),
});
export type WorkerOptions = z.infer<typeof workerOptionsSchema>;

export const engineWorkerDataSchema = z.object({ kind: z.literal(ENGINE_WORKER_KIND), options: workerOptionsSchema });

export const hostToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int().nonnegative(), name: z.string().min(1).max(100), input: z.unknown() }),
  /** Graceful stop: cancel a running batch after its current portfolio-date, close the database, exit. */
  z.object({ type: z.literal('shutdown') }),
]);
export type HostToWorker = z.infer<typeof hostToWorkerSchema>;

export const dispatchResultSchema = z.union([
  z.object({ ok: z.literal(true), output: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorShapeSchema }),
]);

export const workerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), recoveredLock: z.string().nullable() }),
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: dispatchResultSchema }),
  z.object({ type: z.literal('event'), event: telemetryEventSchema }),
  z.object({ type: z.literal('stopped') }),
  /** A failure outside any command (boot, a broken message); the host logs it. */
  z.object({ type: z.literal('fault'), message: z.string() }),
]);
export type WorkerToHost = z.infer<typeof workerToHostSchema>;

/** Cancel flag values in the run worker's shared Int32Array slot 0. */
export const CANCEL_NONE = 0;
export const CANCEL_GRACEFUL = 1;
export const CANCEL_NOW = 2;

export const runWorkerDataSchema = z.object({
  kind: z.literal(RUN_WORKER_KIND),
  dbPath: z.string().min(1),
  holder: z.enum(['app', 'serve']),
  options: runOptionsSchema,
  cancelFlag: z.instanceof(SharedArrayBuffer),
  migrationsFolder: z.string().min(1).optional(),
});
export type RunWorkerData = z.input<typeof runWorkerDataSchema>;

export const runOutcomeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), status: z.string(), exitCode: z.number().int(), summary: z.unknown() }),
  z.object({ kind: z.literal('no_run'), exitCode: z.number().int(), message: z.string() }),
  z.object({ kind: z.literal('error'), error: errorShapeSchema, exitCode: z.number().int() }),
]);
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

export const runWorkerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('event'), event: telemetryEventSchema }),
  z.object({ type: z.literal('done'), outcome: runOutcomeSchema }),
]);
export type RunWorkerToHost = z.infer<typeof runWorkerToHostSchema>;
