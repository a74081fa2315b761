/**
 * The write of a CSV import (SPEC.md k.2, k.3): ONE transaction, all or nothing, that still lets
 * Ctrl-C in. better-sqlite3's db.transaction() cannot span an await, so a million-row merge ran
 * as one synchronous stretch (about 30 s) and a SIGINT was handled only after it had committed.
 * Here the transaction is opened by hand (BEGIN IMMEDIATE), the work gives the event loop a turn
 * every WRITE_BATCH_ROWS rows through the caller's checkpoint, and a checkpoint that rejects (the
 * import was cancelled), like any error, rolls the whole transaction back.
 */
import type { SqliteDatabase } from '../open-database';

/** A turn for the event loop between batches: resolves to go on, rejects to stop the write (then rolled back). */
export type WriteCheckpoint = () => Promise<void>;

/** Rows written between two checkpoints: a fraction of a second of writing, so a Ctrl-C is seen at once. */
export const WRITE_BATCH_ROWS = 20_000;

/**
 * Runs `work` inside ONE write transaction on `db` (BEGIN IMMEDIATE ... COMMIT). `work` reports
 * the rows it has written with `wrote(n)`; once a batch's worth has gone by, the promise it
 * returns waits for `checkpoint`. If `work` or a checkpoint fails, the transaction is rolled
 * back, so nothing is ever half-written, and the failure is passed on.
 */
export async function batchedTransaction<T>(db: SqliteDatabase, checkpoint: WriteCheckpoint, work: (wrote: (rows: number) => Promise<void>) => Promise<T>): Promise<T> {
  let sinceCheckpoint = 0;
  const wrote = async (rows: number): Promise<void> => {
    sinceCheckpoint += rows;
    if (sinceCheckpoint < WRITE_BATCH_ROWS) return;
    sinceCheckpoint = 0;
    await checkpoint();
  };
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await work(wrote);
    db.exec('COMMIT');
    return result;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
