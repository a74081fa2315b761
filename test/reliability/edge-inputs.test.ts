/**
 * Edge input (issue 9; SPEC.md m.22, m.23, e.6, g.3): an empty portfolio, zero and negative
 * equity, a position whose symbol never had a price, duplicate lots, and symbols with unicode
 * or SQL metacharacters are not errors. `batchdesk run` completes (exit code 0 or 1, never 2
 * or 5), and every one of them leaves a coded reason where a user looks: the tracking row,
 * the run summary, missing_prices, or the marks' provenance.
 *
 * One small database holds one portfolio per edge, plus a plain one, with synthetic closes
 * (anchored at each lot's entry price) except for the symbols that must have none; the run
 * is offline over 2025-06-30 .. 2025-07-03 (4 trading days) through the CLI in process.
 */
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { createFixtureDatabase, seedSyntheticBook } from '../support/analytics/analytics-fixture';
import { runCli } from '../support/cli';

const D0 = '2025-06-30' as IsoDate;
const D1 = '2025-07-03' as IsoDate;
const NOW = '2025-07-03T23:00:00Z';
const id = (n: number) => `e0000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`;

const PLAIN = id(1);
const EMPTY = id(2);
const ZERO = id(3);
const NEGATIVE = id(4);
const NO_PRICE = id(5);
const DUPLICATE = id(6);
const UNICODE = id(7);
const SQL_META = id(8);

const UNICODE_SYMBOL = 'ÄPFEL€';
const SQL_SYMBOL = "X'); DROP TABLE positions;--";
const lot = (symbol: string, quantity: number, entryPrice: number) => ({ symbol, quantity, entryPrice, entryDate: D0 });

interface Summary {
  exit_code: number;
  status: string;
  results: {
    date: string;
    status: string;
    missing_symbols: { symbol: string; reason: string; resolution: string }[];
    skipped_portfolios?: { portfolio_id: string; reason: string }[];
    portfolios: { portfolio_id: string; status: string; phases: Record<string, { status: string; reason: string | null }>; analytics_jobs: Record<string, { success: boolean; reason: string | null }>; marks: Record<string, number> }[];
  }[];
}

let path = '';
let exit = -1;
let stderr = '';
let summary: Summary;

function db(): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

function portfolioOn(date: string, pid: string) {
  const r = summary.results.find((x) => x.date === date)!;
  return r.portfolios.find((p) => p.portfolio_id === pid)!;
}

beforeAll(async () => {
  const fx = createFixtureDatabase();
  path = fx.path;
  const closes = tradingDaysBetween('2024-05-01' as IsoDate, D1).map((date, i) => ({ date, close: 30 + Math.sin(i) }));
  seedSyntheticBook(fx.db, {
    start: D0,
    end: D1,
    portfolios: [
      { id: PLAIN, name: 'A plain book', equity: 100_000, lots: [lot('AAA', 100, 50)] },
      { id: EMPTY, name: 'An empty portfolio', equity: 100_000, lots: [] },
      { id: ZERO, name: 'Zero equity', equity: 0, lots: [lot('AAA', 100, 50)] },
      { id: NEGATIVE, name: 'Negative equity', equity: -50_000, lots: [lot('AAA', 100, 50)] },
      { id: NO_PRICE, name: 'A symbol never priced', equity: 100_000, lots: [lot('AAA', 100, 50), lot('NOPRICE', 10, 10)] },
      { id: DUPLICATE, name: 'Duplicate lots', equity: 100_000, lots: [lot('BBB', 100, 20), lot('BBB', 100, 20)] },
      { id: UNICODE, name: 'Ünïcödé symbol', equity: 100_000, lots: [lot(UNICODE_SYMBOL, 10, 30), lot('AAA', 100, 50)] },
      { id: SQL_META, name: "Robert'); DROP TABLE portfolios;--", equity: 100_000, lots: [lot(SQL_SYMBOL, 5, 10), lot('AAA', 100, 50)] },
    ],
    // The unicode symbol has closes (it must flow through marks); NOPRICE and the SQL one never had any.
    customPrices: { NOPRICE: [], [UNICODE_SYMBOL]: closes, [SQL_SYMBOL]: [] },
  });
  fx.db.close();
  const r = await runCli(['run', '--db', path, '--market-data', 'offline', '--start-date', D0, '--end-date', D1, '--summary-json'], { BATCHDESK_NOW: NOW });
  exit = r.code;
  stderr = r.stderr;
  summary = JSON.parse(r.stdout) as Summary;
}, 300_000);

describe('edge input: the run completes and records coded reasons', () => {
  it('completes every date: exit 1 (partial dates from the unpriced lots), never a usage or data error', () => {
    expect(exit, stderr).toBe(1);
    expect(summary.exit_code).toBe(1);
    expect(summary.results.map((r) => r.date)).toEqual(tradingDaysBetween(D0, D1));
    expect(summary.results.every((r) => r.status === 'success' || r.status === 'partial')).toBe(true);
    const check = db();
    expect((check.prepare(`SELECT count(*) AS n FROM batch_run_tracking WHERE completed_at IS NULL`).get() as { n: number }).n).toBe(0);
    check.close();
  });

  const table: { edge: string; pid: string; expect: (date: string) => void }[] = [
    {
      edge: 'an empty portfolio: left out of every date with reason no_positions, in the summary and the tracking row',
      pid: EMPTY,
      expect: (date) => {
        const r = summary.results.find((x) => x.date === date)!;
        expect(r.portfolios.some((p) => p.portfolio_id === EMPTY)).toBe(false);
        expect(r.skipped_portfolios).toContainEqual({ portfolio_id: EMPTY, reason: 'no_positions' });
        const check = db();
        const meta = JSON.parse((check.prepare(`SELECT metadata FROM batch_run_tracking WHERE run_date = ?`).get(date) as { metadata: string }).metadata);
        check.close();
        expect(meta['skipped_portfolios']).toContainEqual({ portfolio_id: EMPTY, reason: 'no_positions' });
      },
    },
    ...(
      [
        // Zero equity holds on the entry date only: afterwards the lot's P&L is the equity.
        ['zero equity (on the entry date)', ZERO, [D0]],
        ['negative equity', NEGATIVE, tradingDaysBetween(D0, D1)],
      ] as const
    ).map(([edge, pid, dates]) => ({
      edge: `${edge}: a successful portfolio-date; the equity-weighted jobs skip with non_positive_equity`,
      pid,
      expect: (date: string) => {
        const p = portfolioOn(date, pid);
        expect(p.status).toBe('success');
        expect(p.marks).toEqual({ exact: 1 });
        if (!(dates as readonly string[]).includes(date)) return;
        expect(p.analytics_jobs['market_beta']).toMatchObject({ success: false, reason: 'non_positive_equity' });
        expect(p.analytics_jobs['sector_concentration']).toMatchObject({ success: true }); // concentration needs no equity (d.13)
      },
    })),
    {
      edge: 'a symbol that never had a price: missing_prices stale_beyond_fallback "never priced", mark provenance missing, analytics guard-skipped',
      pid: NO_PRICE,
      expect: (date) => {
        const p = portfolioOn(date, NO_PRICE);
        expect(p.status).toBe('partial');
        expect(p.marks).toEqual({ exact: 1, missing: 1 });
        expect(p.phases['analytics']).toMatchObject({ status: 'skipped', reason: 'insufficient_marks' });
        const check = db();
        const row = check.prepare(`SELECT reason, resolution, detail, last_known_price_date FROM missing_prices WHERE symbol = 'NOPRICE' AND price_date = ?`).get(date);
        check.close();
        expect(row).toEqual({ reason: 'stale_beyond_fallback', resolution: 'missing', detail: 'never priced: check the symbol', last_known_price_date: null });
      },
    },
    {
      edge: 'duplicate lots: both marked, each with its own mark row, the snapshot counts two positions',
      pid: DUPLICATE,
      expect: (date) => {
        const p = portfolioOn(date, DUPLICATE);
        expect(p.status).toBe('success');
        expect(p.marks).toEqual({ exact: 2 });
        const check = db();
        const marks = check.prepare(`SELECT position_id, price, market_value FROM position_marks WHERE portfolio_id = ? AND mark_date = ?`).all(DUPLICATE, date) as { position_id: string; price: number; market_value: number }[];
        const snap = check.prepare(`SELECT num_positions, long_value FROM portfolio_snapshots WHERE portfolio_id = ? AND snapshot_date = ?`).get(DUPLICATE, date) as { num_positions: number; long_value: number };
        check.close();
        expect(new Set(marks.map((m) => m.position_id)).size).toBe(2);
        expect(marks[0]!.market_value).toBe(marks[1]!.market_value);
        expect(snap.num_positions).toBe(2);
        expect(snap.long_value).toBeCloseTo(2 * marks[0]!.market_value, 2);
      },
    },
    {
      edge: 'a unicode symbol: stored, priced and marked exactly like any other',
      pid: UNICODE,
      expect: (date) => {
        const p = portfolioOn(date, UNICODE);
        expect(p.status).toBe('success');
        expect(p.marks).toEqual({ exact: 2 });
        const check = db();
        const m = check.prepare(`SELECT m.price_source FROM position_marks m JOIN positions p ON p.id = m.position_id WHERE p.symbol = ? AND m.mark_date = ?`).get(UNICODE_SYMBOL, date);
        check.close();
        expect(m).toEqual({ price_source: 'exact' });
      },
    },
    {
      edge: 'a symbol (and a portfolio name) with SQL metacharacters: data, never SQL; a coded missing price; every table intact',
      pid: SQL_META,
      expect: (date) => {
        const p = portfolioOn(date, SQL_META);
        expect(p.marks).toEqual({ exact: 1, missing: 1 });
        const r = summary.results.find((x) => x.date === date)!;
        expect(r.missing_symbols).toContainEqual({ symbol: SQL_SYMBOL, reason: 'stale_beyond_fallback', resolution: 'missing' });
        const check = db();
        expect((check.prepare(`SELECT count(*) AS n FROM positions`).get() as { n: number }).n).toBe(11);
        expect((check.prepare(`SELECT count(*) AS n FROM portfolios`).get() as { n: number }).n).toBe(8);
        expect(check.prepare(`SELECT name FROM portfolios WHERE id = ?`).get(SQL_META)).toEqual({ name: "Robert'); DROP TABLE portfolios;--" });
        check.close();
      },
    },
    {
      edge: 'the plain book next to them is unaffected: success, every job accounted for',
      pid: PLAIN,
      expect: (date) => {
        const p = portfolioOn(date, PLAIN);
        expect(p.status).toBe('success');
        expect(p.marks).toEqual({ exact: 1 });
      },
    },
  ];

  for (const c of table) {
    it(c.edge, () => {
      for (const date of tradingDaysBetween(D0, D1)) c.expect(date);
    });
  }
});
