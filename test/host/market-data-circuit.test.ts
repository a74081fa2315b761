/**
 * The circuit breaker through the whole engine (issue 5 acceptance; SPEC.md e.7, e.6, m.17):
 * with the Yahoo mock failing every call, a backfill of a fresh database completes, records
 * every needed symbol on every date as provider_error (or rate_limited), and neither hangs nor
 * hammers the server. Also: an unreachable provider is announced once.
 *
 * The request bound. Settings: max_retries 3 (4 HTTP attempts per logical request), breaker
 * opening after 5 consecutive failed logical requests, at most 2 requests in flight, cooldown
 * 100 ms doubling to at most 400 ms. The prefetch starts 11 chart requests (4 at a time) and
 * the fundamentals phase 3 profile requests (whose crumb flow also fails); until the circuit
 * opens at most 5 + 4 (in flight) + 1 logical requests run their 4 attempts, so fewer than
 * 10 * 4 = 40 HTTP requests, plus the crumb routes. After that every half-open trial is one
 * HTTP request (no retries): at most one per cooldown, and the cooldown is at least 100 ms.
 * A run of 5 dates that lasted T ms can have at most T / 100 trials. The test asserts
 * requests <= 40 + 10 + T / 100.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, missingPrices, querySql, runEngine, SHRUNK_WAIT_SETTINGS } from '../support/market-data-engine';
import { guardNetwork, startYahooMock, type MockFault, type NetworkGuard, type YahooMock } from '../support/yahoo-mock';

const ENTRY = '2025-03-03' as IsoDate;
const LOTS = ['MSFT', 'KO', 'NVDA'].map((symbol) => ({ symbol, quantity: 100, entryDate: ENTRY }));
const NOW = '2025-03-15T12:00:00Z';
const DATES = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];
const TWO_WEEKS = [...DATES, '2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14'];
const NEEDED = ['IWM', 'KO', 'MSFT', 'MTUM', 'NVDA', 'QUAL', 'SPY', 'TLT', 'USMV', 'VTV', 'VUG'];

describe('circuit breaker through the engine', () => {
  const dir = tempDir('batchdesk-md-circuit-');
  let mock: YahooMock;
  let guard: NetworkGuard;
  let n = 0;
  beforeEach(async () => {
    mock = await startYahooMock();
    guard = guardNetwork();
  });
  afterEach(async () => {
    guard.verify(mock);
    await mock.close();
  });

  it.each([
    ['HTTP 500', 'provider_error', { kind: 'server_error' } as MockFault],
    ['HTTP 429', 'rate_limited', { kind: 'rate_limit' } as MockFault],
  ])('with every call failing (%s) a backfill completes, every symbol %s, requests bounded', async (_label, reason, fault) => {
    const db = join(dir, `fail-${++n}.db`);
    createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    mock.failEverything(fault);
    const started = Date.now();
    const run = await runEngine(db, { startDate: DATES[0], endDate: DATES[4] }, mock.fetch, advancingClock(NOW));
    const elapsed = Date.now() - started;

    // The run completes: every date is processed and fails on the SPY floor (c.5), exit 1.
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;
    expect(run.result.exitCode).toBe(1);
    expect(run.result.summary.dates.processed).toBe(5);
    expect(run.result.summary.dates.failed).toBe(5);
    expect(run.result.summary.errors.some((e) => e.includes('SPY has no close'))).toBe(true);

    const rows = missingPrices(db);
    expect(rows.map((r) => `${r.price_date} ${r.symbol}`)).toEqual(DATES.flatMap((d) => NEEDED.map((s) => `${d} ${s}`)));
    for (const r of rows) {
      expect(r.reason, `${r.price_date} ${r.symbol}`).toBe(reason);
      expect(r.resolution).toBe('missing');
      expect(r.provider).toBe('yahoo');
      expect(r.detail).not.toBeNull();
    }

    const opened = run.events.filter((e) => e.event === 'metric' && e.payload.name === 'circuit_state' && e.payload.tags['state'] === 'open');
    expect(opened.length).toBeGreaterThan(0);
    expect(run.result.summary.market_data['circuit_opens']).toBe(opened.length);
    // rate_limited counts answers that were rate limited, not the circuit's refusals after them.
    const limited = run.result.summary.market_data['rate_limited'] as number;
    if (reason === 'rate_limited') expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThanOrEqual(reason === 'rate_limited' ? mock.requests.length : 0);
    const bound = 40 + 10 + elapsed / 100;
    expect(mock.requests.length).toBeLessThanOrEqual(bound);
  });

  it('while the circuit stays open, refusals are logged once per symbol, not once per date; circuit_opens counts openings', async () => {
    // The SPEC cooldown (60 s): the circuit opens during the prefetch and stays open for the
    // whole run, so every later request of every date is refused without a trial.
    const db = join(dir, `open-${++n}.db`);
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.circuit_cooldown_ms': 60_000, 'market_data.circuit_cooldown_max_ms': 600_000 }, Date.parse(NOW));
    mock.failEverything({ kind: 'server_error' });
    const run = await runEngine(db, { startDate: DATES[0], endDate: DATES[4] }, mock.fetch, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;

    // Every date still fails on the SPY floor, and every symbol of every date has its reason.
    expect(run.result.summary.dates.failed).toBe(5);
    const rows = missingPrices(db);
    expect(rows.length).toBe(DATES.length * NEEDED.length);
    for (const r of rows) expect([r.reason, r.resolution, r.provider]).toEqual(['provider_error', 'missing', 'yahoo']);
    expect(rows.filter((r) => r.detail?.startsWith('circuit open after provider errors')).length).toBeGreaterThan(0);

    // One opening, counted once (not once per refusal).
    const opened = run.events.filter((e) => e.event === 'metric' && e.payload.name === 'circuit_state' && e.payload.tags['state'] === 'open');
    expect(opened.length).toBe(1);
    expect(run.result.summary.market_data['circuit_opens']).toBe(1);

    // Refusals stay visible (e.7): one row for each symbol whose prefetch was refused; a symbol
    // whose prefetch failed before the circuit opened has that failure logged, which covers its
    // refusals with the same reason. Every symbol has one or two rows, not one per date.
    const refused = querySql<{ symbol: string; n: number }>(db, `SELECT symbol, count(*) AS n FROM market_data_fetch_log WHERE error LIKE 'circuit open%' GROUP BY symbol ORDER BY symbol`);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.n, r.symbol).toBe(1);
    const perSymbol = querySql<{ symbol: string; n: number }>(db, `SELECT symbol, count(*) AS n FROM market_data_fetch_log GROUP BY symbol`);
    expect(perSymbol.length).toBe(NEEDED.length);
    for (const r of perSymbol) expect(r.n, r.symbol).toBeLessThanOrEqual(2);

    // The event log warns about each failed request and each symbol's first refusal of the
    // opening; the refusals after that are debug events (the circuit_state event warned).
    const metrics = (name: string) => run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === name ? [{ level: e.level, tags: e.payload.tags }] : []));
    const ranges = metrics('provider_request');
    const http = metrics('provider_http_request');
    expect(ranges.filter((r) => r.level === 'debug' && r.tags['outcome'] === 'provider_error').length).toBeGreaterThan(0);
    expect(http.filter((r) => r.level === 'debug' && r.tags['status'] === 'circuit_open').length).toBeGreaterThan(0);
    expect(ranges.filter((r) => r.level === 'warn').length).toBeLessThanOrEqual(2 * NEEDED.length);
    expect(http.filter((r) => r.level === 'warn' && r.tags['status'] === 'circuit_open')).toEqual([]);
  });

  it('a multi-chunk backfill with the circuit open logs every refused date, few rows; a later run from the log gives the same reasons', async () => {
    const db = join(dir, `chunks-${++n}.db`);
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.circuit_cooldown_ms': 60_000, 'market_data.circuit_cooldown_max_ms': 600_000 }, Date.parse(NOW));
    mock.failEverything({ kind: 'server_error' });
    // Two chunks: 2025-03-03..07 and 2025-03-10..14; the circuit opens in the first prefetch.
    const run = await runEngine(db, { startDate: TWO_WEEKS[0], endDate: TWO_WEEKS.at(-1), chunkDays: 7 }, mock.fetch, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;
    expect(run.result.summary.chunks.length).toBe(2);
    const reasons = missingPrices(db).map((r) => `${r.price_date} ${r.symbol} ${r.reason} ${r.provider}`);
    expect(reasons).toEqual(TWO_WEEKS.flatMap((d) => NEEDED.map((s) => `${d} ${s} provider_error yahoo`)));

    // Every refused date is covered by the fetch log: the latest logged request covering it
    // failed at Yahoo (a refusal, or the failure that opened the circuit).
    const log = querySql<{ symbol: string; provider: string; range_start: string; range_end: string; requested_at: string; outcome: string }>(
      db,
      `SELECT symbol, provider, range_start, range_end, requested_at, outcome FROM market_data_fetch_log ORDER BY id`,
    );
    for (const d of TWO_WEEKS) {
      for (const symbol of NEEDED) {
        const covering = log.filter((e) => e.symbol === symbol && e.range_start <= d && e.range_end >= d);
        const latest = covering.reduce<(typeof covering)[number] | null>((best, e) => (!best || e.requested_at >= best.requested_at ? e : best), null);
        expect(latest && [latest.provider, latest.outcome], `${d} ${symbol}`).toEqual(['yahoo', 'provider_error']);
      }
    }
    // And few rows: per symbol at most one per chunk, plus its failure before the opening.
    expect(log.filter((e) => e.outcome === 'provider_error').length).toBeGreaterThan(NEEDED.length);
    for (const symbol of NEEDED) expect(log.filter((e) => e.symbol === symbol).length, symbol).toBeLessThanOrEqual(3);

    // A later offline retry reads the log and gives every date the same reason.
    const retry = await runEngine(db, { retryFailedPhases: true, marketData: 'offline' }, mock.fetch, advancingClock(NOW));
    expect(retry.result.kind).toBe('run');
    if (retry.result.kind !== 'run') return;
    expect(retry.result.summary.dates.processed).toBe(TWO_WEEKS.length);
    expect(missingPrices(db).map((r) => `${r.price_date} ${r.symbol} ${r.reason} ${r.provider}`)).toEqual(reasons);
  });

  it('per provider, requests are the symbol ranges asked, failures and refusals of them apart, HTTP requests named apart (h.5)', async () => {
    const db = join(dir, `counts-${++n}.db`);
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.circuit_cooldown_ms': 60_000, 'market_data.circuit_cooldown_max_ms': 600_000 }, Date.parse(NOW));
    mock.failEverything({ kind: 'server_error' });
    const run = await runEngine(db, { startDate: DATES[0], endDate: DATES[4] }, mock.fetch, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;
    const md = run.result.summary.market_data;
    const yahoo = (md['providers'] as Record<string, Record<string, number>>)['yahoo']!;
    // The run's requests (the CLI's "Provider requests", the app's live counter) are the ranges
    // asked of Yahoo, one provider_request event each.
    const count = (name: string) => run.events.filter((e) => e.event === 'metric' && e.payload.name === name).length;
    expect(md['requests']).toBe(count('provider_request'));
    expect(yahoo['requests']).toBe(md['requests']);
    // Each one failed or was refused by the open circuit; the failures are logged each.
    const failed = querySql<{ n: number }>(db, `SELECT count(*) AS n FROM market_data_fetch_log WHERE error NOT LIKE 'circuit open%'`)[0]!.n;
    expect(yahoo['failures']).toBe(failed);
    expect(yahoo['failures']! + yahoo['refused']!).toBe(yahoo['requests']);
    expect(yahoo['refused']).toBeGreaterThan(NEEDED.length);
    // The HTTP requests are the chart requests the mock received (profiles are not price requests),
    // with their retries: more than the failed ranges that sent them.
    expect(yahoo['http_requests']).toBe(mock.count({ endpoint: 'chart' }));
    expect(yahoo['http_requests']).toBeGreaterThan(failed);
    expect(yahoo['rows']).toBe(0);
  });

  it('an unreachable provider (connection refused) is announced once; the run goes on with the cache', async () => {
    const db = join(dir, `unreachable-${++n}.db`);
    createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    const dead = await startYahooMock();
    await dead.close();
    guard.alsoAllow(dead, { closed: true });
    const run = await runEngine(db, { startDate: DATES[0], endDate: DATES[1] }, dead.fetch, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    const notices = run.events.filter((e) => e.event === 'metric' && e.payload.name === 'market_data_mode');
    expect(notices.length).toBe(1);
    const tags = notices[0]!.event === 'metric' ? notices[0]!.payload.tags : {};
    expect(tags['kind']).toBe('unreachable');
    expect(String(tags['message'])).toContain('the run goes on with the local price cache alone');
    const rows = missingPrices(db);
    expect(rows.length).toBe(2 * NEEDED.length);
    for (const r of rows) expect(r.reason).toBe('provider_error');
    // Before the circuit opened the requests failed with the network error (fetch log);
    // the last request covering a date may be a refusal of the open circuit.
    const errors = querySql<{ error: string }>(db, `SELECT error FROM market_data_fetch_log WHERE outcome = 'provider_error'`).map((e) => e.error);
    expect(errors.some((e) => /^network error: fetch failed \(ECONNREFUSED/.test(e))).toBe(true);
    for (const r of rows) expect(r.detail, `${r.price_date} ${r.symbol}`).toMatch(/^network error: |^circuit open after provider errors/);
  });
});
