/**
 * The engine on the seeded demo (issue 3 acceptance): every trading day gets a snapshot per
 * portfolio and a tracking row with all six phases; NAV − cash equals the positions' value;
 * daily P&L is the change of cumulative P&L; cash moves only with flows, trades and expiries.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { tradingDaysBetween } from '../../../core/calendar';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { telemetryEventSchema } from '../../../core/api/telemetry-events';
import type { IsoDate } from '../../../core/domain/iso-date';
import { PHASE_NAMES } from '../../../core/domain/phase';
import { runDemo, seedDemoDb } from '../../support/demo-db';

const NOW = '2025-09-30T23:00:00Z';
const DAYS = tradingDaysBetween('2025-06-30' as IsoDate, '2025-09-30' as IsoDate);

describe('demo backfill', () => {
  let path: string;
  const events: TelemetryEvent[] = [];
  let exitCode = -1;
  beforeAll(async () => {
    path = seedDemoDb(NOW);
    const r = await runDemo(path, NOW, {}, { sinks: [{ name: 'collect', handle: (e) => events.push(e) }] });
    expect(r.kind).toBe('run');
    exitCode = r.exitCode;
  }, 300_000);

  it('exits 0 and processes every trading day from the demo entry date', () => {
    expect(exitCode).toBe(0);
    const db = new Database(path, { readonly: true });
    const dates = (db.prepare(`SELECT DISTINCT snapshot_date AS d FROM portfolio_snapshots ORDER BY 1`).all() as { d: string }[]).map((r) => r.d);
    expect(dates).toEqual(DAYS);
    const perDate = db.prepare(`SELECT snapshot_date, count(*) AS n FROM portfolio_snapshots GROUP BY 1`).all() as { n: number }[];
    expect(perDate.every((r) => r.n === 5)).toBe(true);
    db.close();
  });

  it('writes a complete tracking row with all six phases for every date', () => {
    const db = new Database(path, { readonly: true });
    const rows = db.prepare(`SELECT run_date, status, phase_status, completed_at, phase_1_status, phase_2_status FROM batch_run_tracking ORDER BY run_date`).all() as Record<string, string>[];
    expect(rows.map((r) => r['run_date'])).toEqual(DAYS);
    for (const r of rows) {
      expect(r['completed_at']).toBeTruthy();
      expect(r['status']).toBe('success');
      const ps = JSON.parse(r['phase_status']!) as Record<string, { status: string; portfolios?: Record<string, unknown> }>;
      for (const p of PHASE_NAMES) expect(ps[p], `${r['run_date']} ${p}`).toBeDefined();
      expect(Object.keys(ps['marks']!.portfolios!).length).toBe(5);
      expect(r['phase_1_status']).toBe('success');
      expect(r['phase_2_status']).toBe('success');
    }
    db.close();
  });

  it('NAV − cash equals the sum of position values within $0.01 for every portfolio-date', () => {
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare(
        `SELECT s.portfolio_id, s.snapshot_date, s.total_value - s.cash_value AS invested,
                (SELECT COALESCE(SUM(m.quantity * m.price * m.multiplier), 0) FROM position_marks m
                  WHERE m.portfolio_id = s.portfolio_id AND m.mark_date = s.snapshot_date AND m.is_active = 1 AND m.price_source != 'missing') AS positions,
                (SELECT COALESCE(SUM(m.market_value), 0) FROM position_marks m
                  WHERE m.portfolio_id = s.portfolio_id AND m.mark_date = s.snapshot_date AND m.is_active = 1 AND m.price_source != 'missing') AS positions_rounded,
                (SELECT count(*) FROM position_marks m WHERE m.portfolio_id = s.portfolio_id AND m.mark_date = s.snapshot_date AND m.is_active = 1) AS lots
         FROM portfolio_snapshots s`,
      )
      .all() as { invested: number; positions: number; positions_rounded: number; lots: number }[];
    expect(rows.length).toBe(DAYS.length * 5);
    for (const r of rows) {
      expect(Math.abs(r.invested - r.positions)).toBeLessThanOrEqual(0.01);
      // Against the per-lot rounded market values: half a cent per lot at most.
      expect(Math.abs(r.invested - r.positions_rounded)).toBeLessThanOrEqual(0.005 * r.lots + 0.01);
    }
    db.close();
  });

  it('daily_pnl equals the change in cumulative_pnl, and equity = initial + cumulative P&L + flows', () => {
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare(`SELECT s.portfolio_id, s.daily_pnl, s.cumulative_pnl, s.equity_balance, s.total_value, s.cumulative_capital_flow, p.initial_equity FROM portfolio_snapshots s JOIN portfolios p ON p.id = s.portfolio_id ORDER BY s.portfolio_id, s.snapshot_date`)
      .all() as Record<string, number | string>[];
    let prev = new Map<string, number>();
    for (const r of rows) {
      const pid = r['portfolio_id'] as string;
      const before = prev.get(pid) ?? 0;
      expect(Math.round(((r['cumulative_pnl'] as number) - before) * 100)).toBe(Math.round((r['daily_pnl'] as number) * 100));
      prev.set(pid, r['cumulative_pnl'] as number);
      expect(r['total_value']).toBe(r['equity_balance']);
      expect(Math.round(((r['initial_equity'] as number) + (r['cumulative_pnl'] as number) + (r['cumulative_capital_flow'] as number)) * 100)).toBe(Math.round((r['equity_balance'] as number) * 100));
    }
    prev = new Map();
    db.close();
  });

  it('cash is unchanged (within cents) on dates without trades, flows or option expiries', () => {
    const db = new Database(path, { readonly: true });
    const expiries = new Set((db.prepare(`SELECT DISTINCT expiration_date AS d FROM positions WHERE expiration_date IS NOT NULL`).all() as { d: string }[]).map((r) => r.d));
    const rows = db.prepare(`SELECT portfolio_id, snapshot_date, cash_value FROM portfolio_snapshots ORDER BY portfolio_id, snapshot_date`).all() as { portfolio_id: string; snapshot_date: string; cash_value: number }[];
    let checked = 0;
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1]!;
      const b = rows[i]!;
      if (a.portfolio_id !== b.portfolio_id) continue;
      // The day after an expiry the settled option's value has left the exposures.
      const prevDay = DAYS[DAYS.indexOf(b.snapshot_date as IsoDate) - 1];
      if (expiries.has(b.snapshot_date) || (prevDay && expiries.has(prevDay))) continue;
      expect(Math.abs(b.cash_value - a.cash_value), `${b.portfolio_id} ${b.snapshot_date}`).toBeLessThanOrEqual(0.05);
      checked++;
    }
    expect(checked).toBeGreaterThan(DAYS.length * 4);
    db.close();
  });

  it('prices options by the model with non-zero Greeks while they are alive, and settles them at expiry', () => {
    const db = new Database(path, { readonly: true });
    const alive = db
      .prepare(`SELECT count(*) AS n, sum(delta != 0) AS nz FROM position_marks WHERE price_source = 'model' AND is_active = 1 AND time_to_expiry > 0`)
      .get() as { n: number; nz: number };
    expect(alive.n).toBeGreaterThan(0);
    expect(alive.nz).toBe(alive.n);
    const settled = db.prepare(`SELECT flags FROM position_marks WHERE mark_date = '2025-08-15' AND flags LIKE '%expired_settled%'`).all();
    expect(settled.length).toBe(3);
    const after = db.prepare(`SELECT count(*) AS n FROM position_marks m JOIN positions p ON p.id = m.position_id WHERE p.expiration_date = '2025-08-15' AND m.mark_date > '2025-08-15'`).get() as { n: number };
    expect(after.n).toBe(0);
    const hf = db.prepare(`SELECT portfolio_delta, portfolio_vega FROM portfolio_snapshots WHERE portfolio_id = 'fcd71196-e93e-f000-5a74-31a9eead3118' AND snapshot_date = '2025-07-01'`).get() as Record<string, number>;
    expect(hf['portfolio_delta']).not.toBe(0);
    expect(hf['portfolio_vega']).not.toBe(0);
    db.close();
  });

  it('emits valid telemetry events with increasing sequence numbers', () => {
    expect(events.length).toBeGreaterThan(DAYS.length * 10);
    events.forEach((e, i) => {
      expect(telemetryEventSchema.safeParse(e).success).toBe(true);
      expect(e.seq).toBe(i + 1);
    });
    expect(events[0]!.event).toBe('run_start');
    expect(events[events.length - 1]!.event).toBe('run_result');
    expect(events.filter((e) => e.event === 'date_result').length).toBe(DAYS.length);
  });

  it('is up to date on a second run and writes no history row', async () => {
    const r = await runDemo(path, NOW);
    expect(r.kind).toBe('up_to_date');
    const db = new Database(path, { readonly: true });
    expect((db.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('says there is nothing to run for dates before every portfolio, exit 0, and writes no history row', async () => {
    // 2025-06-02..06 is before the demo's first entry date (2025-06-30): 5 days x 5 portfolios left out.
    const r = await runDemo(path, NOW, { startDate: '2025-06-02', endDate: '2025-06-06' });
    expect(r.kind).toBe('up_to_date');
    expect(r.exitCode).toBe(0);
    if (r.kind === 'up_to_date') expect(r.message).toBe('Nothing to run: no portfolio in scope is processed on the requested dates (portfolio-dates left out: 25 before first entry)');
    const db = new Database(path, { readonly: true });
    expect((db.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('says a range without a trading day has none (a weekend, a holiday), exit 0, and writes no history row', async () => {
    for (const [startDate, endDate, message] of [
      ['2025-08-02', '2025-08-03', 'Nothing to run: no trading day from 2025-08-02 to 2025-08-03 (weekends and NYSE holidays are not processed)'],
      ['2025-09-01', '2025-09-01', 'Nothing to run: 2025-09-01 is not a trading day (weekends and NYSE holidays are not processed)'], // Labor Day
    ] as const) {
      const r = await runDemo(path, NOW, { startDate, endDate });
      expect(r).toMatchObject({ kind: 'up_to_date', exitCode: 0, message });
    }
    const db = new Database(path, { readonly: true });
    expect((db.prepare(`SELECT count(*) AS n FROM batch_run_history`).get() as { n: number }).n).toBe(1);
    db.close();
  });
});
