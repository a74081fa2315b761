/**
 * Proof that a provider test touched nothing but the mock: every call of the global fetch
 * must go to the mock's 127.0.0.1 address, every URL the library asked for must have reached
 * the mock, and nothing may be written to the console (yahoo-finance2 must log through the
 * injected logger). Use in beforeEach/afterEach.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi, type MockInstance } from 'vitest';
import { startYahooMock, type YahooMock } from './yahoo-mock-server';

export interface NetworkGuard {
  /** URLs the global fetch was called with. */
  readonly urls: string[];
  /**
   * Counts another mock a test started itself as allowed traffic. `closed`: the test closed
   * it on purpose (network errors), so its requests never arrive and are not compared.
   */
  alsoAllow(mock: YahooMock, options?: { closed?: boolean }): void;
  /** Asserts the rules above and restores the spies. */
  verify(mock: YahooMock): void;
}

export function guardNetwork(): NetworkGuard {
  const urls: string[] = [];
  const original = globalThis.fetch;
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return original(input, init);
  });
  const consoleSpies: MockInstance[] = (['log', 'info', 'warn', 'error', 'debug', 'dir'] as const).map((m) =>
    vi.spyOn(console, m).mockImplementation(() => {}),
  );
  const extra: YahooMock[] = [];
  const closed = new Set<YahooMock>();
  return {
    urls,
    alsoAllow(mock, options = {}) {
      extra.push(mock);
      if (options.closed) closed.add(mock);
    },
    verify(mock) {
      try {
        const mocks = [mock, ...extra];
        for (const url of urls) expect(mocks.some((m) => url.startsWith(`${m.url}/`)), `fetch outside the mock: ${url}`).toBe(true);
        for (const m of mocks) {
          if (!closed.has(m)) expect(m.requests.length, 'every request the client sent reached the mock').toBe(m.transportLog.length);
        }
        expect(urls.length).toBe(mocks.reduce((n, m) => n + m.transportLog.length, 0));
        for (const spy of consoleSpies) expect(spy, 'nothing is written to the console').not.toHaveBeenCalled();
      } finally {
        fetchSpy.mockRestore();
        for (const spy of consoleSpies) spy.mockRestore();
      }
    },
  };
}

export interface GuardedYahooMock {
  /** The mock of the current file, reset before each test. */
  readonly mock: YahooMock;
  /** The network guard of the current test, verified after it. */
  readonly guard: NetworkGuard;
}

/**
 * Registers the usual hooks of a provider test file: one mock for the file, reset and guarded
 * for each test, closed at the end. Read `mock` and `guard` inside tests, not at import time.
 */
export function useGuardedYahooMock(): GuardedYahooMock {
  let mock: YahooMock | undefined;
  let guard: NetworkGuard | undefined;
  beforeAll(async () => {
    mock = await startYahooMock();
  });
  afterAll(async () => {
    await mock?.close();
  });
  beforeEach(() => {
    mock!.reset();
    guard = guardNetwork();
  });
  afterEach(() => {
    guard!.verify(mock!);
  });
  return {
    get mock() {
      return mock!;
    },
    get guard() {
      return guard!;
    },
  };
}
