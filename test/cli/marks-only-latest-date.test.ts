/**
 * After `run --phase marks` on a new latest date, that date has marks and a tracking row but no
 * snapshot. The reports that default to "the latest processed date" read snapshots, so they
 * take the latest date that has one: before, reconcile, verify views and diagnose all chose the
 * marks-only date, found nothing to check there, exited 4, and named that same date as "the
 * latest processed date".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { backfilledDemo, copyTo, ENV, execOn } from '../support/safeguards';

let db = '';
beforeAll(async () => {
  db = copyTo(await backfilledDemo());
  expect((await runCli(['purge', '--db', db, '--from', '2025-07-10', '--yes', '--no-backup', '--quiet'], ENV)).code).toBe(0);
  const marks = await runCli(['run', '--db', db, '--target-date', '2025-07-10', '--phase', 'marks', '--quiet'], ENV);
  expect(marks.code, marks.stderr).toBe(0);
  execOn(db, (d) => expect(d.prepare(`SELECT count(*) AS n FROM portfolio_snapshots WHERE snapshot_date = '2025-07-10'`).get()).toEqual({ n: 0 }));
}, 240_000);

describe('reports after a marks-only run of the latest date', () => {
  it('reconcile, verify views and diagnose default to the latest date with snapshots', async () => {
    const rec = await runCli(['reconcile', '--db', db], ENV);
    expect(rec.code, rec.stdout + rec.stderr).toBe(0);
    expect(rec.stdout).toContain('2025-07-09');
    const views = await runCli(['verify', 'views', '--db', db], ENV);
    expect(views.code, views.stdout + views.stderr).toBe(0);
    expect(views.stdout).toContain('2025-07-09');
    const diag = await runCli(['diagnose', '--db', db], ENV);
    expect(diag.code, diag.stdout + diag.stderr).toBe(0);
  });

  it('diagnose of the marks-only date sums its marks (i.2) and says to run its snapshots phase', async () => {
    const r = await runCli(['diagnose', '--db', db, '--date', '2025-07-10'], ENV);
    expect(r.stdout).not.toMatch(/Sum position MV +n\/a/);
    expect(r.stdout).toMatch(/Sum position MV +[\d,]+\.\d\d {3}\(\d+ lots\)/);
    expect(r.stdout).toContain('note: no snapshot on 2025-07-10, only its marks: run its snapshots phase (`batchdesk run --target-date 2025-07-10 --phase snapshots`)');
  });

  it('a range holding only the marks-only date names the latest date with snapshots', async () => {
    const r = await runCli(['reconcile', '--db', db, '--date', '2025-07-10'], ENV);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('the latest processed date is 2025-07-09');
  });
});
