/**
 * Reasons that depend on a symbol's history, through the whole engine against the Yahoo mock
 * (SPEC.md e.6 rules 1 and 5): a symbol listed after D is `not_listed_yet`, whether the first
 * trade date comes from Yahoo's metadata or is proven by an answered request that returned
 * nothing before the earliest cached close; a symbol no source ever priced is
 * `stale_beyond_fallback` with "never priced: check the symbol".
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, missingPrices, querySql, runEngine, SHRUNK_WAIT_SETTINGS, type EngineRun } from '../support/market-data-engine';
import { defaultIsTradingDay, generatedBars, guardNetwork, startYahooMock, type YahooMock } from '../support/yahoo-mock';

const ENTRY = '2025-03-03' as IsoDate;
const LISTED = '2025-03-06' as IsoDate;
const NOW = '2025-03-15T12:00:00Z';

describe('listing and never-priced reasons through the engine', () => {
  const dir = tempDir('batchdesk-md-listing-');
  const db = join(dir, 'listing.db');
  let mock: YahooMock;
  let run: EngineRun;

  beforeAll(async () => {
    mock = await startYahooMock({
      symbols: {
        // Yahoo's metadata carries the first trade date.
        NEWA: { firstTradeDate: LISTED },
        // No metadata: the first trade date is proven by the answer (nothing before 03-06).
        NEWB: { firstTradeDate: null, bars: generatedBars({ symbol: 'NEWB', timeZone: 'America/New_York', firstTradeDate: LISTED, isTradingDay: defaultIsTradingDay }, LISTED, '2025-03-14' as IsoDate) },
      },
    });
    mock.always('TYPO', { kind: 'not_found' });
    createSmallDatabase(
      db,
      ['MSFT', 'NEWA', 'NEWB', 'TYPO'].map((symbol) => ({ symbol, quantity: 10, entryDate: ENTRY })),
      SHRUNK_WAIT_SETTINGS,
      Date.parse(NOW),
    );
    const guard = guardNetwork();
    run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-07' }, mock.fetch, advancingClock(NOW));
    guard.verify(mock);
  });
  afterAll(async () => {
    await mock.close();
  });

  it('the run completes', () => {
    expect(run.result.kind).toBe('run');
    if (run.result.kind === 'run') expect(run.result.summary.dates.processed).toBe(5);
  });

  it('not_listed_yet before the first trade date, from metadata or proven by the answer', () => {
    const rows = missingPrices(db).filter((r) => r.symbol === 'NEWA' || r.symbol === 'NEWB');
    expect(rows.map((r) => [r.price_date, r.symbol, r.reason, r.resolution, r.detail])).toEqual(
      ['2025-03-03', '2025-03-04', '2025-03-05'].flatMap((d) => [
        [d, 'NEWA', 'not_listed_yet', 'missing', 'first trade date 2025-03-06'],
        [d, 'NEWB', 'not_listed_yet', 'missing', 'first trade date 2025-03-06'],
      ]),
    );
    // The metadata's first trade date is kept in the fetch log; NEWB's is not (none was sent).
    expect(querySql(db, `SELECT symbol, first_trade_date FROM market_data_fetch_log WHERE symbol IN ('NEWA', 'NEWB') ORDER BY symbol, id`)).toEqual([
      { symbol: 'NEWA', first_trade_date: '2025-03-06' },
      { symbol: 'NEWB', first_trade_date: null },
    ]);
  });

  it('a symbol no source ever priced is stale_beyond_fallback, "never priced"', () => {
    const rows = missingPrices(db).filter((r) => r.symbol === 'TYPO');
    expect(rows.map((r) => [r.price_date, r.reason, r.resolution, r.last_known_price_date, r.detail])).toEqual(
      ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'].map((d) => [d, 'stale_beyond_fallback', 'missing', null, 'never priced: check the symbol']),
    );
    // "Not found" is an answer: asked once in the prefetch, not again by the second pass.
    expect(mock.count({ endpoint: 'chart', symbol: 'TYPO' })).toBe(1);
  });
});
