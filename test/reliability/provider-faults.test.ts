/**
 * Provider faults at scale (issue 9, SPEC.md c.5, e.6, e.7, m.13, m.17): a one-year online
 * backfill of the demo portfolios against the local Yahoo mock, with a seeded random fault on
 * a fixed share of the chart and quoteSummary requests: 429 (with and without Retry-After),
 * HTTP 500 and 503, hangs past the request time limit and malformed JSON bodies.
 *
 * The demo is seeded without prices (`seed-demo --prices none`), so every close comes from the
 * mock. A healthy run first stores the second half of 2025; the faulty run then backfills the
 * whole year 2025-06-30 .. 2026-06-30 over it. Checked:
 *   - the run completes (exit code 0 or 1, never an error);
 *   - every (symbol, date) the run needed (e.2) has an exact close or a missing_prices row
 *     with a reason code of e.6, and at least some needed one lacks its exact close;
 *   - every close stored before the run is still there and unchanged (row checksums): 0 lost.
 *
 * The phases are market_data, fundamentals, marks and snapshots: the analytics jobs read only
 * stored rows and would multiply the runtime without meeting a provider. The long mode
 * (`npm run reliability`) repeats the backfill with every phase.
 */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { tempDir } from '../support/cli';
import { startYahooMock, type YahooMock } from '../support/yahoo-mock';
import { PROVIDER_FAULT_PHASES, providerFaultBackfill, type ProviderFaultReport } from './provider-fault-backfill';

describe('provider faults at scale: one-year online backfill of the demo against the Yahoo mock', () => {
  let mock: YahooMock;
  let report: ProviderFaultReport;
  // No internet: every call of the global fetch must go to the mock. (The shared network guard
  // also insists that every request reached the mock, which a 150 ms time limit on a loaded
  // machine cannot promise: a request may time out before the server accepts it.)
  const urls: string[] = [];
  let fetchSpy: MockInstance<typeof fetch>;

  beforeAll(async () => {
    // AAPL is served generated bars too (its recorded fixture covers only January 2024).
    mock = await startYahooMock({ symbols: { AAPL: {} } });
    const original = globalThis.fetch;
    fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return original(input, init);
    });
    report = await providerFaultBackfill(mock, { dir: tempDir('batchdesk-provider-faults-'), seed: 9, faultRate: 0.5, phases: PROVIDER_FAULT_PHASES });
  }, 600_000);
  afterAll(async () => {
    fetchSpy.mockRestore();
    await mock.close();
  });

  it('never left 127.0.0.1: every fetch went to the mock', () => {
    expect(urls.length).toBeGreaterThan(100);
    expect(urls.filter((u) => !u.startsWith(`${mock.url}/`))).toEqual([]);
  });

  it('injected every fault kind many times, and the run completed', () => {
    expect(report.exitCode === 0 || report.exitCode === 1, `exit ${report.exitCode}`).toBe(true);
    expect(report.datesProcessed).toBeGreaterThanOrEqual(250);
    for (const kind of ['rate_limit', 'server_error', 'hang', 'malformed_json'] as const) {
      expect(report.injected[kind] ?? 0, kind).toBeGreaterThanOrEqual(5);
    }
  });

  it('every needed (symbol, date) has an exact close or a coded reason; some were affected', () => {
    expect(report.uncoded).toEqual([]);
    expect((report.reasons['provider_error'] ?? 0) + (report.reasons['rate_limited'] ?? 0)).toBeGreaterThan(0);
    expect(Object.keys(report.reasons).every((r) => ['provider_error', 'rate_limited', 'no_data', 'stale_beyond_fallback', 'invalid_price', 'not_listed_yet'].includes(r))).toBe(true);
  });

  it('no stored close was lost or changed (row checksums)', () => {
    expect(report.storedBefore).toBeGreaterThan(5000);
    expect(report.lost).toEqual([]);
    expect(report.changed).toEqual([]);
  });
});
