/**
 * getMissingPrices gives a fallback's age in trading days too (fallbackAgeTradingDays), the unit
 * of the five-trading-day fallback window (SPEC.md e.6): over a weekend and a holiday a fallback
 * within the window is fewer trading days old than calendar days, and the app shows that age.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../host/engine-host';
import { tempDir } from '../../support/cli';
import { dispatchOk, testHostContext } from '../../support/app/host-context';

const NOW = '2026-12-01T23:00:00Z';

describe('getMissingPrices fallback age', () => {
  it('counts the trading days from the fallback close to the date, and keeps the calendar days', async () => {
    const db = join(tempDir('missing-age-'), 'portfolios.sqlite');
    openStore(db).close();
    const raw = new Database(db);
    const at = '2026-12-01T23:00:00.000Z';
    for (const d of ['2026-11-30', '2026-12-01']) raw.prepare(`INSERT INTO batch_run_tracking (id, run_date, created_at, completed_at, status) VALUES (?, ?, ?, ?, 'success')`).run(`t-${d}`, d, at, at);
    const insert = raw.prepare(
      `INSERT INTO missing_prices (price_date, symbol, reason, resolution, fallback_price_date, last_known_price_date, provider, detail, positions_affected, portfolios_affected, recorded_at) VALUES (?, ?, ?, ?, ?, ?, 'cache', ?, 1, 1, ?)`,
    );
    // Monday after Thanksgiving (Thursday 2026-11-26, market closed) and a weekend: Wednesday's close is 2 trading days back.
    insert.run('2026-11-30', 'AAPL', 'no_data', 'fallback', '2026-11-25', '2026-11-25', null, at);
    // Five trading days back, the edge of the window, eight calendar days.
    insert.run('2026-12-01', 'MSFT', 'no_data', 'fallback', '2026-11-23', '2026-11-23', null, at);
    insert.run('2026-12-01', 'ZM', 'stale_beyond_fallback', 'missing', null, '2026-11-20', 'last close 2026-11-20', at);
    raw.close();
    const ctx = testHostContext(db, NOW);
    const out = (await dispatchOk(ctx, 'getMissingPrices', {})) as { rows: { symbol: string; fallbackAgeDays: number | null; fallbackAgeTradingDays: number | null }[] };
    ctx.reader?.close();
    const age = Object.fromEntries(out.rows.map((r) => [r.symbol, [r.fallbackAgeTradingDays, r.fallbackAgeDays]]));
    expect(age).toEqual({ AAPL: [2, 5], MSFT: [5, 8], ZM: [null, null] });
  });
});
