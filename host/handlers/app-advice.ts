/**
 * The commands the app's refusals advise, made right for the app: they name the database the
 * app has open (` --db PATH`, as the CLI's advisedDbFlag does for a database the user chose),
 * so pasted into a shell they act on this file and not on the CLI's default database. (The
 * CLI-only way past a closed gate, `--ignore-gate`, the engine leaves out for the app's runs.)
 */
import { BatchdeskError } from '../../core/api/errors';
import type { RunStatus } from '../../core/api/commands/run-commands';
import { shellWord } from '../../core/api/shell-word';
import { withLockAdvice } from '../../core/engine/locked-error';
import type { HostContext } from '../handler-types';

/** The `--db` of the commands the app advises: the app's database, quoted as a shell reads it back. */
export function appDbFlag(ctx: Pick<HostContext, 'dbPath'>): string {
  return ` --db ${shellWord(ctx.dbPath)}`;
}

/**
 * Runs `fn`; a lock refusal it throws (made where the database's origin is not known: purge,
 * restore, import, rebuild) advises `batchdesk cancel` on the app's database (withLockAdvice).
 */
export async function withAppLockAdvice<T>(ctx: Pick<HostContext, 'dbPath'>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw withLockAdvice(err, appDbFlag(ctx));
  }
}

/** A run status whose lock refusal advises `batchdesk cancel` on the app's database; any other status as it is. */
export function withStatusLockAdvice(status: RunStatus, ctx: Pick<HostContext, 'dbPath'>): RunStatus {
  if (status.error?.code !== 'locked' || !status.lockHolder) return status;
  const advised = withLockAdvice(new BatchdeskError('locked', status.error.message, { holder: status.lockHolder }), appDbFlag(ctx));
  return { ...status, error: { ...status.error, message: (advised as Error).message } };
}
