/**
 * The host side of the engine worker, shared by Electron main and `serve`: starts the worker,
 * sends contract commands and awaits their results, relays telemetry events, and supervises
 * the thread. A crash fails the commands in flight with an `internal` error, then the worker
 * is restarted with a growing delay (at most `maxRestarts` within `restartWindowMs`, then it
 * stays down and says so). `stop()` asks for a graceful shutdown (the running batch finishes
 * its current portfolio-date) and terminates the thread if it does not exit in time.
 */
import { Worker } from 'node:worker_threads';
import type { CommandName, CommandInput } from '../core/api/contract';
import type { EngineStatus } from '../core/api/engine-status';
import type { ErrorShape } from '../core/api/errors';
import type { TelemetryEvent } from '../core/api/telemetry-events';
import type { DispatchResult } from './dispatcher';
import { ENGINE_WORKER_KIND, workerToHostSchema, type HostToWorker, type WorkerOptions } from './worker-protocol';

export type { EngineStatus };

/** The part of a worker_threads Worker the client uses (a seam for tests and electron-vite's ?nodeWorker). */
export interface WorkerLike {
  postMessage(message: HostToWorker): void;
  on(event: 'message', listener: (message: unknown) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  terminate(): Promise<number>;
}

export interface EngineWorkerClientOptions {
  /** The worker module: the bundled worker (Electron) or host/engine-worker-bootstrap.mjs (plain Node). */
  readonly workerPath: string | URL;
  readonly options: Omit<WorkerOptions, 'entry'>;
  readonly maxRestarts?: number;
  readonly restartWindowMs?: number;
  /** First restart delay; doubles per restart within the window. */
  readonly restartDelayMs?: number;
  /** How long stop() waits for a graceful exit before terminating the thread. */
  readonly stopTimeoutMs?: number;
  readonly onStatus?: (status: EngineStatus) => void;
  /** Reports worker faults and protocol errors (the host logs them). */
  readonly onFault?: (message: string) => void;
  readonly createWorker?: (path: string | URL, workerData: unknown) => WorkerLike;
}

interface Pending {
  readonly resolve: (r: DispatchResult) => void;
}

const defaultCreateWorker = (path: string | URL, workerData: unknown): WorkerLike => new Worker(path, { workerData }) as unknown as WorkerLike;

export class EngineWorkerClient {
  private worker: WorkerLike | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: TelemetryEvent) => void>();
  private readonly statusListeners = new Set<(s: EngineStatus) => void>();
  private nextId = 1;
  private ready: Promise<void> | null = null;
  private restartTimes: number[] = [];
  private restarts = 0;
  private stopping = false;
  private status: EngineStatus = { state: 'starting' };
  private exited: (() => void) | null = null;

  constructor(private readonly opts: EngineWorkerClientOptions) {}

  get currentStatus(): EngineStatus {
    return this.status;
  }

  /** Starts the worker; resolves once it reports ready. */
  start(): Promise<void> {
    if (!this.ready) this.ready = this.spawn();
    return this.ready;
  }

  /** Sends a command; resolves with the dispatcher's result (never rejects). */
  async call<N extends CommandName>(name: N, input: CommandInput<N> | unknown): Promise<DispatchResult> {
    if (this.stopping) return failure({ code: 'cancelled', message: 'the engine is shutting down' });
    try {
      await this.start();
    } catch (err) {
      return failure({ code: 'internal', message: (err as Error).message });
    }
    const worker = this.worker;
    if (!worker) return failure({ code: 'internal', message: 'the engine is not running' });
    const id = this.nextId++;
    return new Promise<DispatchResult>((resolve) => {
      this.pending.set(id, { resolve });
      try {
        worker.postMessage({ type: 'call', id, name, input });
      } catch (err) {
        this.pending.delete(id);
        resolve(failure({ code: 'usage', message: `the command input cannot be sent to the engine: ${(err as Error).message}` }));
      }
    });
  }

  onEvent(listener: (e: TelemetryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Status changes (starting, ready, crashed, failed, stopped) for the UI. */
  onStatus(listener: (s: EngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Graceful shutdown: cancel the run after its current portfolio-date, close the database, exit. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    const worker = this.worker;
    if (!worker) {
      this.setStatus({ state: 'stopped' });
      return;
    }
    const exited = new Promise<void>((resolve) => (this.exited = resolve));
    worker.postMessage({ type: 'shutdown' });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), this.opts.stopTimeoutMs ?? 30_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') await worker.terminate();
    this.failPending({ code: 'cancelled', message: 'the engine stopped' });
    this.worker = null;
    this.setStatus({ state: 'stopped' });
  }

  private setStatus(s: EngineStatus): void {
    this.status = s;
    this.opts.onStatus?.(s);
    for (const l of this.statusListeners) l(s);
  }

  private spawn(): Promise<void> {
    this.setStatus({ state: 'starting' });
    const create = this.opts.createWorker ?? defaultCreateWorker;
    return new Promise<void>((resolve, reject) => {
      let booted = false;
      const entry = String(this.opts.workerPath instanceof URL ? this.opts.workerPath.href : this.opts.workerPath);
      const worker = create(this.opts.workerPath, { kind: ENGINE_WORKER_KIND, options: { ...this.opts.options, entry } });
      this.worker = worker;
      worker.on('message', (raw) => {
        const parsed = workerToHostSchema.safeParse(raw);
        if (!parsed.success) {
          this.opts.onFault?.(`malformed message from the engine worker: ${parsed.error.issues[0]?.message ?? ''}`);
          return;
        }
        const m = parsed.data;
        switch (m.type) {
          case 'ready':
            booted = true;
            this.setStatus({ state: 'ready', restarts: this.restarts, recoveredLock: m.recoveredLock });
            resolve();
            break;
          case 'result': {
            const p = this.pending.get(m.id);
            this.pending.delete(m.id);
            p?.resolve(m.result as DispatchResult);
            break;
          }
          case 'event':
            for (const l of this.listeners) {
              try {
                l(m.event);
              } catch (err) {
                this.opts.onFault?.(`telemetry listener failed: ${(err as Error).message}`);
              }
            }
            break;
          case 'fault':
            this.opts.onFault?.(m.message);
            break;
          case 'stopped':
            break;
        }
      });
      worker.on('error', (err) => {
        this.opts.onFault?.(`engine worker error: ${err.message}`);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = null;
        if (this.stopping) {
          this.exited?.();
          return;
        }
        const message = `the engine stopped unexpectedly (exit code ${code})`;
        this.failPending({ code: 'internal', message: `${message}; it is restarting` });
        if (!booted) {
          this.ready = null;
          reject(new Error(`${message} while starting`));
        }
        this.scheduleRestart(message);
      });
    });
  }

  private scheduleRestart(message: string): void {
    const now = Date.now();
    const window = this.opts.restartWindowMs ?? 60_000;
    this.restartTimes = this.restartTimes.filter((t) => now - t < window);
    if (this.restartTimes.length >= (this.opts.maxRestarts ?? 5)) {
      this.ready = Promise.reject(new Error(`${message}; it crashed ${this.restartTimes.length + 1} times within ${Math.round(window / 1000)} s and stays stopped`));
      this.ready.catch(() => undefined);
      this.setStatus({ state: 'failed', message });
      return;
    }
    const delay = (this.opts.restartDelayMs ?? 250) * 2 ** this.restartTimes.length;
    this.restartTimes.push(now);
    this.restarts += 1;
    this.setStatus({ state: 'crashed', message, restarts: this.restarts });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.ready = gate.then(() => {
      if (this.stopping) throw new Error('the engine is shutting down');
      return this.spawn();
    });
    this.ready.catch(() => undefined);
    setTimeout(release, delay).unref();
  }

  private failPending(error: ErrorShape): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(failure(error));
    }
  }
}

function failure(error: ErrorShape): DispatchResult {
  return { ok: false, error };
}
