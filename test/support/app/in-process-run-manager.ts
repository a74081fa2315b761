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
import { IDLE_RUN_STATUS, runInProgressError, StartWaiters, startingRunStatus, withRunError, withRunEvent, withRunSummary } from '../../../host/run-status';

export interface RunManagerOptions {
  readonly dbPath: string;
  readonly holder: LockHolder;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly postRunGuard?: EngineDeps['postRunGuard'];
  readonly fetch?: typeof fetch;
}

export class InProcessRunManager implements RunController {
  private current: { controller: AbortController; hard: AbortController; promise: Promise<void> } | null = null;
  private state: RunStatus = IDLE_RUN_STATUS;
  private readonly starts = new StartWaiters();

  constructor(private readonly options: RunManagerOptions) {
    options.bus.subscribe((e) => {
      if (this.state.state !== 'running' && this.state.state !== 'cancelling') return;
      this.set(withRunEvent(this.state, e));
    });
  }

  started(): Promise<RunStatus> {
    return this.starts.wait(this.state);
  }

  private set(s: RunStatus): void {
    this.state = s;
    this.starts.update(s);
  }

  status(): RunStatus {
    return this.state;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** Resolves once the run has started (or failed to); the run continues in the background. */
  start(options: RunOptions): RunStatus {
    if (this.current) throw runInProgressError(this.state);
    const controller = new AbortController();
    const hard = new AbortController();
    this.state = startingRunStatus(this.options.clock.now());
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
          this.set(withRunSummary(this.state, r.summary.status, r.exitCode, r.summary));
        } else {
          this.set({ ...this.state, state: 'completed', exitCode: r.exitCode, summary: { message: r.kind === 'up_to_date' ? r.message : 'plan only' } });
        }
      })
      .catch((err: unknown) => {
        const e = err instanceof BatchdeskError ? err : new BatchdeskError('internal', (err as Error).message);
        this.set(withRunError(this.state, e.exitCode, e));
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
