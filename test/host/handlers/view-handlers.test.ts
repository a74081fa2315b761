/**
 * View and settings commands through the dispatcher, on a demo database backfilled in
 * process with injected price gaps (SHORT_NOW: 2025-06-30 .. 2025-07-15, 11 trading days):
 * AAPL misses 07-08 and 07-09 (fallback to 07-07), ZM misses 07-01 .. 07-11 (fallback to
 * 06-30 for 5 trading days, then stale_beyond_fallback), SPY misses 07-03 .. 07-14 (the
 * market_data phase fails once no SPY close is within 5 trading days: 07-11 and 07-14).
 */
import { hostname } from 'node:os';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../host/dispatcher';
import type { HostContext } from '../../../host/handler-types';
import { metricEvent, runStartEvent } from '../../support/telemetry/event-builders';
import { DEMO_PORTFOLIOS, injectPriceGaps, putSettings, SHORT_NOW } from '../../support/app/demo-fixture';
import { runDemo, seedDemoDb } from '../../support/demo-db';
import { tempDir } from '../../support/cli';
import { dispatchOk, testHostContext } from '../../support/app/host-context';

const GAPS = [
  { symbol: 'AAPL', dates: ['2025-07-08', '2025-07-09'] },
  { symbol: 'ZM', dates: ['2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11'] },
  { symbol: 'SPY', dates: ['2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11', '2025-07-14'] },
];

let dbPath = '';
let ctx: HostContext;

const ok = (name: string, input: unknown, c: HostContext = ctx) => dispatchOk(c, name, input);

beforeAll(async () => {
  dbPath = seedDemoDb(SHORT_NOW);
  injectPriceGaps(dbPath, GAPS);
  await runDemo(dbPath, SHORT_NOW);
  ctx = testHostContext(dbPath, SHORT_NOW);
});

describe('getTracking', () => {
  it('returns one complete row per processed date with phase cells and counters', async () => {
    const out = await ok('getTracking', {});
    expect(out.dates.map((d: any) => d.date)).toEqual(['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10', '2025-07-11', '2025-07-14', '2025-07-15']);
    const jul11 = out.dates.find((d: any) => d.date === '2025-07-11');
    expect(jul11.status).toBe('failed');
    expect(jul11.phases.market_data.status).toBe('failed');
    expect(jul11.phases.market_data.reason).toBe('benchmark_missing');
    expect(jul11.phases.marks.portfolios[DEMO_PORTFOLIOS.publicGrowth].reason).toBe('upstream_failed');
    const jul09 = out.dates.find((d: any) => d.date === '2025-07-09');
    // AAPL and SPY fall back, ZM is missing: 3 rows, 2 fallbacks.
    expect(jul09.missingPriceCount).toBe(3);
    expect(jul09.fallbackCount).toBe(2);
    expect(jul09.complete).toBe(true);
    // Every trading day from the first to the last row is tracked (07-04 is a holiday).
    expect(out.untrackedTradingDays).toEqual([]);
  });

  it('lists the trading days without a row between the first and the last (a purged or never-run date), not weekends or holidays', async () => {
    const copy = join(tempDir(), 'gap.db');
    copyFileSync(dbPath, copy);
    const raw = new Database(copy);
    raw.prepare(`DELETE FROM batch_run_tracking WHERE run_date IN ('2025-07-03', '2025-07-07', '2025-07-15')`).run();
    raw.close();
    const c = testHostContext(copy, SHORT_NOW, { reader: false });
    const out = await ok('getTracking', {}, c);
    // 07-04 (Independence Day) and the weekend 07-05/06 lie between them and are not gaps; 07-15,
    // now after the last row, is outside the listed span.
    expect(out.untrackedTradingDays).toEqual(['2025-07-03', '2025-07-07']);
    expect((await ok('getTracking', { startDate: '2025-07-08' }, c)).untrackedTradingDays).toEqual([]);
  });

  it("shows a date that a stopped run left open with its run's end, and a date of the run in flight as running (as `history` does)", async () => {
    const copy = join(tempDir(), 'open.db');
    copyFileSync(dbPath, copy);
    const raw = new Database(copy);
    const at = '2025-07-15T23:00:00.000000Z';
    const history = raw.prepare(`INSERT INTO batch_run_history (id, batch_run_id, started_at, created_at, status, mode) VALUES (?, ?, ?, ?, ?, 'normal')`);
    history.run('cancelled-run', 'batch_cancelled', at, at, 'cancelled');
    history.run('gone-run', 'batch_gone', at, at, 'running');
    history.run('live-run', 'batch_live', at, at, 'running');
    const open = raw.prepare(`UPDATE batch_run_tracking SET status = 'running', completed_at = NULL, run_id = ? WHERE run_date = ?`);
    open.run('cancelled-run', '2025-07-10');
    open.run('gone-run', '2025-07-14');
    open.run('live-run', '2025-07-15');
    // The run in flight holds the lock from a live process (this one).
    raw.prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at) VALUES (1, 'run', 'live-run', 'cli', ?, ?, ?, ?)`).run(hostname(), process.pid, at, at);
    raw.close();
    const c = testHostContext(copy, SHORT_NOW, { reader: false });
    const out = await ok('getTracking', { includeIncomplete: true }, c);
    const status = (d: string) => out.dates.find((r: any) => r.date === d).status;
    expect([status('2025-07-10'), status('2025-07-14'), status('2025-07-15'), status('2025-07-11')]).toEqual(['cancelled', 'interrupted', 'running', 'failed']);
    expect((await ok('getDateDetail', { date: '2025-07-10', includeIncomplete: true }, c)).row.status).toBe('cancelled');
  });

  it('gives the latest settled date and the trading days after the last listed date up to it (SPEC.md f.3), from the host clock', async () => {
    // SHORT_NOW (2025-07-15 23:00 UTC, 19:00 in New York) settles 2025-07-15, the last tracked date.
    const out = await ok('getTracking', {});
    expect(out.latestSettledDate).toBe('2025-07-15');
    expect(out.tradingDaysAfterLast).toEqual([]);
    // A week later: 07-16 .. 07-22 were never run (07-19/20 a weekend); before 16:30 New York the day itself is not settled.
    const later = testHostContext(dbPath, '2025-07-22T23:00:00Z', { reader: false });
    expect(await ok('getTracking', {}, later)).toMatchObject({ latestSettledDate: '2025-07-22', tradingDaysAfterLast: ['2025-07-16', '2025-07-17', '2025-07-18', '2025-07-21', '2025-07-22'] });
    const morning = testHostContext(dbPath, '2025-07-22T14:00:00Z', { reader: false });
    expect(await ok('getTracking', {}, morning)).toMatchObject({ latestSettledDate: '2025-07-21', tradingDaysAfterLast: ['2025-07-16', '2025-07-17', '2025-07-18', '2025-07-21'] });
    // They end at the range's end; a truncated listing has tracked dates after it, so none are given.
    expect((await ok('getTracking', { endDate: '2025-07-17' }, later)).tradingDaysAfterLast).toEqual(['2025-07-16', '2025-07-17']);
    expect((await ok('getTracking', { startDate: '2025-07-07', endDate: '2025-07-09' }, later)).tradingDaysAfterLast).toEqual([]);
    expect(await ok('getTracking', { limit: 2 }, later)).toMatchObject({ truncated: true, latestSettledDate: '2025-07-22', tradingDaysAfterLast: [] });
    // A clock outside the trading calendar has no settled date; the listing still answers.
    const outside = await ok('getTracking', {}, testHostContext(dbPath, '2031-06-01T23:00:00Z', { reader: false }));
    expect(outside).toMatchObject({ latestSettledDate: null, tradingDaysAfterLast: [] });
    expect(outside.dates).toHaveLength(11);
  });

  it('filters by range and truncates at the limit', async () => {
    const out = await ok('getTracking', { startDate: '2025-07-07', endDate: '2025-07-09' });
    expect(out.dates.map((d: any) => d.date)).toEqual(['2025-07-07', '2025-07-08', '2025-07-09']);
    const lim = await ok('getTracking', { limit: 2 });
    expect(lim.dates).toHaveLength(2);
    expect(lim.truncated).toBe(true);
  });

  it('getDateDetail returns the full phase_status and metadata with job outcomes', async () => {
    const out = await ok('getDateDetail', { date: '2025-07-10' });
    expect(out.row.date).toBe('2025-07-10');
    const meta = out.metadata as any;
    expect(meta.portfolios[DEMO_PORTFOLIOS.publicGrowth].analytics.jobs.market_beta).toHaveProperty('success');
    expect(out.phaseStatus.market_data.status).toBe('success');
    const none = await ok('getDateDetail', { date: '2025-07-04' });
    expect(none).toEqual({ row: null, phaseStatus: null, metadata: null });
  });
});

describe('getMissingPrices', () => {
  it('lists every injected gap with reason, fallback and age', async () => {
    const out = await ok('getMissingPrices', {});
    expect(out.total).toBe(17);
    const aapl = out.rows.find((r: any) => r.symbol === 'AAPL' && r.date === '2025-07-09');
    expect(aapl).toMatchObject({ reason: 'no_data', resolution: 'fallback', fallbackPriceDate: '2025-07-07', fallbackAgeDays: 2 });
    const zm = out.rows.find((r: any) => r.symbol === 'ZM' && r.date === '2025-07-11');
    expect(zm).toMatchObject({ reason: 'stale_beyond_fallback', resolution: 'missing', fallbackPriceDate: null, fallbackAgeDays: null });
    expect(zm.portfoliosAffected).toBeGreaterThan(0);
    // newest first
    expect(out.rows[0].date >= out.rows[out.rows.length - 1].date).toBe(true);
  });

  it('filters by reason, resolution, symbols (case-insensitive), range and portfolio', async () => {
    const stale = await ok('getMissingPrices', { reasons: ['stale_beyond_fallback'] });
    expect(stale.rows.every((r: any) => r.reason === 'stale_beyond_fallback')).toBe(true);
    expect(stale.total).toBe(5);
    const missing = await ok('getMissingPrices', { resolution: 'missing' });
    expect(missing.total).toBe(5);
    const aapl = await ok('getMissingPrices', { symbols: ['aapl'] });
    expect(aapl.rows.map((r: any) => r.date)).toEqual(['2025-07-09', '2025-07-08']);
    const ranged = await ok('getMissingPrices', { startDate: '2025-07-09', endDate: '2025-07-09' });
    expect(ranged.total).toBe(3);
    const portfolios = (await ok('listPortfolios', {})).portfolios as { id: string }[];
    let sum = 0;
    for (const p of portfolios) {
      const r = await ok('getMissingPrices', { portfolioId: p.id, symbols: ['ZM'], startDate: '2025-07-11' });
      sum += r.total;
    }
    expect(sum).toBeGreaterThan(0);
  });

  it('binds filter values: an injection attempt matches nothing and changes nothing', async () => {
    const out = await ok('getMissingPrices', { symbols: ["ZM') OR 1=1 --"], portfolioId: "x' OR '1'='1" });
    expect(out.total).toBe(0);
    const all = await ok('getMissingPrices', {});
    expect(all.total).toBe(17);
  });

  it('refuses an unknown reason with a usage error', async () => {
    const r = await dispatch('getMissingPrices', { reasons: ['bogus'] }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('usage');
  });
});

describe('portfolios, snapshots, marks and analytics', () => {
  it('lists the five demo portfolios with lot counts', async () => {
    const out = await ok('listPortfolios', {});
    expect(out.portfolios).toHaveLength(5);
    expect(out.portfolios.reduce((a: number, p: any) => a + p.positions, 0)).toBe(97);
    expect(out.portfolios.every((p: any) => p.latestSnapshotDate === '2025-07-10')).toBe(true);
  });

  it('returns the snapshot series of a portfolio for complete dates only', async () => {
    const out = await ok('getSnapshots', { portfolioId: DEMO_PORTFOLIOS.publicGrowth });
    // 07-11 .. 07-15 failed at market_data: no snapshots.
    expect(out.rows.map((r: any) => r.date)).toEqual(['2025-06-30', '2025-07-01', '2025-07-02', '2025-07-03', '2025-07-07', '2025-07-08', '2025-07-09', '2025-07-10']);
    for (const r of out.rows) expect(Math.abs(r.totalValue - (r.longValue - r.shortValue + r.cashValue))).toBeLessThan(0.05);
  });

  it('returns marks with provenance: AAPL falls back on 07-08', async () => {
    const portfolios = (await ok('listPortfolios', {})).portfolios as { id: string }[];
    let found = false;
    for (const p of portfolios) {
      const out = await ok('getMarks', { portfolioId: p.id, date: '2025-07-08' });
      const aapl = out.marks.find((m: any) => m.symbol === 'AAPL');
      if (!aapl) continue;
      found = true;
      expect(aapl.priceSource).toBe('fallback');
      expect(aapl.priceDate).toBe('2025-07-07');
      expect(out.snapshot.date).toBe('2025-07-08');
    }
    expect(found).toBe(true);
  });

  it('defaults analytics to the latest complete date and returns its rows', async () => {
    const out = await ok('getAnalytics', { portfolioId: DEMO_PORTFOLIOS.publicGrowth });
    expect(out.date).toBe('2025-07-10');
    expect(out.snapshot.date).toBe('2025-07-10');
    expect(Object.keys(out.jobs).length).toBeGreaterThan(0);
    const none = await ok('getAnalytics', { portfolioId: 'no-such-portfolio' });
    expect(none.date).toBeNull();
  });

  it('reports row counts, the latest complete date and no lock', async () => {
    const out = await ok('getDatabaseInfo', {});
    expect(out.rowCounts.portfolios).toBe(5);
    expect(out.rowCounts.batch_run_tracking).toBe(11);
    expect(out.latestCompleteDate).toBe('2025-07-15');
    expect(out.lock).toBeNull();
    expect(out.sizeBytes).toBeGreaterThan(0);
  });

  it("names a seed-demo's lock as seed-demo, though its row is stored as an import's (b.4)", async () => {
    const copy = join(tempDir(), 'locked.db');
    copyFileSync(dbPath, copy);
    const raw = new Database(copy);
    raw
      .prepare(`INSERT INTO run_lock (id, kind, run_id, holder, host, pid, acquired_at, heartbeat_at, cancel_requested) VALUES (1, 'import', 'seed-0b6f', 'cli', 'laptop', 4242, ?, ?, 0)`)
      .run('2025-07-15T23:00:00.000Z', '2025-07-15T23:00:05.000Z');
    raw.close();
    const out = await ok('getDatabaseInfo', {}, testHostContext(copy, SHORT_NOW, { reader: false }));
    expect(out.lock).toEqual({ what: 'seed-demo', holder: 'cli', host: 'laptop', pid: 4242, acquiredAt: '2025-07-15T23:00:00.000Z', heartbeatAt: '2025-07-15T23:00:05.000Z' });
  });
});

describe('incomplete dates are hidden unless asked (g.7, m.1)', () => {
  it('a date whose tracking row has no completed_at disappears from every view', async () => {
    const copy = join(tempDir(), 'copy.db');
    copyFileSync(dbPath, copy);
    const raw = new Database(copy);
    raw.prepare(`UPDATE batch_run_tracking SET completed_at = NULL, status = 'running' WHERE run_date = '2025-07-09'`).run();
    raw.close();
    const c = testHostContext(copy, SHORT_NOW, { reader: false });
    const grid = await ok('getTracking', {}, c);
    expect(grid.dates.map((d: any) => d.date)).not.toContain('2025-07-09');
    const withRunning = await ok('getTracking', { includeIncomplete: true }, c);
    expect(withRunning.dates.find((d: any) => d.date === '2025-07-09').complete).toBe(false);
    expect((await ok('getMissingPrices', { startDate: '2025-07-09', endDate: '2025-07-09' }, c)).total).toBe(0);
    expect((await ok('getMissingPrices', { startDate: '2025-07-09', endDate: '2025-07-09', includeIncomplete: true }, c)).total).toBe(3);
    const snaps = await ok('getSnapshots', { portfolioId: DEMO_PORTFOLIOS.publicGrowth }, c);
    expect(snaps.rows.map((r: any) => r.date)).not.toContain('2025-07-09');
    expect((await ok('getMarks', { portfolioId: DEMO_PORTFOLIOS.publicGrowth, date: '2025-07-09' }, c)).marks).toEqual([]);
    expect((await ok('getAnalytics', { portfolioId: DEMO_PORTFOLIOS.publicGrowth, date: '2025-07-09' }, c)).factorExposures).toEqual([]);
    expect((await ok('getDateDetail', { date: '2025-07-09' }, c)).row).toBeNull();
  });
});

describe('settings', () => {
  it('reads every key with its default and the stored mode of the demo', async () => {
    const out = await ok('getSettings', {});
    const mode = out.settings.find((s: any) => s.key === 'market_data.mode');
    expect(mode).toMatchObject({ value: 'synthetic', defaultValue: 'online', stored: true });
    const keep = out.settings.find((s: any) => s.key === 'backup.keep');
    expect(keep).toMatchObject({ value: 10, stored: false });
    expect(out.extra).toHaveProperty('synthetic');
  });

  it('writes valid values, deletes with null, and refuses unknown keys and bad values without writing anything', async () => {
    const copy = join(tempDir(), 'settings.db');
    copyFileSync(dbPath, copy);
    const c = testHostContext(copy, SHORT_NOW);
    const w = await ok('setSettings', { values: { 'backup.keep': 3, 'reconcile.threshold': 2.5 } }, c);
    expect(w.changed.sort()).toEqual(['backup.keep', 'reconcile.threshold']);
    expect((await ok('getSettings', {}, c)).settings.find((s: any) => s.key === 'backup.keep')).toMatchObject({ value: 3, stored: true });
    const again = await ok('setSettings', { values: { 'backup.keep': 3 } }, c);
    expect(again.changed).toEqual([]);
    const unknown = await dispatch('setSettings', { values: { 'backup.kepe': 3 } }, c);
    expect(unknown.ok || unknown.error.code).toBe('usage');
    const bad = await dispatch('setSettings', { values: { 'reconcile.threshold': 1, 'backup.keep': 0 } }, c);
    expect(bad.ok || bad.error.code).toBe('usage');
    expect((await ok('getSettings', {}, c)).settings.find((s: any) => s.key === 'reconcile.threshold').value).toBe(2.5);
    const del = await ok('setSettings', { values: { 'backup.keep': null } }, c);
    expect(del.changed).toEqual(['backup.keep']);
    expect((await ok('getSettings', {}, c)).settings.find((s: any) => s.key === 'backup.keep')).toMatchObject({ value: 10, stored: false });
    const sched = await ok('setSettings', { values: { schedule: { enabled: true, time: '18:30', mode: 'normal', monitor_until: null } } }, c);
    expect(sched.changed).toEqual(['schedule']);
  });
});

describe('getMaintenanceState', () => {
  it('is inactive by default and follows settings.maintenance', async () => {
    expect(await ok('getMaintenanceState', {})).toEqual({ active: false, reason: null, since: null });
    const copy = join(tempDir(), 'maint.db');
    copyFileSync(dbPath, copy);
    putSettings(copy, { maintenance: { active: true, reason: 'rebuild', since: '2025-07-15T23:00:00.000000Z' } });
    const c = testHostContext(copy, SHORT_NOW);
    expect(await ok('getMaintenanceState', {}, c)).toEqual({ active: true, reason: 'rebuild', since: '2025-07-15T23:00:00.000000Z' });
  });
});

describe('recentEvents', () => {
  it('returns the ring filtered by run and sequence', async () => {
    const c = testHostContext(dbPath, SHORT_NOW);
    for (let i = 1; i <= 5; i++) c.bus.publish(metricEvent('heartbeat', i, i));
    const all = await ok('recentEvents', {}, c);
    expect(all.events.map((e: any) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const after = await ok('recentEvents', { afterSeq: 3, runId: 'run-1' }, c);
    expect(after.events.map((e: any) => e.seq)).toEqual([4, 5]);
    expect((await ok('recentEvents', { runId: 'other' }, c)).events).toEqual([]);
  });

  it('returns the latest run start even when a long run has pushed it out of the 5,000-event ring', async () => {
    const c = testHostContext(dbPath, SHORT_NOW);
    expect((await ok('recentEvents', {}, c)).runStart).toBeNull();
    const start = runStartEvent(1);
    c.bus.publish(start);
    for (let seq = 2; seq <= 5002; seq++) c.bus.publish(metricEvent('heartbeat', seq, seq));
    const out = await ok('recentEvents', {}, c);
    expect(out.events).toHaveLength(5000);
    expect(out.events[0].seq).toBe(5003 - 5000);
    expect(out.runStart).toEqual(start);
    expect((await ok('recentEvents', { runId: 'run-1' }, c)).runStart).toEqual(start);
    expect((await ok('recentEvents', { runId: 'other' }, c)).runStart).toBeNull();
  });
});

describe('getSuspectPrices', () => {
  it('lists closes flagged as jumps with the previous close and the change (SPEC.md e.4)', async () => {
    const path = join(tempDir(), 'suspect.db');
    copyFileSync(dbPath, path);
    const db = new Database(path);
    db.prepare(`UPDATE market_data_cache SET close = close * 10, validation_flag = 'jump' WHERE symbol = 'NVDA' AND date = '2025-07-10'`).run();
    db.close();
    const c = testHostContext(path, SHORT_NOW);
    const out = await ok('getSuspectPrices', { startDate: '2025-07-01', endDate: '2025-07-15' }, c);
    expect(out.total).toBe(1);
    const row = out.rows[0];
    expect(row).toMatchObject({ date: '2025-07-10', symbol: 'NVDA', previousDate: '2025-07-09', dataSource: 'synthetic' });
    expect(row.change).toBeCloseTo(row.close / row.previousClose - 1, 12);
    expect(row.change).toBeGreaterThan(5);
    expect((await ok('getSuspectPrices', { symbols: ['aapl'] }, c)).total).toBe(0);
    expect((await ok('getSuspectPrices', { endDate: '2025-07-09' }, c)).total).toBe(0);
  });
});
