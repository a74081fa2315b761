/**
 * The PostgreSQL dump import procedure of the hosts (SPEC.md j.7, m.15), shared by the CLI
 * `import` command and the `importDump` contract command. The reading, mapping and loading
 * live in db/pg-import; this file adds what needs the host: the run lock, the verified
 * pre-import backup, the file swap, telemetry and the mapping of failures onto error codes.
 *
 * | mode | what happens | a failure leaves |
 * |---|---|---|
 * | new | `<db>.importing` is built and renamed to `<db>`; `<db>` must not exist | nothing: the temporary file is deleted |
 * | replace | a dump that would import nothing is refused (refuseBeforeLock), the lock (kind `import`) is taken, `<db>.importing` is built, a verified `pre-import` backup of the live file is made, then the new file is flushed and renamed over the live one with every connection closed, as for a restore (j.3) | the live file as it was; no temporary file, no backup |
 * | merge | a dump that would import nothing is refused (refuseBeforeLock), the lock (kind `import`) is taken, a verified `pre-import` backup is made, then the dump is merged in one transaction by the merge rule (db/pg-import/import-dump.ts: missing rows are inserted; existing rows keep their locally derived equity, mark cache and user key; rows matched by natural key under another id have the dump's references re-pointed to them; stored batch_run_tracking and batch_run_history rows are never replaced) | the live file as it was (rolled back); the backup of this attempt, its manifest, its log row and the log's counter are removed again |
 *
 * Every bad dump (truncated, corrupt, wrong magic, future version, a COPY block cut short,
 * none of our tables or no rows in them, an unreadable path) is a data error (exit code 5) whose message names
 * the problem; cancellation is exit code 130. Progress goes out as `metric` events named
 * `import_progress` (source `import`): dump bytes consumed per table.
 *
 * runDumpImport is the whole sequence both hosts call (`batchdesk import` and importDump):
 * check the --report path, then plan (--dry-run) or import, then write the report.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { ImportDumpInput } from '../../core/api/commands/import-commands';
import { BatchdeskError, usageError } from '../../core/api/errors';
import { formatTimestamp } from '../../core/domain/timestamp';
import type { Clock } from '../../core/ports/clock';
import { takeoverWarnings } from '../../core/maintenance/takeover-words';
import type { LockHolder } from '../../core/ports/store';
import { createTelemetry, type TelemetrySink } from '../../core/telemetry/record-metric';
import { fsyncFile } from '../../db/maintenance/database-file';
import { refuseDatabaseOverwrite, refuseUnusableOutput, writeOutputFile } from '../../db/maintenance/database-paths';
import { DumpError, isDumpError, type DumpErrorCode } from '../../db/pg-import/dump-error';
import { importIntoNewFile, mergeIntoDatabase, planDumpImport, refuseDumpImportingNothing, type ImportOptions, type ImportProgress, type ReferenceSeeder } from '../../db/pg-import/import-dump';
import type { DumpImportPlan, ImportReport } from '../../db/pg-import/import-report';
import { engineHost, openStore, staleJudge, type OpenedDatabase } from '../engine-host';
import { announceGateChange } from '../diagnostics/guard';
import { seedReferenceData } from '../reference-data';
import { backupDirOf, makeBackup, removeBackupFiles, type BackupResult } from './backup';
import { activeLockHolder, type HeldLock } from './maintenance-lock';
import { lockedError } from '../../core/engine/locked-error';

export type DumpImportMode = 'new' | 'replace' | 'merge';

export interface DumpImportRequest {
  readonly dumpPath: string;
  /** The database: the file to create (new), or the live file (replace, merge). */
  readonly dbPath: string;
  readonly mode: DumpImportMode;
  /** --merge only: what a row whose key exists already does (default skip). */
  readonly onConflict?: 'skip' | 'replace';
  readonly schema?: string;
  readonly database?: string;
  readonly strict?: boolean;
  readonly allowEmpty?: boolean;
  readonly holder: LockHolder;
  /** Receive the `import_progress` metric events (and `gate_changed` when the import takes over a killed rebuild's lock). */
  readonly sinks?: readonly TelemetrySink[];
  readonly signal?: AbortSignal;
  /** Called right before the live file is replaced, so long-lived hosts close their connections. */
  readonly beforeSwap?: () => void;
  /** Read the dump in a worker thread: 'auto' (default) for dumps of 16 MB and more. */
  readonly readInWorker?: boolean | 'auto';
}

export interface DumpImportResult {
  readonly mode: DumpImportMode;
  readonly database: string;
  /** The verified pre-import backup (replace, merge). */
  readonly backupFile: string | null;
  readonly report: ImportReport;
}

/**
 * What to do about a dump error the reader's message does not say. pg_dump --encoding=UTF8
 * checks every byte and fails on any that is not UTF-8 (a SQL_ASCII database can hold them),
 * so a UTF8 dump with invalid bytes was changed after pg_dump wrote it.
 */
const NEXT_STEP: Partial<Record<DumpErrorCode, string>> = {
  invalid_text:
    'the dump is marked UTF8 but holds bytes that are not UTF-8, which pg_dump never writes: the file was changed after it was made (edited, re-encoded or damaged in transfer); ' +
    'make the dump again with `pg_dump --encoding=UTF8` and import it unchanged (if that pg_dump stops at an "invalid byte sequence", the database is SQL_ASCII: dump it without --encoding)',
};

/** A DumpError (or a cancellation) in the hosts' error vocabulary: exit code 5, or 130. */
export function hostImportError(err: unknown): unknown {
  if (!isDumpError(err)) return err;
  if (err.code === 'cancelled') return new BatchdeskError('cancelled', 'the import was cancelled; nothing was changed');
  const next = NEXT_STEP[err.code];
  return new BatchdeskError('data', `import failed: ${err.message}; nothing was changed${next ? `; ${next}` : ''}`, { reason: err.code, ...err.context });
}

/** Refusals that need no dump: the target's state against the mode (m.15, m.22). */
export function checkImportTarget(dbPath: string, mode: DumpImportMode, dbIsDefault = false): void {
  const dir = dirname(dbPath);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BatchdeskError('io', `cannot import into ${dbPath}: the folder ${dir} does not exist`);
  }
  const exists = existsSync(dbPath);
  if (mode === 'new' && exists) {
    throw usageError(
      dbIsDefault
        ? `the default database ${dbPath} already exists; pass --merge to merge the dump into it, --replace to replace it (after a verified backup), or --db NEW.sqlite to import into a new file`
        : `${dbPath} already exists; import into a new file, or pass --replace (after a verified backup) or --merge`,
    );
  }
  if (mode === 'merge' && !exists) throw new BatchdeskError('not_found', `cannot merge into ${dbPath}: it does not exist (import without --merge to create it)`);
}

function importTelemetry(req: DumpImportRequest, clock: Clock, lock: HeldLock | null): (p: ImportProgress) => void {
  const telemetry = createTelemetry({ clock, sinks: req.sinks ?? [] });
  let lastBeat = clock.now();
  return (p) => {
    telemetry.metric('import_progress', p.bytes, {
      unit: 'bytes',
      source: 'import',
      tags: { table: p.table, source_table: p.source, total_bytes: p.totalBytes, rows: p.rows },
    });
    // A long load keeps the lock's heartbeat fresh so no other process judges it stale.
    if (lock && clock.now() - lastBeat > 2000) {
      lastBeat = clock.now();
      lock.heartbeat();
    }
  };
}

function baseOptions(req: DumpImportRequest, clock: Clock, onProgress: (p: ImportProgress) => void): ImportOptions {
  return {
    dumpPath: req.dumpPath,
    ...(req.schema ? { schema: req.schema } : {}),
    ...(req.database ? { database: req.database } : {}),
    strict: req.strict ?? false,
    allowEmpty: req.allowEmpty ?? false,
    // Wrapped dumps are unpacked next to the database (same disk), and removed again.
    tempDir: dirname(resolve(req.dbPath)),
    ...(req.signal ? { signal: req.signal } : {}),
    now: () => formatTimestamp(clock.now()),
    onProgress,
    seedReferenceData: seedMissingReferenceData,
    ...(req.readInWorker !== undefined ? { readInWorker: req.readInWorker } : {}),
  };
}

/** Columns of the reference tables that come from batchdesk's catalog even for imported rows (j.7). */
const CATALOG_COLUMNS: Record<string, readonly string[]> = {
  factor_definitions: [],
  stress_test_scenarios: ['category_key', 'period_start', 'period_end'],
};

/**
 * Post-step 4 of j.7: factor definitions and stress scenarios missing from the dump are
 * seeded from the catalog (host/reference-data). Rows the dump brought keep their imported
 * values (ids, names, descriptions, shocks), except the scenario columns the catalog fills
 * (category key and period), although the seeder refreshes catalog rows in a live database.
 */
export const seedMissingReferenceData: ReferenceSeeder = (db, nowIso) => {
  const before = new Map<string, Record<string, unknown>[]>();
  for (const table of Object.keys(CATALOG_COLUMNS)) before.set(table, db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]);
  const seeded = seedReferenceData(db, nowIso);
  for (const [table, rows] of before) {
    const keep = rows.length ? Object.keys(rows[0]!).filter((c) => c !== 'id' && !CATALOG_COLUMNS[table]!.includes(c)) : [];
    if (keep.length === 0) continue;
    const restore = db.prepare(`UPDATE "${table}" SET ${keep.map((c) => `"${c}" = ?`).join(', ')} WHERE id = ?`);
    for (const r of rows) restore.run(...keep.map((c) => r[c] ?? null), r['id']);
  }
  return seeded;
};

/**
 * Takes the run lock with kind `import` (SPEC.md g.9): free, or stale (a dead pid on this
 * host, an old heartbeat); else exit code 3 naming the holder. Unlike the other maintenance
 * operations it leaves tracking rows alone: a failed import must change nothing, and the
 * tracking rows an import brings (status `imported`, `completed_at` as the reference left it)
 * are no run in flight.
 */
function acquireImportLock(opened: OpenedDatabase, holder: LockHolder, clock: Clock, dbPath: string, sinks: readonly TelemetrySink[] | undefined): HeldLock {
  const nowIso = () => formatTimestamp(clock.now());
  const me = engineHost(holder, dbPath);
  const lockId = `import-${randomUUID()}`;
  const r = opened.store.acquireLock(
    { kind: 'import', runId: lockId, holder, host: me.host, pid: me.pid, acquiredAt: nowIso(), heartbeatAt: nowIso() },
    staleJudge(opened.store, clock, dbPath),
    nowIso(),
  );
  if (!r.acquired) throw lockedError(r.holder);
  // Taking over a killed rebuild's lock closed the gate: said as every taker says it.
  if (r.tookOver?.gateChange) announceGateChange(r.tookOver.gateChange, { sinks: sinks ?? [] }, clock);
  return { lockId, kind: 'import', takeover: r.tookOver, heartbeat: () => opened.store.heartbeat(lockId, nowIso()), release: () => opened.store.releaseLock(lockId) };
}

/**
 * What a --replace or --merge refuses before it takes the lock of the live file, so the file
 * stays as it was, byte for byte (taking and releasing the lock rewrites a page): a live
 * holder first (exit code 3, as the lock would say), then a dump that would import nothing
 * (refuseDumpImportingNothing: schema only, none of our tables, no rows; exit code 5).
 */
async function refuseBeforeLock(req: DumpImportRequest, opened: OpenedDatabase, clock: Clock, dbPath: string): Promise<void> {
  const busy = activeLockHolder(opened.store, clock, dbPath);
  if (busy) throw lockedError(busy);
  await refuseDumpImportingNothing(baseOptions(req, clock, () => {}));
}

function removeFileSet(path: string): void {
  for (const s of ['', '-wal', '-shm', '-journal']) rmSync(path + s, { force: true });
}

/**
 * maintenance_log's AUTOINCREMENT counter (its sqlite_sequence row), or null when the table
 * has never had a row: read before the pre-import backup logs its row, so a failed import
 * can put it back (discardBackup).
 */
function maintenanceLogSequence(opened: OpenedDatabase): number | null {
  const r = opened.db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'maintenance_log'`).get() as { seq: number } | undefined;
  return r ? r.seq : null;
}

/**
 * Undoes a backup made for an import that then failed: the file, its manifest, its log row
 * and the counter that row advanced (`sequence`, as maintenanceLogSequence read it before the
 * backup; the file's `.dump` is then as it was, SPEC.md j.7 "a failed import changes
 * nothing"), and the backup folder when this backup created it.
 */
function discardBackup(opened: OpenedDatabase, b: BackupResult, folderExisted: boolean, sequence: number | null): void {
  removeBackupFiles(b.file);
  opened.db.transaction(() => {
    opened.db.prepare(`DELETE FROM maintenance_log WHERE id = ?`).run(b.maintenanceId);
    if (sequence === null) opened.db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'maintenance_log'`).run();
    else opened.db.prepare(`UPDATE sqlite_sequence SET seq = CAST(? AS INTEGER) WHERE name = 'maintenance_log'`).run(sequence);
  })();
  const dir = dirname(b.file);
  if (!folderExisted && existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}

async function importNew(req: DumpImportRequest, dbPath: string, clock: Clock): Promise<DumpImportResult> {
  const { report } = await importIntoNewFile({ ...baseOptions(req, clock, importTelemetry(req, clock, null)), targetPath: dbPath });
  return { mode: 'new', database: dbPath, backupFile: null, report };
}

/** The pre-import backup's warnings (a retention pass that left files, say), as the import report's. */
function backupWarnings(backup: BackupResult): string[] {
  return backup.warnings.map((w) => `pre-import backup: ${w}`);
}

async function importReplace(req: DumpImportRequest, dbPath: string, clock: Clock): Promise<DumpImportResult> {
  const opened = openStore(dbPath, { mustExist: true });
  let lock: HeldLock | null = null;
  let tmp: string | null = null;
  let backup: BackupResult | null = null;
  let folderExisted = true;
  let sequence: number | null = null;
  let swapped = false;
  try {
    await refuseBeforeLock(req, opened, clock, dbPath);
    // What taking over a killed rebuild's lock changed (its gate closed) is in the file this replaces, so it goes unsaid.
    lock = acquireImportLock(opened, req.holder, clock, dbPath, req.sinks);
    const built = await importIntoNewFile({ ...baseOptions(req, clock, importTelemetry(req, clock, lock)), targetPath: dbPath, keepTemp: true });
    tmp = built.path;
    folderExisted = existsSync(backupDirOf(opened));
    sequence = maintenanceLogSequence(opened);
    backup = await makeBackup(opened, { reason: 'pre-import', holdsLock: true }, clock);
    const backupFile = backup.file;
    // The import's maintenance_log row in the new file names the backup of the file it replaced
    // and the file's final name.
    const fresh = new Database(tmp, { fileMustExist: true });
    try {
      fresh
        .prepare(`UPDATE maintenance_log SET details = json_set(details, '$.preImportBackup', ?, '$.resultFile', ?) WHERE id = (SELECT max(id) FROM maintenance_log WHERE operation = 'import')`)
        .run(backupFile, dbPath);
      fresh.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      fresh.close();
    }
    for (const s of ['-wal', '-shm']) rmSync(tmp + s, { force: true });
    fsyncFile(tmp);
    // As for a restore (j.3): close every connection, checkpoint, drop -wal/-shm, rename.
    req.beforeSwap?.();
    opened.db.pragma('wal_checkpoint(TRUNCATE)');
    opened.close();
    for (const s of ['-wal', '-shm']) rmSync(dbPath + s, { force: true });
    renameSync(tmp, dbPath);
    swapped = true;
    built.report.resultFile = dbPath;
    built.report.warnings.push(...backupWarnings(backup));
    return { mode: 'replace', database: dbPath, backupFile, report: built.report };
  } catch (err) {
    if (!swapped) {
      if (tmp) removeFileSet(tmp);
      try {
        if (backup) discardBackup(opened, backup, folderExisted, sequence);
        lock?.release();
      } catch {
        // the connection may be closed already; the original error matters
      }
      try {
        opened.close();
      } catch {
        // closed already
      }
    }
    throw err;
  }
}

async function importMerge(req: DumpImportRequest, dbPath: string, clock: Clock): Promise<DumpImportResult> {
  const opened = openStore(dbPath, { mustExist: true });
  let lock: HeldLock | null = null;
  let backup: BackupResult | null = null;
  let folderExisted = true;
  let sequence: number | null = null;
  try {
    await refuseBeforeLock(req, opened, clock, dbPath);
    lock = acquireImportLock(opened, req.holder, clock, dbPath, req.sinks);
    folderExisted = existsSync(backupDirOf(opened));
    sequence = maintenanceLogSequence(opened);
    // Retention waits for the next backup: a merge that fails must not have deleted older backups.
    backup = await makeBackup(opened, { reason: 'pre-import', holdsLock: true, keep: Number.MAX_SAFE_INTEGER }, clock);
    const report = await mergeIntoDatabase(opened.db, {
      ...baseOptions(req, clock, importTelemetry(req, clock, lock)),
      databasePath: dbPath,
      onConflict: req.onConflict ?? 'skip',
    });
    // Taking over a killed rebuild's lock closed the gate of this file, which the merge keeps: said here too.
    report.warnings.push(...takeoverWarnings(lock.takeover), ...backupWarnings(backup));
    return { mode: 'merge', database: dbPath, backupFile: backup.file, report };
  } catch (err) {
    try {
      if (backup) discardBackup(opened, backup, folderExisted, sequence);
    } catch {
      // the original error matters
    }
    throw err;
  } finally {
    try {
      lock?.release();
    } finally {
      opened.close();
    }
  }
}

/**
 * Imports a dump (see the file comment). Throws BatchdeskError: usage (2) for a target that
 * contradicts the mode, locked (3), data or io (5) for a bad dump or file, cancelled (130).
 */
export async function importDumpFile(req: DumpImportRequest, clock: Clock, options: { dbIsDefault?: boolean } = {}): Promise<DumpImportResult> {
  const dbPath = resolve(req.dbPath);
  const mode: DumpImportMode = req.mode === 'replace' && !existsSync(dbPath) ? 'new' : req.mode;
  // A dump that is not there is said first: the target's refusals would only send the user to
  // --replace or --merge, then to this.
  if (!existsSync(req.dumpPath)) throw hostImportError(new DumpError('not_found', `${req.dumpPath} does not exist`));
  checkImportTarget(dbPath, mode, options.dbIsDefault ?? false);
  try {
    if (mode === 'new') {
      const r = await importNew(req, dbPath, clock);
      if (req.mode === 'replace') r.report.warnings.push(`${dbPath} did not exist: there was nothing to replace, a new file was written`);
      return r;
    }
    return mode === 'replace' ? await importReplace(req, dbPath, clock) : await importMerge(req, dbPath, clock);
  } catch (err) {
    throw hostImportError(err);
  }
}

/** --dry-run: the plan, with each table's rows counted; no database is opened or written. */
export async function planDumpFile(req: Pick<DumpImportRequest, 'dumpPath' | 'schema' | 'database' | 'allowEmpty' | 'signal' | 'dbPath'>): Promise<DumpImportPlan> {
  try {
    return await planDumpImport({
      dumpPath: req.dumpPath,
      ...(req.schema ? { schema: req.schema } : {}),
      ...(req.database ? { database: req.database } : {}),
      allowEmpty: req.allowEmpty ?? false,
      countRows: true,
      tempDir: dirname(resolve(req.dbPath)),
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (err) {
    throw hostImportError(err);
  }
}

/**
 * Refuses, before anything is imported, a --report path that names a database: the import's
 * own target or the host's database, their companions, or any SQLite file (usage error, exit
 * code 2); and one under a file, in a folder that cannot be written, or that is a folder (an
 * I/O error, exit code 5, as for every output path: database-paths.ts). Found now, not after
 * the import has committed. A missing folder is made when the report is written.
 */
export function checkImportReportPath(path: string, databases: readonly string[]): void {
  refuseDatabaseOverwrite(path, 'the import report', databases);
  refuseUnusableOutput(path, 'the import report', '--report');
}

/** Writes the --report JSON (its folder made when missing, as for backups and event logs); a failed write is an I/O error. */
export function writeImportReport(path: string, value: unknown): void {
  writeOutputFile(path, `${JSON.stringify(value, null, 2)}\n`, 'the import report', [], '--report');
}

export interface DumpImportRun extends DumpImportRequest {
  /** --dry-run: plan only (see planDumpFile); nothing is opened or written but the report. */
  readonly dryRun: boolean;
  /** --report: the absolute path the report is also saved to as JSON, or null. */
  readonly reportPath: string | null;
  /**
   * The host's own database when it may differ from dbPath (the app's new-file import into
   * another target): dbPath must not be it or one of its -wal/-shm/-journal files, and the
   * report must not name it.
   */
  readonly hostDatabase?: string;
  /** The target is the default database (no --db): its refusal advises --db, --merge, --replace. */
  readonly dbIsDefault?: boolean;
  /** Called once the import has succeeded, before the report is written (a host closes its read connection). */
  readonly afterImport?: (result: DumpImportResult) => void;
}

/** The options of a dump import as the contract's input carries them, passed alike by `batchdesk import` and the importDump handler. */
export function dumpImportOptions(input: ImportDumpInput): Pick<DumpImportRun, 'mode' | 'schema' | 'database' | 'allowEmpty' | 'onConflict' | 'strict' | 'dryRun'> {
  return {
    mode: input.mode,
    schema: input.schema,
    ...(input.database ? { database: input.database } : {}),
    allowEmpty: input.allowEmpty,
    ...(input.onConflict ? { onConflict: input.onConflict } : {}),
    strict: input.strict,
    dryRun: input.dryRun,
  };
}

export type DumpImportOutcome = { readonly dryRun: true; readonly plan: DumpImportPlan } | { readonly dryRun: false; readonly result: DumpImportResult };

/**
 * The dump import of both hosts: refuses a target that is the host's database under another
 * name and an unusable --report path before anything is read; then plans (dry run) or imports
 * (importDumpFile); then saves the report (the plan, or the import report with its backup file).
 */
export async function runDumpImport(req: DumpImportRun, clock: Clock): Promise<DumpImportOutcome> {
  const dbPath = resolve(req.dbPath);
  const host = req.hostDatabase !== undefined ? resolve(req.hostDatabase) : dbPath;
  if (dbPath !== host) refuseDatabaseOverwrite(dbPath, 'the imported database', [host]);
  if (req.reportPath) checkImportReportPath(req.reportPath, [dbPath, host]);
  if (req.dryRun) {
    const plan = await planDumpFile(req);
    if (req.reportPath) writeImportReport(req.reportPath, { dryRun: true, plan });
    return { dryRun: true, plan };
  }
  const result = await importDumpFile(req, clock, { dbIsDefault: req.dbIsDefault ?? false });
  req.afterImport?.(result);
  if (req.reportPath) writeImportReport(req.reportPath, { ...result.report, backupFile: result.backupFile });
  return { dryRun: false, result };
}
