/**
 * A host's view of its one background run (SPEC.md k.2 run status), shared by the run managers:
 * the idle status, how the run's own events move it on, and how its end sets it.
 */
import { BatchdeskError } from '../core/api/errors';
import type { RunStatus } from '../core/api/commands/run-commands';
import type { TelemetryEvent } from '../core/api/telemetry-events';

export const IDLE_RUN_STATUS: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

/** The status of a run that is starting now. */
export function startingRunStatus(nowMs: number): RunStatus {
  return { ...IDLE_RUN_STATUS, state: 'running', startedAt: new Date(nowMs).toISOString() };
}

/** The refusal of a second run in the same host. */
export function runInProgressError(s: RunStatus): BatchdeskError {
  return new BatchdeskError('locked', `a run is already in progress in this app (${s.batchRunId ?? 'starting'}); cancel it or wait`);
}

/** The status moved on by one of the run's events: its start, and each finished date. */
export function withRunEvent(s: RunStatus, e: TelemetryEvent): RunStatus {
  if (e.event === 'run_start') return { ...s, runId: e.run_id, batchRunId: e.payload.batch_run_id, datesPlanned: e.payload.date_count, startedAt: e.ts };
  if (e.event === 'date_result') return { ...s, datesDone: s.datesDone + 1 };
  return s;
}

/** The status once the engine has returned a run summary. */
export function withRunSummary(s: RunStatus, status: string, exitCode: number, summary: unknown): RunStatus {
  const state = status === 'completed' ? 'completed' : status === 'cancelled' ? 'cancelled' : status === 'failed' ? 'failed' : 'partial';
  return { ...s, state, exitCode, summary };
}

/** The status once the run has failed before or outside the engine's summary (a lock refusal names its holder). */
export function withRunError(s: RunStatus, exitCode: number, error: { code: string; message: string; details?: unknown }): RunStatus {
  const holder = error.code === 'locked' ? ((error.details as { holder?: Record<string, unknown> } | undefined)?.holder ?? null) : null;
  return { ...s, state: 'failed', exitCode, error: { code: error.code, message: error.message }, lockHolder: holder };
}

/** True once the run has its id (its run_start event) or has ended without one (refused, nothing to run). */
const startSettled = (s: RunStatus): boolean => s.runId !== null || (s.state !== 'running' && s.state !== 'cancelling');

/**
 * The callers waiting for a run's start (RunController.started): a run manager hands it every
 * new status, and the waiters get the first one that has a run id or ends the run.
 */
export class StartWaiters {
  private waiting: ((s: RunStatus) => void)[] = [];

  wait(current: RunStatus): Promise<RunStatus> {
    return startSettled(current) ? Promise.resolve(current) : new Promise((resolve) => this.waiting.push(resolve));
  }

  update(s: RunStatus): void {
    if (!startSettled(s) || this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve(s);
  }
}
