/**
 * The Yahoo adapter's prices through yahoo-finance2's real code path against the local mock
 * (test/support/yahoo-mock). Expected values come from the recorded-shape fixture
 * test/fixtures/yahoo/chart-AAPL-2024-01.json or are hand-derived from the mock's documented
 * behaviour.
 */
import { describe, expect, it } from 'vitest';
import { allTradingDays } from '../../../core/calendar';
import type { IsoDate } from '../../../core/domain/iso-date';
import {
  chartFixture,
  createMockYahooAdapter,
  generatedClose,
  startYahooMock,
  useGuardedYahooMock,
} from '../../support/yahoo-mock';

const d = (s: string): IsoDate => s as IsoDate;
const signal = new AbortController().signal;
const yahoo = useGuardedYahooMock();

describe('YahooAdapter.fetchPrices against the mock', () => {
  it('returns the recorded AAPL quotes: Yahoo close (not adjclose), volume, open/high/low, exchange-zone dates', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-12') }, signal);
    const fixture = chartFixture('chart-AAPL-2024-01.json');
    expect(r).toMatchObject({ symbol: 'AAPL', start: '2024-01-02', end: '2024-01-12', outcome: 'ok', error: null, firstTradeDate: '1980-12-12', rateLimited: false, circuitOpen: false, httpRequests: 1, retries: 0 });
    expect(r.quotes).toEqual(fixture.bars.map((b) => ({ date: b.date, close: b.close, volume: b.volume, open: b.open, high: b.high, low: b.low })));
    // Spot check against the fixture text: 2024-01-02 close 185.63999938964844 (float32 of 185.64).
    expect(r.quotes[0]).toEqual({ date: '2024-01-02', close: 185.63999938964844, volume: 82488700, open: 187.14999389648438, high: 188.44000244140625, low: 183.88999938964844 });
  });

  it('asks chart for [start - 1 day, end + 1 day) with interval 1d and keeps only the range', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'AAPL', start: d('2024-01-04'), end: d('2024-01-09') }, signal);
    expect(r.quotes.map((q) => q.date)).toEqual(['2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09']);
    const [req] = yahoo.mock.requests;
    expect(req).toMatchObject({ endpoint: 'chart', host: 'query2.finance.yahoo.com', path: '/v8/finance/chart/AAPL', symbol: 'AAPL' });
    // Provenance: Date.UTC(2024, 0, 3) / 1000 and Date.UTC(2024, 0, 10) / 1000.
    expect(req!.query).toMatchObject({ period1: '1704240000', period2: '1704844800', interval: '1d' });
  });

  it('serves a generated symbol on the NYSE trading days of the range', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'MSFT', start: d('2024-06-01'), end: d('2024-07-10') }, signal);
    const expected = allTradingDays().filter((t) => t >= '2024-06-01' && t <= '2024-07-10');
    expect(r.outcome).toBe('ok');
    expect(r.quotes.map((q) => q.date)).toEqual(expected); // skips Juneteenth and July 4th
    expect(r.quotes.map((q) => q.close)).toEqual(expected.map((t) => generatedClose('MSFT', t)));
    expect(r.firstTradeDate).toBe('2000-01-03');
  });

  it('requests index aliases under the provider symbol and reports the canonical one', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'VIX', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(r.symbol).toBe('VIX');
    expect(r.quotes).toHaveLength(4);
    expect(yahoo.mock.requests.map((q) => q.symbol)).toEqual(['^VIX']);
  });

  it('uses configured aliases instead of the defaults', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock, { config: { providerAliases: { SPX: '^GSPC' } } });
    await adapter.fetchPrices({ symbol: 'SPX', start: d('2024-01-02'), end: d('2024-01-03') }, signal);
    await adapter.fetchPrices({ symbol: 'VIX', start: d('2024-01-02'), end: d('2024-01-03') }, signal);
    expect(yahoo.mock.requests.map((q) => q.symbol)).toEqual(['^GSPC', 'VIX']);
  });

  it('normalises tickers: BRK.B is requested as BRK-B', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'brk.b', start: d('2024-01-02'), end: d('2024-01-03') }, signal);
    expect(r.symbol).toBe('BRK-B');
    expect(yahoo.mock.requests.map((q) => q.path)).toEqual(['/v8/finance/chart/BRK-B']);
  });

  it.each(['HOME_EQUITY', 'EQ5D6A2D8F', 'FO_ABC', 'SPY250117C00500000'])('never requests %s: no_data without a request', async (symbol) => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol, start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(r).toMatchObject({ outcome: 'no_data', quotes: [], httpRequests: 0, retries: 0, circuitOpen: false, rateLimited: false });
    expect(r.error).toMatch(/not requested/);
    expect(yahoo.mock.requests).toHaveLength(0);
  });

  it('dates quotes in the exchange zone, not UTC (Sydney bars open at 23:00 UTC the day before)', async () => {
    yahoo.mock.setSymbol('SYDX', { timeZone: 'Australia/Sydney', barTime: '10:00' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'SYDX', start: d('2024-01-09'), end: d('2024-01-12') }, signal);
    expect(yahoo.mock.requests).toHaveLength(1);
    expect(r.quotes.map((q) => q.date)).toEqual(['2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12']);
    expect(r.quotes.map((q) => q.close)).toEqual(['2024-01-09', '2024-01-10', '2024-01-11', '2024-01-12'].map((t) => generatedClose('SYDX', d(t))));
  });

  it('reads dates in America/New_York when the zone is unknown, and says so in the log', async () => {
    yahoo.mock.setSymbol('ODDZ', { metaOverrides: { exchangeTimezoneName: 'Mars/Olympus_Mons' }, barTime: '09:30' });
    const { adapter, logger } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'ODDZ', start: d('2024-01-02'), end: d('2024-01-03') }, signal);
    expect(r.quotes.map((q) => q.date)).toEqual(['2024-01-02', '2024-01-03']);
    expect(logger.lines.some((l) => l.level === 'warn' && /time zone missing or unknown/.test(l.message))).toBe(true);
  });

  it('skips quotes whose close is null (a series with holes)', async () => {
    yahoo.mock.always('HOLE', { kind: 'holes' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'HOLE', start: d('2024-01-02'), end: d('2024-01-12') }, signal);
    // Provenance: the 9 trading days 2,3,4,5,8,9,10,11,12; the mock drops the 4th (Jan 5) and
    // nulls every third of the rest (Jan 4, Jan 10).
    expect(r.outcome).toBe('ok');
    expect(r.quotes.map((q) => q.date)).toEqual(['2024-01-02', '2024-01-03', '2024-01-08', '2024-01-09', '2024-01-11', '2024-01-12']);
  });

  it('an empty series is no_data, with the first trade date still reported', async () => {
    yahoo.mock.script('EMPT', [{ kind: 'empty_series' }]);
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'EMPT', start: d('2024-01-02'), end: d('2024-01-12') }, signal);
    expect(r).toMatchObject({ outcome: 'no_data', quotes: [], firstTradeDate: '2000-01-03', httpRequests: 1, retries: 0, error: 'no quotes in the requested range' });
  });

  it('a range before the first trade date is no_data and reports the first trade date (not_listed_yet)', async () => {
    yahoo.mock.setSymbol('NEWCO', { firstTradeDate: d('2024-03-01') });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'NEWCO', start: d('2024-01-02'), end: d('2024-02-28') }, signal);
    expect(r).toMatchObject({ outcome: 'no_data', quotes: [], firstTradeDate: '2024-03-01' });
  });

  it('passes a negative close and a 10x jump through unchanged (e.4 validation is core)', async () => {
    yahoo.mock.always('NEG', { kind: 'negative_close' });
    yahoo.mock.always('JMP', { kind: 'jump', factor: 10, date: d('2024-01-08') });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const neg = await adapter.fetchPrices({ symbol: 'NEG', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(neg.outcome).toBe('ok');
    expect(neg.quotes.map((q) => Math.sign(q.close))).toEqual([1, -1, 1, 1]);
    expect(neg.quotes[1]!.close).toBe(-generatedClose('NEG', d('2024-01-03')));
    const jmp = await adapter.fetchPrices({ symbol: 'JMP', start: d('2024-01-04'), end: d('2024-01-09') }, signal);
    const ratio = jmp.quotes.map((q) => q.close / generatedClose('JMP', q.date));
    expect(ratio.map((x) => Math.round(x * 1000) / 1000)).toEqual([1, 1, 10, 10]);
  });

  it('Yahoo\'s "Not Found" is no_data and is not retried', async () => {
    yahoo.mock.always('GONE', { kind: 'not_found' });
    const { adapter, time } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'GONE', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(r).toMatchObject({ outcome: 'no_data', quotes: [], firstTradeDate: null, httpRequests: 1, retries: 0, rateLimited: false, circuitOpen: false });
    expect(r.error).toBe('No data found, symbol may be delisted');
    expect(time!.sleeps).toEqual([]);
  });

  it('unknown symbols can be served as Yahoo 404s', async () => {
    const strict = await startYahooMock({ unknownSymbols: 'not_found' });
    yahoo.guard.alsoAllow(strict);
    try {
      const { adapter } = createMockYahooAdapter(strict);
      const r = await adapter.fetchPrices({ symbol: 'TYPO', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
      expect(r.outcome).toBe('no_data');
      const known = await adapter.fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
      expect(known.outcome).toBe('ok');
    } finally {
      await strict.close();
    }
  });

  it("logs yahoo-finance2's Node-version warning through the injected logger, once the client exists", async () => {
    const { adapter, logger } = createMockYahooAdapter(yahoo.mock);
    const major = Number(process.versions.node.split('.')[0]);
    const warned = () => logger.lines.some((l) => l.level === 'warn' && /Unsupported environment: Requires Node >= 22/.test(l.message));
    expect(warned()).toBe(false); // no request yet: the library is not loaded, nothing to warn about
    await adapter.fetchPrices({ symbol: 'AAPL', start: d('2024-01-02'), end: d('2024-01-05') }, signal);
    expect(warned()).toBe(major < 22);
  });

  it('rejects a reversed range as a bug', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    await expect(adapter.fetchPrices({ symbol: 'AAPL', start: d('2024-01-05'), end: d('2024-01-02') }, signal)).rejects.toThrow(RangeError);
  });
});
