/**
 * The run of another process on the app's database (SPEC.md g.9, g.10, i.5), through the
 * contract dispatcher as the app and `serve` call it: `getOtherProcessRun` names the holder
 * and reads the progress `history --running` prints; `requestCancel` with its run id asks that
 * run to stop as `batchdesk cancel` does, and never a run that does not hold the lock, without
 * blocking the host while the run holds the write lock. The app's own run (same pid), a stale
 * lock and a free lock are not "another process".
 */
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../../core/domain/timestamp';
import { openStore } from '../../../host/engine-host';
import { dispatchOk, testHostContext } from '../../support/app/host-context';
import { startCliProcess } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, holdLockInChild, SAFE_NOW } from '../../support/safeguards';

const ok = dispatchOk;

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('getOtherProcessRun, and requestCancel with a run id', () => {
  it("a CLI run in another process: its holder and progress while it runs; Live's cancel stops it after a portfolio-date (exit 130)", async () => {
    // The demo's whole range (357 dates): still running when the commands are made.
    const longNow = '2026-11-27T23:00:00Z';
    const db = seedDemoDb(longNow);
    const child = startCliProcess(['run', '--db', db, '--log-json'], { BATCHDESK_NOW: longNow });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    let stderr = '';
    let dates = 0;
    // Two dates committed (date_result comes after its commit), so that progress has something to show.
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString('latin1');
        dates = stderr.split('"event":"date_result"').length - 1;
        if (dates >= 2) resolve();
      });
    });
    const ctx = testHostContext(db, longNow);
    try {
      // Between two dates (one committed, the next not begun) no date is current: read again until one is.
      let run = (await ok(ctx, 'getOtherProcessRun', {})).run;
      for (let i = 0; i < 200 && run?.currentDate === null; i++) run = (await ok(ctx, 'getOtherProcessRun', {})).run;
      expect(run).toMatchObject({ mode: 'normal', holder: 'cli', host: hostname(), pid: child.pid, datesPlanned: 357, datesFailed: 0, cancelRequested: false });
      expect(run.batchRunId).toMatch(/\S/);
      expect(run.datesDone).toBeGreaterThanOrEqual(2);
      expect(run.currentDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The same figures `history --running` reads.
      const running = await ok(ctx, 'getRunningState', {});
      expect(running.run.id).toBe(run.runId);
      expect(running.run.startedAt).toBe(run.startedAt);

      // A run id that does not hold the lock is never asked to stop.
      expect(await ok(ctx, 'requestCancel', { waitMs: 0, runId: 'some-other-run' })).toMatchObject({ requested: false, stopped: false, message: 'run some-other-run no longer holds this database; nothing to cancel' });
      expect((await ok(ctx, 'getOtherProcessRun', {})).run.cancelRequested).toBe(false);

      const cancel = await ok(ctx, 'requestCancel', { waitMs: 0, runId: run.runId });
      expect(cancel).toMatchObject({ requested: true, stopped: false, forced: false, message: `cancel requested; run ${run.batchRunId} (pid ${child.pid} on ${hostname()}) stops after its current portfolio-date` });
      expect(await exited).toBe(130);
      expect(await ok(ctx, 'getOtherProcessRun', {})).toEqual({ run: null });
      const d = new Database(db, { readonly: true });
      const history = d.prepare(`SELECT status FROM batch_run_history WHERE id = ?`).get(run.runId) as { status: string };
      d.close();
      expect(history.status).toBe('cancelled');
    } finally {
      ctx.reader?.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 180_000);

  it('is null for a free lock, a stale lock and the lock of this process (the app\'s own run threads)', async () => {
    const db = copyTo(seeded);
    const ctx = testHostContext(db, SAFE_NOW, { reader: false });
    expect(await ok(ctx, 'getOtherProcessRun', {})).toEqual({ run: null });
    const opened = openStore(db, { mustExist: true });
    try {
      const now = formatTimestamp(ctx.clock.now());
      // Ours: this process's pid on this host.
      opened.store.acquireLock({ kind: 'run', runId: 'ours', holder: 'serve', host: hostname(), pid: process.pid, acquiredAt: now, heartbeatAt: now }, () => false, now);
      expect(await ok(ctx, 'getOtherProcessRun', {})).toEqual({ run: null });
      opened.store.releaseLock('ours');
      // Stale: a pid on this host that no longer exists (m.17).
      opened.store.acquireLock({ kind: 'run', runId: 'gone', holder: 'cli', host: hostname(), pid: 2 ** 22 + 12_345, acquiredAt: now, heartbeatAt: now }, () => false, now);
      expect(await ok(ctx, 'getOtherProcessRun', {})).toEqual({ run: null });
      // Its cancel cannot reach a process: the lock is released and the run marked interrupted.
      const cancel = await ok(ctx, 'requestCancel', { waitMs: 0, runId: 'gone' });
      expect(cancel).toMatchObject({ requested: false, stopped: true });
      expect(cancel.message).toContain('is no longer running; its lock was released');
      expect(opened.store.readLock()).toBeNull();
    } finally {
      opened.close();
    }
  });

  it("requestCancel waits for the run's write lock without blocking the host: the request is written in a gap", async () => {
    const db = copyTo(seeded);
    const holder = await holdLockInChild(db);
    const ctx = testHostContext(db, SAFE_NOW, { reader: false });
    // The running engine holds the write lock for a whole portfolio-date: so does this connection, for 300 ms.
    const writer = new Database(db);
    try {
      writer.prepare('BEGIN IMMEDIATE').run();
      let ticks = 0;
      const ticking = setInterval(() => ticks++, 10);
      setTimeout(() => writer.prepare('COMMIT').run(), 300);
      const t0 = Date.now();
      const r = await ok(ctx, 'requestCancel', { waitMs: 0, runId: 'held-by-test' });
      clearInterval(ticking);
      expect(r.requested).toBe(true);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
      // The thread served its timers meanwhile (a busy wait inside SQLite would have blocked it).
      expect(ticks).toBeGreaterThan(10);
      expect((await ok(ctx, 'getOtherProcessRun', {})).run.cancelRequested).toBe(true);
    } finally {
      if (writer.inTransaction) writer.prepare('ROLLBACK').run();
      writer.close();
      await holder.stop();
    }
  });

  it('a live holder whose run has no history row yet: named, with no progress; a monitor-only run: its heartbeat\'s progress', async () => {
    const db = copyTo(seeded);
    const holder = await holdLockInChild(db);
    const ctx = testHostContext(db, SAFE_NOW, { reader: false });
    try {
      const { run } = await ok(ctx, 'getOtherProcessRun', {});
      expect(run).toMatchObject({ runId: 'held-by-test', batchRunId: null, mode: null, holder: 'cli', pid: holder.child.pid, datesPlanned: null, datesDone: 0, datesFailed: 0, currentDate: null });
      // A monitor-only run (g.12) rolls its tracking rows back: its history row's heartbeat counters are its progress.
      const w = new Database(db);
      w.prepare(`INSERT INTO batch_run_history (id, batch_run_id, started_at, created_at, status, mode, total_jobs, completed_jobs, failed_jobs) VALUES ('held-by-test', 'batch_monitor', ?, ?, 'running', 'monitor', 10, 4, 1)`).run(run.startedAt, run.startedAt);
      w.close();
      expect((await ok(ctx, 'getOtherProcessRun', {})).run).toMatchObject({ batchRunId: 'batch_monitor', mode: 'monitor', datesPlanned: 10, datesDone: 4, datesFailed: 1 });
      expect((await ok(ctx, 'getRunningState', {})).run).toMatchObject({ mode: 'monitor', datesCompleted: 4, datesFailed: 1 });
    } finally {
      await holder.stop();
    }
  });
});
