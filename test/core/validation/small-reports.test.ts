import { describe, expect, it } from 'vitest';
import { coverageGaps, coverageRemedies, describeCoverageGap } from '../../../core/validation/coverage-gaps';
import { historyDateLine, phaseLetter } from '../../../core/validation/history-report';
import { compareRowCount, rowCountsFailed } from '../../../core/validation/row-count-comparison';

describe('coverage gaps (SPEC.md i.6)', () => {
  it('groups missing trading days into ranges per portfolio and table', () => {
    const days = ['2025-08-08', '2025-08-11', '2025-08-12', '2025-08-13', '2025-08-14'];
    const req = (date: string, ok: boolean) => ({ date, portfolioId: 'p', required: { portfolio_snapshots: ok, position_marks: true } });
    const gaps = coverageGaps([req('2025-08-08', true), req('2025-08-11', false), req('2025-08-12', false), req('2025-08-13', false), req('2025-08-14', true)], days);
    expect(gaps).toEqual([{ portfolioId: 'p', table: 'portfolio_snapshots', problem: 'missing', from: '2025-08-11', to: '2025-08-13', days: 3 }]);
    expect(coverageGaps([req('2025-08-08', false), req('2025-08-12', false)], days)).toHaveLength(2);
  });

  it('keeps rows that exist but are unusable apart from missing ones, each run by its problem', () => {
    const days = ['2025-08-08', '2025-08-11', '2025-08-12'];
    const req = (date: string, state: boolean | string) => ({ date, portfolioId: 'p', required: { batch_run_tracking: state } });
    const gaps = coverageGaps([req('2025-08-08', 'stale'), req('2025-08-11', false), req('2025-08-12', 'stale')], days);
    expect(gaps.map((g) => [g.problem, g.from, g.to])).toEqual([
      ['stale', '2025-08-08', '2025-08-08'],
      ['missing', '2025-08-11', '2025-08-11'],
      ['stale', '2025-08-12', '2025-08-12'],
    ]);
    expect(describeCoverageGap(gaps[1]!)).toBe('batch_run_tracking missing 2025-08-11..2025-08-11 (1 trading day)');
    const context = { lastProcessedDate: '2025-08-12', targetDate: '2025-08-12' };
    expect(coverageRemedies([], context)).toEqual([]);
    expect(coverageRemedies(gaps.filter((g) => g.problem === 'stale'), context)).toEqual(['Stale, failed or unfinished dates: batchdesk run --retry-failed-phases']);
  });
});

describe('history letters (SPEC.md i.5)', () => {
  it('maps statuses to S P F K T - and detects short analytics', () => {
    expect(['success', 'partial', 'failed', 'skipped', 'stale', undefined].map(phaseLetter).join('')).toBe('SPFKT-');
    const l = historyDateLine({
      runDate: '2025-07-01',
      status: 'partial',
      completedAt: 'x',
      phaseStatus: { market_data: { status: 'success' }, marks: { status: 'success' }, analytics: { status: 'partial' } },
      metadata: { missing_price_count: 2, portfolios: { p1: { analytics: { jobs_expected: 9, jobs_completed: 8, jobs: { correlations: { success: false, reason: 'insufficient_observations' } } } } } },
    });
    expect(l.phases).toBe('S-S--P');
    expect(l).toMatchObject({ short: true, jobsExpected: 9, jobsCompleted: 8, missingPrices: 2, failedPhases: ['analytics'] });
    expect(l.reasons[0]).toMatch(/correlations insufficient_observations/);
  });

  it("lists a date whose portfolio's analytics the coverage guard skipped: its jobs read complete, yet none of that portfolio's ran", () => {
    const l = historyDateLine({
      runDate: '2025-07-01',
      status: 'partial',
      completedAt: 'x',
      phaseStatus: { analytics: { status: 'partial' } },
      metadata: {
        portfolios: {
          p1: { analytics: { jobs_expected: 9, jobs_completed: 9 } },
          p2: { analytics: { jobs_expected: 0, jobs_completed: 0, analytics_skipped: true, skip_reason: 'insufficient_marks' } },
        },
      },
    });
    expect(l).toMatchObject({ short: true, guardSkipped: 1, jobsExpected: 9, jobsCompleted: 9, reasons: ['p2: analytics skipped (insufficient_marks)'] });
    const full = historyDateLine({ runDate: '2025-07-01', status: 'success', completedAt: 'x', phaseStatus: {}, metadata: { portfolios: { p1: { analytics: { jobs_expected: 9, jobs_completed: 9 } } } } });
    expect(full).toMatchObject({ short: false, guardSkipped: 0, reasons: [] });
  });

  it("counts a phase failed by its portfolios' entries: a guard skip or a cancel makes it partial, not failed", () => {
    const block = (...statuses: [string, string | null][]) => ({ status: 'partial', portfolios: Object.fromEntries(statuses.map(([status, reason], i) => [`p${i}`, { status, reason }])) });
    const line = (analytics: ReturnType<typeof block>) => historyDateLine({ runDate: '2025-07-01', status: 'partial', completedAt: 'x', phaseStatus: { market_data: { status: 'success' }, analytics }, metadata: {} });
    expect(line(block(['success', null], ['skipped', 'insufficient_marks'])).failedPhases).toEqual([]);
    expect(line(block(['success', null], ['skipped', 'cancelled'])).failedPhases).toEqual([]);
    expect(line(block(['success', null], ['failed', 'job_error'])).failedPhases).toEqual(['analytics']);
  });
});

describe('row counts since a purge (SPEC.md i.8)', () => {
  it('derived: equal, grown (explained by later dates) or missing; raw tables must not change', () => {
    expect(compareRowCount({ table: 'position_marks', class: 'derived', before: 10, now: 10, rowsAfterLastDate: null, growable: false, importedRange: false }).status).toBe('equal');
    const g = compareRowCount({ table: 'position_marks', class: 'derived', before: 10, now: 15, rowsAfterLastDate: 5, growable: false, importedRange: false });
    expect(g.status).toBe('grown');
    expect(g.note).toMatch(/after the last date/);
    const m = compareRowCount({ table: 'position_marks', class: 'derived', before: 10, now: 9, rowsAfterLastDate: null, growable: false, importedRange: false });
    expect(m.status).toBe('missing');
    expect(compareRowCount({ table: 'market_data_cache', class: 'raw', before: 10, now: 12, rowsAfterLastDate: null, growable: true, importedRange: false }).status).toBe('grown');
    const raw = compareRowCount({ table: 'positions', class: 'raw', before: 10, now: 11, rowsAfterLastDate: null, growable: false, importedRange: false });
    expect(raw.status).toBe('changed');
    expect(rowCountsFailed([m])).toBe(true);
    expect(rowCountsFailed([g])).toBe(false);
  });

  it('a smaller derived table after a purge of imported dates is recomputed, not missing; a raw table still must not change', () => {
    const r = compareRowCount({ table: 'correlation_calculations', class: 'derived', before: 1, now: 0, rowsAfterLastDate: null, growable: false, importedRange: true });
    expect(r).toMatchObject({ status: 'recomputed', note: "1 rows fewer: the purged range held rows imported from the reference system, now made by batchdesk's rules" });
    expect(rowCountsFailed([r])).toBe(false);
    const tracking = compareRowCount({ table: 'batch_run_tracking', class: 'bookkeeping', before: 2, now: 1, rowsAfterLastDate: null, growable: false, importedRange: true });
    expect(tracking.status).toBe('missing');
    const raw = compareRowCount({ table: 'positions', class: 'raw', before: 10, now: 9, rowsAfterLastDate: null, growable: false, importedRange: true });
    expect(rowCountsFailed([raw])).toBe(true);
  });
});
