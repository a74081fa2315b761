/**
 * The dump reader thread (see worker-dump-reader.ts): opens the dump, announces its facts and
 * tables, then streams each requested table as packed batches, at most `window` batches ahead
 * of the importer. `close` cancels any read, closes the reader (removing temporary files) and
 * answers `closed`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DumpReader } from './dump-reader';
import { schemaHintFor, shippedTargetTables } from './import-target';
import { openDump } from './open-dump';
import { packBatch } from './row-batch-packing';
import { toWorkerError, type FromWorker, type ToWorker, type WorkerOpenRequest } from './worker-dump-reader';

const port = parentPort!;
const req = workerData as WorkerOpenRequest;
const abort = new AbortController();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

let reader: DumpReader | null = null;
let generation = 0;
let credits = 0;
let creditSeq = 0;
let wake: (() => void) | null = null;
let closing = false;

const wakeUp = () => {
  const w = wake;
  wake = null;
  w?.();
};

const opening = (async () => {
  try {
    reader = await openDump(req.path, {
      database: req.database,
      tempDir: req.tempDir,
      signal: abort.signal,
      schemaHint: schemaHintFor(shippedTargetTables(), req.schema),
    });
    if (closing) return;
    post({ type: 'opened', facts: reader.facts, tables: [...reader.tables()] });
  } catch (e) {
    if (!closing) post({ type: 'error', seq: null, error: toWorkerError(e) });
  }
})();

async function readTable(m: Extract<ToWorker, { type: 'read' }>): Promise<void> {
  const gen = ++generation;
  credits = m.window;
  creditSeq = m.seq;
  wakeUp();
  try {
    const r = reader;
    const table = r?.tables().find((t) => t.id === m.tableId);
    if (!r || !table) throw new Error(`the dump reader thread has no table ${m.tableId}`);
    for await (const b of r.batches(table, { batchSize: m.batchSize, signal: abort.signal })) {
      if (gen !== generation || closing) return;
      const { packed, transfer } = packBatch(b.rows, table.columns.length);
      post({ type: 'batch', seq: m.seq, batch: packed, bytesConsumed: b.bytesConsumed }, transfer);
      credits--;
      while (credits <= 0 && gen === generation && !closing) await new Promise<void>((resolve) => (wake = resolve));
      if (gen !== generation || closing) return;
    }
    post({ type: 'end', seq: m.seq });
  } catch (e) {
    if (gen === generation && !closing) post({ type: 'error', seq: m.seq, error: toWorkerError(e) });
  }
}

async function shutdown(): Promise<void> {
  closing = true;
  generation++;
  abort.abort();
  wakeUp();
  await opening;
  try {
    await reader?.close();
  } finally {
    post({ type: 'closed' });
    port.close();
  }
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'close') {
    if (!closing) void shutdown();
  } else if (m.type === 'credit') {
    if (m.seq === creditSeq) {
      credits++;
      wakeUp();
    }
  } else if (m.type === 'read' && !closing) {
    void readTable(m);
  }
});
