/**
 * Concurrency (issue 9; SPEC.md g.7, g.9, g.11, m.16, m.17):
 *   - while a real `batchdesk run` process backfills, a second run, a purge, a restore, an
 *     import and a rebuild are refused with exit code 3 and change nothing;
 *   - the UI's read-only connection (the views through the dispatcher) reads all the while
 *     without a single SQLITE_BUSY, and never sees a date that is not complete;
 *   - a lock left by a run killed with SIGKILL is taken over at once (its pid is dead on this
 *     host), not after the heartbeat timeout, and the killed run is marked interrupted;
 *   - a lock held from another host is respected while its heartbeat is fresh and taken over
 *     once it is older than lock.stale_after_ms (shrunk to 1 s in the settings table).
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTimestamp } from '../../core/domain/timestamp';
import { dispatch } from '../../host/dispatcher';
import { testHostContext } from '../support/app/host-context';
import { runCli, startCliProcess, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';
import { seedDemoDb } from '../support/demo-db';
import { COMMITTED } from '../support/pg-fixtures';
import { partialPortfolioDates } from './crash-harness';
import { sqlOn, stopChild } from './bad-input-harness';

/** 2025-10-31 after the close: the demo backfill is 88 trading days, long enough to overlap on a loaded machine. */
const NOW = '2025-10-31T23:00:00Z';
const ENV = { BATCHDESK_NOW: NOW };

function countOf(path: string, sql: string): number {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A date's last progress line: the date is finished (committed). */
const DATE_FINISHED = / portfolios \d+\/\d+ /g;
/** A date's market_data line: the date has started (its tracking row is open) and its portfolio-dates come next. */
const DATE_STARTED = /  market_data  /g;

/** Resolves once the child's progress shows `dates` dates finished, or with DATE_STARTED started. */
function afterDates(child: ChildProcess, dates: number, line = DATE_FINISHED): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    const onData = (c: Buffer) => {
      seen += (c.toString().match(line) ?? []).length;
      if (seen >= dates) {
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the run exited (${code}) before ${dates} dates`)));
  });
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code ?? -1));
  });
}

/**
 * Starts `batchdesk <args> --db path` and kills it with SIGKILL once 2 dates are finished: at
 * once, before the next date starts, or with `midDate` once the third date has started, so that
 * it is in flight. Its pid.
 */
async function killAfterTwoDates(path: string, args: readonly string[], midDate = false): Promise<number> {
  const child = startCliProcess([...args, '--db', path], ENV);
  child.stdout!.resume();
  await (midDate ? afterDates(child, 3, DATE_STARTED) : afterDates(child, 2));
  child.kill('SIGKILL');
  await exited(child);
  return child.pid!;
}

/** A demo database whose dead lock holders only their dead pid makes stale (a heartbeat timeout of an hour). */
function demoWithSlowStaleness(prefix: string): string {
  const path = join(tempDir(prefix), 'portfolios.sqlite');
  copyFileSync(seedDemoDb(NOW), path);
  sqlOn(path, `INSERT INTO settings (key, value, updated_at) VALUES ('lock.stale_after_ms', '3600000', NULL)`);
  return path;
}

describe('while a batch runs in another process', () => {
  const dir = tempDir('batchdesk-concurrency-');
  let seeded = '';
  let path = '';
  let backup = '';
  let child: ChildProcess;
  let childExit: Promise<number>;

  beforeAll(async () => {
    seeded = seedDemoDb(NOW);
    path = join(dir, 'portfolios.sqlite');
    copyFileSync(seeded, path);
    backup = join(dir, 'a-backup.sqlite');
    copyFileSync(seeded, backup);
    child = startCliProcess(['run', '--db', path], ENV);
    child.stdout!.resume();
    childExit = exited(child);
    await afterDates(child, 1);
  }, 120_000);

  afterAll(async () => {
    await stopChild(child);
  });

  it('a second run, a purge, a restore, an import and a rebuild are refused with exit 3, naming the holder', async () => {
    const attempts: [string, string[]][] = [
      ['run', ['run', '--db', path, '--target-date', '2025-07-01']],
      ['purge', ['purge', '--db', path, '--yes']],
      ['restore', ['restore', backup, '--db', path, '--yes']],
      ['import', ['import', join(COMMITTED, 'custom.dump'), '--db', path, '--merge']],
      ['rebuild', ['rebuild', '--db', path, '--start-date', '2025-07-01', '--yes', '--log-file', join(dir, 'rebuild.jsonl')]],
    ];
    for (const [name, args] of attempts) {
      const r = await runCli(args, ENV);
      expect(r.code, `${name}: ${r.stderr}`).toBe(3);
      expect(r.stderr, name).toMatch(new RegExp(`locked by another run \\(cli pid ${child.pid} on `));
    }
    expect(child.exitCode, 'the run was still going while every attempt was refused').toBeNull();
  }, 120_000);

  it('the views read on the read-only connection while the run writes: no SQLITE_BUSY, only complete dates', async () => {
    const ctx = testHostContext(path, NOW);
    const errors: string[] = [];
    let reads = 0;
    let readsWhileRunning = 0;
    let running = true;
    void childExit.then(() => (running = false));
    try {
      do {
        for (const [name, input] of [
          ['getTracking', {}],
          ['getTracking', { includeIncomplete: true }],
          ['getMissingPrices', {}],
          ['listPortfolios', {}],
          ['getDatabaseInfo', {}],
        ] as const) {
          const r = await dispatch(name, input, ctx);
          reads++;
          if (running) readsWhileRunning++;
          if (!r.ok) errors.push(`${name}: ${r.error.code} ${r.error.message}`);
          else if (name === 'getTracking' && !('includeIncomplete' in input)) {
            const dates = (r.output as { dates: { complete: boolean; date: string }[] }).dates;
            for (const d of dates) if (!d.complete) errors.push(`getTracking showed the incomplete date ${d.date}`);
          }
        }
        await new Promise((r) => setTimeout(r, 20));
      } while (running);
    } finally {
      ctx.reader?.close();
    }
    expect(errors).toEqual([]);
    expect(readsWhileRunning).toBeGreaterThan(20);
    expect(reads).toBeGreaterThanOrEqual(readsWhileRunning);
  }, 300_000);

  it('the run itself completed undisturbed: exit 0, lock released, no partial portfolio-date', async () => {
    expect(await childExit).toBe(0);
    expect(countOf(path, `SELECT count(*) AS n FROM run_lock`)).toBe(0);
    expect(countOf(path, `SELECT count(*) AS n FROM batch_run_tracking WHERE completed_at IS NULL`)).toBe(0);
    expect(partialPortfolioDates(path)).toEqual([]);
    expect(countOf(path, `SELECT count(*) AS n FROM maintenance_log`)).toBe(0);
  });
});

describe('stale locks', () => {
  it('a run killed with SIGKILL: its lock is taken over at once (dead pid on this host), its run marked interrupted', async () => {
    const path = demoWithSlowStaleness('batchdesk-sigkill-');
    const pid = await killAfterTwoDates(path, ['run']);
    const left = new Database(path, { readonly: true });
    const lock = left.prepare(`SELECT run_id, pid FROM run_lock`).get() as { run_id: string; pid: number } | undefined;
    const committed = (left.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE run_id = ? AND completed_at IS NOT NULL`).get(lock?.run_id) as { n: number }).n;
    left.close();
    expect(lock?.pid).toBe(pid);
    expect(committed).toBeGreaterThanOrEqual(2);

    const r = await runCli(['run', '--db', path, '--quiet'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const db = new Database(path, { readonly: true });
    const killed = db.prepare(`SELECT status, completed_jobs, failed_jobs, error_summary FROM batch_run_history WHERE id = ?`).get(lock!.run_id) as { status: string; completed_jobs: number; failed_jobs: number; error_summary: string };
    const lockAfter = (db.prepare(`SELECT count(*) AS n FROM run_lock`).get() as { n: number }).n;
    const open = (db.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE completed_at IS NULL`).get() as { n: number }).n;
    db.close();
    expect(killed.status).toBe('interrupted');
    // Its counters are the dates it committed, not the last heartbeat's (chunk-end) figures. The
    // date in flight at the kill (if any) is closed as failed in tracking, so the next run redoes
    // it, but it did not fail: no date of the demo fails, so the run counts none.
    expect([killed.completed_jobs, killed.failed_jobs]).toEqual([committed, 0]);
    expect(JSON.parse(killed.error_summary)).toMatchObject({ interrupted: true, crashed_after_dates: committed });
    expect(lockAfter).toBe(0);
    expect(open).toBe(0);
    expect(partialPortfolioDates(path)).toEqual([]);
  }, 300_000);

  it('a run killed with SIGKILL can be resumed at once (--resume takes its stale lock), and cancel releases a dead holder', async () => {
    const path = demoWithSlowStaleness('batchdesk-sigkill-resume-');
    const killAfter = (args: string[]) => killAfterTwoDates(path, args);
    const statusOf = (runId: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return (db.prepare(`SELECT status FROM batch_run_history WHERE id = ?`).get(runId) as { status: string }).status;
      } finally {
        db.close();
      }
    };
    const lockRunId = () => {
      const db = new Database(path, { readonly: true });
      try {
        return (db.prepare(`SELECT run_id FROM run_lock`).get() as { run_id: string } | undefined)?.run_id ?? null;
      } finally {
        db.close();
      }
    };

    // cancel on a dead holder: released at once, not "cancel requested" (nor a 30 s wait with --force).
    const pid = await killAfter(['run']);
    const first = lockRunId()!;
    const cancel = await runCli(['cancel', '--db', path], ENV);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`pid ${pid} on .*\\) is no longer running; its lock was released and its run marked interrupted`));
    expect([lockRunId(), statusOf(first)]).toEqual([null, 'interrupted']);

    // --resume of a run killed a moment ago: its lock is still there and the run reads 'running'.
    await killAfter(['run', '--resume', 'latest']);
    const second = lockRunId()!;
    expect(statusOf(second)).toBe('running');
    const resumed = await runCli(['run', '--db', path, '--resume', 'latest', '--quiet'], ENV);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect([lockRunId(), statusOf(second)]).toEqual([null, 'interrupted']);
    expect(countOf(path, `SELECT count(*) AS n FROM batch_run_tracking WHERE completed_at IS NULL`)).toBe(0);
    expect(partialPortfolioDates(path)).toEqual([]);
  }, 300_000);

  it('a resume retires the run it continues: a killed resume continues the first run\'s plan, and then there is nothing to resume', async () => {
    const path = demoWithSlowStaleness('batchdesk-resume-once-');
    const row = (sql: string, ...args: unknown[]) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare(sql).get(...args) as Record<string, unknown> | undefined;
      } finally {
        db.close();
      }
    };
    const lockRunId = () => (row(`SELECT run_id FROM run_lock`)?.['run_id'] as string | undefined) ?? null;
    const run = (id: string) => row(`SELECT batch_run_id, status, mode, completed_jobs, failed_jobs FROM batch_run_history WHERE id = ?`, id)!;

    // The first run (an explicit range, ending before the target date) and its first resume, both killed.
    await killAfterTwoDates(path, ['run', '--start-date', '2025-06-30', '--end-date', '2025-09-30'], true);
    const first = lockRunId()!;
    expect(row(`SELECT count(*) AS n FROM batch_run_tracking WHERE run_id = ? AND completed_at IS NULL`, first)!['n']).toBe(1);
    await killAfterTwoDates(path, ['run', '--resume']);
    const second = lockRunId()!;
    expect(second).not.toBe(first);
    const done = row(`SELECT count(*) AS n FROM batch_run_tracking WHERE status = 'success' AND completed_at IS NOT NULL AND run_id IN (?, ?)`, first, second)!['n'] as number;
    expect(done).toBeGreaterThanOrEqual(4);

    // The second resume continues the killed resume, which continued the first run: the first
    // run's range, less what either of them finished (not the resume's own options, which name no dates).
    const third = await runCli(['run', '--db', path, '--resume', '--summary-json'], ENV);
    expect(third.code, third.stderr).toBe(0);
    const summary = JSON.parse(third.stdout) as { batch_run_id: string; dates: { planned: number; success: number; last: string } };
    expect(summary.dates).toMatchObject({ planned: 65 - done, success: 65 - done, last: '2025-09-30' });
    expect(countOf(path, `SELECT count(*) AS n FROM batch_run_tracking WHERE run_date BETWEEN '2025-06-30' AND '2025-09-30' AND status = 'success' AND completed_at IS NOT NULL`)).toBe(65);
    expect(partialPortfolioDates(path)).toEqual([]);

    // Each resumed run is done with: no run is resumed twice.
    const again = await runCli(['run', '--db', path, '--resume'], ENV);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('there is no interrupted or cancelled run to resume');
    const named = await runCli(['run', '--db', path, '--resume', first], ENV);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain(`was resumed already, by ${String(run(second)['batch_run_id'])}`);
    expect(countOf(path, `SELECT count(*) AS n FROM batch_run_history WHERE mode = 'resume'`)).toBe(2);

    // History keeps how each run ended and says which run resumed it. The date in flight at the
    // first kill did not fail: the killed runs count no failed date (the demo has none).
    expect(run(first)).toMatchObject({ status: 'interrupted', mode: 'normal', failed_jobs: 0 });
    expect(run(second)).toMatchObject({ status: 'interrupted', mode: 'resume', failed_jobs: 0 });
    const history = await runCli(['history', '--db', path, '--json'], ENV);
    const runs = (JSON.parse(history.stdout) as { runs: { batchRunId: string; status: string; resumedBy: string | null }[] }).runs;
    expect(runs.map((r) => [r.batchRunId, r.status, r.resumedBy])).toEqual([
      [summary.batch_run_id, 'completed', null],
      [run(second)['batch_run_id'], 'interrupted', summary.batch_run_id],
      [run(first)['batch_run_id'], 'interrupted', run(second)['batch_run_id']],
    ]);
    const text = await runCli(['history', '--db', path], ENV);
    expect(text.stdout).toMatch(new RegExp(`^${String(run(first)['batch_run_id'])} .* interrupted .* ${String(run(second)['batch_run_id'])}$`, 'm'));
  }, 300_000);

  it('a lock from another host: refused while its heartbeat is fresh, taken over after lock.stale_after_ms', async () => {
    const path = join(tempDir('batchdesk-otherhost-'), 'portfolios.sqlite');
    copyFileSync(seedDemoDb(NOW), path);
    sqlOn(path, `INSERT INTO settings (key, value, updated_at) VALUES ('lock.stale_after_ms', '1000', NULL)`);
    const t0 = Date.now();
    const at = formatTimestamp(Date.parse(NOW));
    // pid 1 is alive here, but on another host a pid says nothing: only the heartbeat counts.
    sqlOn(path, `INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested) VALUES (1, 'run', 'batch_other_host', 'app', 'another-host.example', 1, ?, ?, 0)`, at, at);
    const before = tableContents(path);
    /** The pinned clock, advanced by the real time since the lock row was written. */
    const env = () => ({ BATCHDESK_NOW: new Date(Date.parse(NOW) + (Date.now() - t0)).toISOString() });

    const fresh = await runCli(['run', '--db', path, '--target-date', '2025-07-01'], env());
    expect(fresh.code, fresh.stderr).toBe(3);
    expect(fresh.stderr).toMatch(/locked by another run \(app pid 1 on another-host\.example/);
    expect(tableContents(path)).toEqual(before);

    await new Promise((r) => setTimeout(r, Math.max(0, 1500 - (Date.now() - t0))));
    const later = await runCli(['run', '--db', path, '--target-date', '2025-07-01', '--quiet'], env());
    expect(later.code, later.stderr).toBe(0);
    expect(countOf(path, `SELECT count(*) AS n FROM run_lock`)).toBe(0);
    expect(countOf(path, `SELECT count(*) AS n FROM portfolio_snapshots WHERE snapshot_date = '2025-07-01'`)).toBe(5);
  }, 300_000);
});
