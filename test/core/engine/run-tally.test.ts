/**
 * What a run counts (run-tally.ts): progress counts success and partial dates as completed and
 * never a date cancelled part-way (SPEC.md h.6, the same rule at every heartbeat, chunk end and
 * the history row's end); analytics jobs the guard skipped are counted in jobs_skipped, their
 * portfolio-dates in guard_skips; a phase entry marked stale is counted in its phase's stale.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import { DateTracker } from '../../../core/engine/date-tracker';
import { portfolioStatus } from '../../../core/engine/portfolio-date';
import { RunTally } from '../../../core/engine/run-tally';
import type { DateResult } from '../../../core/engine/run-summary';
import { runDemo, seedDemoDb } from '../../support/demo-db';

const date = (status: string): DateResult => ({ date: '2025-07-01', status, duration_seconds: 0, missing_price_count: 0, fallback_count: 0, missing_symbols: [], portfolios: [], errors: [] });

describe('the run tally', () => {
  it('progress: success and partial dates are completed, failed ones failed, a cancelled one neither', () => {
    const t = new RunTally();
    for (const s of ['success', 'partial', 'failed', 'cancelled']) t.addDate(date(s));
    expect(t.progress()).toEqual({ completedJobs: 2, failedJobs: 1 });
  });

  it('the guard-skipped jobs of a date count in jobs_skipped, the portfolio-date in guard_skips', () => {
    let tr = DateTracker.start('2025-07-01' as IsoDate, null, { runId: 'r', batchRunId: 'b', mode: 'normal' }, '2025-07-01T22:00:00Z');
    tr = tr.withPortfolio('p1', {}, { analytics: { jobs_expected: 0, jobs_completed: 0, jobs_failed: 0, jobs_skipped: 7, analytics_skipped: true } });
    tr = tr.withPortfolio('p2', {}, { analytics: { jobs_expected: 7, jobs_completed: 6, jobs_failed: 1, jobs_skipped: 0, analytics_skipped: false } });
    const t = new RunTally();
    t.addAnalytics(tr.portfolioTotals());
    expect(t.analytics).toEqual({ jobs_expected: 7, jobs_completed: 6, jobs_failed: 1, jobs_skipped: 7, guard_skips: 1 });
  });

  it('counts phase outcomes and the entries marked stale', () => {
    const t = new RunTally();
    t.countPhase('marks', { status: 'success' }, 1000);
    t.countPhase('marks', { status: 'not_applicable' }, 0);
    t.countStale('analytics');
    expect(t.phases['marks']).toEqual({ runs: 2, success: 1, failed: 0, skipped: 0, not_applicable: 1, stale: 0, duration_seconds: 1 });
    expect(t.phases['analytics']!.stale).toBe(1);
    expect(t.phases['analytics']!.runs).toBe(0);
  });
});

describe('a portfolio-date status', () => {
  const ph = (status: string, reason: string | null = null) => ({ status, duration_ms: 0, reason, error: null });
  it('failed, partial, skipped or success', () => {
    expect(portfolioStatus(true, { marks: ph('success') })).toBe('failed');
    expect(portfolioStatus(false, { marks: ph('success'), analytics: ph('skipped', 'insufficient_marks') })).toBe('partial');
    expect(portfolioStatus(false, { sector_tags: ph('failed', 'exception') })).toBe('partial');
    expect(portfolioStatus(false, { marks: ph('skipped', 'not_selected') })).toBe('skipped');
    expect(portfolioStatus(false, { marks: ph('success'), analytics: ph('not_applicable', 'no_positions') })).toBe('success');
  });
});

describe("a run's phase totals when a critical failure rolls a portfolio-date back", () => {
  it('count each phase of that portfolio-date once, as it ended (rolled back), not once more as a success', async () => {
    const HF = 'fcd71196-e93e-f000-5a74-31a9eead3118';
    const path = seedDemoDb('2025-07-03T23:00:00Z');
    const r = await runDemo(path, '2025-07-03T23:00:00Z', { startDate: '2025-07-01', endDate: '2025-07-02', guard: false }, {
      hooks: {
        beforePhase: (phase, date, pid) => {
          if (phase === 'snapshots' && date === '2025-07-02' && pid === HF) throw new Error('injected snapshots failure');
        },
      },
    });
    expect(r.kind).toBe('run');
    if (r.kind !== 'run') return;
    // 2 dates x 5 portfolios ran marks; the hedge fund's 07-02 marks were rolled back with its snapshot.
    expect(r.summary.phases['marks']).toMatchObject({ runs: 10, success: 9, failed: 1 });
    expect(r.summary.phases['snapshots']).toMatchObject({ runs: 10, success: 9, failed: 1 });
  }, 120_000);
});

describe("a run's phase durations", () => {
  it('are said in whole milliseconds, without the float noise of summing them (0.020000000000000004)', async () => {
    const path = seedDemoDb('2025-07-31T23:00:00Z');
    const r = await runDemo(path, '2025-07-31T23:00:00Z', { guard: false });
    if (r.kind !== 'run') throw new Error('a run was expected');
    const durations = Object.values(r.summary.phases).map((p) => p.duration_seconds);
    expect(durations.filter((s) => !/^\d+(\.\d{1,3})?$/.test(String(s)))).toEqual([]);
  }, 120_000);
});
