/**
 * A failed date blocks the later dates of every portfolio it failed for (SPEC.md g.3: reason
 * previous_day_missing). The run reports them grouped by the blocking date, "blocked by
 * <date>": one note on each date's progress line and one summary line, instead of two failure
 * lines per portfolio-date; the JSON summary lists the group and keeps them out of `errors`.
 *
 * Fixture: the demo over 2025-06-30 .. 2025-07-15 with no SPY close from 07-03 on, so
 * market_data fails on 07-11 and 07-14 (no SPY within 5 trading days) and 07-15 has prices
 * again but no snapshot before it since 07-10.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupBlocked, runSummarySchema, type DateResult } from '../../core/engine/run-summary';
import { DEMO_PORTFOLIOS, injectPriceGaps, SHORT_NOW } from '../support/app/demo-fixture';
import { runCli, tempDir } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

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
    expect(jul15.errors.find((e) => e.startsWith('snapshots['))).toMatch(/has no snapshot for 2025-07-14 \(latest before 2025-07-15: 2025-07-10\); blocked by 2025-07-11: run that date first/);

    const progress = r.stderr.split('\n');
    expect(progress.filter((l) => l.startsWith('2025-07-15'))).toEqual([
      expect.stringMatching(/^2025-07-15 {2}market_data {2}ok/),
      expect.stringMatching(/^2025-07-15 {2}portfolios 0\/5 failed \(5 blocked by 2025-07-11\) {2}jobs/),
    ]);
    expect(r.stderr).toContain('  2025-07-15..2025-07-15 (1 date, 5 portfolios): blocked by 2025-07-11, which has no snapshot; once it succeeds, batchdesk run --retry-failed-phases');
    // Rolled-back phases are consequences: their cause has the line.
    expect(r.stderr).not.toMatch(/failed \(rolled_back\)/);

    const history = await runCli(['history', '--db', db, '--days', '30'], { BATCHDESK_NOW: SHORT_NOW });
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain('Dates with failed phases: 3 (2025-07-11 market_data, 2025-07-14 market_data, 2025-07-15 marks+snapshots)');
  });
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
