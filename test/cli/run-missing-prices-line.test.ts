/**
 * The run summary's missing-price line (SPEC.md e.6, c.7): the `missing_prices` rows of the
 * run's dates, split into those a fallback close covered and those left without a usable price,
 * so "missing" no longer reads as if the fallbacks came on top of it.
 *
 * Fixture: the demo over 2025-06-30 .. 2025-07-10, offline, with AAPL's close of 07-08 and
 * every MSFT close from 06-20 removed from the cache: AAPL on 07-08 takes the 07-07 close,
 * MSFT has no usable price on any of the eight dates.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli';
import { seedDemoDb } from '../support/demo-db';

const ENV = { BATCHDESK_NOW: '2025-07-10T23:00:00Z' };

describe('the run summary names missing prices and their fallbacks apart', () => {
  it('counts the fallback-covered and the unusable symbol-dates, as the missing_prices rows do', async () => {
    const db = seedDemoDb(ENV.BATCHDESK_NOW);
    const w = new Database(db);
    w.exec(`DELETE FROM market_data_cache WHERE symbol = 'AAPL' AND date = '2025-07-08'; DELETE FROM market_data_cache WHERE symbol = 'MSFT' AND date >= '2025-06-20'`);
    w.close();
    const r = await runCli(['run', '--db', db, '--market-data', 'offline', '--no-guard'], ENV);
    expect(r.code, r.stderr).toBe(1);
    const ro = new Database(db, { readonly: true });
    const rows = ro.prepare(`SELECT symbol, price_date AS date, resolution FROM missing_prices ORDER BY price_date, symbol`).all() as { symbol: string; date: string; resolution: string }[];
    ro.close();
    expect(rows.filter((x) => x.resolution === 'fallback')).toEqual([{ symbol: 'AAPL', date: '2025-07-08', resolution: 'fallback' }]);
    expect(rows.filter((x) => x.resolution === 'missing').map((x) => x.symbol)).toEqual(Array(8).fill('MSFT'));
    expect(r.stderr).toContain('\nMissing prices: 9 symbol-dates without a close on the day (1 covered by a fallback close, 8 with no usable price)\n');
    expect(r.stderr).toContain('\n2025-07-08  portfolios ');
    expect(r.stderr).toMatch(/\n2025-07-08  portfolios .*  fallback 1  missing 1  /);
    // The partial run says where the lacking closes are listed, how to add them and how to redo the dates.
    expect(r.stderr).toContain(
      `\nNext: \`batchdesk diagnose prices --date 2025-06-30 --db ${db}\` lists the closes 2025-06-30 lacks; add them with \`batchdesk prices import FILE --db ${db}\`, then \`batchdesk run --retry-failed-phases --db ${db}\` redoes the failed and partial dates and the later dates they made stale\n`,
    );

    // A run without market_data checked no price: it does not claim that none is missing.
    const later = await runCli(['run', '--db', db, '--phase', 'analytics', '--start-date', '2025-07-08', '--end-date', '2025-07-09', '--market-data', 'offline', '--no-guard'], ENV);
    expect(later.stderr).toContain(`\nMissing prices: not checked (market_data did not run; \`batchdesk diagnose prices --date 2025-07-09 --db ${db}\` lists what a date lacks)\n`);
    expect(later.stderr).toMatch(/\n2025-07-08  portfolios .*  prices not checked  /);
  });

  it('says none when every needed symbol had its close', async () => {
    const db = seedDemoDb(ENV.BATCHDESK_NOW);
    const r = await runCli(['run', '--db', db, '--end-date', '2025-07-02', '--start-date', '2025-06-30', '--market-data', 'offline', '--no-guard'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('\nMissing prices: none (every needed symbol had a close on each date)\n');
    expect(r.stderr).not.toContain('Next:');
  });
});
