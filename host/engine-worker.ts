/**
 * The engine worker module (SPEC.md 0.2, m.19), the one that both Electron main and `serve`
 * start. Its role comes from workerData: the engine worker (commands, views, settings and the
 * telemetry relay; it owns the views' read-only connection) or a run worker (one batch run,
 * started by the engine worker from this same module). Imported anywhere else it does nothing.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startCommandWorker } from './command-worker';
import { startRunWorker } from './run-worker';
import { ENGINE_WORKER_KIND, RUN_WORKER_KIND } from './worker-protocol';

const kind = (workerData as { kind?: unknown } | null)?.kind;
if (!isMainThread && parentPort) {
  if (kind === ENGINE_WORKER_KIND) startCommandWorker(parentPort, workerData);
  else if (kind === RUN_WORKER_KIND) void startRunWorker(parentPort, workerData);
}
