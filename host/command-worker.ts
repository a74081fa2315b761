/**
 * The engine worker's command loop: dispatches contract commands received over the port,
 * forwards every telemetry event, and runs batches in run workers (ThreadedRunManager) so
 * that it always answers. It owns the views' read-only connection.
 */
import { hostname } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import { formatTimestamp } from '../core/domain/timestamp';
import { dispatch, toErrorShape } from './dispatcher';
import { openStore } from './engine-host';
import { EventBus } from './event-bus';
import type { HostContext } from './handler-types';
import { ReadConnection } from './read-connection';
import { systemClock } from './system-ports';
import { ThreadedRunManager, workerEntry } from './threaded-run-manager';
import { engineWorkerDataSchema, hostToWorkerSchema, type WorkerOptions, type WorkerToHost } from './worker-protocol';

/** How long a graceful shutdown waits for the current portfolio-date before stopping the run thread. */
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * A lock row naming this process can only be left by an earlier engine worker of this
 * process that crashed (one engine worker per process): mark its run interrupted and release
 * the lock, so the restarted worker can run again at once instead of after the stale timeout.
 */
export function recoverOrphanedLock(options: Pick<WorkerOptions, 'dbPath'>, nowMs: number, pid = process.pid, host = hostname()): string | null {
  const opened = openStore(options.dbPath, { mustExist: true });
  try {
    const lock = opened.store.readLock();
    if (!lock || lock.host !== host || lock.pid !== pid) return null;
    const nowIso = formatTimestamp(nowMs);
    opened.store.transaction(() => {
      if (lock.runId) opened.store.markInterrupted(lock.runId, nowIso);
      opened.store.releaseLock(lock.runId);
    });
    return lock.runId ?? 'unknown';
  } finally {
    opened.close();
  }
}

export function startCommandWorker(port: MessagePort, rawData: unknown): void {
  const post = (m: WorkerToHost) => port.postMessage(m);
  const parsed = engineWorkerDataSchema.safeParse(rawData);
  if (!parsed.success) {
    post({ type: 'fault', message: `engine worker started with invalid options: ${parsed.error.issues[0]?.message ?? ''}` });
    port.close();
    return;
  }
  const options = parsed.data.options;
  const clock = systemClock();
  const bus = new EventBus();
  const reader = new ReadConnection(options.dbPath, options.migrationsFolder);
  const runs = new ThreadedRunManager({
    dbPath: options.dbPath,
    holder: options.holder,
    bus,
    clock,
    entry: workerEntry(options.entry),
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
    onFault: (message) => post({ type: 'fault', message }),
  });
  const ctx: HostContext = { dbPath: options.dbPath, holder: options.holder, triggeredBy: options.holder, clock, bus, runs, reader };
  bus.subscribe((event) => post({ type: 'event', event }));

  let recovered: string | null = null;
  try {
    recovered = recoverOrphanedLock(options, clock.now());
  } catch (err) {
    // A missing or unreadable database is reported by each command; the worker still serves.
    post({ type: 'fault', message: `lock check skipped: ${toErrorShape(err, options.dbPath).message}` });
  }

  let stopping = false;
  port.on('message', (raw: unknown) => {
    const msg = hostToWorkerSchema.safeParse(raw);
    if (!msg.success) {
      post({ type: 'fault', message: `ignored a malformed message: ${msg.error.issues[0]?.message ?? ''}` });
      return;
    }
    if (msg.data.type === 'shutdown') {
      if (stopping) return;
      stopping = true;
      runs.cancel(false);
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), SHUTDOWN_GRACE_MS).unref());
      void Promise.race([runs.settled(), grace])
        .then(async (r) => {
          if (r === 'timeout') await runs.terminate();
        })
        .finally(() => {
          reader.close();
          post({ type: 'stopped' });
          port.close();
        });
      return;
    }
    const { id, name, input } = msg.data;
    if (stopping) {
      post({ type: 'result', id, result: { ok: false, error: { code: 'cancelled', message: 'the engine is shutting down' } } });
      return;
    }
    void dispatch(name, input, ctx).then(
      (result) => post({ type: 'result', id, result }),
      (err: unknown) => post({ type: 'result', id, result: { ok: false, error: toErrorShape(err, options.dbPath) } }),
    );
  });
  post({ type: 'ready', recoveredLock: recovered });
}
