/**
 * Monitor-only (SPEC.md g.12) on a date whose critical date phase fails: the monitor report
 * says the date-level part failed and that the date's portfolio-dates were not run (their
 * phases never ran, so none of them was compared and none has differences), not that they
 * failed or that nothing differs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonitorReport } from '../../../core/engine/monitor-recorder';
import { SHORT_NOW } from '../../support/app/demo-fixture';
import { runDemo, seedDemoDb } from '../../support/demo-db';

let dbPath = '';
beforeAll(async () => {
  dbPath = seedDemoDb(SHORT_NOW);
  await runDemo(dbPath, SHORT_NOW, { startDate: '2025-07-08', endDate: '2025-07-10' });
}, 120_000);

describe('monitor-only run of a date whose market data fails', () => {
  it('reports the date-level part as failed and each portfolio-date as not run, none of them compared', async () => {
    const failMarketData = (phase: string) => {
      if (phase === 'market_data') throw new Error('provider down');
    };
    const r = await runDemo(dbPath, SHORT_NOW, { targetDate: '2025-07-10', monitorOnly: true }, { hooks: { beforePhase: failMarketData } });
    if (r.kind !== 'run') throw new Error(`no run: ${r.kind}`);
    const monitor = (r.summary as { monitor?: MonitorReport }).monitor!;
    expect(monitor.clean).toBe(false);
    expect(monitor.date_level).toEqual({ compared: 1, same: 0, different: 0, new: 0, failed: 1, not_run: 0 });
    const portfolios = monitor.entries.filter((e) => e.portfolio_id !== null);
    expect(portfolios.length).toBeGreaterThan(0);
    expect(monitor.portfolio_dates).toEqual({ compared: 0, same: 0, different: 0, new: 0, failed: 0, not_run: portfolios.length });
    for (const e of portfolios) expect(e).toMatchObject({ status: 'not_run', date_failed_phase: 'market_data', tables: [] });
    expect(monitor.entries_compared).toBe(1);
  }, 60_000);
});
