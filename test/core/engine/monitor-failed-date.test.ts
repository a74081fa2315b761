/**
 * Monitor-only (SPEC.md g.12) on a date whose critical date phase fails: the monitor report
 * says the date-level part and every portfolio-date failed (none of them was compared), not
 * that nothing differs.
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
  it('reports the date-level part and each portfolio-date as failed', async () => {
    const failMarketData = (phase: string) => {
      if (phase === 'market_data') throw new Error('provider down');
    };
    const r = await runDemo(dbPath, SHORT_NOW, { targetDate: '2025-07-10', monitorOnly: true }, { hooks: { beforePhase: failMarketData } });
    if (r.kind !== 'run') throw new Error(`no run: ${r.kind}`);
    const monitor = (r.summary as { monitor?: MonitorReport }).monitor!;
    expect(monitor.clean).toBe(false);
    expect(monitor.date_level).toEqual({ compared: 1, same: 0, different: 0, new: 0, failed: 1 });
    expect(monitor.portfolio_dates.failed).toBe(monitor.portfolio_dates.compared);
    expect(monitor.portfolio_dates.compared).toBeGreaterThan(0);
  }, 60_000);
});
