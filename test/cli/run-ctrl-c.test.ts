/**
 * Ctrl-C on `batchdesk run` (issue 3 item 5, SPEC.md g.10), through a real child process and a
 * real SIGINT: the run stops at the next date instead of finishing the backfill, exits 130,
 * records itself cancelled with only complete portfolio-dates, and `--resume` then ends with
 * the same derived rows as an uninterrupted run (canonical form, m.12). With cached prices the
 * day loop never waits on I/O, so this needs the engine to let the process see the signal.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DERIVED_TABLES } from '../../core/validation/table-catalog';
import { diffChecksums, fileContentChecksums } from '../../db/canonical';
import { DEMO_NOW_SHORT, runCli, startCliProcess, tempDir } from '../support/cli';
import { copyDb, seedDemoDb } from '../support/demo-db';

const ENV = { BATCHDESK_NOW: DEMO_NOW_SHORT };
const derived = (path: string) => fileContentChecksums(path, { tables: DERIVED_TABLES.map((t) => t.name) });

describe('Ctrl-C during a run', () => {
  it('stops at the next date with exit 130, and --resume finishes the same content', async () => {
    const seeded = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-ctrl-c-'));
    const reference = copyDb(seeded, tempDir('batchdesk-ctrl-c-ref-'));
    expect((await runCli(['run', '--db', reference, '--no-guard'], ENV)).code).toBe(0);

    const path = copyDb(seeded, tempDir('batchdesk-ctrl-c-run-'));
    const child = startCliProcess(['run', '--db', path, '--no-guard', '--chunk-days', '5'], ENV);
    let stderr = '';
    let sent = false;
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      // The signal goes out as soon as the first date is done: the run is mid-backfill.
      if (!sent && /portfolios \d\/\d/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('Cancelling after the current portfolio-date');
    expect(stderr).toMatch(/Status: cancelled \(\d+ success, 0 partial, 0 failed, \d+ not run\)/);
    expect(stderr).toMatch(/Not run \(cancelled\): \d+ dates from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d; to run them: batchdesk run --resume batch_\d{8}_\d{6}_[0-9a-f]{4} --db \S+/);

    const db = new Database(path, { readonly: true });
    const status = (db.prepare(`SELECT status FROM batch_run_history`).get() as { status: string }).status;
    const dates = (db.prepare(`SELECT count(DISTINCT snapshot_date) AS n FROM portfolio_snapshots`).get() as { n: number }).n;
    const all = (new Database(reference, { readonly: true }).prepare(`SELECT count(DISTINCT snapshot_date) AS n FROM portfolio_snapshots`).get() as { n: number }).n;
    // Every processed date is whole: 5 snapshots a date, none half-written.
    const perDate = db.prepare(`SELECT snapshot_date, count(*) AS n FROM portfolio_snapshots GROUP BY snapshot_date`).all() as { n: number }[];
    db.close();
    expect(status).toBe('cancelled');
    expect(dates).toBeGreaterThan(0);
    expect(dates).toBeLessThan(all);
    expect(perDate.every((r) => r.n === 5)).toBe(true);

    // The hint's command, by the batch run id history shows, resumes the run.
    const hinted = /--resume (batch_\S+)/.exec(stderr)![1]!;
    const resumed = await runCli(['run', '--db', path, '--no-guard', '--resume', hinted], ENV);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(diffChecksums(derived(reference), derived(path))).toEqual([]);
  }, 120_000);

  it('a rebuild stopped by Ctrl-C during its backfill ends cancelled (exit 130), names the backup, and closes the gate', async () => {
    const path = seedDemoDb(DEMO_NOW_SHORT, tempDir('batchdesk-ctrl-c-rebuild-'));
    expect((await runCli(['run', '--db', path, '--no-guard'], ENV)).code).toBe(0);
    const child = startCliProcess(['rebuild', '--db', path, '--start-date', '2025-07-01', '--yes', '--log-file', join(tempDir(), 'rebuild.jsonl')], ENV);
    let stderr = '';
    let sent = false;
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      // The purge is done and the backfill is starting: the worst moment, and the one to handle.
      if (!sent && /\] +[0-9.]+ s +purge: /.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stdout).toMatch(/rebuild .*: FAILED/);
    // The advice names the database, so that it restores this file as printed (not the default one).
    expect(stdout).toMatch(/the backfill was cancelled; restore the backup with `batchdesk restore .*pre-rebuild\.sqlite --db (\S+)`/);
    expect(/pre-rebuild\.sqlite --db (\S+)`/.exec(stdout)![1]).toBe(path);
    expect(stdout).toContain('The gate is closed.');
  }, 120_000);
});
