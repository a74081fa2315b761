/**
 * The one entry point every transport calls: validates the input with the contract's schema,
 * runs the handler, validates the output, and turns every failure into { code, message,
 * details }. The worker thread, `serve` and tests all dispatch through it. Before each command
 * the host looks whether another process replaced its database (database-replaced.ts), so no
 * answer comes from the runs it kept of the file that was there.
 */
import { CONTRACT, isCommandName, type CommandName, type CommandOutput } from '../core/api/contract';
import type { ErrorShape } from '../core/api/errors';
import { issueWords } from '../core/api/issue-words';
import { classifyFailure } from '../db/storage-errors';
import type { Handler, HostContext } from './handler-types';
import { HANDLERS } from './handlers';
import { noticeReplacementByOtherProcess } from './handlers/database-replaced';

export type DispatchResult<N extends CommandName = CommandName> = { readonly ok: true; readonly output: CommandOutput<N> } | { readonly ok: false; readonly error: ErrorShape };

/** A failure as { code, message, details }, classified as every host does (db/storage-errors.ts): SQLite's refusal to write the database at `dbPath` says what to do, as the CLI says it. */
export function toErrorShape(failure: unknown, dbPath: string): ErrorShape {
  return classifyFailure(failure, dbPath).error;
}

export async function dispatch(name: string, rawInput: unknown, ctx: HostContext): Promise<DispatchResult> {
  if (!isCommandName(name)) return { ok: false, error: { code: 'not_found', message: `unknown command ${JSON.stringify(name)}` } };
  const def = CONTRACT[name];
  const parsed = def.input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: { code: 'usage', message: `${name}: ${issue.path.join('.') || 'input'}: ${issueWords(issue)}`, details: { issues: parsed.error.issues.slice(0, 10).map((i) => ({ ...i, message: issueWords(i) })) } } };
  }
  try {
    noticeReplacementByOtherProcess(ctx);
    const handler = HANDLERS[name] as Handler<typeof name>;
    const output = await handler(parsed.data as never, ctx);
    const checked = def.output.safeParse(output);
    if (!checked.success) return { ok: false, error: { code: 'internal', message: `${name} produced an invalid result: ${checked.error.issues[0]?.message ?? ''}` } };
    return { ok: true, output: checked.data as CommandOutput<typeof name> };
  } catch (err) {
    return { ok: false, error: toErrorShape(err, ctx.dbPath) };
  }
}
