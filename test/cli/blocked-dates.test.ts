/**
 * A failed date blocks the later dates of every portfolio it failed for (SPEC.md g.3: reason
 * previous_day_missing). The run reports them grouped by the blocking date, "blocked by
 * <date>": one note on each date's progress line and one summary line, instead of two failure
 * lines per portfolio-date; the JSON summary lists the group and keeps them out of `errors`.
 * The advice names the command that runs the blocking date and the blocked dates in order, for
 * the blocked portfolios: a retry of failed phases would redo only the blocked dates, and fail
 * again when the blocking date was never run for them.
 *
 * Fixtures: the demo over 2025-06-30 .. 2025-07-15 with no SPY close from 07-03 on, so
 * market_data fails on 07-11 and 07-14 (no SPY within 5 trading days) and 07-15 has prices
 * again but no snapshot before it since 07-10; and the committed reference dump merged into a
 * demo backfilled to 2025-07-24, whose two imported portfolios have snapshots up to 2025-07-01 only.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { groupBlocked, runSummarySchema, type DateResult } from '../../core/engine/run-summary';
import { DEMO_PORTFOLIOS, injectPriceGaps, SHORT_NOW } from '../support/app/demo-fixture';
import { runCli, tempDir } from '../support/cli';
import { runDemo, seedDemoDb } from '../support/demo-db';

const SPY_GAP = ['2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11', '2025-07-14'];

describe('dates blocked by an earlier failed date', () => {
  it('are grouped as "blocked by <date>" in the progress, the summary and the summary JSON', async () => {
    const db = join(tempDir(), 'blocked.db');
    copyFileSync(seedDemoDb(SHORT_NOW), db);
    injectPriceGaps(db, [{ symbol: 'SPY', dates: SPY_GAP }]);
    const r = await runCli(['run', '--db', db, '--start-date', '2025-06-30', '--end-date', '2025-07-15', '--summary-json'], { BATCHDESK_NOW: SHORT_NOW });
    expect(r.code, r.stderr).toBe(1);
    const summary = runSummarySchema.parse(JSON.parse(r.stdout));
    expect(summary.blocked).toEqual([
      { blocked_by: '2025-07-11', portfolios: [...Object.values(DEMO_PORTFOLIOS)].sort(), first_date: '2025-07-15', last_date: '2025-07-15', dates: 1 },
    ]);
    // The causes stay in the error list; the blocked portfolio-dates do not repeat there.
    expect(summary.errors.some((e) => e.startsWith('2025-07-11 market_data: SPY has no close'))).toBe(true);
    expect(summary.errors.filter((e) => e.startsWith('2025-07-15'))).toEqual([]);
    // The date's own result keeps every failure, with the blocking date in the message.
    const jul15 = (summary.results as DateResult[]).find((d) => d.date === '2025-07-15')!;
    expect(jul15.errors.filter((e) => e.startsWith('snapshots['))).toHaveLength(5);
    expect(jul15.errors.find((e) => e.startsWith('snapshots['))).toMatch(
      /has no snapshot for 2025-07-14 \(latest before 2025-07-15: 2025-07-10\); blocked by 2025-07-11: run the dates from it in order \(batchdesk run --start-date 2025-07-11 --end-date 2025-07-15 --portfolio [0-9a-f-]{36} --db \S+\)$/,
    );

    const progress = r.stderr.split('\n');
    expect(progress.filter((l) => l.startsWith('2025-07-15'))).toEqual([
      expect.stringMatching(/^2025-07-15 {2}market_data {2}ok/),
      expect.stringMatching(/^2025-07-15 {2}portfolios 0\/5 failed \(5 blocked by 2025-07-11\) {2}jobs/),
    ]);
    const all = [...Object.values(DEMO_PORTFOLIOS)].sort().map((id) => ` --portfolio ${id}`).join('');
    expect(r.stderr).toContain(
      `  2025-07-15..2025-07-15 (1 date, 5 portfolios): blocked by 2025-07-11, which has no snapshot; to run it and the blocked dates in order: batchdesk run --start-date 2025-07-11 --end-date 2025-07-15${all} --db ${db}`,
    );
    // Rolled-back phases are consequences: their cause has the line.
    expect(r.stderr).not.toMatch(/failed \(rolled_back\)/);

    const history = await runCli(['history', '--db', db, '--days', '30'], { BATCHDESK_NOW: SHORT_NOW });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('Dates with failed phases: 3 (2025-07-11 market_data, 2025-07-14 market_data, 2025-07-15 marks+snapshots)');

    // The history row (h.6): error types group by kind; the date each error starts with is not
    // part of its type (they were "2025-07-11 market_data", "2025-07-14 market_data").
    const c = new Database(db, { readonly: true });
    try {
      const row = c.prepare(`SELECT error_summary FROM batch_run_history`).get() as { error_summary: string };
      expect(JSON.parse(row.error_summary).types).toEqual(['market_data']);
    } finally {
      c.close();
    }
  });
});

describe('portfolios whose snapshots stop before the blocking date', () => {
  const NOW = '2025-07-25T23:00:00Z';
  const ENV = { BATCHDESK_NOW: NOW };
  const GROWTH = 'a1000000-0000-4000-8000-000000000001';
  const RETIREMENT = 'a1000000-0000-4000-8000-000000000002';
  const demoSnapshots = (db: string) => {
    const c = new Database(db, { readonly: true });
    try {
      return c.prepare(`SELECT * FROM portfolio_snapshots WHERE portfolio_id NOT IN (?, ?) ORDER BY portfolio_id, snapshot_date`).all(GROWTH, RETIREMENT);
    } finally {
      c.close();
    }
  };

  it('are told the command that runs the missing dates first, and it succeeds on the blocked date as printed', async () => {
    const db = join(tempDir(), 'merged.db');
    copyFileSync(seedDemoDb(NOW), db);
    expect((await runDemo(db, NOW, { startDate: '2025-06-30', endDate: '2025-07-24' })).exitCode).toBe(0);
    const imported = await runCli(['import', 'test/fixtures/pg/committed/reference.dump', '--db', db, '--merge'], ENV);
    expect(imported.code, imported.stderr).toBe(0);

    const r = await runCli(['run', '--db', db, '--target-date', '2025-07-25', '--summary-json'], ENV);
    expect(r.code, r.stderr).toBe(1);
    const summary = runSummarySchema.parse(JSON.parse(r.stdout));
    expect(summary.blocked).toEqual([{ blocked_by: '2025-07-02', portfolios: [GROWTH, RETIREMENT], first_date: '2025-07-25', last_date: '2025-07-25', dates: 1 }]);
    // Each blocked portfolio-date's message (the summary JSON, the tracking row, the app) names its own command.
    expect((summary.results as DateResult[])[0]!.errors).toContain(
      `snapshots[${GROWTH}]: Growth has no snapshot for 2025-07-24 (latest before 2025-07-25: 2025-07-01); blocked by 2025-07-02: run the dates from it in order (batchdesk run --start-date 2025-07-02 --end-date 2025-07-25 --portfolio ${GROWTH} --db ${db})`,
    );
    const advice = /blocked by 2025-07-02, which has no snapshot; to run it and the blocked dates in order: batchdesk (run .*)$/m.exec(r.stderr);
    expect(advice, r.stderr).not.toBeNull();
    expect(advice![1]).toBe(`run --start-date 2025-07-02 --end-date 2025-07-25 --portfolio ${GROWTH} --portfolio ${RETIREMENT} --db ${db}`);
    // The same start as the plan's warning says; a retry alone redoes only 2025-07-25 and fails again.
    const retryPlan = await runCli(['run', '--db', db, '--retry-failed-phases', '--dry-run'], ENV);
    expect(retryPlan.stdout).toContain('start at 2025-07-02 instead');
    expect((await runCli(['run', '--db', db, '--retry-failed-phases', '--quiet'], ENV)).code).toBe(1);

    const before = demoSnapshots(db);
    const followed = await runCli(advice![1]!.split(' '), ENV);
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stderr).toMatch(/^2025-07-25 {2}portfolios 2\/2 ok /m);
    const c = new Database(db, { readonly: true });
    try {
      expect(c.prepare(`SELECT status FROM batch_run_tracking WHERE run_date = '2025-07-25'`).get()).toEqual({ status: 'success' });
      expect(c.prepare(`SELECT count(*) AS n FROM portfolio_snapshots WHERE snapshot_date = '2025-07-25'`).get()).toEqual({ n: 7 });
    } finally {
      c.close();
    }
    // Limited to the blocked portfolios: the others' dates are left alone.
    expect(demoSnapshots(db)).toEqual(before);
  }, 300_000);
});

describe('groupBlocked', () => {
  it('groups by the blocking date in date order, with the portfolios and the span of blocked dates', () => {
    const b = (date: string, portfolioId: string, blockedBy: string) => ({ date, portfolioId, blockedBy });
    expect(groupBlocked([b('2025-07-16', 'p2', '2025-07-14'), b('2025-07-09', 'p1', '2025-07-08'), b('2025-07-15', 'p2', '2025-07-14'), b('2025-07-15', 'p1', '2025-07-14'), b('2025-07-10', 'p1', '2025-07-08')])).toEqual([
      { blocked_by: '2025-07-08', portfolios: ['p1'], first_date: '2025-07-09', last_date: '2025-07-10', dates: 2 },
      { blocked_by: '2025-07-14', portfolios: ['p1', 'p2'], first_date: '2025-07-15', last_date: '2025-07-16', dates: 2 },
    ]);
    expect(groupBlocked([])).toEqual([]);
  });
});
