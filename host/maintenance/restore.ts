/**
 * Restore of a backup (SPEC.md j.3):
 *   1. verify the backup: manifest checksum (when a manifest exists), integrity_check,
 *      foreign_key_check, migrations a prefix of the shipped list; the verdict is kept next to
 *      the backup for the Backups list (backup-verification.ts): a failed one at once, a passed
 *      one once the backup has replaced the database (a refused or stopped restore keeps none);
 *   2. refuse while a run or another maintenance operation is in flight (read before step 1,
 *      so a refused restore does not verify first); take the lock (kind 'restore');
 *   3. a verified safety backup of the current database (reason pre-restore), unless disabled;
 *   4. copy the backup next to the database; in the copy, clear any lock row captured in the
 *      image, record the restore in its maintenance_log, and flush it; close the connection,
 *      checkpoint, remove -wal and -shm, rename the copy over the database, reopen and migrate.
 *      The rename is the single commit point: a restore killed right after it leaves the
 *      restored database free of locks and its restore recorded; the lock row of the old file
 *      is gone with it.
 * A copy a killed restore left beside the database (its process no longer alive) is removed by
 * the next restore, which says so (removedLeftovers).
 * Bad input (a missing or corrupt file, or anything that is not a regular file: a device, a pipe,
 * a socket, a folder) changes nothing in the database and is a data error (exit code 5).
 *
 * With a `signal` (Ctrl-C in the CLI) the restore stops at a step boundary before the swap:
 * after the verification, during the safety backup (its partial file is removed), after it, and
 * after the copy of the backup (the copy is removed). A stopped restore is a `cancelled` error
 * (exit code 130, SPEC.md k.3) saying the database was not changed; as for any failure before
 * the swap, the safety backup it completed is kept and named, the restore is logged (here
 * `cancelled`) and the lock is released. Once the rename has begun the restore completes.
 *
 * Each step reports its start as a `restore_step` metric event (value: its number from 1;
 * tags: `step`, its key, and `steps`, the words of every step planned, in order), as the dump
 * import reports `import_progress`: the app shows the steps as they happen. Every event says
 * the whole plan, so a view that missed one (a UI bridge keeps the latest metric of a name per
 * update) still shows which steps are done.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BatchdeskError } from '../../core/api/errors';
import { formatTimestamp } from '../../core/domain/timestamp';
import { lockedError } from '../../core/engine/locked-error';
import type { Clock } from '../../core/ports/clock';
import type { LockHolder } from '../../core/ports/store';
import { stepReporter, stopIfCancelled, type StepEventTarget } from './step-events';
import { manifestPathOf, readManifest } from '../../db/maintenance/backup-manifest';
import { fsyncDirectory, fsyncFile, sha256File, verifyDatabaseFile } from '../../db/maintenance/database-file';
import { DATABASE_COMPANION_SUFFIXES, isSameFile } from '../../db/maintenance/database-paths';
import { logMaintenance } from '../../db/maintenance/maintenance-log';
import { createEngineStore } from '../../db/engine-store';
import { openDatabase, shippedMigrations, type SqliteDatabase } from '../../db/open-database';
import { tableRowCounts } from '../../db/table-counts';
import { isPidAlive, openStore } from '../engine-host';
import { makeBackup, parseBackupName } from './backup';
import { recordVerification } from './backup-verification';
import { acquireMaintenanceLock, activeLockHolder } from './maintenance-lock';

/** With `sinks`, the restore reports its steps as `restore_step` events (step-events.ts). */
export interface RestoreRequest extends StepEventTarget {
  readonly dbPath: string;
  readonly file: string;
  readonly safetyBackup: boolean;
  readonly holder: LockHolder;
  /** Appended to the commands a refusal advises (the CLI's ` --db PATH`), so they act on this database as printed. */
  readonly commandSuffix?: string;
  /** Stops the restore at its next step boundary before the swap (see the file comment). */
  readonly signal?: AbortSignal;
}

/** The steps of a restore that take time, in order, with the words the app shows for each. */
export const RESTORE_STEPS = {
  verify: 'Verifying the backup: checksum, integrity and foreign keys',
  safety_backup: 'Making a verified safety backup of the current database',
  replace: 'Replacing the database with the backup',
  reopen: 'Opening the restored database and applying migrations',
} as const;
export type RestoreStep = keyof typeof RESTORE_STEPS;

/** The steps a restore will take: no safety backup when it is turned off or there is no database to back up. */
export function plannedRestoreSteps(safetyBackup: boolean, databaseExists: boolean): RestoreStep[] {
  return ['verify', ...(safetyBackup && databaseExists ? (['safety_backup'] as const) : []), 'replace', 'reopen'];
}

export interface RestoreResult {
  readonly database: string;
  readonly restoredFrom: string;
  readonly safetyBackup: string | null;
  /** The safety backup's warnings (makeBackup): a retention pass that left files without a manifest says so. */
  readonly safetyBackupWarnings?: readonly string[];
  readonly manifestChecked: boolean;
  readonly migrationsApplied: number;
  readonly rowCounts: Record<string, number>;
  readonly maintenanceId: number;
  /** The files killed restores had left beside the database, removed before this one copied (removeKilledRestoreCopies). */
  readonly removedLeftovers?: readonly string[];
}

/**
 * A backup that failed its check: the problem (kept beside the backup as its verdict, and in
 * `details.problem`), then what to do instead. Restore has no flag that skips a check; a file
 * whose manifest is removed is restored without the checksum comparison (its integrity,
 * foreign keys and migrations are still checked).
 */
function refusedBackup(problem: string, commandSuffix: string, manifest: string | null): BatchdeskError {
  const other = `choose another backup (\`batchdesk backup list${commandSuffix}\` lists them with their checks)`;
  const skip = manifest ? `, or, if you trust this file, remove its manifest ${manifest} and restore again: restore then skips the checksum and still checks the file's integrity` : '';
  return new BatchdeskError('data', `${problem}; ${other}${skip}`, { problem });
}

/** Step 1: checks a backup file without changing anything; throws a data error naming the problem and what to do. */
export function verifyBackupFile(file: string, commandSuffix = ''): { manifestChecked: boolean; migrations: number } {
  if (!existsSync(file)) throw new BatchdeskError('not_found', `backup file ${file} not found; list the backups with \`batchdesk backup list${commandSuffix}\``);
  const stat = statSync(file);
  if (stat.isDirectory()) throw new BatchdeskError('not_found', `${file} is a folder, not a backup file; give the .sqlite file inside it (see \`batchdesk backup --help\`)`);
  if (!stat.isFile()) throw new BatchdeskError('not_found', `${file} is not a regular file (a device, pipe or socket), so it is no backup; give a backup .sqlite file (\`batchdesk backup list${commandSuffix}\` lists them)`);
  const manifest = readManifest(file);
  if (manifest === 'invalid') throw new BatchdeskError('data', `the manifest ${file}.json is not a valid batchdesk backup manifest; remove it to restore without a checksum check`);
  if (manifest) {
    const sha = sha256File(file);
    if (sha !== manifest.sha256) {
      throw refusedBackup(`backup ${file} is corrupt: its SHA-256 ${sha.slice(0, 12)}... differs from the manifest's ${manifest.sha256.slice(0, 12)}... (the file changed after the backup was made)`, commandSuffix, manifestPathOf(file));
    }
  }
  const v = verifyDatabaseFile(file, { migrations: { hashes: shippedMigrations().map((m) => m.hash), mode: 'prefix' } });
  if (!v.ok) throw refusedBackup(`backup ${file} cannot be restored: ${v.problems.join('; ')}`, commandSuffix, null);
  return { manifestChecked: manifest !== null, migrations: v.migrations.length };
}

/** What a restore stopped before the swap says: the database unchanged, and the safety backup it kept, if it completed one. */
export function restoreCancelledMessage(dbPath: string, safetyBackup: string | null): string {
  return `restore cancelled before the database was replaced; ${dbPath} was not changed${safetyBackup ? ` (the safety backup it completed is kept: ${safetyBackup})` : ''}`;
}

/**
 * Step 1, with its verdict recorded beside the backup when the file is one the Backups list
 * shows (it has a valid manifest, or none and a backup's name of this database file): the list
 * shows the verdict. Any other file gets no verdict file, and a file that is not there has none.
 * A failed check is recorded at once (it is about the file, whatever the restore does next); a
 * passed one by `recordPassed`, called once the backup has replaced the database, so the list
 * says "checked again at restore" only for a restore that happened, at the time of the check.
 */
function verifyAndRecord(file: string, dbPath: string, clock: Clock, commandSuffix: string): ReturnType<typeof verifyBackupFile> & { recordPassed: () => void } {
  const m = existsSync(file) ? readManifest(file) : 'absent';
  const listed = m === null ? parseBackupName(basename(dbPath), basename(file)) !== null : m !== 'invalid' && m !== 'absent';
  const record = (at: number, problem: string | null) => {
    if (listed) recordVerification(file, at, problem, [dbPath]);
  };
  try {
    const checked = verifyBackupFile(file, commandSuffix);
    const at = clock.now();
    return { ...checked, recordPassed: () => record(at, null) };
  } catch (err) {
    // The verdict is the problem, without the advice of this refusal.
    if (err instanceof BatchdeskError && err.code === 'data') record(clock.now(), (err.details as { problem?: string } | undefined)?.problem ?? err.message);
    throw err;
  }
}

/**
 * Step 2's refusal, read before step 1: while another process holds the lock, the restore is
 * refused at once, not after verifying the backup for seconds. The lock is only read, on a
 * read-only connection that neither migrates nor writes; it is taken after the verification,
 * as before, so a holder that appears meanwhile still refuses the restore there. A database
 * this connection cannot read is left to the open after the verification, which says why.
 */
function refuseWhileHeld(dbPath: string, clock: Clock, commandSuffix: string): void {
  let db: SqliteDatabase;
  try {
    db = openDatabase(dbPath, { readonly: true });
  } catch {
    return;
  }
  try {
    const held = activeLockHolder(createEngineStore(db), clock, dbPath);
    if (held) throw lockedError(held, commandSuffix);
  } finally {
    db.close();
  }
}

const regexpText = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The copies restores of the database `dbPath` make beside it: `.<database>.restore-<pid>.tmp`
 * (`<database>.restore-<pid>.tmp` when there was no database yet), with the journals SQLite keeps
 * beside one while the restore readies it; the match's group is the restore's pid.
 */
const restoreCopyName = (dbPath: string): RegExp => new RegExp(`^\\.?${regexpText(basename(dbPath))}\\.restore-(\\d+)\\.tmp(?:-wal|-shm|-journal)?$`);

/**
 * Removes the copies (restoreCopyName) that killed restores left beside the database: those of a
 * process that is no longer alive. A live process's copy is kept, as it may be a restore at work;
 * so is a file that cannot be removed (the next restore tries again). Returns the files removed.
 */
function removeKilledRestoreCopies(dbPath: string): string[] {
  const dir = dirname(dbPath);
  const name = restoreCopyName(dbPath);
  return readdirSync(dir).sort().flatMap((f) => {
    const m = name.exec(f);
    if (!m || isPidAlive(Number(m[1]))) return [];
    try {
      rmSync(join(dir, f), { force: true });
      return [join(dir, f)];
    } catch {
      return [];
    }
  });
}

/**
 * Readies the copy `tmp` of the backup to become the database, so the rename that follows is the
 * restore's single commit point: clears the lock rows the image carries (the lock the backup was
 * made under belonged to a process of the past) and records the restore in its maintenance_log
 * (tables every migration history has), checkpoints the copy into its one file and flushes it.
 * Its pending migrations are left to the reopen after the rename (j.3). Returns the row's id.
 */
function readyRestoredCopy(tmp: string, details: Record<string, unknown>, started: string, clock: Clock): number {
  const db = new Database(tmp, { fileMustExist: true });
  try {
    const id = db.transaction(() => {
      db.prepare(`DELETE FROM run_lock`).run();
      return logMaintenance(db, 'restore', 'success', details, started, formatTimestamp(clock.now()));
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return id;
  } finally {
    db.close();
    fsyncFile(tmp);
  }
}

/**
 * Step 4's copy of `file` at `tmp`, readied (readyRestoredCopy) and past the step boundary
 * `boundary`; returns the restore's log row id in it. On any failure, a stop included, the copy
 * and its journals are removed, and what is no BatchdeskError is an I/O error naming the copy.
 */
async function stageCopy(file: string, tmp: string, ready: () => number, boundary: () => Promise<void>): Promise<number> {
  const remove = () => {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  };
  try {
    remove();
    copyFileSync(file, tmp);
    const id = ready();
    await boundary();
    return id;
  } catch (err) {
    remove();
    if (err instanceof BatchdeskError) throw err;
    throw new BatchdeskError('io', `cannot copy ${file} next to the database: ${(err as Error).message}`);
  }
}

export async function restoreBackup(req: RestoreRequest, clock: Clock): Promise<RestoreResult> {
  const file = resolve(req.file);
  const dbPath = resolve(req.dbPath);
  // The live file itself (or a link to it) is no backup: copying it would drop its WAL.
  for (const suffix of ['', ...DATABASE_COMPANION_SUFFIXES]) {
    if (isSameFile(file, dbPath + suffix)) throw new BatchdeskError('usage', `cannot restore ${file}: it is the database being restored${suffix ? ` (its ${suffix.slice(1)} file)` : ''}; name a backup file`);
  }
  const exists = existsSync(dbPath);
  if (exists) refuseWhileHeld(dbPath, clock, req.commandSuffix ?? '');
  const report = stepReporter('restore_step', RESTORE_STEPS, plannedRestoreSteps(req.safetyBackup, exists), req, clock);
  report('verify');
  const checked = verifyAndRecord(file, dbPath, clock, req.commandSuffix ?? '');
  const started = formatTimestamp(clock.now());
  const migrationsApplied = shippedMigrations().length - checked.migrations;
  let safety: string | null = null;
  let safetyWarnings: readonly string[] = [];
  const boundary = () => stopIfCancelled(req.signal, () => restoreCancelledMessage(dbPath, safety));
  await boundary();
  let removedLeftovers: readonly string[] = [];
  // Read when the copy is readied: the safety backup is named by then.
  const ready = (tmp: string) => () => readyRestoredCopy(tmp, { file, manifest_checked: checked.manifestChecked, safety_backup: safety, migrations_applied: migrationsApplied }, started, clock);
  let maintenanceId: number;
  if (exists) {
    const opened = openStore(dbPath, { mustExist: true });
    let lock: ReturnType<typeof acquireMaintenanceLock> | null = null;
    let swapped = false;
    try {
      lock = acquireMaintenanceLock(opened.db, opened.store, 'restore', req.holder, clock, dbPath, req);
      // Under the lock, before the safety backup: a leftover may be what fills the disk.
      removedLeftovers = removeKilledRestoreCopies(dbPath);
      if (req.safetyBackup) {
        report('safety_backup');
        try {
          ({ file: safety, warnings: safetyWarnings } = await makeBackup(opened, { reason: 'pre-restore', holdsLock: true, ...(req.signal ? { signal: req.signal } : {}) }, clock));
        } catch (err) {
          if (err instanceof BatchdeskError && err.code === 'cancelled') throw new BatchdeskError('cancelled', `${restoreCancelledMessage(dbPath, null)}; the partial safety backup was removed`);
          throw err;
        }
        await boundary();
      }
      report('replace');
      const tmp = join(dirname(dbPath), `.${basename(dbPath)}.restore-${process.pid}.tmp`);
      maintenanceId = await stageCopy(file, tmp, ready(tmp), boundary);
      opened.db.pragma('wal_checkpoint(TRUNCATE)');
      opened.close();
      for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
      renameSync(tmp, dbPath);
      swapped = true;
      fsyncDirectory(dirname(dbPath));
    } catch (err) {
      if (!swapped) {
        try {
          if (lock) {
            lock.release();
            const status = err instanceof BatchdeskError && err.code === 'cancelled' ? 'cancelled' : 'failed';
            logMaintenance(opened.db, 'restore', status, { file, error: (err as Error).message, safety_backup: safety }, started, formatTimestamp(clock.now()));
          }
          opened.close();
        } catch {
          // the connection may already be closed
        }
      }
      throw err;
    }
  } else {
    if (!existsSync(dirname(dbPath))) throw new BatchdeskError('io', `cannot restore to ${dbPath}: the folder ${dirname(dbPath)} does not exist`);
    report('replace');
    removedLeftovers = removeKilledRestoreCopies(dbPath);
    const tmp = `${dbPath}.restore-${process.pid}.tmp`;
    maintenanceId = await stageCopy(file, tmp, ready(tmp), boundary);
    renameSync(tmp, dbPath);
    fsyncDirectory(dirname(dbPath));
  }
  checked.recordPassed();
  report('reopen');
  const reopened = openStore(dbPath, { mustExist: true });
  try {
    return {
      database: dbPath,
      restoredFrom: file,
      safetyBackup: safety,
      ...(safetyWarnings.length ? { safetyBackupWarnings: safetyWarnings } : {}),
      manifestChecked: checked.manifestChecked,
      migrationsApplied,
      rowCounts: tableRowCounts(reopened.db),
      maintenanceId,
      ...(removedLeftovers.length ? { removedLeftovers } : {}),
    };
  } finally {
    reopened.close();
  }
}
