/**
 * The run's market-data state: circuit openings are counted as transitions, a refusal of an
 * open circuit goes to the fetch log unless the log already gives every date of its range the
 * same reason (SPEC.md e.7, e.6), and the per-provider counts tell symbol ranges asked (one
 * request each), failed ones, refusals and the HTTP requests they took apart (h.5).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../../core/domain/iso-date';
import type { FetchLogEntry } from '../../../../core/ports/store';
import { MarketDataRunState, providerCountsSince } from '../../../../core/phases/market-data/run-state';

const d = (s: string): IsoDate => s as IsoDate;

describe('MarketDataRunState circuit refusals', () => {
  const at = (i: number) => `2025-03-15T12:00:${String(i).padStart(2, '0')}.000000Z`;
  let clock = 0;
  const entry = (symbol: string, outcome: FetchLogEntry['outcome'], start: string, end: string, provider: FetchLogEntry['provider'] = 'yahoo'): FetchLogEntry => ({
    symbol,
    provider,
    rangeStart: d(start),
    rangeEnd: d(end),
    requestedAt: at(clock++),
    outcome,
    rowsReturned: 0,
    firstTradeDate: null,
    error: outcome === 'ok' ? null : 'circuit open after provider errors; not requested (retry in 60 s)',
    runId: 'run',
  });
  /** Asks whether a refusal is logged, and records it as fetch-range.ts does. */
  const refuse = (s: MarketDataRunState, e: FetchLogEntry): boolean => {
    const logged = s.logsRefusal(e);
    s.record(e, logged);
    return logged;
  };

  it('logs a refusal unless the latest logged request overlapping it covers it with the same provider and outcome', () => {
    const s = new MarketDataRunState();
    // A chunk's range, then the dates' second-pass windows inside it: logged once.
    expect(refuse(s, entry('SPY', 'provider_error', '2024-03-01', '2025-03-07'))).toBe(true);
    expect([refuse(s, entry('SPY', 'provider_error', '2024-03-03', '2025-03-03')), refuse(s, entry('SPY', 'provider_error', '2024-03-07', '2025-03-07'))]).toEqual([false, false]);
    // The next chunk's range reaches later dates: logged, and covers its own dates from then on.
    expect([refuse(s, entry('SPY', 'provider_error', '2024-03-10', '2025-03-14')), refuse(s, entry('SPY', 'provider_error', '2024-03-10', '2025-03-10'))]).toEqual([true, false]);
    // Covered by an older row, but a newer logged row overlaps it: the older one would no
    // longer be the latest covering its dates.
    expect(refuse(s, entry('SPY', 'provider_error', '2024-03-01', '2024-03-12'))).toBe(true);
    // Another outcome (a circuit opened by rate limiting), provider or symbol is logged.
    expect(refuse(s, entry('SPY', 'rate_limited', '2025-03-03', '2025-03-03'))).toBe(true);
    expect(refuse(s, entry('SPY', 'provider_error', '2025-03-11', '2025-03-11', 'csv'))).toBe(true);
    expect([refuse(s, entry('KO', 'provider_error', '2025-03-03', '2025-03-03')), refuse(s, entry('KO', 'provider_error', '2025-03-03', '2025-03-03'))]).toEqual([true, false]);
    // The refusals kept in memory still give the dates their reasons in this run.
    expect(s.lastCovering('SPY', d('2025-03-10'))).toMatchObject({ provider: 'yahoo', rangeStart: '2024-03-10', rangeEnd: '2025-03-10' });
  });

  it('a failed request logged before the circuit opened covers its refusals; an answer logged since does not', () => {
    // The fetch log of an earlier run is the logged part.
    const s = new MarketDataRunState([entry('MSFT', 'provider_error', '2024-03-01', '2025-03-07')]);
    expect(refuse(s, entry('MSFT', 'provider_error', '2024-03-05', '2025-03-05'))).toBe(false);
    s.record(entry('MSFT', 'ok', '2025-03-06', '2025-03-06'));
    expect(refuse(s, entry('MSFT', 'provider_error', '2024-03-05', '2025-03-07'))).toBe(true);
  });

  it('counts openings, not refusals', () => {
    const s = new MarketDataRunState();
    s.circuitOpened();
    s.circuitOpened();
    expect(s.counters.circuitOpens).toBe(2);
  });
});

describe('MarketDataRunState provider counts', () => {
  it('counts one request per symbol range asked, the failed ones and the refusals apart, and the HTTP requests they took', () => {
    const s = new MarketDataRunState();
    const answer = { httpRequests: 0, failed: false, refused: false, rows: 0, dropped: 0 };
    s.countProvider('yahoo', { ...answer, httpRequests: 4, failed: true });
    s.countProvider('yahoo', { ...answer, httpRequests: 2, rows: 5 });
    s.countProvider('yahoo', { ...answer, failed: true, refused: true });
    s.countProvider('yahoo', { ...answer, httpRequests: 2, failed: true, refused: true });
    // The CSV folder reads files and the generator computes: one request each all the same.
    s.countProvider('csv', { ...answer, rows: 3, dropped: 2 });
    expect(s.counters.providers).toEqual({
      yahoo: { requests: 4, failures: 1, refused: 2, http_requests: 8, rows: 5, dropped: 0 },
      csv: { requests: 1, failures: 0, refused: 0, http_requests: 0, rows: 3, dropped: 2 },
    });
    const before = providerCountsSince(s.counters.providers, {});
    s.countProvider('yahoo', { ...answer, failed: true, refused: true });
    s.countProvider('synthetic', { ...answer, rows: 1 });
    expect(providerCountsSince(s.counters.providers, before)).toEqual({
      yahoo: { requests: 1, failures: 0, refused: 1, http_requests: 0, rows: 0, dropped: 0 },
      csv: { requests: 0, failures: 0, refused: 0, http_requests: 0, rows: 0, dropped: 0 },
      synthetic: { requests: 1, failures: 0, refused: 0, http_requests: 0, rows: 1, dropped: 0 },
    });
  });
});
