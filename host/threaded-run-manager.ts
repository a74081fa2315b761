/**
 * The engine worker's run manager: the same contract as RunManager (one background run per
 * host, state from telemetry, graceful cancel), but each run executes in its own run worker
 * thread, so the engine worker keeps answering views, status and cancel during a backfill.
 * Events from the run worker are published on the host's event bus as they arrive.
 */
import { Worker } from 'node:worker_threads';
import type { RunStatus } from '../core/api/commands/run-commands';
import type { RunOptions } from '../core/api/run-options';
import type { Clock } from '../core/ports/clock';
import type { EventBus } from './event-bus';
import type { RunController } from './handler-types';
import { IDLE_RUN_STATUS, runInProgressError, StartWaiters, startingRunStatus, withRunError, withRunEvent, withRunSummary } from './run-status';
import { CANCEL_GRACEFUL, CANCEL_NOW, RUN_WORKER_KIND, runWorkerToHostSchema, type RunOutcome, type RunWorkerData } from './worker-protocol';

/** What the manager needs of a run worker thread (a seam for tests). */
export interface RunWorkerLike {
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  terminate(): Promise<number>;
}

export interface ThreadedRunManagerOptions {
  readonly dbPath: string;
  readonly holder: 'app' | 'serve';
  readonly bus: EventBus;
  readonly clock: Clock;
  /** The worker module (the engine worker's own entry). */
  readonly entry: string | URL;
  readonly migrationsFolder?: string;
  readonly createWorker?: (entry: string | URL, data: RunWorkerData) => RunWorkerLike;
  readonly onFault?: (message: string) => void;
}

const defaultCreate = (entry: string | URL, data: RunWorkerData): RunWorkerLike => new Worker(entry, { workerData: data }) as unknown as RunWorkerLike;

/** Worker entries are passed around as strings; a file URL string must become a URL again. */
export function workerEntry(entry: string): string | URL {
  return entry.startsWith('file:') ? new URL(entry) : entry;
}

export class ThreadedRunManager implements RunController {
  private current: { flag: Int32Array; worker: RunWorkerLike } | null = null;
  /** The last run worker's exit (a finished run's thread may still be closing). */
  private exited: Promise<void> = Promise.resolve();
  private state: RunStatus = IDLE_RUN_STATUS;
  private readonly starts = new StartWaiters();

  constructor(private readonly options: ThreadedRunManagerOptions) {}

  status(): RunStatus {
    return this.state;
  }

  started(): Promise<RunStatus> {
    return this.starts.wait(this.state);
  }

  get running(): boolean {
    return this.current !== null;
  }

  start(options: RunOptions): RunStatus {
    if (this.current) throw runInProgressError(this.state);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const data: RunWorkerData = {
      kind: RUN_WORKER_KIND,
      dbPath: this.options.dbPath,
      holder: this.options.holder,
      options,
      cancelFlag: flag.buffer as SharedArrayBuffer,
      ...(this.options.migrationsFolder ? { migrationsFolder: this.options.migrationsFolder } : {}),
    };
    this.state = startingRunStatus(this.options.clock.now());
    const worker = (this.options.createWorker ?? defaultCreate)(this.options.entry, data);
    let finished = false;
    const exited = new Promise<void>((resolve) => {
      worker.on('message', (raw) => {
        const m = runWorkerToHostSchema.safeParse(raw);
        if (!m.success) {
          this.options.onFault?.(`malformed message from the run worker: ${m.error.issues[0]?.message ?? ''}`);
          return;
        }
        if (m.data.type === 'event') {
          this.state = withRunEvent(this.state, m.data.event);
          this.starts.update(this.state);
          this.options.bus.publish(m.data.event);
        } else {
          finished = true;
          this.finish(m.data.outcome);
          // The run is over (its lock released): a new run may start while this thread exits.
          if (this.current?.worker === worker) this.current = null;
        }
      });
      worker.on('error', (err) => this.options.onFault?.(`run worker error: ${err.message}`));
      worker.on('exit', (code) => {
        if (!finished) {
          this.finish({ kind: 'error', exitCode: 5, error: { code: 'internal', message: `the run stopped unexpectedly (run worker exit code ${code}); resume it with the resume option` } });
        }
        if (this.current?.worker === worker) this.current = null;
        resolve();
      });
    });
    this.current = { flag, worker };
    this.exited = exited;
    return this.state;
  }

  cancel(force: boolean): boolean {
    if (!this.current) return false;
    this.state = { ...this.state, state: 'cancelling' };
    Atomics.store(this.current.flag, 0, force ? CANCEL_NOW : CANCEL_GRACEFUL);
    return true;
  }

  /** Resolves when the current (or last) run is over and its thread has exited. */
  async settled(): Promise<void> {
    await this.exited;
  }

  /** Stops a run worker at once (shutdown after the grace period). */
  async terminate(): Promise<void> {
    await this.current?.worker.terminate();
  }

  private finish(o: RunOutcome): void {
    if (o.kind === 'run') this.state = withRunSummary(this.state, o.status, o.exitCode, o.summary);
    else if (o.kind === 'no_run') this.state = { ...this.state, state: 'completed', exitCode: o.exitCode, summary: { message: o.message } };
    else this.state = withRunError(this.state, o.exitCode, o.error);
    this.starts.update(this.state);
  }
}
