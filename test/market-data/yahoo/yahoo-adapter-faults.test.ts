/**
 * Transport faults through yahoo-finance2's real code path against the mock: outcomes, retry
 * counts, backoff and Retry-After waits (virtual clock, so waits are exact and free), request
 * timeouts (real, shrunk to a few hundred ms), cancellation and the in-flight limit.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../core/domain/iso-date';
import {
  createMockYahooAdapter,
  fixedRandom,
  startYahooMock,
  useGuardedYahooMock,
} from '../../support/yahoo-mock';

const range = { start: '2024-01-02' as IsoDate, end: '2024-01-05' as IsoDate };
const signal = new AbortController().signal;
const yahoo = useGuardedYahooMock();

/** Polls (real time) until the mock has seen `n` requests. */
async function untilRequests(n: number): Promise<void> {
  for (let i = 0; i < 500 && yahoo.mock.requests.length < n; i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(yahoo.mock.requests.length).toBeGreaterThanOrEqual(n);
}

describe('HTTP 429', () => {
  it('without Retry-After: retried after a full-jitter backoff, then ok', async () => {
    yahoo.mock.script('AAPL', [{ kind: 'rate_limit' }]);
    const { adapter, time, metrics } = createMockYahooAdapter(yahoo.mock, { random: fixedRandom(0.5) });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'ok', httpRequests: 2, retries: 1, rateLimited: false, circuitOpen: false });
    // Provenance: draw 0.5 x ceiling 1 s (retry 1); the second request has a token (burst 2).
    expect(time!.sleeps).toEqual([500]);
    expect(metrics.filter((m) => m.name === 'provider_http_request').map((m) => m.name === 'provider_http_request' && m.status)).toEqual([429, 200]);
    expect(metrics.find((m) => m.name === 'provider_retry')).toEqual({ name: 'provider_retry', provider: 'yahoo', symbol: 'AAPL', attempt: 1, delayMs: 500, cause: 'rate_limited' });
  });

  it('with Retry-After in seconds: waits that long when it is longer than the backoff', async () => {
    yahoo.mock.script('AAPL', [{ kind: 'rate_limit', retryAfter: '7' }]);
    const { adapter, time } = createMockYahooAdapter(yahoo.mock, { random: fixedRandom(0.5) });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'ok', retries: 1 });
    expect(time!.sleeps).toEqual([7_000]);
  });

  it('with Retry-After as an HTTP date, read against the injected clock', async () => {
    const { adapter, time } = createMockYahooAdapter(yahoo.mock, { random: fixedRandom(0.5) });
    yahoo.mock.script('AAPL', [{ kind: 'rate_limit', retryAfter: new Date(time!.now() + 30_000).toUTCString() }]);
    await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(time!.sleeps).toEqual([30_000]);
  });

  it('a shorter Retry-After loses to the backoff; a huge one is capped (120 s default)', async () => {
    yahoo.mock.script('AAPL', [{ kind: 'rate_limit', retryAfter: '0' }, { kind: 'rate_limit', retryAfter: '3600' }]);
    const { adapter, time } = createMockYahooAdapter(yahoo.mock, { random: fixedRandom(0.5) });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'ok', retries: 2 });
    expect(time!.sleeps).toEqual([500, 120_000]);
  });

  it('the Retry-After cap is a setting', async () => {
    yahoo.mock.script('AAPL', [{ kind: 'rate_limit', retryAfter: '3600' }]);
    const { adapter, time } = createMockYahooAdapter(yahoo.mock, { random: fixedRandom(0.5), config: { retryAfterCapMs: 15 } });
    await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(time!.sleeps).toEqual([500]);
  });

  it('every time: rate_limited after max_retries (3) retries, 4 requests', async () => {
    yahoo.mock.always('AAPL', { kind: 'rate_limit' });
    const { adapter, time } = createMockYahooAdapter(yahoo.mock, { random: fixedRandom(0.5) });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'rate_limited', rateLimited: true, circuitOpen: false, quotes: [], httpRequests: 4, retries: 3 });
    expect(r.error).toMatch(/^HTTP 429/);
    // Backoff draws of 1, 2, 4 s ceilings; the bucket had refilled by then.
    expect(time!.sleeps).toEqual([500, 1_000, 2_000]);
    expect(yahoo.mock.count({ endpoint: 'chart' })).toBe(4);
  });
});

describe('HTTP 5xx', () => {
  it('500 twice, then ok: two retries', async () => {
    yahoo.mock.script('AAPL', [{ kind: 'server_error' }, { kind: 'server_error', status: 503 }]);
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'ok', httpRequests: 3, retries: 2 });
    expect(r.quotes).toHaveLength(4);
  });

  it('every time: provider_error, not rate limited', async () => {
    yahoo.mock.always('AAPL', { kind: 'server_error' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'provider_error', rateLimited: false, circuitOpen: false, httpRequests: 4, retries: 3, error: 'HTTP 500: mock server error' });
  });

  it('max_retries is a setting', async () => {
    yahoo.mock.always('AAPL', { kind: 'server_error' });
    const { adapter } = createMockYahooAdapter(yahoo.mock, { config: { maxRetries: 0 } });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'provider_error', httpRequests: 1, retries: 0 });
  });

  it('a failing crumb route fails the profile the same way', async () => {
    yahoo.mock.failEverything({ kind: 'server_error', status: 502 });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchProfile('AAPL', signal);
    expect(r).toMatchObject({ outcome: 'provider_error', profile: null, httpRequests: 4, retries: 3 });
    expect(yahoo.mock.requests.every((q) => q.endpoint === 'quote_page')).toBe(true);
  });
});

describe('timeouts (timeout_ms shrunk to milliseconds)', () => {
  it('a hanging request times out and is retried', async () => {
    yahoo.mock.script('AAPL', [{ kind: 'hang' }]);
    const { adapter, metrics } = createMockYahooAdapter(yahoo.mock, { config: { timeoutMs: 250 } });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'ok', httpRequests: 2, retries: 1 });
    expect(yahoo.mock.requests.map((q) => q.status)).toEqual(['hang', 200]);
    expect(metrics.filter((m) => m.name === 'provider_http_request').map((m) => m.name === 'provider_http_request' && m.status)).toEqual(['timeout', 200]);
  });

  it('hanging every time: provider_error naming the timeout', async () => {
    yahoo.mock.always('AAPL', { kind: 'hang' });
    const { adapter } = createMockYahooAdapter(yahoo.mock, { config: { maxRetries: 1, timeoutMs: 100 } });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'provider_error', rateLimited: false, httpRequests: 2, retries: 1, error: 'request timed out after 100 ms' });
  });
});

describe('answers that are not retried', () => {
  it('malformed JSON is provider_error after one request', async () => {
    yahoo.mock.always('AAPL', { kind: 'malformed_json' });
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'provider_error', httpRequests: 1, retries: 0, rateLimited: false });
    expect(r.error).toMatch(/not parsable/);
  });

  it('a network error (nothing listening) is retried, then provider_error', async () => {
    const dead = await startYahooMock();
    yahoo.guard.alsoAllow(dead, { closed: true });
    await dead.close();
    const { adapter } = createMockYahooAdapter(dead, { config: { maxRetries: 2 } });
    const r = await adapter.fetchPrices({ symbol: 'AAPL', ...range }, signal);
    expect(r).toMatchObject({ outcome: 'provider_error', httpRequests: 3, retries: 2 });
    expect(r.error).toMatch(/^network error: fetch failed \(ECONNREFUSED/);
    // The transport was asked three times; the closed server logged nothing.
    expect(dead.transportLog).toHaveLength(3);
    expect(dead.requests).toHaveLength(0);
  });
});

describe('cancellation', () => {
  it('aborting the signal aborts the request in flight and rejects with the reason', async () => {
    yahoo.mock.always('AAPL', { kind: 'hang' });
    const { adapter } = createMockYahooAdapter(yahoo.mock, { config: { timeoutMs: 30_000 } });
    const controller = new AbortController();
    const reason = new Error('run cancelled');
    const pending = adapter.fetchPrices({ symbol: 'AAPL', ...range }, controller.signal);
    await untilRequests(1);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(yahoo.mock.requests.map((q) => q.status)).toEqual(['hang']);
    expect(adapter.circuit().window).toEqual([]); // a cancelled request is no failure
  });

  it('aborting during a backoff wait stops the retries', async () => {
    yahoo.mock.always('AAPL', { kind: 'server_error' });
    // Real time with a 30 s backoff: the call is certainly asleep when the abort comes.
    const { adapter, metrics } = createMockYahooAdapter(yahoo.mock, { time: 'real', random: fixedRandom(0.5), config: { backoffBaseMs: 60_000, backoffCapMs: 60_000 } });
    const controller = new AbortController();
    const pending = adapter.fetchPrices({ symbol: 'AAPL', ...range }, controller.signal);
    for (let i = 0; i < 500 && !metrics.some((m) => m.name === 'provider_retry'); i += 1) await new Promise((r) => setTimeout(r, 5));
    expect(metrics.find((m) => m.name === 'provider_retry')).toMatchObject({ attempt: 1, delayMs: 30_000 });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(yahoo.mock.count({ endpoint: 'chart' })).toBe(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const { adapter } = createMockYahooAdapter(yahoo.mock);
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(adapter.fetchProfile('AAPL', controller.signal)).rejects.toThrow('too late');
    expect(yahoo.mock.requests).toHaveLength(0);
  });
});

describe('politeness', () => {
  it('never has more than 2 requests in flight', async () => {
    for (const s of ['H1', 'H2', 'H3', 'H4']) yahoo.mock.always(s, { kind: 'hang' });
    const { adapter } = createMockYahooAdapter(yahoo.mock, { config: { timeoutMs: 30_000, ratePerSecond: 1_000 } });
    const controller = new AbortController();
    const pending = ['H1', 'H2', 'H3', 'H4'].map((symbol) => adapter.fetchPrices({ symbol, ...range }, controller.signal).catch((e: unknown) => e));
    await untilRequests(2);
    // The other two wait for a slot; give them every chance to (wrongly) start.
    for (let i = 0; i < 20; i += 1) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 50));
    expect(yahoo.mock.requests).toHaveLength(2);
    expect(new Set(yahoo.mock.requests.map((q) => q.symbol)).size).toBe(2);
    controller.abort(new Error('done'));
    const results = await Promise.all(pending);
    expect(results.every((e) => e instanceof Error && e.message === 'done')).toBe(true);
  });

  it('spaces requests by the token bucket: burst 2, then one per second', async () => {
    const { adapter, time } = createMockYahooAdapter(yahoo.mock);
    for (const symbol of ['A1', 'A2', 'A3', 'A4']) await adapter.fetchPrices({ symbol, ...range }, signal);
    expect(time!.sleeps).toEqual([1_000, 1_000]);
  });
});
