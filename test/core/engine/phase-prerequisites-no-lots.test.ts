/**
 * Prerequisites of a `--phase` run (SPEC.md c.11, g.4) for a portfolio that holds no lot on D
 * (m.22: edge input, not an error). Its only lot closed before D, so its marks phase wrote no row
 * on D. Its marks are in place nonetheless: the planner does not refuse an analytics-only or a
 * snapshots-only run of D for it (before, every such run of the whole scope was refused with
 * "analytics needs marks" / "snapshots needs marks"), and the run's own snapshots check agrees.
 * A portfolio with lots and no marks on D is still refused.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { RunResult } from '../../../core/engine/run-engine';
import type { DateResult } from '../../../core/engine/run-summary';
import { DEMO_PORTFOLIOS, SHORT_NOW } from '../../support/app/demo-fixture';
import { backfilledWithClosedPortfolio, copyDb, runDemo, seedDemoDb } from '../../support/demo-db';

/** The portfolio whose only lot (AAPL) closed fully on CLOSED_ON. */
const P = DEMO_PORTFOLIOS.individual;
const CLOSED_ON = '2025-07-03';
const D = '2025-07-09' as IsoDate;
const WITH_LOTS = DEMO_PORTFOLIOS.publicGrowth;

function phaseOf(r: RunResult, portfolioId: string, phase: string) {
  if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
  return (r.summary.results as DateResult[]).find((x) => x.date === D)!.portfolios.find((p) => p.portfolio_id === portfolioId)!.phases[phase as 'marks'];
}

let backfilled = '';

beforeAll(async () => {
  backfilled = await backfilledWithClosedPortfolio(SHORT_NOW, P, CLOSED_ON);
  const db = new Database(backfilled, { readonly: true });
  const marks = (db.prepare(`SELECT count(*) AS n FROM position_marks WHERE portfolio_id = ? AND mark_date = ?`).get(P, D) as { n: number }).n;
  db.close();
  if (marks !== 0) throw new Error(`the closed portfolio has ${marks} marks on ${D}`);
}, 180_000);

describe('--phase prerequisites of a portfolio with no lot on the date', () => {
  it('an analytics-only run of every portfolio is not refused; its analytics are not applicable', async () => {
    const r = await runDemo(copyDb(backfilled), SHORT_NOW, { targetDate: D, phases: ['analytics'] });
    expect(r.kind).toBe('run');
    expect(phaseOf(r, P, 'analytics')).toMatchObject({ status: 'not_applicable', reason: 'no_positions' });
    expect(phaseOf(r, WITH_LOTS, 'analytics')).toMatchObject({ status: 'success' });
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it('a snapshots-only run of every portfolio is not refused, and its snapshot is written', async () => {
    const r = await runDemo(copyDb(backfilled), SHORT_NOW, { targetDate: D, phases: ['snapshots'] });
    expect(phaseOf(r, P, 'snapshots')).toMatchObject({ status: 'success', reason: null });
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it('still refuses a portfolio that holds lots on the date and has no marks there', async () => {
    const path = copyDb(backfilled);
    const db = new Database(path);
    db.prepare(`DELETE FROM position_marks WHERE portfolio_id = ? AND mark_date = ?`).run(WITH_LOTS, D);
    db.close();
    await expect(runDemo(path, SHORT_NOW, { targetDate: D, phases: ['analytics'] })).rejects.toThrow(
      `missing prerequisites for --phase: analytics needs marks on ${D} of portfolio Demo Family Office Public Growth. Add the producer phases (--phase marks,analytics), or let the run add them (--with-prerequisites)`,
    );
  }, 120_000);

  it('says each missing input once, with its dates and the portfolios by name (a tester got one line per portfolio-date, by UUID)', async () => {
    const fresh = copyDb(seedDemoDb(SHORT_NOW));
    await expect(runDemo(fresh, SHORT_NOW, { startDate: '2025-06-30', endDate: '2025-07-03', phases: ['analytics'] })).rejects.toThrow(
      'missing prerequisites for --phase: analytics needs snapshots on 4 dates (2025-06-30 .. 2025-07-03) of 5 portfolios (Demo Family Office Private Opportunities, Demo Family Office Public Growth, Demo Hedge Fund Style Investor Portfolio and 2 more); analytics needs marks on 4 dates (2025-06-30 .. 2025-07-03) of 5 portfolios (Demo Family Office Private Opportunities, Demo Family Office Public Growth, Demo Hedge Fund Style Investor Portfolio and 2 more). Add the producer phases (--phase marks,snapshots,analytics), or let the run add them (--with-prerequisites)',
    );
  }, 120_000);
});
