/** Opens the host's database for one command and always closes it, or reads on the host's read-only connection. */
import { createEngineStore } from '../../db/engine-store';
import { openDatabase, type SqliteDatabase } from '../../db/open-database';
import { openStore, staleJudge, type OpenedDatabase } from '../engine-host';
import type { HostContext } from '../handler-types';
import type { LockStaleness } from '../diagnostics/history-report';

export async function withDatabase<T>(ctx: Pick<HostContext, 'dbPath'>, fn: (opened: OpenedDatabase) => T | Promise<T>): Promise<T> {
  const opened = openStore(ctx.dbPath, { mustExist: true });
  try {
    return await fn(opened);
  } finally {
    opened.close();
  }
}

/** Runs a read on the host's read-only connection, or on a fresh one closed afterwards. */
export function withReader<T>(ctx: HostContext, fn: (db: SqliteDatabase) => T): T {
  if (ctx.reader) return ctx.reader.read(fn);
  const db = openDatabase(ctx.dbPath, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Whether a lock row is stale, judged within a read on `db` (the host's clock, the lock settings stored in it). */
export function readerStaleJudge(ctx: Pick<HostContext, 'clock' | 'dbPath'>, db: SqliteDatabase): LockStaleness {
  return staleJudge(createEngineStore(db), ctx.clock, ctx.dbPath);
}

/**
 * Plain JSON copy of a report (drops undefined values and readonly typing). Typed `never` so
 * it fits any output type: the dispatcher validates every output against the command's schema.
 */
export function plain(value: unknown): never {
  return JSON.parse(JSON.stringify(value)) as never;
}
