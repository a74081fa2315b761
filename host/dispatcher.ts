/**
 * The one entry point every transport calls: validates the input with the contract's schema,
 * runs the handler, validates the output, and turns every failure into { code, message,
 * details }. The worker thread, `serve` and tests all dispatch through it.
 */
import { CONTRACT, isCommandName, type CommandName, type CommandOutput } from '../core/api/contract';
import { BatchdeskError, type ErrorShape } from '../core/api/errors';
import { databaseFileIdentities } from '../db/maintenance/database-paths';
import { DatabaseOpenError, explainReadOnlyError } from '../db/open-database';
import type { Handler, HostContext } from './handler-types';
import { HANDLERS } from './handlers';

export type DispatchResult<N extends CommandName = CommandName> = { readonly ok: true; readonly output: CommandOutput<N> } | { readonly ok: false; readonly error: ErrorShape };

/** A failure as { code, message, details }; SQLite's refusal to write the database at `dbPath` says what to do, as the CLI says it. */
export function toErrorShape(failure: unknown, dbPath: string): ErrorShape {
  const err = explainReadOnlyError(failure, dbPath);
  if (err instanceof BatchdeskError) return err.toShape();
  if (err instanceof DatabaseOpenError) return { code: err.code === 'busy' ? 'locked' : 'data', message: err.message, details: { reason: err.code } };
  const e = err as Error & { code?: string };
  if (e?.code === 'SQLITE_BUSY') return { code: 'locked', message: 'the database is busy; try again in a moment' };
  // A database SQLite reads as damaged: the files' identities help tell a damaged file from a
  // connection whose -wal or -shm was replaced under it by another process.
  if (e?.code === 'SQLITE_NOTADB' || e?.code?.startsWith('SQLITE_CORRUPT')) return { code: 'io', message: `${e.message} (${e.code})`, details: { files: databaseFileIdentities(dbPath) } };
  if (typeof e?.code === 'string' && e.code.startsWith('SQLITE_')) return { code: 'io', message: `${e.message} (${e.code})` };
  return { code: 'internal', message: e?.message ?? String(err) };
}

export async function dispatch(name: string, rawInput: unknown, ctx: HostContext): Promise<DispatchResult> {
  if (!isCommandName(name)) return { ok: false, error: { code: 'not_found', message: `unknown command ${JSON.stringify(name)}` } };
  const def = CONTRACT[name];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: { code: 'usage', message: `${name}: ${issue.path.join('.') || 'input'}: ${issue.message}`, details: { issues: parsed.error.issues.slice(0, 10) } } };
  }
  try {
    const handler = HANDLERS[name] as Handler<typeof name>;
    const output = await handler(parsed.data as never, ctx);
    const checked = def.output.safeParse(output);
    if (!checked.success) return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result: ${checked.error.issues[0]?.message ?? ''}` } };
    return { ok: true, output: checked.data as CommandOutput<typeof name> };
  } catch (err) {
    return { ok: false, error: toErrorShape(err, ctx.dbPath) };
  }
}
