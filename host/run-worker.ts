/**
 * One batch run in its own thread (started by the engine worker's ThreadedRunManager). It
 * composes and runs the engine on the database, posts every telemetry event and the outcome.
 * Cancel arrives through a shared flag: the engine's per-phase and per-portfolio-date hooks
 * read it synchronously (the run keeps this thread busy, so no message could arrive), and
 * abort the run's signals; the engine then stops after the current portfolio-date (g.10).
 */
import type { MessagePort } from 'node:worker_threads';
import { exitCodeFor } from '../core/api/errors';
import { toErrorShape } from './dispatcher';
import { runOnDatabase } from './engine-host';
import { systemClock } from './system-ports';
import { CANCEL_NONE, CANCEL_NOW, runWorkerDataSchema, type RunWorkerToHost } from './worker-protocol';

export async function startRunWorker(port: MessagePort, rawData: unknown): Promise<void> {
  const post = (m: RunWorkerToHost) => port.postMessage(m);
  const parsed = runWorkerDataSchema.safeParse(rawData);
  if (!parsed.success) {
    post({ type: 'done', outcome: { kind: 'error', error: { code: 'internal', message: `run worker started with invalid data: ${parsed.error.issues[0]?.message ?? ''}` }, exitCode: 5 } });
    return;
  }
  const data = parsed.data;
  const flag = new Int32Array(data.cancelFlag);
  const graceful = new AbortController();
  const hard = new AbortController();
  const check = () => {
    const v = Atomics.load(flag, 0);
    if (v !== CANCEL_NONE && !graceful.signal.aborted) graceful.abort();
    if (v === CANCEL_NOW && !hard.signal.aborted) hard.abort();
  };
  try {
    const r = await runOnDatabase({
      dbPath: data.dbPath,
      options: data.options,
      holder: data.holder,
      sinks: [{ name: 'engine_worker', handle: (event) => post({ type: 'event', event }) }],
      control: { signal: graceful.signal, hardSignal: hard.signal },
      clock: systemClock(),
      hooks: { beforePhase: check, afterPortfolioDate: check },
    });
    if (r.kind === 'run') post({ type: 'done', outcome: { kind: 'run', status: r.summary.status, exitCode: r.exitCode, summary: r.summary } });
    else post({ type: 'done', outcome: { kind: 'no_run', exitCode: r.exitCode, message: r.kind === 'up_to_date' ? r.message : 'plan only' } });
  } catch (err) {
    const error = toErrorShape(err, data.dbPath);
    post({ type: 'done', outcome: { kind: 'error', error, exitCode: exitCodeFor(error.code) } });
  }
}
