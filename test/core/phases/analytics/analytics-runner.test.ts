/**
 * The analytics job runner (SPEC.md c.10, issue 3): a failed job leaves none of its rows, later
 * jobs do not see them, and no other job stops. Jobs here are fakes that write
 * factor_exposures rows through the real store of a real SQLite file. The runner takes one
 * savepoint for all jobs when none fails, and runs them again one savepoint each when one
 * does; both give the same rows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../core/domain/iso-date';
import type { EngineStore } from '../../../../core/ports/engine-store';
import { runAnalytics } from '../../../../core/phases/analytics';
import type { AnalyticsJob, JobContext, JobResult } from '../../../../core/phases/analytics/job-types';
import { createFixtureDatabase, insertPortfolios, type FixtureDatabase } from '../../../support/analytics/analytics-fixture';
import { directDateContext, directRunContext, priceTableFrom, testJobContext, testSnapshot } from '../../../support/analytics/direct-context';

const D = '2025-06-30' as IsoDate;
const PID = 'e0000000-0000-4000-8000-000000000001';

let fx: FixtureDatabase;
let transactions = 0;

beforeEach(() => {
  fx = createFixtureDatabase();
  insertPortfolios(fx.db, [{ id: PID, name: 'Runner book', equity: 1_000_000, lots: [] }]);
  transactions = 0;
});
afterEach(() => fx.close());

const factorId = (name: string) => fx.store.loadFactors().find((f) => f.name === name)!.id;
const storedFactors = () =>
  (fx.db.prepare(`SELECT d.name FROM factor_exposures e JOIN factor_definitions d ON d.id = e.factor_id WHERE e.portfolio_id = ? AND e.calculation_date = ? ORDER BY d.name`).all(PID, D) as { name: string }[]).map((r) => r.name);

/** A job that writes one factor_exposures row, then ends as `end` says. */
function writer(name: string, factor: string, end: 'success' | 'failed' | 'throw', seen?: (n: number) => void): AnalyticsJob {
  return {
    name,
    run(ctx: JobContext): JobResult {
      seen?.(storedFactors().length);
      ctx.pd.run.store.insertFactorExposures([{ portfolioId: PID, factorId: factorId(factor), calculationDate: D, exposureValue: 1, exposureDollar: 1, coverage: 1 }], ctx.nowIso);
      if (end === 'throw') throw new Error(`${name} broke after writing`);
      return end === 'success' ? { status: 'success', reason: null, metrics: {} } : { status: 'failed', reason: 'fake_failure', metrics: {} };
    },
  } as AnalyticsJob;
}

function runWith(jobs: readonly AnalyticsJob[]) {
  // The real store, with its snapshot of D given and its transactions counted.
  const store: EngineStore = {
    ...fx.store,
    snapshotOf: () => testSnapshot(PID, D, 1_000_000, { gross: 0, net: 0 }),
    transaction: (fn) => {
      transactions++;
      return fx.store.transaction(fn);
    },
  };
  const run = directRunContext(store, { lots: [], prices: priceTableFrom(D, D, {}) });
  const pd = testJobContext(directDateContext(run, D, [PID]), PID, [], testSnapshot(PID, D, 1_000_000, { gross: 0, net: 0 })).pd;
  pd.state.marks = [];
  // The runner's own transaction around the phase, as the engine's portfolio-date savepoint.
  return store.transaction(() => runAnalytics(pd, jobs));
}

describe('analytics job runner', () => {
  it('no job fails: every row is written, in one savepoint for all the jobs', () => {
    const o = runWith([writer('a', 'Market Beta (90D)', 'success'), writer('b', 'IR Beta', 'success')]);
    expect(o.status).toBe('success');
    expect(storedFactors()).toEqual(['IR Beta', 'Market Beta (90D)']);
    expect(transactions).toBe(2); // the phase's own and the runner's single savepoint
  });

  it('a failed job and a throwing job leave none of their rows; later jobs neither see them nor stop', () => {
    const seenByC: number[] = [];
    const o = runWith([
      writer('a', 'Market Beta (90D)', 'success'),
      writer('b', 'IR Beta', 'failed'),
      writer('c', 'Value', 'success', (n) => seenByC.push(n)),
      writer('d', 'Growth', 'throw'),
      writer('e', 'Momentum', 'success'),
    ]);
    expect(storedFactors()).toEqual(['Market Beta (90D)', 'Momentum', 'Value']);
    // c ran twice (the all-in-one pass, then its own savepoint); the pass that counts saw only a's row.
    expect(seenByC.at(-1)).toBe(1);
    expect(o.status).toBe('failed');
    expect(o.reason).toBe('job_failed');
    const jobs = o.metrics['jobs'] as Record<string, { success: boolean; reason: string | null; metrics: Record<string, unknown> }>;
    expect(Object.fromEntries(Object.entries(jobs).map(([k, v]) => [k, v.success ? 'ok' : v.reason]))).toEqual({ a: 'ok', b: 'fake_failure', c: 'ok', d: 'exception', e: 'ok' });
    expect(jobs['d']!.metrics['error']).toBe('d: d broke after writing');
    expect(o.metrics).toMatchObject({ jobs_expected: 5, jobs_completed: 3, jobs_failed: 2 });
    // The phase's own, the all-in-one savepoint (rolled back), then one per job.
    expect(transactions).toBe(1 + 1 + 5);
  });
});
