/**
 * An in-process RunController for handler tests: starts the engine without awaiting it in the
 * test's own thread, tracks its state from telemetry, cancels gracefully. The hosts use
 * host/threaded-run-manager.ts (a run worker thread per run).
 */
import { BatchdeskError } from '../../../core/api/errors';
import type { RunStatus } from '../../../core/api/commands/run-commands';
import type { RunOptions } from '../../../core/api/run-options';
import type { Clock } from '../../../core/ports/clock';
import type { LockHolder } from '../../../core/ports/store';
import type { EventBus } from '../../../host/event-bus';
import type { RunController } from '../../../host/handler-types';
import { runOnDatabase } from '../../../host/engine-host';
import type { EngineDeps } from '../../../core/engine/run-context';

export interface RunManagerOptions {
  readonly dbPath: string;
  readonly holder: LockHolder;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly postRunGuard?: EngineDeps['postRunGuard'];
  readonly fetch?: typeof fetch;
}

const IDLE: RunStatus = { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null };

export class InProcessRunManager implements RunController {
  private current: { controller: AbortController; hard: AbortController; promise: Promise<void> } | null = null;
  private state: RunStatus = IDLE;

  constructor(private readonly options: RunManagerOptions) {
    options.bus.subscribe((e) => {
      if (this.state.state !== 'running' && this.state.state !== 'cancelling') return;
      if (e.event === 'run_start') this.state = { ...this.state, runId: e.run_id, batchRunId: e.payload.batch_run_id, datesPlanned: e.payload.date_count, startedAt: e.ts };
      else if (e.event === 'date_result') this.state = { ...this.state, datesDone: this.state.datesDone + 1 };
    });
  }

  status(): RunStatus {
    return this.state;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Resolves once the run has started (or failed to); the run continues in the background. */
  start(options: RunOptions): RunStatus {
    if (this.current) throw new BatchdeskError('locked', `a run is already in progress in this app (${this.state.batchRunId ?? 'starting'}); cancel it or wait`);
    const controller = new AbortController();
    const hard = new AbortController();
    this.state = { ...IDLE, state: 'running', startedAt: new Date(this.options.clock.now()).toISOString() };
    const promise = runOnDatabase({
      dbPath: this.options.dbPath,
      options,
      holder: this.options.holder,
      sinks: [this.options.bus.sink()],
      control: { signal: controller.signal, hardSignal: hard.signal },
      clock: this.options.clock,
      ...(this.options.postRunGuard ? { postRunGuard: this.options.postRunGuard } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    })
      .then((r) => {
        if (r.kind === 'run') {
          const s = r.summary.status;
          this.state = { ...this.state, state: s === 'completed' ? 'completed' : s === 'cancelled' ? 'cancelled' : s === 'failed' ? 'failed' : 'partial', exitCode: r.exitCode, summary: r.summary };
        } else {
          this.state = { ...this.state, state: 'completed', exitCode: r.exitCode, summary: { message: r.kind === 'up_to_date' ? r.message : 'plan only' } };
        }
      })
      .catch((err: unknown) => {
        const e = err instanceof BatchdeskError ? err : new BatchdeskError('internal', (err as Error).message);
        this.state = {
          ...this.state,
          state: 'failed',
          exitCode: e.exitCode,
          error: { code: e.code, message: e.message },
          lockHolder: e.code === 'locked' ? ((e.details as { holder?: Record<string, unknown> } | undefined)?.holder ?? null) : null,
        };
      })
      .finally(() => {
        this.current = null;
      });
    this.current = { controller, hard, promise };
    return this.state;
  }

  cancel(force: boolean): boolean {
    if (!this.current) return false;
    this.state = { ...this.state, state: 'cancelling' };
    this.current.controller.abort();
    if (force) this.current.hard.abort();
    return true;
  }

  /** Waits for the current run (tests, shutdown). */
  async settled(): Promise<void> {
    await this.current?.promise;
  }
}
