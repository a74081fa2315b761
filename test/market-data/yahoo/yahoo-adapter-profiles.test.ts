/**
 * The Yahoo adapter's company profiles through yahoo-finance2's real code path (cookie and
 * crumb flow included) against the local mock. Expected values are the recorded-shape fixtures
 * test/fixtures/yahoo/quoteSummary-*.json mapped by the SPEC e.7 table by hand.
 */
import { describe, expect, it } from 'vitest';
import {
  createMockYahooAdapter,
  quoteSummaryFixture,
  useGuardedYahooMock,
} from '../../support/yahoo-mock';

const signal = new AbortController().signal;
const yahoo = useGuardedYahooMock();

describe('YahooAdapter.fetchProfile against the mock', () => {
  it('maps AAPL per the e.7 table, after the cookie and crumb flow', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('AAPL', signal);
    const summary = (quoteSummaryFixture('quoteSummary-AAPL.json').assetProfile as { longBusinessSummary: string }).longBusinessSummary;
    expect(r).toEqual({
      symbol: 'AAPL',
      outcome: 'ok',
      error: null,
      rateLimited: false,
      circuitOpen: false,
      httpRequests: 3,
      retries: 0,
      profile: {
        symbol: 'AAPL',
        companyName: 'Apple Inc.',
        sector: 'Technology',
        industry: 'Consumer Electronics',
        exchange: 'NasdaqGS',
        country: 'United States',
        marketCap: 2875068203008,
        description: summary,
        isEtf: false,
        isFund: false,
        beta: 1.29,
        peRatio: 30.23,
        forwardPe: 27.58,
        dividendYield: 0.0052,
        week52High: 199.62,
        week52Low: 128.12,
        employees: 161000,
        website: 'https://www.apple.com',
        dataSource: 'yahoo',
      },
    });
    expect(yahoo.mock.requests.map((q) => q.endpoint)).toEqual(['quote_page', 'getcrumb', 'quoteSummary']);
    const qs = yahoo.mock.requests[2]!;
    expect(qs.query).toMatchObject({ modules: 'price,summaryDetail,assetProfile', crumb: 'mockCrumb.123', formatted: 'false' });
    expect(qs.cookie).toContain('A3=');
  });

  it('runs the crumb flow once per adapter, and again for a new adapter (own cookie jar)', async () => {
    const first = createMockYahooAdapter(yahoo.mock).adapter;
    await first.fetchProfile('AAPL', signal);
    const again = await first.fetchProfile('SPY', signal);
    expect(again.httpRequests).toBe(1);
    await createMockYahooAdapter(yahoo.mock).adapter.fetchProfile('AAPL', signal);
    expect(yahoo.mock.count({ endpoint: 'getcrumb' })).toBe(2);
    expect(yahoo.mock.count({ endpoint: 'quote_page' })).toBe(2);
  });

  it('maps an ETF (SPY): is_etf, no sector, market cap absent', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('SPY', signal);
    expect(r.outcome).toBe('ok');
    expect(r.profile).toMatchObject({ companyName: 'SPDR S&P 500 ETF Trust', isEtf: true, isFund: false, exchange: 'NYSEArca', sector: null, industry: null, marketCap: null, peRatio: 24.93, week52High: 478.6, employees: null });
    expect(r.profile!.description).toMatch(/^The Trust seeks to achieve/);
  });

  it('retries once with price and summaryDetail when a module is unavailable (mutual fund)', async () => {
    const { adapter, logger } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('VFIAX', signal);
    expect(r).toMatchObject({ outcome: 'ok', retries: 0, httpRequests: 4 });
    expect(r.profile).toMatchObject({ companyName: 'Vanguard 500 Index Fund Admiral Shares', isFund: true, isEtf: false, exchange: 'Nasdaq', sector: null, description: null, week52High: 438.86, week52Low: 348.85 });
    const summaries = yahoo.mock.requests.filter((q) => q.endpoint === 'quoteSummary');
    expect(summaries.map((q) => [q.query.modules, q.status])).toEqual([
      ['price,summaryDetail,assetProfile', 404],
      ['price,summaryDetail', 200],
    ]);
    expect(logger.lines.some((l) => /module is unavailable/.test(l.message))).toBe(true);
  });

  it('a provider that omits the missing module needs no second request', async () => {
    yahoo.mock.setSymbol('FUNDX', { profile: quoteSummaryFixture('quoteSummary-VFIAX.json'), missingModules: 'omit' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('FUNDX', signal);
    expect(r).toMatchObject({ outcome: 'ok', profile: { isFund: true, sector: null } });
    expect(yahoo.mock.count({ endpoint: 'quoteSummary' })).toBe(1);
  });

  it('is no_data when even the reduced modules are unavailable', async () => {
    yahoo.mock.setSymbol('BARE', { profile: {} });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('BARE', signal);
    expect(r).toMatchObject({ outcome: 'no_data', profile: null, rateLimited: false, circuitOpen: false });
    expect(yahoo.mock.count({ endpoint: 'quoteSummary' })).toBe(2);
  });

  it('cuts the description to 1,000 characters', async () => {
    const aapl = quoteSummaryFixture('quoteSummary-AAPL.json');
    const long = 'x'.repeat(1500);
    yahoo.mock.setSymbol('WORDY', { profile: { ...aapl, assetProfile: { ...(aapl.assetProfile as object), longBusinessSummary: long } } });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('WORDY', signal);
    expect(r.profile!.description).toBe('x'.repeat(1000));
  });

  it('"Quote not found" is no_data, not retried', async () => {
    yahoo.mock.always('NOSUCH', { kind: 'not_found' }, 'quoteSummary');
    const { adapter, time } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('NOSUCH', signal);
    expect(r).toMatchObject({ symbol: 'NOSUCH', outcome: 'no_data', profile: null, httpRequests: 3, retries: 0, error: 'Quote not found for symbol: NOSUCH' });
    expect(yahoo.mock.count({ endpoint: 'quoteSummary' })).toBe(1);
    // The only wait is the token bucket's (burst 2 at 1/s: the third request waits 1 s).
    expect(time!.sleeps).toEqual([1_000]);
  });

  it('a response that fails the library validation is provider_error, logged, not retried', async () => {
    const aapl = quoteSummaryFixture('quoteSummary-AAPL.json');
    const { quoteType: _dropped, ...price } = aapl.price as Record<string, unknown>;
    yahoo.mock.setSymbol('BROKEN', { profile: { ...aapl, price } });
    const { adapter, logger } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('BROKEN', signal);
    expect(r).toMatchObject({ outcome: 'provider_error', profile: null, retries: 0, rateLimited: false });
    expect(r.error).toBe('response failed yahoo-finance2 validation: /price Missing required properties {"missing":["quoteType"]}');
    expect(yahoo.mock.count({ endpoint: 'quoteSummary' })).toBe(1);
    const warnings = logger.lines.filter((l) => l.level === 'warn' && /quoteSummary BROKEN: provider_error/.test(l.message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('quoteType');
  });

  it('applies aliases and refusals to profiles too', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const vix = await adapter.fetchProfile('VIX', signal);
    expect(vix.symbol).toBe('VIX');
    expect(yahoo.mock.requests.filter((q) => q.endpoint === 'quoteSummary').map((q) => q.symbol)).toEqual(['^VIX']);
    const privateOne = await adapter.fetchProfile('TWO_SIGMA_FUND', signal);
    expect(privateOne).toMatchObject({ outcome: 'no_data', httpRequests: 0 });
  });
});
