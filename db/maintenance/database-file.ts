/**
 * Checks of a database file on disk (SPEC.md j.1, j.3): opened read-only, `integrity_check`
 * must return exactly `ok`, `foreign_key_check` no rows, the applied migrations must equal
 * (backup) or be a prefix of (restore) the expected list, and optionally the row counts
 * must equal the source's. A file that cannot be opened is reported, never thrown; so is a file
 * without the SQLite header (empty, truncated or another kind of file), which SQLite would
 * otherwise open as an empty database when it is shorter than a page.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openReadOnlyConnection, type SqliteDatabase } from '../open-database';
import { hasSqliteHeader } from './database-paths';
import { tableRowCounts, type RowCounts } from '../table-counts';

export interface FileVerification {
  readonly ok: boolean;
  readonly integrity: string;
  readonly foreignKeyViolations: number;
  readonly migrations: readonly string[];
  readonly rowCounts: RowCounts;
  readonly problems: readonly string[];
}

export interface VerifyExpectations {
  /** Migration hashes the file must have: exactly ('equal') or as a prefix of the list ('prefix'). */
  readonly migrations?: { readonly hashes: readonly string[]; readonly mode: 'equal' | 'prefix' };
  /** Row counts that must match exactly (only when nothing wrote during the copy). */
  readonly rowCounts?: RowCounts;
}

/** Applied migration hashes in order (empty when the file has no history). */
export function appliedMigrationHashes(db: SqliteDatabase): string[] {
  const t = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get();
  if (!t) return [];
  return (db.prepare(`SELECT hash FROM "__drizzle_migrations" ORDER BY created_at`).all() as { hash: string }[]).map((r) => r.hash);
}

/** Why the file cannot be a SQLite database by its first bytes, or null (it may still be damaged further in). */
function notSqliteProblem(path: string): string | null {
  const bytes = statSync(path, { throwIfNoEntry: false })?.size;
  if (bytes === undefined || hasSqliteHeader(path)) return null;
  return `it is not a SQLite database (${bytes} byte${bytes === 1 ? '' : 's'}, without the SQLite header: empty, truncated or another kind of file)`;
}

export function verifyDatabaseFile(path: string, expect: VerifyExpectations = {}): FileVerification {
  const problems: string[] = [];
  const notSqlite = notSqliteProblem(path);
  if (notSqlite) return { ok: false, integrity: 'unreadable', foreignKeyViolations: 0, migrations: [], rowCounts: {}, problems: [notSqlite] };
  let db: SqliteDatabase | null = null;
  try {
    db = openReadOnlyConnection(path);
    const integrityRows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    const integrity = integrityRows.map((r) => r.integrity_check).join('; ');
    if (integrity !== 'ok') problems.push(`integrity_check: ${integrity.slice(0, 500)}`);
    const fk = db.prepare('PRAGMA foreign_key_check').all();
    if (fk.length) problems.push(`foreign_key_check: ${fk.length} violation(s)`);
    const migrations = appliedMigrationHashes(db);
    if (migrations.length === 0) problems.push('the file has no batchdesk migration history');
    if (expect.migrations) {
      const want = expect.migrations.hashes;
      const prefixOk = migrations.length <= want.length && migrations.every((h, i) => h === want[i]);
      if (expect.migrations.mode === 'equal' && !(prefixOk && migrations.length === want.length)) problems.push(`applied migrations (${migrations.length}) differ from the source's (${want.length})`);
      if (expect.migrations.mode === 'prefix' && !prefixOk) problems.push(`applied migrations (${migrations.length}) are not a prefix of this version's list (${want.length}); the file comes from a newer or different build`);
    }
    const rowCounts = tableRowCounts(db);
    if (expect.rowCounts) {
      for (const t of new Set([...Object.keys(expect.rowCounts), ...Object.keys(rowCounts)])) {
        if ((expect.rowCounts[t] ?? -1) !== (rowCounts[t] ?? -1)) problems.push(`row count of ${t}: ${rowCounts[t] ?? 'absent'} in the copy, ${expect.rowCounts[t] ?? 'absent'} in the source`);
      }
    }
    return { ok: problems.length === 0, integrity, foreignKeyViolations: fk.length, migrations, rowCounts, problems };
  } catch (err) {
    const e = err as Error & { code?: string };
    problems.push(`cannot read the file as a SQLite database: ${e.message}${e.code ? ` (${e.code})` : ''}`);
    return { ok: false, integrity: 'unreadable', foreignKeyViolations: 0, migrations: [], rowCounts: {}, problems };
  } finally {
    db?.close();
  }
}

/** SHA-256 of a file, read in 1 MB pieces (a database may be larger than a Buffer can hold). */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const piece = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, piece, 0, piece.length, null); n > 0; n = readSync(fd, piece, 0, piece.length, null)) hash.update(piece.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Flushes a file's contents to disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes a rename inside `dir` durable: the new name is on disk once this returns, so a power cut
 * after it cannot bring the old file back. Platforms that cannot open a folder for fsync
 * (Windows) keep the rename as their file system orders it.
 */
export function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch (err) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes((err as { code?: string }).code ?? '')) throw err;
  } finally {
    closeSync(fd);
  }
}

/**
 * Pages copied per backup step: all of them. SQLite restarts a stepwise backup whenever another
 * connection writes to the source between two steps, so with a run committing a date every few
 * tens of milliseconds a copy of 100 pages a step started over until the run ended (and slowed
 * it down). One step copies the whole file inside one read transaction: a consistent image of
 * what was committed when it began, while the writer goes on (WAL). It blocks this thread for
 * the copy, about a second per 300 MB.
 */
const ALL_PAGES = 0x7fffffff;

export interface CopyOptions {
  /** Checked before the copy starts; the copy then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Online backup of an open database into `target` (SPEC.md j.1: SQLite's backup API copies a
 * consistent image of committed data while readers keep working), in one step (ALL_PAGES),
 * then switched to rollback journal mode so the copy is one self-contained file, and flushed to
 * disk. On a failure better-sqlite3 removes the target it created.
 */
export async function copyDatabase(db: SqliteDatabase, target: string, options: CopyOptions = {}): Promise<void> {
  options.signal?.throwIfAborted();
  // better-sqlite3 opens the backup with a first step of no pages, then asks for the next step's size.
  await db.backup(target, {
    progress: () => {
      options.signal?.throwIfAborted();
      return ALL_PAGES;
    },
  });
  const copy = new Database(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  fsyncFile(target);
}
