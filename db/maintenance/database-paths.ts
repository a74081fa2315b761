/**
 * Output paths against database files (issue 9, SPEC.md j.1, j.3, j.7): a path given for an
 * export, a report, a baseline, a log file or a backup must never name a SQLite database or
 * one of a database's companion files (`-wal`, `-shm`, `-journal`), and a restore must never
 * read the live database as its backup. Otherwise a mistyped or crafted name would overwrite
 * the live database with text, or swap it with an image that lacks its WAL.
 *
 * A path is refused when, after resolving it:
 *   - it is one of the protected database paths (or their companions), compared by resolved
 *     name and, when both exist, by device and inode (symbolic and hard links); or
 *   - it exists and starts with the SQLite file header or the WAL header; or
 *   - it ends in -wal, -shm or -journal and the file without that suffix is a SQLite database.
 * Refusals are usage errors (exit code 2): the value of a flag or argument is invalid, and
 * nothing has been written yet.
 *
 * An output path this file system cannot take (a file on its folder path, a folder that cannot
 * be written, or the path is itself a folder) is an I/O error (exit code 5, k.3), the same for
 * every output flag (`backup --out`, `prices|profiles export --out`, `history export-baseline
 * --out`, `import --report`, `--log-file`, `run --trace`), with one message shape
 * (outputPathError): `cannot write <what> to <path>: <why>; choose another <flag> path`.
 */
import { accessSync, closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { BatchdeskError } from '../../core/api/errors';

export const DATABASE_COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

const SQLITE_HEADER = Buffer.from('SQLite format 3\u0000', 'latin1');
/** The two WAL magic numbers (big-endian), SQLite file format section 4.1. */
const WAL_MAGICS = [0x377f0682, 0x377f0683];

/** The path with symbolic links resolved as far as it exists. */
export function canonicalPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

function sameFile(a: string, b: string): boolean {
  if (canonicalPath(a) === canonicalPath(b)) return true;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

function header(path: string): Buffer | null {
  try {
    if (!statSync(path).isFile()) return null;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(16);
      const n = readSync(fd, buf, 0, 16, 0);
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** True when the file exists and starts with the SQLite file header ("SQLite format 3\0"). */
export function hasSqliteHeader(path: string): boolean {
  const h = header(path);
  return h !== null && h.length >= SQLITE_HEADER.length && h.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER);
}

/** True when the file exists and is a SQLite database or a WAL file, by its first bytes. */
export function looksLikeDatabaseFile(path: string): boolean {
  if (hasSqliteHeader(path)) return true;
  const h = header(path);
  return h !== null && h.length >= 4 && WAL_MAGICS.includes(h.readUInt32BE(0));
}

/**
 * Why `target` must not be written because it is one of `protectedDatabases` or a companion file
 * of one (by resolved name, or the same file through a link), or null. The first check of
 * databaseOverwriteReason; alone, for a file the caller knows to be its own leftover to replace.
 */
export function protectedDatabaseReason(target: string, protectedDatabases: readonly string[]): string | null {
  const abs = resolve(target);
  for (const db of protectedDatabases) {
    for (const suffix of ['', ...DATABASE_COMPANION_SUFFIXES]) {
      if (sameFile(abs, resolve(db) + suffix)) return suffix ? `it is the ${suffix.slice(1)} file of the database ${resolve(db)}` : `it is the database ${resolve(db)}`;
    }
  }
  return null;
}

/** The reason of databaseOverwriteReason for a file that is a SQLite database by its first bytes. */
export const SQLITE_FILE_REASON = 'it is a SQLite database file';

/** Why `target` must not be written, or null when it is safe. */
export function databaseOverwriteReason(target: string, protectedDatabases: readonly string[] = []): string | null {
  const abs = resolve(target);
  const protectedReason = protectedDatabaseReason(abs, protectedDatabases);
  if (protectedReason) return protectedReason;
  if (looksLikeDatabaseFile(abs)) return SQLITE_FILE_REASON;
  for (const suffix of DATABASE_COMPANION_SUFFIXES) {
    if (abs.endsWith(suffix) && looksLikeDatabaseFile(abs.slice(0, -suffix.length))) return `it is the ${suffix.slice(1)} file of the database ${abs.slice(0, -suffix.length)}`;
  }
  return null;
}

/**
 * True when a path given for an output says by its spelling that it is a folder: it ends in a
 * path separator (`backups/`, and `backups\` on Windows) or in a `.` or `..` segment. Such a
 * path names a folder whether it exists or not; writing a file under that name would lose
 * what the user said.
 */
export function namesFolder(path: string): boolean {
  return path.endsWith('/') || path.endsWith(sep) || ['.', '..'].includes(basename(path));
}

/**
 * An output path given on the command line, made absolute against `cwd`. A trailing
 * separator survives (`resolve` drops it), so namesFolder still sees that a folder was meant.
 */
export function resolveOutputPath(cwd: string, path: string): string {
  const abs = resolve(cwd, path);
  return namesFolder(path) && !abs.endsWith(sep) ? `${abs}${sep}` : abs;
}

/** Throws a usage error when writing `target` could overwrite a database (see the file comment). */
export function refuseDatabaseOverwrite(target: string, what: string, protectedDatabases: readonly string[] = []): void {
  const why = databaseOverwriteReason(target, protectedDatabases);
  if (why) throw databaseOverwriteError(what, target, why);
}

/**
 * The refusal of refuseDatabaseOverwrite (a usage error, nothing written yet) for the reason `why`,
 * for callers that weigh the reasons themselves (a backup's own leftover, host/maintenance/backup.ts).
 */
export function databaseOverwriteError(what: string, target: string, why: string): BatchdeskError {
  return new BatchdeskError('usage', `refusing to write ${what} to ${resolve(target)}: ${why}; choose another path`);
}

/**
 * The refusal of an output path that cannot be written (see the file comment): an I/O error,
 * exit code 5, in the one shape every output flag uses. `flag` is the flag that named the path,
 * when one did.
 */
export function outputPathError(what: string, path: string, why: string, flag?: string): BatchdeskError {
  return new BatchdeskError('io', `cannot write ${what} to ${path}: ${why}; choose another ${flag ? `${flag} ` : ''}path (a missing folder is created)`);
}

/** Throws outputPathError when `file` cannot be written (outputLocationProblem) or is a folder. */
export function refuseUnusableOutput(file: string, what: string, flag?: string): void {
  const abs = resolve(file);
  const problem = existsSync(abs) && statSync(abs).isDirectory() ? 'it is a folder' : outputLocationProblem(abs);
  if (problem) throw outputPathError(what, abs, problem, flag);
}

/**
 * Why no output (a backup, a report) can be written at `file`, or null: the nearest existing
 * folder on its path is a file, or cannot be written (root passes, as it passes the writes' own
 * checks). Known before anything is done, so bad input is refused as such (m.22) instead of
 * failing after the work; a missing folder is no problem (it is created).
 */
export function outputLocationProblem(file: string): string | null {
  return folderLocationProblem(dirname(file));
}

/** Why no output can be written into `folder` (outputLocationProblem: its nearest existing folder), or null. */
export function folderLocationProblem(folder: string): string | null {
  let existing = folder;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  if (!statSync(existing).isDirectory()) return `${existing} is a file, not a folder`;
  try {
    accessSync(existing, constants.W_OK);
    return null;
  } catch {
    return `the folder ${existing} cannot be written`;
  }
}

/**
 * Writes a text output (an export, a baseline) through a temporary file in the same folder, so
 * a failed write leaves no half file, and never over a database (refuseDatabaseOverwrite); into
 * a device, a pipe or a standard stream (`--out /dev/stdout`) directly, appending; through a
 * link to a file, into that file (the link is kept). A
 * missing folder is created, as for backups and event logs; a failed write removes the
 * folders it made. A failure is an I/O error (exit code 5) naming the path (outputPathError;
 * `flag` names the flag that gave it). Returns the absolute path written.
 */
export function writeOutputFile(target: string, text: string, what: string, protectedDatabases: readonly string[] = [], flag?: string): string {
  const full = resolve(target);
  refuseDatabaseOverwrite(full, what, protectedDatabases);
  refuseUnusableOutput(full, what, flag);
  // A device, a pipe or a standard stream (/dev/null, a FIFO, /dev/stdout whether it is a
  // terminal, a pipe or a file the shell redirected it to) is written into, never renamed over: a
  // rename put a plain file in the place of /dev/null, and of the /dev/stdout link. Appending
  // leaves what a `>>` redirection already holds.
  if (existsSync(full) && (!statSync(full).isFile() || isStreamPath(full))) {
    try {
      // Standard output redirected to a file goes through its own descriptor, so the text lands
      // where the shell's next write would (`{ echo a; export; echo b; } > f` keeps all three in
      // order); a pipe or a terminal is opened by its path (a blocking descriptor of its own).
      if (isProcessStdout(full) && fstatSync(1).isFile()) writeAll(1, Buffer.from(text, 'utf8'));
      else writeFileSync(full, text, { encoding: 'utf8', flag: 'a' });
      return full;
    } catch (err) {
      throw outputPathError(what, full, (err as Error).message, flag);
    }
  }
  // A link to a file: the file it names is replaced, the link is kept.
  const dest = existsSync(full) && lstatSync(full).isSymbolicLink() ? realpathSync(full) : full;
  const tmp = `${dest}.${process.pid}.tmp`;
  let madeFolder: string | undefined;
  try {
    madeFolder = mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(tmp, text, 'utf8');
    renameSync(tmp, dest);
    return full;
  } catch (err) {
    if (madeFolder) rmSync(madeFolder, { recursive: true, force: true });
    else if (existsSync(tmp)) rmSync(tmp);
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOTDIR' || e.code === 'EEXIST' ? 'a part of its folder is a file' : e.code === 'EISDIR' ? 'it is a folder' : e.message;
    throw outputPathError(what, full, why, flag);
  }
}

/** Writes all of `bytes` to `fd` (a write may take part of them). */
function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
}

/** True when `path` is the file this process's standard output writes to. */
export function isProcessStdout(path: string): boolean {
  try {
    const out = fstatSync(1);
    const file = statSync(path);
    return out.dev === file.dev && out.ino === file.ino;
  } catch {
    return false;
  }
}

/** A path under /dev or /proc, or a link into them (/dev/stdout is a link to /proc/self/fd/1): a stream, not a file to replace. */
function isStreamPath(path: string): boolean {
  const special = (p: string) => p.startsWith('/dev/') || p.startsWith('/proc/');
  if (special(path)) return true;
  try {
    return lstatSync(path).isSymbolicLink() && special(resolve(dirname(path), readlinkSync(path)));
  } catch {
    return false;
  }
}

/** The database file and its companions as found on disk: inode and size, or null when absent. */
export function databaseFileIdentities(path: string): Record<string, { inode: number; bytes: number } | null> {
  const out: Record<string, { inode: number; bytes: number } | null> = {};
  for (const suffix of ['', ...DATABASE_COMPANION_SUFFIXES]) {
    const file = `${resolve(path)}${suffix}`;
    try {
      const s = statSync(file);
      out[file] = { inode: s.ino, bytes: s.size };
    } catch {
      out[file] = null;
    }
  }
  return out;
}

/** True when both paths name the same existing file (also through links). */
export function isSameFile(a: string, b: string): boolean {
  return existsSync(a) && existsSync(b) && sameFile(a, b);
}
