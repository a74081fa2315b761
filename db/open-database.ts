/**
 * Opening a batchdesk database (SPEC.md b.1): pragmas, migration-history check, pending
 * migrations. Every refusal is a DatabaseOpenError with a code the hosts map to exit code 5
 * (`busy`, another process holding the write lock, maps to 3 as SPEC.md m.16 says) and a
 * message that says what to do. A refused open never creates or changes a file. Opening a
 * database that is up to date writes nothing, so it never waits for another writer. A read-only
 * open also reads a file that nobody may write (openReadOnlyConnection).
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellWord } from '../core/api/shell-word';
import { readMigrationFiles } from 'drizzle-orm/migrator';

export type SqliteDatabase = Database.Database;

export type DatabaseOpenErrorCode =
  | 'directory_missing'
  | 'not_found'
  | 'not_sqlite'
  | 'not_batchdesk'
  | 'newer_version'
  | 'history_mismatch'
  | 'busy'
  | 'read_only'
  | 'io_error';

export class DatabaseOpenError extends Error {
  constructor(
    readonly code: DatabaseOpenErrorCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'DatabaseOpenError';
  }
}

export interface OpenDatabaseOptions {
  /** Open read-only (a second connection for views); no migrations are applied. */
  readonly readonly?: boolean;
  /** Refuse instead of creating a missing file. */
  readonly mustExist?: boolean;
  /** Folder holding the drizzle migrations (packaged apps pass an absolute path). */
  readonly migrationsFolder?: string;
  /** busy_timeout in ms (SPEC.md b.1: 5000). */
  readonly busyTimeoutMs?: number;
  /** Log every SQL statement (run --sql-echo). */
  readonly verbose?: (sql: string) => void;
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

export const DEFAULT_MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface ShippedMigration {
  readonly hash: string;
  readonly createdAt: number;
  readonly statements: readonly string[];
}

export function shippedMigrations(folder = DEFAULT_MIGRATIONS_FOLDER): ShippedMigration[] {
  return readMigrationFiles({ migrationsFolder: folder }).map((m) => ({
    hash: m.hash,
    createdAt: m.folderMillis,
    statements: m.sql.map((s) => s.trim()).filter((s) => s.length > 0),
  }));
}

interface AppliedMigration {
  readonly hash: string;
  readonly createdAt: number;
}

/** Whether the database has a table of this name. */
export function tableExists(db: SqliteDatabase, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

function appliedMigrations(db: SqliteDatabase): AppliedMigration[] | null {
  if (!tableExists(db, MIGRATIONS_TABLE)) return null;
  return (
    db.prepare(`SELECT hash, created_at AS createdAt FROM "${MIGRATIONS_TABLE}" ORDER BY created_at`).all() as {
      hash: string;
      createdAt: number | string;
    }[]
  ).map((r) => ({ hash: r.hash, createdAt: Number(r.createdAt) }));
}

/**
 * Compares the applied history with the shipped list. The applied list must be a prefix of
 * the shipped one: more entries, or an unknown timestamp, mean a newer batchdesk wrote the
 * file; a known timestamp with another hash means the history was edited.
 */
export function checkMigrationHistory(
  applied: readonly AppliedMigration[],
  shipped: readonly ShippedMigration[],
  path: string,
): void {
  for (let i = 0; i < applied.length; i++) {
    const a = applied[i]!;
    const s = shipped[i];
    if (!s || a.createdAt > shipped[shipped.length - 1]!.createdAt) {
      throw new DatabaseOpenError(
        'newer_version',
        `${path} was written by a newer version of batchdesk (it has ${applied.length} migrations, this version knows ${shipped.length}). Update batchdesk, or open a backup made by this version.`,
        path,
      );
    }
    if (a.createdAt !== s.createdAt || a.hash !== s.hash) {
      throw new DatabaseOpenError(
        'history_mismatch',
        `${path} has a migration history that does not match this version of batchdesk (migration ${i + 1} differs). The file was edited or comes from another build; restore a backup or re-import the data.`,
        path,
      );
    }
  }
}

/** SQLite refused to write: SQLITE_READONLY or one of its extended codes. */
export function isReadOnlyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_READONLY');
}

/** What to do about a database SQLite cannot write; `blocked` names the file or folder found read-only. */
export function readOnlyDatabaseMessage(path: string, blocked?: string): string {
  return `the database file ${resolve(path)} is read-only (or its folder, -wal or -shm file is${blocked ? `; ${blocked} cannot be written` : ''}): copy it to a writable folder or fix its permissions`;
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why SQLite could not write the database at `path`, or null, checked on the files before a
 * write or a backup starts. SQLite opens a read-only file read-only without a word, and
 * opens a -shm file it cannot write (read-only, or not a file at all) as a read-only shared
 * memory on which every backup step starts over; the folder must be writable when SQLite has
 * to create the -wal or -shm file. Root passes the permission checks, as it passes SQLite's.
 */
export function readOnlyDatabaseProblem(path: string): string | null {
  const abs = resolve(path);
  // A missing database or folder, or a folder given as the database, is the opener's error to
  // give ("does not exist", "is a folder, not a database file").
  if (!existsSync(abs) || statSync(abs).isDirectory()) return null;
  const files = [abs, `${abs}-wal`, `${abs}-shm`];
  const blocked =
    files.find((f) => existsSync(f) && !(statSync(f).isFile() && writable(f))) ??
    (files.slice(1).some((f) => !existsSync(f)) && !writable(dirname(abs)) ? `its folder ${dirname(abs)}` : undefined);
  return blocked === undefined ? null : readOnlyDatabaseMessage(abs, blocked);
}

/**
 * Refuses a database SQLite could not write (readOnlyDatabaseProblem) before a command that
 * writes starts, or asks to: the DatabaseOpenError 'read_only' every host reports (exit code 5).
 */
export function refuseReadOnlyDatabase(path: string): void {
  const problem = readOnlyDatabaseProblem(path);
  if (problem) throw new DatabaseOpenError('read_only', problem, resolve(path));
}

/**
 * `err` as the hosts report it (the CLI's reportError, the dispatcher's toErrorShape): SQLite's
 * refusal to write (isReadOnlyError) the database at `path` becomes the DatabaseOpenError
 * 'read_only' that says what to do; any other error is returned as it is.
 */
export function explainReadOnlyError(err: unknown, path: string): unknown {
  return isReadOnlyError(err) ? new DatabaseOpenError('read_only', readOnlyDatabaseMessage(path), resolve(path)) : err;
}

/**
 * SQLite's answer when it cannot read a WAL database in place: it has to create or open the -wal
 * or -shm file beside it (SQLITE_READONLY_DIRECTORY, SQLITE_CANTOPEN and their kin).
 */
function cannotReadInPlace(err: unknown): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return isReadOnlyError(err) || (typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN'));
}

/** Whether the -wal file beside `abs` may hold changes that are not in the database file yet (any content at all). */
function walMayHoldChanges(abs: string): boolean {
  const wal = statSync(`${abs}-wal`, { throwIfNoEntry: false });
  return wal !== undefined && wal.isFile() && wal.size > 0;
}

/** What to do about a read-only WAL database whose -wal file SQLite cannot read without creating a -shm file. */
export function unreadableWalMessage(path: string): string {
  const abs = resolve(path);
  return `cannot read ${abs}: its -wal file may hold changes that are not in the database file yet, and SQLite can read them only by creating ${abs}-shm, which the read-only file or folder does not allow. Copy the database together with its -wal file to a writable folder and open the copy there`;
}

/**
 * The file's bytes as an in-memory read-only database, read as a rollback-journal database
 * (header bytes 18-19: an image has no -wal file to consult). Only for a file nobody writes:
 * the image does not see later commits.
 */
function openImage(abs: string, verbose: ((sql: string) => void) | undefined): SqliteDatabase {
  if (walMayHoldChanges(abs)) throw new DatabaseOpenError('read_only', unreadableWalMessage(abs), abs);
  const image = readFileSync(abs);
  if (image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
  return new Database(image, { readonly: true, verbose: verbose as ((m?: unknown) => void) | undefined });
}

/**
 * A read-only connection to an existing database file: the one way batchdesk opens a file only
 * to read it (SPEC.md b.1). SQLite reads a WAL database in place when it can use or create the
 * -wal and -shm files beside it: always for a file this process may write, so a reader sees each
 * commit of a running batch. On a read-only mount, or in a read-only folder without those files
 * (a copy, a file shared read-only), it cannot; its `immutable=1` URI would do, but
 * better-sqlite3 is built without URI filenames. Such a file (one this process cannot write,
 * readOnlyDatabaseProblem, and no writer has open, or the -wal and -shm files would be there) is
 * read from an image of it in memory (batchdesk databases are tens of megabytes), unless a -wal
 * file may hold changes the image would miss: that is refused with what to do, never shown stale.
 */
export function openReadOnlyConnection(path: string, verbose?: (sql: string) => void): SqliteDatabase {
  const abs = resolve(path);
  const db = new Database(abs, { readonly: true, fileMustExist: true, verbose: verbose as ((m?: unknown) => void) | undefined });
  try {
    // The first read: SQLite opens (or fails to create) the -wal and -shm files here.
    db.pragma('schema_version');
    return db;
  } catch (err) {
    db.close();
    if (!cannotReadInPlace(err) || readOnlyDatabaseProblem(abs) === null) throw err;
    return openImage(abs, verbose);
  }
}

/** Connection settings only: nothing here writes to the file. */
function applyPragmas(db: SqliteDatabase, busyTimeoutMs: number, readonly: boolean): void {
  db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  if (!readonly) db.pragma('synchronous = NORMAL');
  // A backfill writes hundreds of thousands of index entries: a 64 MB page cache keeps the
  // hot index pages in memory (the default is 2 MB).
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  // Checkpoint every ~40 MB of WAL instead of every 4 MB: fewer fsyncs during a backfill (the
  // engine also checkpoints at every chunk end).
  if (!readonly) db.pragma('wal_autocheckpoint = 10000');
  db.pragma('foreign_keys = ON');
}

/**
 * WAL mode is stored in the file header, so it is switched on only after the file has been
 * recognised as a batchdesk database: a refused file keeps every byte.
 */
function enableWal(db: SqliteDatabase): void {
  db.pragma('journal_mode = WAL');
}

function migrate(db: SqliteDatabase, shipped: readonly ShippedMigration[], path: string): void {
  // Up to date (the caller has checked the history): no write transaction, so an open never
  // waits for, or fails on, another process's write lock.
  if ((appliedMigrations(db)?.length ?? -1) === shipped.length) return;
  db.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
  const apply = db.transaction(() => {
    const applied = appliedMigrations(db) ?? [];
    checkMigrationHistory(applied, shipped, path);
    const insert = db.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES (?, ?)`);
    for (const m of shipped.slice(applied.length)) {
      for (const stmt of m.statements) db.exec(stmt);
      insert.run(m.hash, m.createdAt);
    }
  });
  apply.immediate();
}

/**
 * Opens (creating when allowed) a batchdesk database and brings it to the shipped schema.
 * Refuses a missing directory, a file that is not SQLite, a SQLite file of another
 * application, a file from a newer version, and an edited migration history.
 *
 * SQLite itself tells a file that is not a database (SQLITE_NOTADB on the first read, before
 * anything is written): reading its header through Node would open and close the file, and a
 * close drops every POSIX lock SQLite's other connections in this process hold on it
 * (sqlite.org/howtocorrupt.html, 2.2), which the app and browser mode always have open.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const abs = resolve(path);
  const dir = dirname(abs);
  if (!existsSync(dir)) {
    throw new DatabaseOpenError('directory_missing', `cannot open ${abs}: the folder ${dir} does not exist. Create it first or choose another --db path.`, abs);
  }
  if (!statSync(dir).isDirectory()) {
    throw new DatabaseOpenError('directory_missing', `cannot open ${abs}: ${dir} is a file, not a folder. Choose another --db path.`, abs);
  }
  const exists = existsSync(abs);
  if (!exists && (options.mustExist || options.readonly)) {
    throw new DatabaseOpenError('not_found', `database ${abs} does not exist. Create it with \`batchdesk seed-demo --db ${shellWord(abs)}\` or import a dump.`, abs);
  }
  if (exists) {
    if (statSync(abs).isDirectory()) {
      throw new DatabaseOpenError('not_sqlite', `${abs} is a folder, not a database file. Give a file, e.g. --db ${shellWord(join(abs, 'portfolios.sqlite'))}.`, abs);
    }
  }
  const shipped = shippedMigrations(options.migrationsFolder);
  let db: SqliteDatabase;
  try {
    db = options.readonly
      ? openReadOnlyConnection(abs, options.verbose)
      : new Database(abs, { fileMustExist: exists, verbose: options.verbose as ((m?: unknown) => void) | undefined });
  } catch (err) {
    throw openFailure(err, abs);
  }
  try {
    applyPragmas(db, options.busyTimeoutMs ?? 5000, options.readonly ?? false);
    const applied = appliedMigrations(db);
    if (applied === null) {
      const tables = db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).get() as { n: number };
      if (tables.n > 0) {
        throw new DatabaseOpenError('not_batchdesk', `${abs} is a SQLite database of another application (it has tables but no batchdesk migration history). Choose a batchdesk database, or import a dump into a new file with \`batchdesk import <dump> --db <new file>\`.`, abs);
      }
      // An empty file (0 bytes, or SQLite without tables) is not a database yet: a command that
      // needs one refuses it as it refuses a missing file, instead of turning it into one.
      if (options.mustExist) {
        throw new DatabaseOpenError('not_found', `database ${abs} is empty (not a batchdesk database yet). Create it with \`batchdesk seed-demo --db ${shellWord(abs)}\` or import a dump.`, abs);
      }
    } else {
      checkMigrationHistory(applied, shipped, abs);
    }
    if (options.readonly) {
      if ((applied?.length ?? 0) < shipped.length) {
        throw new DatabaseOpenError('newer_version', `${abs} needs migrations this read-only connection cannot apply; open it once for writing first.`, abs);
      }
    } else {
      enableWal(db);
      migrate(db, shipped, abs);
    }
    return db;
  } catch (err) {
    db.close();
    throw openFailure(err, abs);
  }
}

/** A failed open as the DatabaseOpenError that says what happened and what to do. */
function openFailure(err: unknown, abs: string): DatabaseOpenError {
  if (err instanceof DatabaseOpenError) return err;
  const e = err as Error & { code?: string };
  if (e.code === 'SQLITE_NOTADB') {
    return new DatabaseOpenError('not_sqlite', `${abs} is not a SQLite database (or is encrypted or damaged). Check the --db path (it must point at a batchdesk .sqlite file).`, abs);
  }
  if (isReadOnlyError(e)) return new DatabaseOpenError('read_only', readOnlyDatabaseMessage(abs), abs);
  if (e.code?.startsWith('SQLITE_BUSY')) {
    return new DatabaseOpenError('busy', `cannot open ${abs}: another process is writing to it (${e.message}); try again when it has finished`, abs);
  }
  return new DatabaseOpenError('io_error', `cannot open ${abs}: ${e.message}`, abs);
}

/**
 * Opens an existing database for a command that only reads (history, reconcile, diagnose, verify,
 * the exports): for writing when SQLite can write it, so pending migrations are applied as every
 * command applies them; read-only (openReadOnlyConnection) when it cannot, so a file on a
 * read-only mount or shared read-only is still read.
 */
export function openDatabaseToRead(path: string, options: Omit<OpenDatabaseOptions, 'readonly' | 'mustExist'> = {}): SqliteDatabase {
  return openDatabase(path, { ...options, mustExist: true, readonly: readOnlyDatabaseProblem(path) !== null });
}
