/**
 * Cross-process cancel (SPEC.md g.10): `batchdesk cancel` sets run_lock.cancel_requested and a
 * run in another process stops at the next portfolio-date boundary with exit code 130;
 * `--force` frees the lock of a holder on this host that does not respond. A purge, restore or
 * import is not asked and keeps its lock, even with --force: it cannot stop part-way.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../host/engine-host';
import { cancelRun } from '../../../host/maintenance/cancel';
import { systemClock } from '../../../host/system-ports';
import { runCli, startCliProcess } from '../../support/cli';
import { seedDemoDb } from '../../support/demo-db';
import { copyTo, ENV, holdLockInChild, SAFE_NOW } from '../../support/safeguards';

let seeded = '';
beforeAll(() => {
  seeded = seedDemoDb(SAFE_NOW);
}, 120_000);

describe('cancel', () => {
  it('stops a run in another process at a portfolio-date boundary (exit 130)', async () => {
    // The demo's whole range (357 dates, several seconds even on a fast machine), so that it is
    // still going when the cancel command (a second process) has started, however loaded the
    // machine is: with 130 dates, a faster engine finished first on a loaded machine.
    const longNow = '2026-11-27T23:00:00Z';
    const db = seedDemoDb(longNow);
    const child = startCliProcess(['run', '--db', db, '--log-json'], { BATCHDESK_NOW: longNow });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString('latin1');
        if (stderr.includes('"event":"date_result"')) resolve();
      });
    });
    const r = await runCli(['cancel', '--db', db], { BATCHDESK_NOW: longNow });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cancel requested/);
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(130);
    const d = new Database(db, { readonly: true });
    const run = d.prepare(`SELECT status FROM batch_run_history`).get() as { status: string };
    const done = d.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE completed_at IS NOT NULL`).get() as { n: number };
    const lock = d.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number };
    d.close();
    expect(run.status).toBe('cancelled');
    expect(done.n).toBeGreaterThanOrEqual(1);
    expect(done.n).toBeLessThan(357);
    expect(lock.n).toBe(0);
  }, 120_000);

  it('force: a holder on this host that does not respond loses its lock', async () => {
    const db = copyTo(seeded);
    const holder = await holdLockInChild(db);
    try {
      const opened = openStore(db, { mustExist: true });
      try {
        const r = await cancelRun(opened, { force: true, waitMs: 300 }, systemClock(ENV));
        expect(r).toMatchObject({ requested: true, forced: true, stopped: false });
        expect(opened.store.readLock()).toBeNull();
      } finally {
        opened.close();
      }
    } finally {
      await holder.stop();
    }
    const nothing = await runCli(['cancel', '--db', db], ENV);
    expect(nothing.stdout).toMatch(/nothing to cancel/);
  });
  it('a purge holding the lock is not asked to stop and keeps its lock, even with force; the refusal of a run says to wait', async () => {
    const db = copyTo(seeded);
    const holder = await holdLockInChild(db, 'purge');
    try {
      const opened = openStore(db, { mustExist: true });
      try {
        for (const force of [false, true]) {
          const r = await cancelRun(opened, { force, waitMs: 300 }, systemClock(ENV));
          expect(r).toMatchObject({ requested: false, stopped: false, forced: false });
          expect(r.message).toMatch(/^the purge holding the lock \(cli pid \d+ on .+, since .+\) cannot be cancelled; it releases the lock when it finishes, or stops on Ctrl-C in the terminal running it$/);
          expect(opened.store.readLock()).toMatchObject({ kind: 'purge', cancelRequested: false });
        }
      } finally {
        opened.close();
      }
      const run = await runCli(['run', '--db', db, '--target-date', '2025-07-01'], ENV);
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/locked by another purge \(cli pid (\d+) .*\); wait for it to finish, or stop it with Ctrl-C in the terminal running it \(pid \1\); it cannot be cancelled from elsewhere/);
      expect(run.stderr).not.toMatch(/batchdesk cancel/);
    } finally {
      await holder.stop();
    }
  });
});
