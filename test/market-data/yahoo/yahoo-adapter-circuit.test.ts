/**
 * The circuit breaker seen from outside: "fail everything" on the mock, through
 * yahoo-finance2's real code path. Virtual clock for the SPEC waits; one test in real time
 * with every wait shrunk to milliseconds (m.17), as an end-to-end run would use.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import type { PriceResponse, ProviderMetric } from '../../../core/ports/market-data';
import { createMockYahooAdapter, startYahooMock, useGuardedYahooMock } from '../../support/yahoo-mock';

const range = { start: '2024-01-02' as IsoDate, end: '2024-01-05' as IsoDate };
const signal = new AbortController().signal;
const symbols = (n: number): string[] => Array.from({ length: n }, (_, i) => `S${String(i).padStart(2, '0')}`);
const circuitEvents = (metrics: ProviderMetric[]) => metrics.filter((m) => m.name === 'circuit_state').map((m) => m.name === 'circuit_state' && [m.state, m.cause]);

const yahoo = useGuardedYahooMock();

describe('circuit breaker when everything fails', () => {
  it('opens after 5 failed requests; the rest are refused at once; the mock sees at most 5 x 4 requests', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const { adapter, metrics } = createMockYahooAdapter(yahoo.mock);
    const results: PriceResponse[] = [];
    for (const symbol of symbols(30)) results.push(await adapter.fetchPrices({ symbol, ...range }, signal));

    expect(results.slice(0, 5).map((r) => [r.outcome, r.httpRequests, r.circuitOpen])).toEqual(Array(5).fill(['provider_error', 4, false]));
    for (const r of results.slice(5)) {
      expect(r).toMatchObject({ outcome: 'provider_error', circuitOpen: true, rateLimited: false, httpRequests: 0, retries: 0, quotes: [] });
      expect(r.error).toMatch(/^circuit open after provider errors/);
    }
    // Provenance: 5 logical requests x (1 + max_retries 3) HTTP requests.
    expect(yahoo.mock.requests).toHaveLength(20);
    expect(circuitEvents(metrics)).toEqual([['open', 'errors']]);
    expect(metrics.filter((m) => m.name === 'provider_http_request' && m.status === 'circuit_open')).toHaveLength(25);
    expect(adapter.circuit()).toMatchObject({ state: 'open', cause: 'errors' });
  });

  it('a refusal says when the circuit is tried again: milliseconds under a second, else seconds', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const wait = async (cooldownMs: number): Promise<string | null> => {
      const { adapter } = createMockYahooAdapter(yahoo.mock, { config: { circuit: { cooldownMs, cooldownMaxMs: cooldownMs * 4 } } });
      for (const symbol of symbols(5)) await adapter.fetchPrices({ symbol, ...range }, signal);
      const refused = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
      expect(refused.circuitOpen).toBe(true);
      return refused.error;
    };
    expect(await wait(20)).toBe('circuit open after provider errors; not requested (retry in 20 ms)');
    expect(await wait(1_500)).toBe('circuit open after provider errors; not requested (retry in 2 s)');
    expect(await wait(60_000)).toBe('circuit open after provider errors; not requested (retry in 60 s)');
  });

  it('refusals after rate limiting say rate_limited (e.6 reason rate_limited)', async () => {
    yahoo.mock.failEverything({ kind: 'rate_limit' });
    const { adapter, metrics } = createMockYahooAdapter(yahoo.mock);
    const results: PriceResponse[] = [];
    for (const symbol of symbols(8)) results.push(await adapter.fetchPrices({ symbol, ...range }, signal));
    expect(results.slice(0, 5).every((r) => r.outcome === 'rate_limited' && r.rateLimited && !r.circuitOpen)).toBe(true);
    for (const r of results.slice(5)) expect(r).toMatchObject({ outcome: 'rate_limited', rateLimited: true, circuitOpen: true, httpRequests: 0 });
    expect(circuitEvents(metrics)).toEqual([['open', 'rate_limited']]);
  });

  it('bounds the requests with 4 concurrent callers too: at most (5 + 3) x 4', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const queue = symbols(40);
    const results: PriceResponse[] = [];
    const worker = async (): Promise<void> => {
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) results.push(await adapter.fetchPrices({ symbol: s, ...range }, signal));
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    // Provenance: when the 5th logical failure opens the circuit, the 3 other workers each have
    // one call in progress with at most 4 requests sent (its last may be in flight); the
    // circuit re-check before each HTTP request stops everything after that.
    expect(yahoo.mock.requests.length).toBeLessThanOrEqual((5 + 3) * 4);
    expect(results).toHaveLength(40);
    expect(results.filter((r) => r.circuitOpen).length).toBeGreaterThanOrEqual(40 - 8);
  });

  it('callers queued at the rate limiter when the circuit opens are refused at once, not one token apart', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const { adapter, time, metrics } = createMockYahooAdapter(yahoo.mock);
    // A prefetch asks for every range at once: 12 calls queue behind the 2 request slots.
    const results = await Promise.all(symbols(12).map((symbol) => adapter.fetchPrices({ symbol, ...range }, signal)));
    const openedAt = adapter.circuit().openUntil! - 60_000;
    expect(circuitEvents(metrics)).toEqual([['open', 'errors']]);
    expect(results.filter((r) => r.circuitOpen).length).toBeGreaterThanOrEqual(12 - 7);
    // Provenance: at 1 request per second, each refused caller would otherwise wait about 1 s for
    // a token before its circuit re-check; refused at once, all of them end when the circuit opens.
    expect(time!.now() - openedAt).toBeLessThan(1_000);
  });

  it('profiles share the provider circuit with prices', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    for (const symbol of symbols(5)) await adapter.fetchPrices({ symbol, ...range }, signal);
    const r = await adapter.fetchProfile('AAPL', signal);
    expect(r).toMatchObject({ outcome: 'provider_error', circuitOpen: true, httpRequests: 0, profile: null });
  });

  it('half-open after the cooldown: a failed trial (no retries) doubles the cooldown, a good one closes it', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const { adapter, time, metrics } = createMockYahooAdapter(yahoo.mock);
    for (const symbol of symbols(5)) await adapter.fetchPrices({ symbol, ...range }, signal);
    expect(adapter.circuit()).toMatchObject({ state: 'open', cooldownMs: 60_000 });

    const openedAt = adapter.circuit().openUntil! - 60_000;
    time!.advance(openedAt + 60_000 - time!.now());
    const before = yahoo.mock.requests.length;
    const trial = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(trial).toMatchObject({ outcome: 'provider_error', circuitOpen: false, httpRequests: 1, retries: 0 });
    expect(yahoo.mock.requests.length - before).toBe(1);
    expect(adapter.circuit()).toMatchObject({ state: 'open', cooldownMs: 120_000 });

    yahoo.mock.failEverything(null);
    time!.advance(119_999);
    expect((await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal)).circuitOpen).toBe(true);
    time!.advance(1);
    const good = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(good).toMatchObject({ outcome: 'ok', circuitOpen: false });
    expect(adapter.circuit()).toMatchObject({ state: 'closed', cooldownMs: 60_000 });
    expect(circuitEvents(metrics)).toEqual([
      ['open', 'errors'],
      ['half_open', 'errors'],
      ['open', 'errors'],
      ['half_open', 'errors'],
      ['closed', null],
    ]);
  });

  it('a not-found answer is not a failure: many unknown symbols never open the circuit', async () => {
    const strict = await startYahooMock({ unknownSymbols: 'not_found' });
    yahoo.guard.alsoAllow(strict);
    try {
      const { adapter } = createMockYahooAdapter(strict);
      for (const symbol of symbols(12)) expect((await adapter.fetchPrices({ symbol, ...range }, signal)).outcome).toBe('no_data');
      expect(adapter.circuit()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    } finally {
      await strict.close();
    }
  });

  it('in real time with shrunk waits (m.17): opens, cools down in milliseconds, recovers', async () => {
    yahoo.mock.failEverything({ kind: 'server_error' });
    const { adapter } = createMockYahooAdapter(yahoo.mock, { time: 'real' });
    for (const symbol of symbols(6)) await adapter.fetchPrices({ symbol, ...range }, signal);
    expect(adapter.circuit().state).toBe('open');
    expect(yahoo.mock.requests).toHaveLength(20);
    yahoo.mock.failEverything(null);
    const cooldown = adapter.circuit().openUntil! - Date.now();
    await new Promise((r) => setTimeout(r, Math.max(0, cooldown) + 20));
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'ok', circuitOpen: false });
    expect(adapter.circuit().state).toBe('closed');
  });
});
