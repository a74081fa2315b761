/**
 * The command `verify coverage` advises for a gap (SPEC.md i.6) does what it says when run as
 * printed: on a database processed only up to a date before the target date, a gap in the
 * middle is filled from its first date on to the last processed date (re-running a date makes
 * the later ones stale, so they are re-run too), and no date after the last processed one is
 * backfilled. Once the processed dates reach the target date the command needs no --end-date.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { coverageRemedies, type CoverageGap } from '../../core/validation/coverage-gaps';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';
import { ENV, SAFE_NOW } from '../support/safeguards';

/** The arguments of the advised backfill in a `verify coverage` report (after `batchdesk`). */
function advisedRun(report: string): string[] {
  const line = report.split('\n').find((l) => l.startsWith('Missing dates: batchdesk '));
  expect(line, report).toBeDefined();
  return line!.slice('Missing dates: batchdesk '.length).split(' ');
}

function trackedDates(db: string): { run_date: string; status: string }[] {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(`SELECT run_date, status FROM batch_run_tracking ORDER BY run_date`).all() as { run_date: string; status: string }[];
  } finally {
    d.close();
  }
}

describe('verify coverage advice for a gap in the middle of the processed dates', () => {
  let db = '';
  beforeAll(async () => {
    // Target date 2025-07-10; processed 2025-06-30 .. 2025-07-08 only; then 07-02 and 07-03 purged.
    db = seedDemoDb(SAFE_NOW, tempDir());
    const run = await runCli(['run', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-08', '--quiet'], ENV);
    expect(run.code, run.stderr).toBe(0);
    const purge = await runCli(['purge', '--db', db, '--from', '2025-07-02', '--to', '2025-07-03', '--yes', '--no-backup'], ENV);
    expect(purge.code, purge.stderr).toBe(0);
  }, 300_000);

  it('prints a run up to the last processed date that fills the gap and leaves nothing stale or new', async () => {
    const check = ['verify', 'coverage', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-08'];
    const before = await runCli(check, ENV);
    expect(before.code).toBe(4);
    expect(before.stdout).toContain('portfolio_snapshots missing 2025-07-02..2025-07-03 (2 trading days)');
    const advised = advisedRun(before.stdout);
    expect(advised.join(' ')).toBe(`run --start-date 2025-07-02 --end-date 2025-07-08 --db ${db}`);

    const fill = await runCli([...advised, '--quiet'], ENV);
    expect(fill.code, fill.stderr).toBe(0);
    const after = await runCli(check, ENV);
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('Gaps: 0');
    // Nothing after the last processed date was backfilled, and nothing is left stale.
    const tracked = trackedDates(db);
    expect(tracked.map((t) => t.run_date)).toEqual(['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08']);
    expect(tracked.every((t) => t.status === 'success')).toBe(true);
  }, 120_000);
});

describe('the advised end date', () => {
  const gap = (from: string, to: string, problem = 'missing'): CoverageGap => ({ portfolioId: 'p', table: 'portfolio_snapshots', problem, from, to, days: 1 });

  it('is the last processed date, or the last missing date when that is later, and is left out at the target date', () => {
    const context = { lastProcessedDate: '2025-07-08', targetDate: '2025-07-10', commandSuffix: ' --db x.sqlite' };
    expect(coverageRemedies([gap('2025-07-02', '2025-07-03')], context)).toEqual(['Missing dates: batchdesk run --start-date 2025-07-02 --end-date 2025-07-08 --db x.sqlite']);
    // A range checked past the last processed date has to be backfilled up to its last missing date.
    expect(coverageRemedies([gap('2025-07-02', '2025-07-03'), gap('2025-07-09', '2025-07-09')], context)).toEqual(['Missing dates: batchdesk run --start-date 2025-07-02 --end-date 2025-07-09 --db x.sqlite']);
    expect(coverageRemedies([gap('2025-07-02', '2025-07-10')], context)).toEqual(['Missing dates: batchdesk run --start-date 2025-07-02 --db x.sqlite']);
    expect(coverageRemedies([gap('2025-07-02', '2025-07-03')], { lastProcessedDate: '2025-07-10', targetDate: '2025-07-10' })).toEqual(['Missing dates: batchdesk run --start-date 2025-07-02']);
    // Nothing processed yet: the checked range's missing dates, no further.
    expect(coverageRemedies([gap('2025-07-01', '2025-07-03')], { lastProcessedDate: null, targetDate: '2025-07-10' })).toEqual(['Missing dates: batchdesk run --start-date 2025-07-01 --end-date 2025-07-03']);
    expect(coverageRemedies([gap('2025-07-02', '2025-07-02', 'stale')], context)).toEqual(['Stale, failed or unfinished dates: batchdesk run --retry-failed-phases --db x.sqlite']);
  });
});
