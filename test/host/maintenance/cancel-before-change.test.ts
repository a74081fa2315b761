/**
 * A signal (Ctrl-C in the CLI) stops purge, restore and the CSV imports at a step boundary
 * before they change anything (SPEC.md k.3: `cancelled`, exit code 130). Each case aborts at a
 * chosen step, through the step events the app shows (`purge_step`, `restore_step`), and checks
 * the message, the content (canonical checksums) unchanged, the files left, the maintenance_log
 * row and a free lock.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchdeskError } from '../../../core/api/errors';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { TelemetrySink } from '../../../core/telemetry/record-metric';
import { openStore } from '../../../host/engine-host';
import { makeBackup } from '../../../host/maintenance/backup';
import { importPricesFile, importProfilesFile } from '../../../host/maintenance/csv-import';
import { runPurge, type PurgeRequest } from '../../../host/maintenance/purge';
import { restoreBackup } from '../../../host/maintenance/restore';
import { systemClock } from '../../../host/system-ports';
import { backfilledDemo, checksumsOf, copyTo, SAFE_NOW } from '../../support/safeguards';

const clock = systemClock({ BATCHDESK_NOW: SAFE_NOW });

let demo = '';
beforeAll(async () => {
  demo = await backfilledDemo();
}, 180_000);

/** A sink that aborts `controller` when the step `step` of the metric `metric` starts. */
function abortAt(metric: string, step: string, controller: AbortController): TelemetrySink {
  return {
    name: 'abort-at-step',
    handle: (e: TelemetryEvent) => {
      if (e.event === 'metric' && e.payload.name === metric && e.payload.tags['step'] === step) controller.abort();
    },
  };
}

async function cancelledError(p: Promise<unknown>): Promise<BatchdeskError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BatchdeskError);
  expect((err as BatchdeskError).code).toBe('cancelled');
  return err as BatchdeskError;
}

function readDb<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const lastLog = (path: string, operation: string) =>
  readDb(path, (db) => db.prepare(`SELECT status, details FROM maintenance_log WHERE operation = ? ORDER BY id DESC LIMIT 1`).get(operation) as { status: string; details: string } | undefined);
const lockRows = (path: string) => readDb(path, (db) => (db.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n);
const backupsOf = (path: string) => (existsSync(join(dirname(path), 'backups')) ? readdirSync(join(dirname(path), 'backups')) : []);

const PURGE: Omit<PurgeRequest, 'signal' | 'sinks'> = { start: null, end: null, portfolioIds: [], keepTracking: false, backup: true, dryRun: false, holder: 'cli' };

async function purgeStoppedAt(step: string | null): Promise<{ path: string; err: BatchdeskError }> {
  const path = copyTo(demo);
  const controller = new AbortController();
  if (step === null) controller.abort();
  const opened = openStore(path, { mustExist: true });
  try {
    const err = await cancelledError(runPurge(opened, { ...PURGE, signal: controller.signal, sinks: step ? [abortAt('purge_step', step, controller)] : [] }, clock));
    return { path, err };
  } finally {
    opened.close();
  }
}

describe('purge stopped by its signal', () => {
  it('before the backup: nothing deleted, no backup, logged cancelled, lock free', async () => {
    const before = checksumsOf(demo);
    const { path, err } = await purgeStoppedAt(null);
    expect(err.message).toBe('purge cancelled before the delete; nothing was deleted');
    expect(checksumsOf(path)).toEqual(before);
    expect(backupsOf(path)).toEqual([]);
    expect(lastLog(path, 'purge')?.status).toBe('cancelled');
    expect(lockRows(path)).toBe(0);
  });

  it('during the backup: the partial backup file is removed and nothing is deleted', async () => {
    const before = checksumsOf(demo);
    const { path, err } = await purgeStoppedAt('backup');
    expect(err.message).toBe('purge cancelled during the pre-purge backup; the partial backup file was removed and nothing was deleted');
    expect(checksumsOf(path)).toEqual(before);
    expect(backupsOf(path)).toEqual([]);
    expect(lastLog(path, 'purge')?.status).toBe('cancelled');
    expect(lastLog(path, 'backup')?.status).toBe('cancelled');
    expect(lockRows(path)).toBe(0);
  });

  it('after the backup, before the delete: nothing deleted, the completed backup kept and named', async () => {
    const before = checksumsOf(demo);
    const { path, err } = await purgeStoppedAt('count');
    const kept = backupsOf(path).filter((f) => f.endsWith('.pre-purge.sqlite'));
    expect(kept).toHaveLength(1);
    expect(err.message).toBe(`purge cancelled before the delete; nothing was deleted (the pre-purge backup it completed is kept: ${join(dirname(path), 'backups', kept[0]!)})`);
    expect(checksumsOf(path)).toEqual(before);
    expect(lastLog(path, 'purge')?.status).toBe('cancelled');
    expect(lockRows(path)).toBe(0);
  });

  it('once the delete has begun, it completes', async () => {
    const path = copyTo(demo);
    const controller = new AbortController();
    const opened = openStore(path, { mustExist: true });
    try {
      const r = await runPurge(opened, { ...PURGE, backup: false, signal: controller.signal, sinks: [abortAt('purge_step', 'purge', controller)] }, clock);
      expect(controller.signal.aborted).toBe(true);
      expect(r.countsAfter['portfolio_snapshots']).toBe(0);
    } finally {
      opened.close();
    }
    expect(lastLog(path, 'purge')?.status).toBe('success');
  });
});

describe('restore stopped by its signal', () => {
  async function restoreStoppedAt(step: string): Promise<{ path: string; backup: string; err: BatchdeskError }> {
    const path = copyTo(demo);
    const opened = openStore(path, { mustExist: true });
    const backup = await makeBackup(opened, { reason: 'manual', holdsLock: false }, clock).finally(() => opened.close());
    // The database moves on after the backup, so a restore would change it.
    const deleted = await (async () => {
      const o = openStore(path, { mustExist: true });
      try {
        return await runPurge(o, { ...PURGE, backup: false }, clock);
      } finally {
        o.close();
      }
    })();
    expect(deleted.countsAfter['portfolio_snapshots']).toBe(0);
    const controller = new AbortController();
    const err = await cancelledError(restoreBackup({ dbPath: path, file: backup.file, safetyBackup: true, holder: 'cli', signal: controller.signal, sinks: [abortAt('restore_step', step, controller)] }, clock));
    return { path, backup: backup.file, err };
  }

  it('during the safety backup: the database unchanged, the partial safety backup removed', async () => {
    const { path, backup, err } = await restoreStoppedAt('safety_backup');
    expect(err.message).toBe(`restore cancelled before the database was replaced; ${path} was not changed; the partial safety backup was removed`);
    expect(checksumsOf(path)['portfolio_snapshots']?.rows).toBe(0);
    expect(backupsOf(path).filter((f) => f.includes('pre-restore'))).toEqual([]);
    expect(existsSync(backup)).toBe(true);
    expect(lastLog(path, 'restore')?.status).toBe('cancelled');
    expect(lockRows(path)).toBe(0);
  });

  it('before the swap: the database unchanged, the copy removed, the safety backup kept and named', async () => {
    const { path, err } = await restoreStoppedAt('replace');
    const safety = backupsOf(path).filter((f) => f.endsWith('.pre-restore.sqlite'));
    expect(safety).toHaveLength(1);
    expect(err.message).toBe(`restore cancelled before the database was replaced; ${path} was not changed (the safety backup it completed is kept: ${join(dirname(path), 'backups', safety[0]!)})`);
    expect(checksumsOf(path)['portfolio_snapshots']?.rows).toBe(0);
    expect(readdirSync(dirname(path)).filter((f) => f.includes('.restore-'))).toEqual([]);
    expect(lastLog(path, 'restore')?.status).toBe('cancelled');
    expect(lockRows(path)).toBe(0);
  });
});

describe('CSV imports stopped by their signal', () => {
  const stopped = () => {
    const c = new AbortController();
    c.abort();
    return c.signal;
  };

  it('prices import: stopped after the parse, nothing imported, lock free', async () => {
    const path = copyTo(demo);
    const before = checksumsOf(path);
    const req = { dbPath: path, source: 'symbol,date,close\nZZZT,2025-07-01,10\n', fileName: 'p.csv', skipBadRows: false, holder: 'cli' as const, clock };
    const err = await cancelledError(importPricesFile({ ...req, signal: stopped() }));
    expect(err.message).toBe('the import of p.csv was cancelled before anything was written; nothing was imported');
    expect(checksumsOf(path)).toEqual(before);
    expect(lockRows(path)).toBe(0);
    // Not stopped, the same file is imported.
    expect((await importPricesFile({ ...req, signal: new AbortController().signal })).inserted).toBe(1);
  });

  it('profiles import: stopped after the parse, nothing imported', async () => {
    const path = copyTo(demo);
    const before = checksumsOf(path);
    const err = await cancelledError(importProfilesFile({ dbPath: path, source: 'symbol,company_name\nZZZT,Test Co\n', fileName: 'profiles.csv', skipBadRows: false, holder: 'cli', clock, signal: stopped() }));
    expect(err.message).toBe('the import of profiles.csv was cancelled before anything was written; nothing was imported');
    expect(checksumsOf(path)).toEqual(before);
  });
});
