/**
 * seed-demo (issue 2 acceptance, SPEC.md j.6, m.7): the demo database's contents, idempotency,
 * byte-identical synthetic prices for the same seed, and the fixed ids.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tradingDaysBetween } from '../../core/calendar';
import type { IsoDate } from '../../core/domain/iso-date';
import { DEMO_PORTFOLIOS } from '../../core/data/demo-portfolios';
import { demoSymbols } from '../../host/seed-demo';
import { runCli, tempDir } from '../support/cli';
import { tableContents } from '../support/db-content';

const NOW = '2025-12-31T23:00:00Z';
const LAST = '2025-12-31' as IsoDate;

function priceRows(path: string): string {
  const db = new Database(path, { readonly: true });
  const rows = db.prepare(`SELECT id, symbol, date, open, high, low, close, volume, data_source, validation_flag FROM market_data_cache ORDER BY symbol, date`).raw().all();
  db.close();
  return JSON.stringify(rows);
}

describe('seed-demo', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'demo.db');
  beforeAll(async () => {
    const r = await runCli(['seed-demo', '--db', dbPath], { BATCHDESK_NOW: NOW });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('loads 5 portfolios, 97 positions (16 + 30 + 30 + 12 + 9), 13 factors and 22 scenarios', () => {
    const db = new Database(dbPath, { readonly: true });
    const counts = db.prepare(`SELECT p.name, count(x.id) AS n FROM portfolios p LEFT JOIN positions x ON x.portfolio_id = p.id GROUP BY p.id`).all() as { name: string; n: number }[];
    expect(counts.length).toBe(5);
    expect(counts.map((c) => c.n).sort((a, b) => a - b)).toEqual([9, 12, 16, 30, 30]);
    expect((db.prepare(`SELECT count(*) AS n FROM stress_test_scenarios`).get() as { n: number }).n).toBe(22);
    expect((db.prepare(`SELECT count(*) AS n FROM stress_test_scenarios WHERE active = 1`).get() as { n: number }).n).toBe(19);
    expect((db.prepare(`SELECT count(*) AS n FROM factor_definitions`).get() as { n: number }).n).toBe(13);
    const eq = db.prepare(`SELECT equity_balance, initial_equity FROM portfolios WHERE id = ?`).get('fcd71196-e93e-f000-5a74-31a9eead3118') as Record<string, number>;
    expect(eq).toEqual({ equity_balance: 3_200_000, initial_equity: 3_200_000 });
    expect((db.prepare(`SELECT value FROM settings WHERE key = 'market_data.mode'`).get() as { value: string }).value).toBe('"synthetic"');
    db.close();
  });

  it('has a valid close for every needed symbol on every trading day from 2024-06-01 to the last trading day', () => {
    const db = new Database(dbPath, { readonly: true });
    const days = tradingDaysBetween('2024-06-01' as IsoDate, LAST);
    const symbols = demoSymbols();
    expect(symbols).toContain('SPY');
    expect(symbols).toContain('VIX');
    expect(symbols).not.toContain('HOME_EQUITY');
    const n = db.prepare(`SELECT symbol, count(*) AS n FROM market_data_cache WHERE date >= '2024-06-01' AND date <= ? AND close > 0 GROUP BY symbol`).all(LAST) as { symbol: string; n: number }[];
    const bySymbol = new Map(n.map((r) => [r.symbol, r.n]));
    for (const s of symbols) expect(bySymbol.get(s), s).toBe(days.length);
    const off = db.prepare(`SELECT count(*) AS n FROM market_data_cache WHERE strftime('%w', date) IN ('0', '6')`).get() as { n: number };
    expect(off.n).toBe(0);
    db.close();
  });

  it('uses the literal ids of the demo file; every position id is the MD5 of <portfolio>_<symbol>_<entry date>', () => {
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare(`SELECT id, portfolio_id, symbol, entry_date FROM positions`).all() as { id: string; portfolio_id: string; symbol: string; entry_date: string }[];
    expect(rows.length).toBe(97);
    for (const r of rows) {
      const h = createHash('md5').update(`${r.portfolio_id}_${r.symbol}_${r.entry_date}`).digest('hex');
      expect(r.id).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
    }
    const ids = new Set(DEMO_PORTFOLIOS.map((p) => p.portfolio_id_deterministic));
    for (const p of db.prepare(`SELECT id FROM portfolios`).all() as { id: string }[]) expect(ids.has(p.id)).toBe(true);
    db.close();
  });

  it('changes nothing when seeded again from the same file', async () => {
    const before = tableContents(dbPath);
    const r = await runCli(['seed-demo', '--db', dbPath], { BATCHDESK_NOW: '2026-01-02T23:00:00Z' });
    expect(r.code).toBe(0);
    const after = tableContents(dbPath);
    // A later clock extends the price window by the new trading day; nothing else changes.
    for (const t of Object.keys(before)) if (t !== 'market_data_cache' && t !== 'settings') expect(after[t], t).toBe(before[t]);
    const again = await runCli(['seed-demo', '--db', dbPath], { BATCHDESK_NOW: '2026-01-02T23:00:00Z' });
    expect(again.code).toBe(0);
    expect(tableContents(dbPath)).toEqual(after);
  });

  it('gives byte-identical price rows for the same seed on two databases', async () => {
    const other = join(dir, 'other.db');
    const r = await runCli(['seed-demo', '--db', other], { BATCHDESK_NOW: NOW });
    expect(r.code).toBe(0);
    const fresh = join(dir, 'fresh.db');
    await runCli(['seed-demo', '--db', fresh], { BATCHDESK_NOW: NOW });
    expect(priceRows(other)).toBe(priceRows(fresh));
  });

  it('refuses another seed on a seeded database without --reset, and --reset starts over', async () => {
    const path = join(dir, 'reset.db');
    await runCli(['seed-demo', '--db', path], { BATCHDESK_NOW: NOW });
    const before = tableContents(path);
    const refused = await runCli(['seed-demo', '--db', path, '--seed', '7'], { BATCHDESK_NOW: NOW });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--reset/);
    expect(tableContents(path)).toEqual(before);
    const reset = await runCli(['seed-demo', '--db', path, '--seed', '7', '--reset'], { BATCHDESK_NOW: NOW });
    expect(reset.code).toBe(0);
    expect(priceRows(path)).not.toBe(JSON.stringify(before['market_data_cache']));
  });

  it('names the next run: the entry date on a fresh file, the continuation on a backfilled one', async () => {
    const path = join(dir, 'next.db');
    const env = { BATCHDESK_NOW: '2025-07-03T23:00:00Z' };
    const fresh = await runCli(['seed-demo', '--db', path], env);
    expect(fresh.stdout).toContain(`Next: batchdesk run --db ${path}   (the automatic range starts at the demo's entry date, 2025-06-30)`);
    expect((await runCli(['run', '--db', path, '--no-guard'], env)).code).toBe(0);
    const again = await runCli(['seed-demo', '--db', path, '--json'], env);
    expect(JSON.parse(again.stdout).backfilledThrough).toBe('2025-07-03');
    const text = await runCli(['seed-demo', '--db', path], env);
    expect(text.stdout).toContain(`Next: batchdesk run --db ${path}   (the demo is backfilled through 2025-07-03; the automatic range continues after it)`);
  });
  it("refuses a --start-date after the demo's entry date (its backfill starts there, so must its prices), and creates nothing", async () => {
    const path = join(dir, 'late-start.db');
    const env = { BATCHDESK_NOW: '2025-09-30T23:00:00Z' };
    const late = await runCli(['seed-demo', '--db', path, '--start-date', '2025-08-01'], env);
    expect(late.code).toBe(2);
    expect(late.stderr).toMatch(/--start-date "2025-08-01": is after the demo's entry date 2025-06-30: .*`batchdesk run --start-date <date>` backfills from a later date/);
    expect(existsSync(path)).toBe(false);
    // An earlier start only generates more price history; the backfill still starts at the entry date.
    const early = await runCli(['seed-demo', '--db', path, '--start-date', '2025-06-02'], env);
    expect(early.code, early.stderr).toBe(0);
    expect(early.stdout).toContain("(the automatic range starts at the demo's entry date, 2025-06-30)");
  });
});
