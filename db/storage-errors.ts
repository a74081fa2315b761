/**
 * What a failure means, in one place for every host (SPEC.md k.3, m.16): the contract's error
 * shape { code, message, details } plus its CLI exit code, for an expected refusal
 * (BatchdeskError), a refused open (DatabaseOpenError), SQLite's and the file system's errors,
 * and a bug. cli/main.ts and host/dispatcher.ts both report through `classifyFailure`; the
 * engine learns which errors are the storage failing (and stop a run) through the store port
 * (db/engine-store.ts isFatalStorageError, describeStorageError).
 */
import { BatchdeskError, exitCodeFor, type ErrorShape } from '../core/api/errors';
import { CalendarRangeError } from '../core/calendar/calendar-range-error';
import { databaseFileIdentities } from './maintenance/database-paths';
import { DatabaseOpenError, explainReadOnlyError, isReadOnlyError } from './open-database';

type CodedError = Error & { code?: unknown };

function sqliteCode(err: unknown): string | null {
  const code = (err as CodedError | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null;
}

/**
 * The storage failing under a run: the disk is full, the file cannot be written or read. Such an
 * error stops the run (every committed portfolio-date stays) instead of failing one phase.
 */
export function isFatalStorageError(err: unknown): boolean {
  const code = sqliteCode(err);
  return code === 'SQLITE_FULL' || code === 'SQLITE_READONLY' || code === 'SQLITE_IOERR' || code === 'SQLITE_CANTOPEN';
}

/** SQLite reads the file as damaged (not a database, a malformed page). */
const isDamaged = (code: string | null): boolean => code === 'SQLITE_NOTADB' || (code?.startsWith('SQLITE_CORRUPT') ?? false);

/** What to do about a database SQLite reads as damaged. */
const DAMAGED_ADVICE = 'the database file is damaged: restore a backup (`batchdesk backup list` lists them, `batchdesk restore FILE` puts one back) or import the reference dump again';

/**
 * A failure that stopped a run, in words, with what to do: "the disk is full (SQLITE_FULL).
 * Every committed portfolio-date is intact; free some space, then run again to continue." A
 * damaged file is not "intact": it is to be restored.
 */
export function describeStorageError(err: unknown): string {
  const e = err as CodedError;
  const code = typeof e?.code === 'string' ? e.code : null;
  const coded = (what: string) => `${what}${code ? ` (${code})` : ''}`;
  if (isDamaged(code)) return `${coded(e.message)}: ${DAMAGED_ADVICE}, then run again`;
  const intact = 'Every committed portfolio-date is intact';
  if (code === 'SQLITE_FULL') return `${coded('the disk is full')}. ${intact}; free some space, then run again to continue`;
  if (code === 'SQLITE_READONLY') return `${coded('the database is read-only')}. ${intact}; fix the file's or its folder's permissions, then run again to continue`;
  return `${coded(e?.message ?? String(err))}. ${intact}; fix the cause, then run again to continue`;
}

/** A failure as a host reports it: the contract's error shape and its exit code. */
export interface ClassifiedFailure {
  readonly exitCode: number;
  readonly error: ErrorShape;
  /** The full text of a bug for a terminal: class, message and stack frames (the CLI's stderr). */
  readonly text?: string;
}

const shaped = (error: ErrorShape): ClassifiedFailure => ({ exitCode: exitCodeFor(error.code), error });

/**
 * One classification of every failure. `dbPath` is the database the failure happened on, when
 * known: SQLite's refusal to write it then says what to do about that file.
 */
export function classifyFailure(failure: unknown, dbPath?: string): ClassifiedFailure {
  const err = dbPath === undefined ? failure : explainReadOnlyError(failure, dbPath);
  if (err instanceof BatchdeskError) return { exitCode: err.exitCode, error: err.toShape() };
  if (err instanceof DatabaseOpenError) return shaped({ code: err.code === 'busy' ? 'locked' : 'data', message: err.message, details: { reason: err.code } });
  const e = err as CodedError;
  const code = typeof e?.code === 'string' ? e.code : null;
  if (code === 'SQLITE_FULL') return shaped({ code: 'io', message: `the disk is full (${e.message}); free some space and run the command again. Nothing was changed.` });
  // Before the database path is known (explainReadOnlyError names it once it is).
  if (isReadOnlyError(e)) return shaped({ code: 'io', message: `${e.message}; copy the database to a writable folder or fix its permissions` });
  if (code?.startsWith('SQLITE_BUSY')) return shaped({ code: 'locked', message: 'the database is locked by another process; try again when it has finished.' });
  // A database SQLite reads as damaged: the files' identities help tell a damaged file from a
  // connection whose -wal or -shm was replaced under it by another process.
  if (isDamaged(code)) return shaped({ code: 'io', message: `${e.message} (${code}): ${DAMAGED_ADVICE}`, ...(dbPath !== undefined ? { details: { files: databaseFileIdentities(dbPath) } } : {}) });
  // SQLite's other errors and the file system's (ENOENT, EACCES, ...).
  if (code !== null && (code.startsWith('SQLITE_') || code.startsWith('E'))) return shaped({ code: 'io', message: `${e.message} (${code})` });
  // A clock or a stored date past the trading calendar (f.1): no bug, a limit of the tool.
  if (err instanceof CalendarRangeError) return shaped({ code: 'data', message: `${err.message}; the trading calendar covers no other dates (check the clock or BATCHDESK_NOW, and the dates given)` });
  // A bug: its class and message, and for a terminal its stack frames (the stack's own first
  // line would repeat them as `TypeError: ...`).
  if (!(err instanceof Error)) return shaped({ code: 'internal', message: `internal error: ${String(err)}` });
  const message = `internal error (${err.name}): ${err.message}`;
  const head = `${err.name}: ${err.message}`;
  const frames = err.stack?.startsWith(head) ? err.stack.slice(head.length) : '';
  return { ...shaped({ code: 'internal', message }), text: `${message}${frames}` };
}
