/**
 * Reading a dump in a worker thread, so that decompression, COPY decoding and value
 * conversion run on one core while the importer inserts on another. The worker opens the dump
 * (dump-read-worker.ts) and streams packed batches (row-batch-packing.ts); this side offers
 * the same surface as DumpReader: facts, tables(), batches(), close().
 *
 * Memory stays bounded: the worker sends at most WINDOW batches ahead of the importer and
 * waits for a credit per batch consumed. Errors keep their DumpError code and message.
 *
 * When no worker can be started (a bundled build without the worker file), openDumpForImport
 * reads in the calling thread instead; the rows are the same either way.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DecodedRow } from './column-converter';
import { DumpError, throwIfAborted, type DumpErrorCode, type DumpErrorContext } from './dump-error';
import type { DumpFacts, DumpTable } from './dump-model';
import type { ReadOptions, RowBatch } from './dump-reader';
import { openDump } from './open-dump';
import { schemaHintFor, shippedTargetTables } from './import-target';
import { unpackBatch, type PackedBatch } from './row-batch-packing';

/** What the importer needs of a reader (DumpReader has it all). */
export interface DumpRowSource {
  readonly facts: DumpFacts;
  tables(): readonly DumpTable[];
  batches(table: DumpTable, options?: ReadOptions): AsyncIterable<RowBatch>;
  close(): Promise<void>;
}

export interface WorkerOpenRequest {
  readonly path: string;
  readonly database?: string;
  readonly tempDir?: string;
  /** The dump schema whose tables get our column types when the dump does not define them. */
  readonly schema: string;
}

export type WorkerError = { readonly name: string; readonly code: DumpErrorCode | null; readonly message: string; readonly context: DumpErrorContext };

export type ToWorker = { type: 'read'; seq: number; tableId: string; batchSize: number; window: number } | { type: 'credit'; seq: number } | { type: 'close' };

export type FromWorker =
  | { type: 'opened'; facts: DumpFacts; tables: DumpTable[] }
  | { type: 'batch'; seq: number; batch: PackedBatch; bytesConsumed: number }
  | { type: 'end'; seq: number }
  | { type: 'error'; seq: number | null; error: WorkerError }
  | { type: 'closed' };

/** Young-generation heap of the reader thread (MB). */
const READER_YOUNG_GENERATION_MB = 64;

/** Batches the worker may run ahead of the importer. */
const WINDOW = 4;

export function toWorkerError(e: unknown): WorkerError {
  const err = e as Error & { code?: unknown; context?: unknown };
  return {
    name: err?.name ?? 'Error',
    code: e instanceof DumpError ? e.code : null,
    message: err?.message ?? String(e),
    context: e instanceof DumpError ? { ...e.context } : {},
  };
}

function fromWorkerError(e: WorkerError): Error {
  if (e.code) return new DumpError(e.code, e.message, e.context);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/** Why the worker could not be used at all (the caller then reads in its own thread). */
class WorkerUnavailable extends Error {}

type Pending = { resolve: (m: FromWorker) => void; reject: (e: Error) => void };

class WorkerDumpReader implements DumpRowSource {
  private seq = 0;
  private closed = false;
  private readonly queue: FromWorker[] = [];
  private waiting: Pending | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly worker: Worker,
    readonly facts: DumpFacts,
    private readonly list: DumpTable[],
  ) {
    worker.on('message', (m: FromWorker) => this.deliver(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the dump reader thread stopped unexpectedly (exit code ${code})`));
    });
  }

  private deliver(m: FromWorker): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.resolve(m);
    } else this.queue.push(m);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w.reject(e);
    }
  }

  private next(): Promise<FromWorker> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  tables(): readonly DumpTable[] {
    return this.list;
  }

  async *batches(table: DumpTable, options: ReadOptions = {}): AsyncGenerator<RowBatch> {
    const seq = ++this.seq;
    this.send({ type: 'read', seq, tableId: table.id, batchSize: options.batchSize ?? 5000, window: WINDOW });
    for (;;) {
      throwIfAborted(options.signal);
      const m = await this.next();
      if (m.type === 'error') {
        if (m.seq === seq || m.seq === null) throw fromWorkerError(m.error);
        continue;
      }
      if ((m.type === 'batch' || m.type === 'end') && m.seq !== seq) continue;
      if (m.type === 'end') return;
      if (m.type === 'batch') {
        this.send({ type: 'credit', seq });
        const rows: DecodedRow[] = unpackBatch(m.batch);
        yield { rows, bytesConsumed: m.bytesConsumed };
      }
    }
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // The worker removes its temporary files before it says `closed`.
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), 10_000);
      this.worker.on('message', (m: FromWorker) => {
        if (m.type === 'closed') {
          clearTimeout(timer);
          resolve();
        }
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.worker.postMessage({ type: 'close' } satisfies ToWorker);
    await done;
    await this.worker.terminate();
  }
}

/** Dumps from this size on are read in a worker thread ('auto'): smaller ones do not pay for its start. */
const WORKER_MIN_BYTES = 16 * 2 ** 20;

/** The size of a dump file, or of the files of a directory-format dump; 0 when unreadable. */
function dumpBytes(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    let total = 0;
    for (const name of readdirSync(path)) {
      const s = statSync(join(path, name));
      if (s.isFile()) total += s.size;
    }
    return total;
  } catch {
    return 0;
  }
}

const WORKER_ENTRY = new URL('./dump-read-worker.mjs', import.meta.url);

async function openInWorker(req: WorkerOpenRequest, signal: AbortSignal | undefined): Promise<DumpRowSource> {
  let worker: Worker;
  try {
    // Decoding allocates a string per field: a young generation that holds a few batches
    // lets them die young instead of being promoted and marked by the GC helper threads.
    worker = new Worker(WORKER_ENTRY, { workerData: req, resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB } });
  } catch (e) {
    throw new WorkerUnavailable((e as Error).message);
  }
  const first = await new Promise<FromWorker>((resolve, reject) => {
    // A cancelled open lets the thread finish or stop opening and remove its temporary files.
    const onAbort = () => worker.postMessage({ type: 'close' } satisfies ToWorker);
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    worker.once('message', (m: FromWorker) => {
      done();
      resolve(m);
    });
    worker.once('error', (e) => {
      done();
      reject(new WorkerUnavailable(e.message));
    });
    worker.once('exit', (code) => {
      done();
      reject(new WorkerUnavailable(`exit code ${code}`));
    });
  }).catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  if (first.type === 'closed') {
    await worker.terminate();
    throw new DumpError('cancelled', 'the dump read was cancelled');
  }
  if (first.type === 'opened') return new WorkerDumpReader(worker, first.facts, first.tables);
  await worker.terminate();
  if (first.type === 'error') throw fromWorkerError(first.error);
  throw new WorkerUnavailable(`unexpected first message ${first.type}`);
}

/**
 * Opens a dump for the importer: in a worker thread when `inWorker` is true, or 'auto' and
 * the dump is large (and a worker can be started), else in this thread. Dump errors are
 * thrown either way.
 */
export async function openDumpForImport(req: WorkerOpenRequest & { readonly signal?: AbortSignal; readonly inWorker: boolean | 'auto' }): Promise<DumpRowSource> {
  if (req.inWorker === true || (req.inWorker === 'auto' && dumpBytes(req.path) >= WORKER_MIN_BYTES)) {
    try {
      return await openInWorker({ path: req.path, schema: req.schema, ...(req.database ? { database: req.database } : {}), ...(req.tempDir ? { tempDir: req.tempDir } : {}) }, req.signal);
    } catch (e) {
      if (!(e instanceof WorkerUnavailable)) throw e;
    }
  }
  return openDump(req.path, { database: req.database, tempDir: req.tempDir, signal: req.signal, schemaHint: schemaHintFor(shippedTargetTables(), req.schema) });
}
