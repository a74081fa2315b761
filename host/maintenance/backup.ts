/**
 * Verified backups (SPEC.md j.1, j.2): SQLite's online backup into `<destination>.partial`,
 * verification of the copy (integrity_check, foreign_key_check, migrations, and row counts
 * when nothing can have written meanwhile), SHA-256 manifest, rename, a maintenance_log row,
 * then retention. A database that cannot be written (the backup records itself in its
 * maintenance_log) is refused before anything is copied, and so is an --out that can never be
 * written (a file on its folder path, a folder that cannot be written: an I/O error, nothing logged).
 * On any failure every file the backup made is deleted (the
 * partial copy and its journals, or the backup and its manifest when recording it fails) and
 * the error is an I/O error (exit code 5), `cancelled` (130) when the signal stopped the copy, or
 * `locked` (3, naming the lock holder) when another process keeps the write lock past the busy
 * timeout so the backup cannot be recorded (m.16; the copy itself only reads, so a backup during
 * a run works, j.1); the source database is never changed except for its maintenance_log row.
 * Later checks of a backup (at restore) are kept beside it (backup-verification.ts).
 *
 * A backup stopped while writing (killed, crashed, the machine went down) cannot delete its
 * partial copy. A writer record beside the copy names the process writing it and when it started,
 * so the next backup into the folder (the backup folder, or the same --out folder) removes the
 * copies of this database that nothing writes any more (core/maintenance/backup-retention.ts
 * judgePartialBackup) before it copies (they may be what fills the disk) and before it chooses
 * its name (a removed copy no longer takes it), and reports them; `backup list` shows the ones
 * left in the backup folder. A backup to a chosen --out file does the same with that file's own
 * partial copy, wherever it is, when its writer record says a backup of this database left it;
 * while another backup still writes it, or when no such record vouches for a SQLite file there
 * (it may be the user's), the backup is refused (refuseBackupPathsOverwrite).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { BackupList, IncompleteBackupView, ListedBackupView } from '../../core/api/commands/maintenance-commands';
import { BatchdeskError } from '../../core/api/errors';
import { shellWord } from '../../core/api/shell-word';
import { formatTimestamp } from '../../core/domain/timestamp';
import { parseSettings } from '../../core/engine/settings';
import { applyRetention, judgePartialBackup, type BackupEntry, type PartialBackupFacts, type PartialBackupObserver, type PartialBackupVerdict } from '../../core/maintenance/backup-retention';
import type { Clock } from '../../core/ports/clock';
import type { LockRecord } from '../../core/ports/store';
import { lockedError } from '../../core/engine/locked-error';
import {
  BACKUP_MANIFEST_SCHEMA,
  machineBoot,
  manifestPathOf,
  partialWriterFacts,
  processStartTicks,
  readManifest,
  readPartialWriter,
  thisProcessWriter,
  writeManifest,
  writePartialWriter,
  writerPathOf,
  type BackupManifest,
  type PartialWriter,
} from '../../db/maintenance/backup-manifest';
import { appliedMigrationHashes, copyDatabase, fsyncDirectory, sha256File, verifyDatabaseFile } from '../../db/maintenance/database-file';
import { isReadOnlyError, readOnlyDatabaseMessage, readOnlyDatabaseProblem } from '../../db/open-database';
import { databaseOverwriteError, databaseOverwriteReason, folderLocationProblem, namesFolder, outputPathError, protectedDatabaseReason, SQLITE_FILE_REASON } from '../../db/maintenance/database-paths';
import { logMaintenance } from '../../db/maintenance/maintenance-log';
import { tableRowCounts } from '../../db/table-counts';
import { APP_VERSION } from '../app-version';
import { isPidAlive, type OpenedDatabase } from '../engine-host';
import { readVerification, verificationPathOf, type BackupVerification } from './backup-verification';
import { activeLockHolder } from './maintenance-lock';

export const BACKUP_REASONS = ['manual', 'pre-purge', 'pre-rebuild', 'pre-restore', 'pre-import', 'scheduled'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];

export interface BackupRequest {
  readonly reason: BackupReason;
  /** Explicit destination (`--out`): the backup file, or a folder (an existing one, or a path ending in a separator) to write it into under its automatic name. */
  readonly out?: string;
  /** Overrides backup.keep for this run's retention; with an `out` folder, asks for that folder to be pruned (backupDestination). */
  readonly keep?: number;
  /** The caller holds the run lock, so nothing writes during the copy. */
  readonly holdsLock: boolean;
  /** Stops the copy at its next step: the backup then fails as cancelled and leaves nothing. */
  readonly signal?: AbortSignal;
}

export interface BackupResult {
  readonly file: string;
  readonly manifestFile: string;
  readonly manifest: BackupManifest;
  readonly warnings: readonly string[];
  readonly deleted: readonly string[];
  /** What retention kept (this backup included) and by which rule (j.2); null when no retention pass ran (an --out file, or folder without --keep). */
  readonly kept: RetentionKept | null;
  /** The partial copies stopped backups had left, removed before this one copied (removeAbandonedPartials). */
  readonly removedIncomplete: readonly string[];
  readonly maintenanceId: number;
}

/** The backups a retention pass kept, by the first rule that keeps each (j.2), and the age limit of its `young` rule. */
export interface RetentionKept {
  readonly newest: number;
  readonly young: number;
  readonly newestOfReason: number;
  readonly keepDays: number;
}

/** `20251107T223000Z` */
export function backupStamp(epochMs: number): string {
  return formatTimestamp(epochMs).slice(0, 19).replace(/[-:]/g, '') + 'Z';
}

/**
 * The automatic backup file of the database `dbPath` made at `epochMs`, in `dir`:
 * `<database file name>.<backupStamp>.<reason>.sqlite`, or `...<backupStamp>-2.<reason>.sqlite`,
 * `-3`, ... when a backup of the same second already has that name, its manifest or a partial
 * copy (two purges in one second, or a pinned clock). The database's whole file name, extension
 * included, names it: `a.sqlite` and `a.db` sharing a backup folder never take each other's
 * backups for their own. parseBackupName reads these names back.
 */
function freeBackupName(dir: string, dbPath: string, epochMs: number, reason: BackupReason): string {
  const stem = `${basename(dbPath)}.${backupStamp(epochMs)}`;
  for (let n = 1; ; n++) {
    const file = join(dir, `${stem}${n === 1 ? '' : `-${n}`}.${reason}.sqlite`);
    if (![file, manifestPathOf(file), `${file}.partial`].some((f) => existsSync(f))) return file;
  }
}

const BACKUP_NAME_TAIL = /^\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-\d+)?\.([a-z-]+)\.sqlite$/;

/**
 * The reason and the time made (the UTC stamp of backupStamp, to the second) in `name` when it
 * is a backup file name of the database file `databaseFile` (its file name, extension included)
 * as freeBackupName makes them, `<database file name>.<UTC stamp>[-n].<reason>.sqlite`; null for
 * any other name, also for a name that gives only the database's stem (`a.<stamp>...` could be
 * a backup of `a.sqlite` or of `a.db`).
 */
export function parseBackupName(databaseFile: string, name: string): { readonly reason: BackupReason; readonly madeAt: string } | null {
  if (!name.startsWith(databaseFile)) return null;
  const m = BACKUP_NAME_TAIL.exec(name.slice(databaseFile.length));
  const reason = m && BACKUP_REASONS.find((r) => r === m[7]);
  if (!m || !reason) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? null : { reason, madeAt: formatTimestamp(ms) };
}

/** backup.dir, else a `backups` folder next to the database. */
export function backupDirOf(opened: OpenedDatabase): string {
  const configured = parseSettings(opened.store.loadSettings(), ['backup.dir'])['backup.dir'];
  return configured ? resolve(dirname(opened.path), configured) : join(dirname(resolve(opened.path)), 'backups');
}

/** Deletes a backup with the files that go with it: its manifest and its latest verdict. */
export function removeBackupFiles(file: string): void {
  for (const f of [file, manifestPathOf(file), verificationPathOf(file)]) rmSync(f, { force: true });
}

/** A backup in the backup folder: with its manifest, or a file named as a backup whose manifest is gone. */
export type ListedBackup =
  | { readonly hasManifest: true; readonly file: string; readonly manifest: BackupManifest; readonly verification: BackupVerification | null }
  | { readonly hasManifest: false; readonly file: string; readonly reason: BackupReason; readonly bytes: number; readonly madeAt: string; readonly verification: BackupVerification | null };

/** When a listed backup was made: its manifest's time, else the stamp in its name. */
const madeAt = (b: ListedBackup): string => (b.hasManifest ? b.manifest.created_at : b.madeAt);

/**
 * Backups of the database `dbPath` in a folder, newest first: each file with a valid manifest
 * naming the database file as its source, and each file without a manifest named as a backup
 * of that database file (parseBackupName). `verification` is the latest check after it was made
 * (at restore).
 */
export function listBackupsIn(dir: string, dbPath: string): ListedBackup[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const out: ListedBackup[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.sqlite')) continue;
    const file = join(dir, name);
    const m = readManifest(file);
    if (m === 'invalid') continue;
    if (m) {
      if (m.source === basename(dbPath)) out.push({ hasManifest: true, file, manifest: m, verification: readVerification(file) });
      continue;
    }
    const named = parseBackupName(basename(dbPath), name);
    const stat = named === null ? null : statSync(file, { throwIfNoEntry: false });
    if (named !== null && stat?.isFile()) out.push({ hasManifest: false, file, reason: named.reason, bytes: stat.size, madeAt: named.madeAt, verification: readVerification(file) });
  }
  return out.sort((a, b) => (madeAt(a) < madeAt(b) ? 1 : madeAt(a) > madeAt(b) ? -1 : a.file < b.file ? 1 : -1));
}

/** The partial copy and the files beside it while it is written: SQLite's journals and the writer record. */
const partialFiles = (partial: string): string[] => [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`, writerPathOf(partial)];

/** The partial copy (`<backup>.partial`) a file name in a backup folder belongs to (partialFiles), or null. */
const PARTIAL_FILE = /^(.+\.partial)(?:-journal|-wal|-shm|\.writer\.json)?$/;

/** A partial copy in a backup folder, with the files of it that exist. */
interface FoundPartial extends PartialBackupFacts {
  readonly file: string;
  readonly files: readonly string[];
  readonly bytes: number;
}

/**
 * The partial copies of the database `dbPath` in a folder, newest first: each one whose writer
 * record names the database file as its source, and each one without a readable record (an
 * older batchdesk wrote it) named as a backup of that database file (parseBackupName). A copy of
 * which only a journal or the record is left is one too.
 */
function partialBackupsIn(dir: string, dbPath: string): FoundPartial[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const partials = new Set(readdirSync(dir).flatMap((name) => PARTIAL_FILE.exec(name)?.[1] ?? []));
  const found: FoundPartial[] = [];
  for (const name of partials) {
    const partial = join(dir, name);
    const writer = readPartialWriter(partial);
    const ofThisDatabase = writer ? writer.source === basename(dbPath) : parseBackupName(basename(dbPath), name.slice(0, -'.partial'.length)) !== null;
    const copy = ofThisDatabase ? foundPartial(partial, writer) : null;
    if (copy) found.push(copy);
  }
  return found.sort((a, b) => b.lastWrittenMs - a.lastWrittenMs || (a.file < b.file ? -1 : 1));
}

/**
 * The partial copy `partial` with the files of it that exist (partialFiles) and its writer record,
 * or null when none exists. Its bytes are the copy's (the partial and SQLite's journals), not the
 * writer record's: they say how much of the backup was written.
 */
function foundPartial(partial: string, writer: PartialWriter | null): FoundPartial | null {
  const files = partialFiles(partial).flatMap((f) => {
    const stat = statSync(f, { throwIfNoEntry: false });
    return stat?.isFile() ? [{ f, stat }] : [];
  });
  if (files.length === 0) return null;
  const record = writerPathOf(partial);
  return {
    file: partial,
    files: files.map((x) => x.f),
    bytes: files.reduce((n, x) => n + (x.f === record ? 0 : x.stat.size), 0),
    lastWrittenMs: Math.max(...files.map((x) => x.stat.mtimeMs)),
    writer: writer && partialWriterFacts(writer),
  };
}

/**
 * Whether `p` is only the writer record of a backup that finished: a backup renames its partial
 * copy to the backup only once the copy passed its checks, then removes the record, and the name
 * was free when it began (freeBackupName, or an --out file that must not exist), so a record with
 * no copy left beside a file of the backup's name is what a backup killed between the rename and
 * the record's removal leaves. The backup is complete: the record is a leftover, no incomplete backup.
 */
function isFinishedBackupRecord(p: FoundPartial): boolean {
  return p.files.length === 1 && p.files[0] === writerPathOf(p.file) && statSync(p.file.slice(0, -'.partial'.length), { throwIfNoEntry: false })?.isFile() === true;
}

/** The partial copy of a chosen --out file that has a writer record: whether a backup of this database wrote it, and the verdict on it. */
interface RecordedPartial {
  readonly found: FoundPartial;
  readonly ofThisDatabase: boolean;
  readonly verdict: PartialBackupVerdict;
}

/**
 * The partial copy of the --out file `file` (`<file>.partial`) when a readable writer record goes
 * with it, judged now (judgePartialBackup); null when there is none, as then nothing says a backup
 * wrote the file there. What a backup of `dbPath` to that file may do with it:
 * refuseBackupPathsOverwrite.
 */
function recordedPartialOf(file: string, dbPath: string): RecordedPartial | null {
  const partial = `${file}.partial`;
  const writer = readPartialWriter(partial);
  const found = writer && foundPartial(partial, writer);
  return writer && found ? { found, ofThisDatabase: writer.source === basename(dbPath), verdict: judgePartialBackup(found, partialObserver()) } : null;
}

/**
 * This process as the judge of partial copies: its machine and its boot, its pids and when they
 * started, and the time now by the real clock, as the file times it compares are (never the
 * clock BATCHDESK_NOW pins).
 */
const partialObserver = (): PartialBackupObserver => ({ host: hostname(), nowMs: Date.now(), boot: machineBoot(), isPidAlive, processStartTicks });

/** A time for the words of a listing: `2025-07-10 23:00:00 UTC`. */
const utcText = (ms: number): string => `${formatTimestamp(ms).slice(0, 19).replace('T', ' ')} UTC`;

/** What removes a partial copy (judgePartialBackup), in words. */
function removalText(p: FoundPartial, v: PartialBackupVerdict): string {
  const nextBackup = 'the next backup of this database in this folder removes it';
  const writerText = p.writer === null ? 'no record of its writer (an older batchdesk wrote it)' : `written on another machine (${p.writer.host}, process ${p.writer.pid})`;
  switch (v.state) {
    case 'writing':
      return `process ${v.pid} on this machine is still writing it: its backup removes it when it finishes or fails`;
    case 'abandoned':
      switch (v.because) {
        case 'writer-stopped':
          return `its backup (process ${v.pid} on this machine) stopped: ${nextBackup}`;
        case 'machine-restarted':
          return `its backup (process ${v.pid} on this machine) stopped when the machine restarted (process ${v.pid} is another program now): ${nextBackup}`;
        case 'pid-reused':
          return `its backup (process ${v.pid} on this machine) stopped (process ${v.pid} is another program now, started after it): ${nextBackup}`;
        case 'unchanged':
          return `${writerText}, unchanged for over a day: ${nextBackup}`;
      }
    case 'unconfirmed':
      return `${writerText}: the first backup of this database in this folder from ${utcText(v.removableFromMs)} on removes it, unless it changes again`;
  }
}

function incompleteView(p: FoundPartial, here: PartialBackupObserver): IncompleteBackupView {
  const v = judgePartialBackup(p, here);
  return {
    file: p.file,
    files: [...p.files],
    bytes: p.bytes,
    lastWrittenAt: formatTimestamp(p.lastWrittenMs),
    ageMs: Math.max(0, Math.round(here.nowMs - p.lastWrittenMs)),
    writer: p.writer && { host: p.writer.host, pid: p.writer.pid },
    state: v.state,
    removableFrom: v.state === 'unconfirmed' ? formatTimestamp(v.removableFromMs) : null,
    restorable: false,
    removal: removalText(p, v),
  };
}

/**
 * Removes those of `partials` (this database's: partialBackupsIn, recordedPartialOf) that nothing
 * writes any more (judgePartialBackup: `abandoned`), each with its journals and writer record, once
 * each (a chosen --out file's own copy is also in its folder's). One that cannot be removed is a
 * warning: it does not stop the backup. The writer record of a finished backup
 * (isFinishedBackupRecord) is removed whoever wrote it, as its writer would, and is not reported:
 * no backup was incomplete.
 */
function removeAbandonedPartials(partials: readonly FoundPartial[]): { readonly removed: string[]; readonly warnings: string[] } {
  const here = partialObserver();
  const removed: string[] = [];
  const warnings: string[] = [];
  for (const p of new Map(partials.map((x) => [x.file, x])).values()) {
    if (isFinishedBackupRecord(p)) {
      try {
        rmSync(writerPathOf(p.file), { force: true });
      } catch {
        // a record left in place is harmless: it is never listed, and the next backup tries again
      }
      continue;
    }
    if (judgePartialBackup(p, here).state !== 'abandoned') continue;
    try {
      for (const f of partialFiles(p.file)) rmSync(f, { force: true });
      removed.push(p.file);
    } catch (err) {
      warnings.push(`cannot remove the incomplete backup ${p.file} a stopped backup left (${(err as Error).message}): delete it by hand`);
    }
  }
  return { removed, warnings };
}

/**
 * A folder of a database's backups (listBackupsIn) and the partial copies stopped backups left in
 * it (partialBackupsIn): the app's Backups list and `backup list`. `dir` is the backup folder
 * unless given (`backup list --dir`: a folder `backup --out FOLDER/` wrote to).
 */
export function backupList(opened: OpenedDatabase, dir: string = backupDirOf(opened)): BackupList {
  const here = partialObserver();
  const backups = listBackupsIn(dir, opened.path).map((b): ListedBackupView => {
    const lastVerification = b.verification && { checkedAt: b.verification.checked_at, stage: b.verification.stage, ok: b.verification.ok, problem: b.verification.problem };
    // Both kinds say when they were made as madeAt, and whether retention manages them.
    return b.hasManifest
      ? { hasManifest: true, file: b.file, madeAt: b.manifest.created_at, reason: b.manifest.reason, sha256: b.manifest.sha256, bytes: b.manifest.bytes, rowCountsVerified: b.manifest.row_counts_verified, lastVerification, managedByRetention: true }
      : { hasManifest: false, file: b.file, madeAt: b.madeAt, reason: b.reason, bytes: b.bytes, lastVerification, managedByRetention: false };
  });
  const incomplete = partialBackupsIn(dir, opened.path).filter((p) => !isFinishedBackupRecord(p));
  return { dir, backups, incomplete: incomplete.map((p) => incompleteView(p, here)) };
}

function ioError(message: string, cause?: unknown): BatchdeskError {
  const e = cause as (Error & { code?: string }) | undefined;
  return new BatchdeskError('io', `${message}${e ? `: ${e.message}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}` : ''}`);
}

/**
 * Where a backup is written (j.1), which folder retention (j.2) prunes after it, and which folder
 * is swept of the partial copies stopped backups left (removeAbandonedPartials):
 *   - no `out`: the automatic name in the backup folder, which is pruned and swept;
 *   - `out` naming a folder (an existing one, or a path that ends in a separator: namesFolder,
 *     created when missing): the automatic name in it. That folder is the user's own, so it is
 *     pruned only when `keep` asks for it (or when it is the backup folder); it is always swept,
 *     as nothing else would ever remove what a backup stopped there left;
 *   - `out` naming a file: that file. The backup folder is pruned and swept when the file is in
 *     it; a `keep` for a file elsewhere has no folder of backups to apply to, and is refused as a
 *     usage error before anything is done rather than ignored.
 * The automatic name (`named` null) is chosen only after the sweep (freeBackupName): a partial
 * copy the sweep removes must not push it to `-2`. A named file's own partial copy is removed
 * wherever the file is, when a stopped backup of this database left it (recordedPartialOf).
 */
export function backupDestination(
  req: Pick<BackupRequest, 'out' | 'keep'>,
  dir: string,
): { readonly folder: string; readonly named: string | null; readonly retentionDir: string | null; readonly sweepDir: string | null } {
  const out = req.out;
  const backupFolder = resolve(dir);
  if (out === undefined) return { folder: backupFolder, named: null, retentionDir: backupFolder, sweepDir: backupFolder };
  if (namesFolder(out) || (existsSync(out) && statSync(out).isDirectory())) {
    const folder = resolve(out);
    return { folder, named: null, retentionDir: folder === backupFolder || req.keep !== undefined ? folder : null, sweepDir: folder };
  }
  const named = resolve(out);
  if (dirname(named) === backupFolder) return { folder: backupFolder, named, retentionDir: backupFolder, sweepDir: backupFolder };
  if (req.keep !== undefined) {
    throw new BatchdeskError(
      'usage',
      `--keep prunes the older backups in a folder, but --out ${named} names a file outside the backup folder ${backupFolder}, so there is nothing it could apply to; to prune a folder give it as --out (ending in ${sep}), or leave out --keep`,
    );
  }
  return { folder: dirname(named), named, retentionDir: null, sweepDir: null };
}

/**
 * The backups of this database in `folder` that retention (j.2) deletes now that `file` was
 * made: all but the newest `keep` (else backup.keep), those younger than backup.keep_days and the
 * newest of each reason. Only backups with a manifest naming this database count; a file whose
 * manifest is gone stays until deleted by hand (a decision: without a manifest nothing says the
 * file is a verified backup of this database), and so does every other file in the folder.
 * `unmanaged` lists those backup files without a manifest, so the pass can say it left them.
 */
function retentionPass(opened: OpenedDatabase, folder: string, file: string, keep: number | undefined, nowMs: number): { readonly deleted: string[]; readonly unmanaged: string[]; readonly kept: RetentionKept } {
  const settings = parseSettings(opened.store.loadSettings(), ['backup.keep', 'backup.keep_days']);
  const listed = listBackupsIn(folder, opened.path);
  const entries: BackupEntry[] = listed.flatMap((b) => (b.hasManifest ? [{ file: b.file, createdMs: Date.parse(b.manifest.created_at.slice(0, 23) + 'Z'), reason: b.manifest.reason }] : []));
  const keepDays = settings['backup.keep_days'];
  const decision = applyRetention(entries, nowMs, { keep: keep ?? settings['backup.keep'], keepDays });
  const rules = Object.values(decision.why);
  const count = (rule: (typeof rules)[number]) => rules.filter((r) => r === rule).length;
  return {
    deleted: decision.delete.map((d) => d.file).filter((f) => f !== file),
    unmanaged: listed.filter((b) => !b.hasManifest).map((b) => b.file),
    kept: { newest: count('newest'), young: count('young'), newestOfReason: count('newest_of_reason'), keepDays },
  };
}

/** A retention pass's kept backups in words: `kept 4: the newest 1, 2 younger than 30 days (backup.keep_days), 1 the newest of its reason`. */
export function retentionKeptText(k: RetentionKept): string {
  const total = k.newest + k.young + k.newestOfReason;
  const parts = [
    `the newest ${k.newest}`,
    ...(k.young ? [`${k.young} younger than ${k.keepDays} days (backup.keep_days)`] : []),
    ...(k.newestOfReason ? [`${k.newestOfReason} the newest of ${k.newestOfReason === 1 ? 'its reason' : 'their reasons'}`] : []),
  ];
  return `kept ${total}: ${parts.join(', ')}`;
}

/** The warning of a retention pass that left backup files without a manifest (retentionPass). */
export function unmanagedBackupsWarning(folder: string, unmanaged: readonly string[]): string {
  const n = unmanaged.length;
  return `retention left ${n} backup file${n === 1 ? '' : 's'} without a manifest in ${folder}: retention never deletes ${n === 1 ? 'it' : 'them'}, so delete ${n === 1 ? 'it' : 'them'} by hand when no longer needed (\`batchdesk backup list\` marks ${n === 1 ? 'it' : 'them'} "not managed")`;
}

/** Removed partial copies in the words of a failed backup's message. */
const removedIncompleteText = (files: readonly string[]): string =>
  `${files.length} incomplete backup${files.length === 1 ? '' : 's'} that stopped backups had left: ${files.join(', ')}`;

const isBusyError = (err: unknown): boolean => (err as { code?: string } | null)?.code?.startsWith('SQLITE_BUSY') === true;

/**
 * The refusal when the backup cannot be recorded because another process holds the database's
 * write lock (SPEC.md m.16: exit code 3, never a crash), naming the lock holder when one is known
 * and the database in the cancel command it advises. The holder is not in the error's details:
 * the CLI would rebuild the message from it (withLockAdvice) and drop that the copy was removed.
 */
export function busyRecordError(why: string, holder: LockRecord | null, dbPath: string): BatchdeskError {
  const reason = holder ? lockedError(holder, ` --db ${shellWord(dbPath)}`).message : 'another process is writing to the database (a run, an import or a maintenance operation); try again when it has finished';
  return new BatchdeskError('locked', `${why}: ${reason}`);
}

/**
 * Refuses (a usage error, before anything is written) a backup `file` whose own path, partial
 * copy, writer record or manifest would overwrite a database (databaseOverwriteReason), and one
 * whose partial copy another backup still writes. `recorded` is that copy when a writer record
 * goes with it (recordedPartialOf):
 *   - a live writer (judgePartialBackup `writing`), of any database: refused, naming its process;
 *   - a backup of this database on another machine that may still write it (`unconfirmed`):
 *     refused, saying from when a backup to this file removes it;
 *   - a backup of this database that stopped (`abandoned`): the copy and its record are this
 *     backup's to remove (removeAbandonedPartials), so only their being the database itself is
 *     refused; any other SQLite file there is refused as one batchdesk cannot vouch for.
 */
function refuseBackupPathsOverwrite(file: string, dbPath: string, recorded: RecordedPartial | null): void {
  const partial = `${file}.partial`;
  const v = recorded?.verdict;
  if (v?.state === 'writing') {
    throw new BatchdeskError('usage', `refusing to write the partial backup to ${partial}: another backup (process ${v.pid} on this machine) is writing it, to make ${file}; let that backup finish, or choose another --out file`);
  }
  const ours = recorded?.ofThisDatabase === true;
  const writer = recorded?.found.writer;
  if (ours && v?.state === 'unconfirmed' && writer) {
    throw new BatchdeskError(
      'usage',
      `refusing to write the partial backup to ${partial}: a backup of this database on another machine (${writer.host}, process ${writer.pid}) wrote it at ${utcText(recorded.found.lastWrittenMs)} and may still be writing it; run this backup again from ${utcText(v.removableFromMs)} on (it then removes the copy unless it changed again), or choose another --out file`,
    );
  }
  const leftover = ours && v?.state === 'abandoned' ? [partial, writerPathOf(partial)] : [];
  for (const [path, what] of [[file, 'the backup'], [partial, 'the partial backup'], [writerPathOf(partial), 'the partial backup writer record'], [manifestPathOf(file), 'the backup manifest']] as const) {
    const why = leftover.includes(path) ? protectedDatabaseReason(path, [dbPath]) : databaseOverwriteReason(path, [dbPath]);
    const unvouched = path === partial && why === SQLITE_FILE_REASON;
    if (why) throw databaseOverwriteError(what, path, unvouched ? `${why}, and not a backup leftover batchdesk can vouch for (no writer record says a stopped backup of ${basename(dbPath)} left it), so it may be a database of yours` : why);
  }
}

export async function makeBackup(opened: OpenedDatabase, req: BackupRequest, clock: Clock): Promise<BackupResult> {
  const started = formatTimestamp(clock.now());
  const dir = backupDirOf(opened);
  const dest = backupDestination(req, dir);
  // Refusals of the request itself change nothing, not even the maintenance log (m.22). The
  // partial copy, its writer record and the manifest are written (and removed on failure) too;
  // a partial copy a stopped backup to this very file left is removed only after every refusal.
  const recorded = dest.named === null ? null : recordedPartialOf(dest.named, opened.path);
  if (dest.named !== null) refuseBackupPathsOverwrite(dest.named, opened.path, recorded);
  // A destination chosen outside the backup folder (--out) that can never be written is refused
  // before anything is logged, as every output path is (an I/O error, exit code 5, in the shape of
  // database-paths.ts outputPathError). The backup folder is the database's own setting: a backup
  // that cannot use it fails, and is logged, as a copy that fails (purge, rebuild and import then
  // stop on it).
  const unusable = req.out !== undefined && dest.folder !== resolve(dir) ? folderLocationProblem(dest.folder) : null;
  if (unusable) throw outputPathError('the backup', dest.named ?? freeBackupName(dest.folder, opened.path, clock.now(), req.reason), unusable, '--out');
  // A chosen --out that is taken is bad input, like one under a file (the automatic name never is).
  if (dest.named !== null && existsSync(dest.named)) {
    throw new BatchdeskError('usage', `backup destination ${dest.named} already exists; choose another --out file, or give a folder to write the backup into under its automatic name`);
  }
  const readOnly = readOnlyDatabaseProblem(opened.path);
  if (readOnly) throw new BatchdeskError('io', `cannot back up: ${readOnly}`);
  const warnings: string[] = [];
  const ownLeftover = recorded?.ofThisDatabase === true ? [recorded.found] : [];
  const sweep = removeAbandonedPartials([...(dest.sweepDir === null ? [] : partialBackupsIn(dest.sweepDir, opened.path)), ...ownLeftover]);
  const removedIncomplete: readonly string[] = sweep.removed;
  warnings.push(...sweep.warnings);
  // Named after the sweep: a copy it removed no longer takes the name.
  const file = dest.named ?? freeBackupName(dest.folder, opened.path, clock.now(), req.reason);
  if (dest.named === null) refuseBackupPathsOverwrite(file, opened.path, null);
  const partial = `${file}.partial`;
  // A failure still says which leftovers it removed before the copy: nothing disappears unsaid.
  const sayingRemoved = (err: BatchdeskError): BatchdeskError =>
    removedIncomplete.length === 0 ? err : new BatchdeskError(err.code, `${err.message} (before the copy it removed ${removedIncompleteText(removedIncomplete)})`);
  let renamed = false;
  const removeMade = (): void => {
    try {
      for (const f of partialFiles(partial)) rmSync(f, { force: true });
      if (renamed) removeBackupFiles(file);
    } catch {
      // the files may not exist or their folder may be unusable
    }
  };
  const fail = (message: string, cause?: unknown): never => {
    removeMade();
    const cancelled = req.signal?.aborted === true && cause === req.signal.reason;
    const err = sayingRemoved(cancelled ? new BatchdeskError('cancelled', `backup to ${file} cancelled; nothing was kept`) : ioError(message, cause));
    try {
      logMaintenance(opened.db, 'backup', cancelled ? 'cancelled' : 'failed', { reason: req.reason, file, error: err.message, removed_incomplete: removedIncomplete }, started, formatTimestamp(clock.now()));
    } catch {
      // logging must not hide the backup failure
    }
    throw err;
  };
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    fail(`cannot create the backup folder ${dirname(file)}`, err);
  }
  const midRun = !req.holdsLock && activeLockHolder(opened.store, clock, opened.path) !== null;
  if (midRun) warnings.push('a run or maintenance operation holds the lock: this backup is a mid-run image (row counts not compared)');
  const migrations = appliedMigrationHashes(opened.db);
  const sourceCounts = midRun ? undefined : tableRowCounts(opened.db);
  try {
    for (const f of partialFiles(partial)) rmSync(f, { force: true });
    // A verdict left by a deleted backup of the same name is not about this copy.
    rmSync(verificationPathOf(file), { force: true });
    writePartialWriter(partial, thisProcessWriter(basename(opened.path)));
    await copyDatabase(opened.db, partial, req.signal ? { signal: req.signal } : {});
  } catch (err) {
    fail(`backup to ${partial} failed`, err);
  }
  const v = verifyDatabaseFile(partial, { migrations: { hashes: migrations, mode: 'equal' }, ...(sourceCounts ? { rowCounts: sourceCounts } : {}) });
  if (!v.ok) fail(`backup verification failed (${v.problems.join('; ')})`);
  let sha = '';
  let bytes = 0;
  try {
    sha = sha256File(partial);
    bytes = statSync(partial).size;
    renameSync(partial, file);
    renamed = true;
    rmSync(writerPathOf(partial), { force: true });
  } catch (err) {
    fail(`cannot finish the backup ${file}`, err);
  }
  const manifest: BackupManifest = {
    schema: BACKUP_MANIFEST_SCHEMA,
    created_at: formatTimestamp(clock.now()),
    source: basename(opened.path),
    file: basename(file),
    reason: req.reason,
    app_version: APP_VERSION,
    migrations,
    sha256: sha,
    bytes,
    row_counts: v.rowCounts,
    integrity: v.integrity,
    foreign_key_violations: v.foreignKeyViolations,
    row_counts_verified: sourceCounts !== undefined,
    mid_run: midRun,
  };
  try {
    writeManifest(file, manifest);
    // The backup's and its manifest's names on disk before a purge may rely on them.
    fsyncDirectory(dirname(file));
  } catch (err) {
    fail(`cannot write the manifest of ${file}`, err);
  }
  const { retentionDir } = dest;
  const retention = retentionDir === null ? { deleted: [], unmanaged: [], kept: null } : retentionPass(opened, retentionDir, file, req.keep, clock.now());
  const deleted = retention.deleted;
  if (retention.unmanaged.length > 0) warnings.push(unmanagedBackupsWarning(retentionDir!, retention.unmanaged));
  // Recorded before retention deletes anything: a backup that cannot be recorded is removed
  // (j.1: a failure leaves nothing) and the older backups stay.
  let maintenanceId = 0;
  try {
    maintenanceId = logMaintenance(
      opened.db,
      'backup',
      'success',
      { reason: req.reason, file, sha256: sha, bytes, row_counts: v.rowCounts, row_counts_verified: manifest.row_counts_verified, mid_run: midRun, integrity: v.integrity, retention_deleted: deleted, retention_unmanaged: retention.unmanaged, removed_incomplete: removedIncomplete },
      started,
      formatTimestamp(clock.now()),
    );
  } catch (err) {
    const why = 'cannot record the backup in maintenance_log, so it was removed';
    if (isReadOnlyError(err)) fail(`${why}: ${readOnlyDatabaseMessage(opened.path)}`);
    if (isBusyError(err)) {
      // Another process kept the write lock past the busy timeout (a run stopped mid-date):
      // m.16, "locked" naming the holder. Logging the failure would only wait as long again.
      removeMade();
      throw sayingRemoved(busyRecordError(why, activeLockHolder(opened.store, clock, opened.path), opened.path));
    }
    fail(why, err);
  }
  for (const f of deleted) removeBackupFiles(f);
  return { file, manifestFile: manifestPathOf(file), manifest, warnings, deleted, kept: retention.kept, removedIncomplete, maintenanceId };
}
