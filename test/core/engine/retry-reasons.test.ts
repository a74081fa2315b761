/**
 * The reason code of a retried cell (SPEC.md g.3): `retry:<phase>:<batch_run_id>`, where the
 * phase is the one that failed or went stale (a failed date-scoped phase names itself on every
 * portfolio it sends back) and the id is the `batch_...` id of the run that recorded the failure.
 */
import { describe, expect, it } from 'vitest';
import { runOptionsSchema } from '../../../core/api/run-options';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { Lot } from '../../../core/domain/portfolio';
import { planRun, type PlannerStore } from '../../../core/engine/planner';
import type { PortfolioRecord, TrackingRecord } from '../../../core/ports/store';

const NOW = Date.parse('2025-07-03T23:00:00Z');
const BATCH = 'batch_20250703_230000_3f9a';
const P1: PortfolioRecord = { id: 'p1', userId: 'u', name: 'Alpha', isActive: true, equityBalance: 1000, initialEquity: 1000 };
const P2: PortfolioRecord = { id: 'p2', userId: 'u', name: 'Beta', isActive: true, equityBalance: 1000, initialEquity: 1000 };
const lot = (portfolioId: string): Lot => ({
  id: `${portfolioId}-lot`, portfolioId, symbol: 'AAPL', positionType: 'LONG', quantity: 1, entryPrice: 100, entryDate: '2025-06-30' as IsoDate,
  exitDate: null, underlyingSymbol: null, strikePrice: null, expirationDate: null, investmentClass: 'PUBLIC',
} as Lot);

const ok = { status: 'success', duration_ms: 1, reason: null, error: null };
const block = (cells: Record<string, object>) => ({ status: 'partial', duration_ms: 1, portfolios: cells });

function tracking(phaseStatus: Record<string, unknown>, metadata: Record<string, unknown> | null): TrackingRecord {
  return { id: 't', runDate: '2025-07-02' as IsoDate, status: 'failed', runId: 'run-uuid', phaseStatus, metadata, startedAt: '2025-07-03T23:00:00Z', completedAt: '2025-07-03T23:00:01Z', createdAt: '2025-07-03T23:00:00Z' };
}

function planWith(row: TrackingRecord) {
  const store: PlannerStore = {
    latestSnapshotDate: () => '2025-07-03' as IsoDate,
    loadTrackingRange: () => [row],
    getRun: () => null,
    latestResumable: () => null,
    hasMarks: () => true,
    snapshotOf: () => null,
    loadTracking: () => row,
    previousSnapshot: () => null,
  } as unknown as PlannerStore;
  return planRun({
    options: runOptionsSchema.parse({ retryFailedPhases: true }),
    nowMs: NOW,
    portfolios: [P1, P2],
    lotsByPortfolio: new Map([['p1', [lot('p1')]], ['p2', [lot('p2')]]]),
    store,
  });
}

describe('retry reason codes (g.3)', () => {
  it('a failed date phase is named on every portfolio it sends back, with the batch run id', () => {
    const plan = planWith(tracking({ schema: 1, market_data: { status: 'failed', duration_ms: 1, reason: 'provider_down', error: 'x' }, fundamentals: ok }, { batch_run_id: BATCH, run_id: 'run-uuid' }));
    const d = plan.dates.find((x) => x.date === '2025-07-02')!;
    expect(d.datePhases).toEqual(['market_data']);
    expect(d.portfolios.map((p) => [p.portfolioId, p.phases.join(','), p.reason])).toEqual([
      ['p1', 'marks,snapshots,sector_tags,analytics', `retry:market_data:${BATCH}`],
      ['p2', 'marks,snapshots,sector_tags,analytics', `retry:market_data:${BATCH}`],
    ]);
  });

  it('a failed portfolio phase names itself; an earlier failure of the same portfolio wins', () => {
    const plan = planWith(tracking({
      schema: 1, market_data: ok, fundamentals: ok,
      marks: block({ p1: ok, p2: ok }),
      snapshots: block({ p1: { status: 'failed', duration_ms: 1, reason: 'previous_day_missing', error: 'x' }, p2: ok }),
      sector_tags: block({ p1: ok, p2: { status: 'failed', duration_ms: 1, reason: 'error', error: 'x' } }),
      analytics: block({ p1: { status: 'skipped', duration_ms: 0, reason: 'upstream_failed', error: null }, p2: { status: 'failed', duration_ms: 1, reason: 'error', error: 'x' } }),
    }, { batch_run_id: BATCH }));
    const d = plan.dates.find((x) => x.date === '2025-07-02')!;
    expect(d.portfolios.map((p) => [p.portfolioId, p.reason])).toEqual([
      ['p1', `retry:snapshots:${BATCH}`],
      ['p2', `retry:sector_tags:${BATCH}`],
    ]);
  });

  it('a row written before the batch run id was recorded names the run id', () => {
    const plan = planWith(tracking({ schema: 1, market_data: ok, fundamentals: ok, marks: block({ p1: { status: 'stale', duration_ms: 0, reason: 'input_changed', error: null }, p2: ok }) }, null));
    expect(plan.dates[0]!.portfolios.map((p) => p.reason)).toEqual(['retry:marks:run-uuid']);
  });
});

/**
 * A date a killed run left (m.1, m.3): its portfolios' rows were rolled back, so its tracking
 * row records no cell for them; the lock's takeover closed it as failed (`interrupted`), or it is
 * still open. Retry redoes those portfolios from their first phase (after the date phases that
 * did not succeed), and nothing on a date that failed for another reason.
 */
describe('retry of a date a killed run left', () => {
  const interrupted = (row: TrackingRecord, extra: Partial<TrackingRecord>): TrackingRecord => ({ ...row, ...extra });

  it('closed as interrupted after its date phases: every portfolio, every portfolio phase', () => {
    const plan = planWith(interrupted(tracking({ schema: 1, market_data: ok, fundamentals: ok }, { batch_run_id: BATCH }), { interrupted: true }));
    const d = plan.dates.find((x) => x.date === '2025-07-02')!;
    expect(d.datePhases).toEqual([]);
    expect(d.portfolios.map((p) => [p.portfolioId, p.phases.join(','), p.reason])).toEqual([
      ['p1', 'marks,snapshots,sector_tags,analytics', `retry:marks:${BATCH}`],
      ['p2', 'marks,snapshots,sector_tags,analytics', `retry:marks:${BATCH}`],
    ]);
  });

  it('still open, killed during market_data: the date phases too', () => {
    const row = interrupted(tracking({ schema: 1 }, { batch_run_id: BATCH }), { status: 'running', completedAt: null });
    const d = planWith(row).dates.find((x) => x.date === '2025-07-02')!;
    expect(d.datePhases).toEqual(['market_data', 'fundamentals']);
    expect(d.portfolios.map((p) => [p.portfolioId, p.reason])).toEqual([
      ['p1', `retry:market_data:${BATCH}`],
      ['p2', `retry:market_data:${BATCH}`],
    ]);
  });

  it('a portfolio the interrupted date recorded keeps its cells; a date that failed otherwise gets no portfolio it never ran', () => {
    const partly = tracking({ schema: 1, market_data: ok, fundamentals: ok, marks: block({ p1: ok }), snapshots: block({ p1: ok }), sector_tags: block({ p1: ok }), analytics: block({ p1: ok }) }, { batch_run_id: BATCH });
    expect(planWith(interrupted(partly, { interrupted: true })).dates[0]!.portfolios.map((p) => p.portfolioId)).toEqual(['p2']);
    const failedSnapshot = tracking({ schema: 1, market_data: ok, fundamentals: ok, marks: block({ p1: ok }), snapshots: block({ p1: { status: 'failed', duration_ms: 1, reason: 'error', error: 'x' } }) }, { batch_run_id: BATCH });
    expect(planWith(failedSnapshot).dates[0]!.portfolios.map((p) => [p.portfolioId, p.reason])).toEqual([['p1', `retry:snapshots:${BATCH}`]]);
  });
});
