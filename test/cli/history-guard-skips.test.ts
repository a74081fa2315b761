/**
 * `history` lists a date on which the coverage guard skipped a portfolio's analytics (c.10,
 * h.4): that portfolio expects no job, so the date's jobs read complete (9/9), yet none of its
 * jobs ran; the date is marked and listed with the skip and its reason. ZM has no close from
 * 2025-07-01 on, so from 2025-07-09 (past the 5-trading-day fallback) the portfolios holding it
 * have an unmarked position, which a coverage guard of 0 does not allow.
 */
import { describe, expect, it } from 'vitest';
import { injectPriceGaps, SHORT_NOW } from '../support/app/demo-fixture';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const ENV = { BATCHDESK_NOW: SHORT_NOW };
const ZM_GAP = { symbol: 'ZM', dates: ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11', '2025-07-14', '2025-07-15'] };

describe('history and the coverage guard', () => {
  it("marks and lists the dates whose analytics a portfolio's guard skip left out, with the reason", async () => {
    const db = seedDemoDb(SHORT_NOW);
    injectPriceGaps(db, [ZM_GAP]);
    const run = await runCli(['run', '--db', db, '--max-missing-marks', '0', '--no-guard', '--quiet'], ENV);
    // The dates with a guard skip are partial: exit 1 (k.3).
    expect(run.code, run.stderr).toBe(1);
    const r = await runCli(['history', '--db', db, '--days', '30'], ENV);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout.split('\n');
    const header = out.find((l) => l.startsWith('Dates with analytics not run in full'))!;
    expect(Number(header.split(': ').at(-1))).toBeGreaterThan(0);
    const skipped = out.filter((l) => / analytics skipped by the coverage guard$/.test(l));
    expect(skipped.length).toBe(Number(header.split(': ').at(-1)));
    expect(skipped[0]).toMatch(/^ {2}2025-07-\d\d: (\d+)\/\1, and 1 portfolio's analytics skipped by the coverage guard$/);
    expect(out[out.indexOf(skipped[0]!) + 1]).toMatch(/^ {4}\S+: analytics skipped \(insufficient_marks\)$/);
    // The date's line in the table is marked.
    const date = skipped[0]!.trim().slice(0, 10);
    expect(out.find((l) => l.startsWith(date))).toMatch(/!$/);
  }, 120_000);
});
