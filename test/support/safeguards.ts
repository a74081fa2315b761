/**
 * Fixtures of the safeguard tests: a backfilled demo database (seeded with synthetic prices
 * and run in process over 2025-06-30 .. 2025-07-10, 8 trading days), copies of it, ballast
 * that slows a backup down, a child process that holds the run lock, the backup list of a file,
 * and content checksums of a file (SPEC.md m.12).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { LockKind } from '../../core/ports/store';
import { fileContentChecksums, type ContentChecksums } from '../../db/canonical';
import { openStore } from '../../host/engine-host';
import { backupList } from '../../host/maintenance/backup';
import { firstOutput, killChild } from './child-processes';
import { REPO_ROOT, tempDir } from './cli';
import { runDemo, seedDemoDb } from './demo-db';

/** 2025-07-10 after the close: the demo backfill covers 8 trading days. */
export const SAFE_NOW = '2025-07-10T23:00:00Z';
export const ENV = { BATCHDESK_NOW: SAFE_NOW };

export const INDIVIDUAL = '1d8ddd95-3b45-0ac5-35bf-cf81af94a5fe';
export const FAMILY_GROWTH = '9381dd8d-db58-9843-f5e4-4eea0ae62e9a';
export const FAMILY_PRIVATE = 'ab46c3c0-ed71-6f5b-b3f3-d36fa65e210c';

/** A seeded and backfilled demo database (closed, no WAL left). */
export async function backfilledDemo(now = SAFE_NOW): Promise<string> {
  const path = seedDemoDb(now);
  const r = await runDemo(path, now, { guard: true });
  if (r.kind !== 'run') throw new Error(`demo backfill did not run: ${r.kind}`);
  return path;
}

/** A copy of a closed database in a new folder, named `name`. */
export function copyTo(path: string, name = 'portfolios.sqlite'): string {
  const to = join(tempDir(), name);
  copyFileSync(path, to);
  return to;
}

/** A copy of `path` whose -shm is a folder: SQLite can only open it read-only, even for root. */
export function copyWithUnwritableShm(path: string): string {
  const db = copyTo(path);
  mkdirSync(`${db}-shm`);
  writeFileSync(`${db}-wal`, '');
  return db;
}

export interface LockHolder {
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns test/support/hold-lock.ts: a real process that takes the run lock (as a `kind` holder) and keeps it. */
export async function holdLockInChild(dbPath: string, kind: LockKind = 'run'): Promise<LockHolder> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/support/hold-lock.ts'), dbPath, kind], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await firstOutput(child, 'hold-lock');
  if (!/^locked \d+/.test(line)) throw new Error(`hold-lock did not take the lock: ${line}`);
  return { child, stop: () => killChild(child) };
}

/** What `backup list` shows for the database file at `db` (opened to read, then closed), for tests that check the listing itself. */
export function backupListOf(db: string): ReturnType<typeof backupList> {
  const opened = openStore(db, { toRead: true });
  try {
    return backupList(opened);
  } finally {
    opened.close();
  }
}

/** Canonical content checksums of a closed database file. */
export function checksumsOf(path: string, tables?: readonly string[]): ContentChecksums {
  return fileContentChecksums(path, tables ? { tables } : {});
}

/** Row counts of every table, read-only. */
export function rowCountsOf(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const out: Record<string, number> = {};
    for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]) {
      out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}

/** Runs SQL on a database file (test injections), then closes it. */
export function execOn<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/**
 * Adds a `ballast` table of `megabytes` random 1 MiB blobs to the closed database at `path` (and
 * returns the path), so a backup's copy and checks of it take long enough for a test to catch the
 * real process at work.
 */
export function withBallast(path: string, megabytes: number): string {
  execOn(path, (d) => {
    d.exec('CREATE TABLE ballast (b BLOB)');
    const add = d.prepare('INSERT INTO ballast VALUES (randomblob(1048576))');
    d.transaction(() => {
      for (let i = 0; i < megabytes; i++) add.run();
    })();
  });
  return path;
}

/** True when every byte is ASCII (SPEC.md k.1). */
export function isAscii(text: string): boolean {
  return /^[\x00-\x7f]*$/.test(text);
}

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}
