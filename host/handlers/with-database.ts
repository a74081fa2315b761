/** Opens the host's database for one command and always closes it. */
import { openStore, type OpenedDatabase } from '../engine-host';
import type { HostContext } from '../handler-types';

export async function withDatabase<T>(ctx: Pick<HostContext, 'dbPath'>, fn: (opened: OpenedDatabase) => T | Promise<T>): Promise<T> {
  const opened = openStore(ctx.dbPath, { mustExist: true });
  try {
    return await fn(opened);
  } finally {
    opened.close();
  }
}

/**
 * Plain JSON copy of a report (drops undefined values and readonly typing). Typed `never` so
 * it fits any output type: the dispatcher validates every output against the command's schema.
 */
export function plain(value: unknown): never {
  return JSON.parse(JSON.stringify(value)) as never;
}
