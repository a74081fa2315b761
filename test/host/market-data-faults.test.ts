/**
 * Market data through the whole engine and yahoo-finance2's real code path, against the Yahoo
 * mock on 127.0.0.1 (issue 5 acceptance; SPEC.md c.5, e.3, e.4, e.6, e.7, m.13, m.17).
 *
 * A small non-demo database (MSFT, KO, NVDA + the eight factor ETFs) is backfilled online for
 * 2025-03-03..07 from a healthy mock. MSFT's 2025-03-05 close and MSFT's fetch log are then
 * deleted (a cache with a hole, as after a partial import), so the next run asks Yahoo for
 * MSFT 2025-03-05..12 in one request (gaps of up to 10 trading days are merged, e.3) and the
 * answer covers the stored closes of 03-06 and 03-07. Each case runs 2025-03-10..12 with one
 * fault on MSFT's chart requests and checks: the run completes, the reason codes of the
 * missing_prices rows, and that every stored row is unchanged (row checksums, m.13).
 *
 * Every wait is shrunk to milliseconds through the settings table (m.17).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../core/domain/iso-date';
import type { DateResult } from '../../core/engine/run-summary';
import { tempDir } from '../support/cli';
import {
  advancingClock,
  cacheRows,
  copyDatabase,
  createSmallDatabase,
  execSql,
  missingPrices,
  querySql,
  rowChecksums,
  runEngine,
  SHRUNK_WAIT_SETTINGS,
  type EngineRun,
} from '../support/market-data-engine';
import { generatedClose, guardNetwork, startYahooMock, type MockFault, type NetworkGuard, type YahooMock } from '../support/yahoo-mock';

const ENTRY = '2025-03-03' as IsoDate;
const LOTS = [
  { symbol: 'MSFT', quantity: 100, entryDate: ENTRY },
  { symbol: 'KO', quantity: 300, entryDate: ENTRY },
  { symbol: 'NVDA', quantity: 150, entryDate: ENTRY },
];
/** Saturday noon UTC: every day up to Friday 2025-03-14 is past its settle time. */
const NOW = '2025-03-15T12:00:00Z';
const FAULT_DATES = ['2025-03-10', '2025-03-11', '2025-03-12'];

describe('market data faults through the engine (online, Yahoo mock)', () => {
  const dir = tempDir('batchdesk-md-faults-');
  const baseline = join(dir, 'baseline.db');
  let mock: YahooMock;
  let guard: NetworkGuard;
  let before: Map<string, string>;
  let n = 0;

  beforeAll(async () => {
    mock = await startYahooMock();
    createSmallDatabase(baseline, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    const r = await runEngine(baseline, { startDate: '2025-03-03', endDate: '2025-03-07' }, mock.fetch, advancingClock(NOW));
    expect(r.result.exitCode).toBe(0);
    expect(missingPrices(baseline)).toEqual([]);
    expect(execSql(baseline, `DELETE FROM market_data_cache WHERE symbol = 'MSFT' AND date = '2025-03-05'`)).toBe(1);
    expect(execSql(baseline, `DELETE FROM market_data_fetch_log WHERE symbol = 'MSFT'`)).toBe(1);
    before = rowChecksums(cacheRows(baseline));
  });
  afterAll(async () => {
    await mock.close();
  });
  beforeEach(() => {
    mock.reset();
    guard = guardNetwork();
  });
  afterEach(() => guard.verify(mock));

  /** A copy of the baseline, optional setting overrides, the fault on MSFT's chart calls, and a run of 03-10..12. */
  async function faultRun(fault: { always?: MockFault; script?: MockFault[] }, settings: Record<string, unknown> = {}): Promise<{ db: string; run: EngineRun }> {
    const db = join(dir, `case-${++n}.db`);
    copyDatabase(baseline, db);
    for (const [k, v] of Object.entries(settings)) {
      execSql(db, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, NULL) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, k, JSON.stringify(v));
    }
    if (fault.always) mock.always('MSFT', fault.always, 'chart');
    if (fault.script) mock.script('MSFT', fault.script, 'chart');
    const run = await runEngine(db, { startDate: FAULT_DATES[0], endDate: FAULT_DATES[2] }, mock.fetch, advancingClock(NOW));
    return { db, run };
  }

  function expectCompleted(run: EngineRun): void {
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;
    expect(run.result.summary.dates.processed).toBe(3);
    expect((run.result.summary.results as DateResult[]).map((r) => r.date)).toEqual(FAULT_DATES);
    // MSFT has a fallback close on every date, so no date fails for market data.
    const md = run.events.flatMap((e) => (e.event === 'phase_result' && e.payload.phase === 'market_data' ? [[e.payload.date, e.payload.status]] : []));
    expect(md).toEqual(FAULT_DATES.map((d) => [d, 'success']));
  }

  /** m.13: no stored row is deleted, and none is rewritten (same checksum, every column). */
  function expectStoredRowsUnchanged(db: string): void {
    const after = rowChecksums(cacheRows(db));
    for (const [key, sum] of before) expect(after.get(key), key).toBe(sum);
  }

  function reasons(db: string): [string, string, string, string | null][] {
    return missingPrices(db).map((r) => [r.price_date, r.symbol, r.reason, r.fallback_price_date]);
  }

  it('a single 429 with Retry-After is retried after the capped wait, and the data arrive', async () => {
    const { db, run } = await faultRun({ script: [{ kind: 'rate_limit', retryAfter: '1' }] });
    expectCompleted(run);
    expect(reasons(db)).toEqual([]);
    const retries = run.providerMetrics.filter((m) => m.name === 'provider_retry' && m.symbol === 'MSFT');
    // Retry-After 1 s asks for longer than the backoff; the setting caps it at 50 ms (m.17).
    expect(retries).toEqual([{ name: 'provider_retry', provider: 'yahoo', symbol: 'MSFT', attempt: 1, delayMs: 50, cause: 'rate_limited' }]);
    expect(run.events.some((e) => e.event === 'metric' && e.payload.name === 'provider_retry' && e.payload.tags['symbol'] === 'MSFT')).toBe(true);
    expect(querySql<{ n: number }>(db, `SELECT count(*) AS n FROM market_data_cache WHERE symbol = 'MSFT' AND date IN ('2025-03-05', '2025-03-10', '2025-03-11', '2025-03-12')`)[0]!.n).toBe(4);
    expectStoredRowsUnchanged(db);
  });

  it.each([
    ['with Retry-After', { kind: 'rate_limit', retryAfter: '1' } as MockFault, (ms: number) => ms === 50],
    ['without Retry-After', { kind: 'rate_limit' } as MockFault, (ms: number) => ms >= 0 && ms <= 20],
  ])('429 on every call %s: rate_limited on each date, fallback to the last stored close', async (_label, fault, delayOk) => {
    const { db, run } = await faultRun({ always: fault });
    expectCompleted(run);
    expect(reasons(db)).toEqual(FAULT_DATES.map((d) => [d, 'MSFT', 'rate_limited', '2025-03-07']));
    const delays = run.providerMetrics.filter((m) => m.name === 'provider_retry').map((m) => (m as { delayMs: number }).delayMs);
    expect(delays.length).toBeGreaterThan(0);
    for (const ms of delays) expect(delayOk(ms), `delay ${ms}`).toBe(true);
    expectStoredRowsUnchanged(db);
  });

  it('HTTP 500 on every call: provider_error with the server text', async () => {
    const { db, run } = await faultRun({ always: { kind: 'server_error' } });
    expectCompleted(run);
    expect(reasons(db)).toEqual(FAULT_DATES.map((d) => [d, 'MSFT', 'provider_error', '2025-03-07']));
    expect(missingPrices(db).every((r) => r.provider === 'yahoo' && r.detail === 'HTTP 500: mock server error')).toBe(true);
    expectStoredRowsUnchanged(db);
  });

  it('a hang past the request time limit: provider_error (timed out)', async () => {
    const { db, run } = await faultRun({ always: { kind: 'hang' } }, { 'market_data.timeout_ms': 120, 'market_data.max_retries': 1 });
    expectCompleted(run);
    expect(reasons(db)).toEqual(FAULT_DATES.map((d) => [d, 'MSFT', 'provider_error', '2025-03-07']));
    for (const r of missingPrices(db)) expect(r.detail).toBe('request timed out after 120 ms');
    expect(run.providerMetrics.some((m) => m.name === 'provider_http_request' && m.status === 'timeout')).toBe(true);
    expectStoredRowsUnchanged(db);
  });

  it('malformed JSON: provider_error, not retried', async () => {
    const { db, run } = await faultRun({ always: { kind: 'malformed_json' } });
    expectCompleted(run);
    expect(reasons(db)).toEqual(FAULT_DATES.map((d) => [d, 'MSFT', 'provider_error', '2025-03-07']));
    expect(run.providerMetrics.filter((m) => m.name === 'provider_retry')).toEqual([]);
    expectStoredRowsUnchanged(db);
  });

  it('an empty series: no_data (a fallback close exists), nothing deleted', async () => {
    const { db, run } = await faultRun({ always: { kind: 'empty_series' } });
    expectCompleted(run);
    expect(reasons(db)).toEqual(FAULT_DATES.map((d) => [d, 'MSFT', 'no_data', '2025-03-07']));
    // An answered request is not repeated by the second pass: one chart request for MSFT.
    expect(mock.count({ endpoint: 'chart', symbol: 'MSFT' })).toBe(1);
    expect(querySql(db, `SELECT outcome, range_start, range_end FROM market_data_fetch_log WHERE symbol = 'MSFT'`)).toEqual([
      { outcome: 'no_data', range_start: '2025-03-05', range_end: '2025-03-12' },
    ]);
    expectStoredRowsUnchanged(db);
  });

  it('a series with holes: the missing day is no_data, null closes never replace stored ones', async () => {
    // The adapter asks from the day before the range (period1 = 03-04) to the day after, so the
    // mock's answer has 7 bars, 03-04..03-12; the mock drops the 4th (03-07) and nulls every
    // 3rd of the rest (03-06, whose stored close stays, and 03-12, which stays missing).
    const { db, run } = await faultRun({ always: { kind: 'holes' } });
    expectCompleted(run);
    expect(reasons(db)).toEqual([['2025-03-12', 'MSFT', 'no_data', '2025-03-11']]);
    expect(querySql<{ date: string; close: number }>(db, `SELECT date, close FROM market_data_cache WHERE symbol = 'MSFT' AND date IN ('2025-03-05', '2025-03-10', '2025-03-11')`)).toEqual(
      ['2025-03-05', '2025-03-10', '2025-03-11'].map((date) => ({ date, close: generatedClose('MSFT', date as IsoDate) })),
    );
    expectStoredRowsUnchanged(db);
  });

  it('a negative close: invalid_price for that date, never stored, remembered in the fetch log', async () => {
    const { db, run } = await faultRun({ always: { kind: 'negative_close', date: '2025-03-11' as IsoDate } });
    expectCompleted(run);
    expect(missingPrices(db).map((r) => [r.price_date, r.symbol, r.reason, r.resolution, r.fallback_price_date])).toEqual([['2025-03-11', 'MSFT', 'invalid_price', 'fallback', '2025-03-10']]);
    expect(querySql(db, `SELECT close FROM market_data_cache WHERE close <= 0`)).toEqual([]);
    expect(querySql(db, `SELECT outcome, range_start, range_end FROM market_data_fetch_log WHERE symbol = 'MSFT' ORDER BY id`)).toEqual([
      { outcome: 'ok', range_start: '2025-03-05', range_end: '2025-03-12' },
      { outcome: 'invalid', range_start: '2025-03-11', range_end: '2025-03-11' },
    ]);
    if (run.result.kind === 'run') expect(run.result.summary.market_data['invalid_prices']).toBe(1);
    expectStoredRowsUnchanged(db);

    // A later offline run of the same date gives the same reason from the fetch log alone.
    const again = await runEngine(db, { targetDate: '2025-03-11', marketData: 'offline' }, mock.fetch, advancingClock(NOW));
    expect(again.result.exitCode).toBe(0);
    expect(reasons(db).filter((r) => r[0] === '2025-03-11')).toEqual([['2025-03-11', 'MSFT', 'invalid_price', '2025-03-10']]);
  });

  it('a 10x jump: flagged, never replacing a stored close, and the row is still used', async () => {
    // Closes x10 from 03-06 on. 03-06 and 03-07 are stored: the jumps keep the stored closes.
    // 03-10 has no stored close: stored with validation_flag 'jump'. 03-11 and 03-12 are
    // normal moves from 03-10 (a real split looks the same).
    const { db, run } = await faultRun({ always: { kind: 'jump', factor: 10, date: '2025-03-06' as IsoDate } });
    expectCompleted(run);
    expect(reasons(db)).toEqual([]);
    const rows = querySql<{ date: string; close: number; validation_flag: string | null }>(
      db,
      `SELECT date, close, validation_flag FROM market_data_cache WHERE symbol = 'MSFT' AND date >= '2025-03-05' ORDER BY date`,
    );
    const x10 = (d: string) => Math.round(generatedClose('MSFT', d as IsoDate) * 10 * 10_000) / 10_000;
    expect(rows).toEqual([
      { date: '2025-03-05', close: generatedClose('MSFT', '2025-03-05' as IsoDate), validation_flag: null },
      { date: '2025-03-06', close: generatedClose('MSFT', '2025-03-06' as IsoDate), validation_flag: null },
      { date: '2025-03-07', close: generatedClose('MSFT', '2025-03-07' as IsoDate), validation_flag: null },
      { date: '2025-03-10', close: x10('2025-03-10'), validation_flag: 'jump' },
      { date: '2025-03-11', close: x10('2025-03-11'), validation_flag: null },
      { date: '2025-03-12', close: x10('2025-03-12'), validation_flag: null },
    ]);
    const flags = run.events.filter((e) => e.event === 'metric' && e.payload.name === 'price_validation_flag').map((e) => e.event === 'metric' && [e.payload.date, e.payload.tags['stored_close_kept']]);
    expect(flags).toEqual([
      ['2025-03-06', true],
      ['2025-03-07', true],
      ['2025-03-10', false],
    ]);
    if (run.result.kind === 'run') expect(run.result.summary.market_data['price_jumps_flagged']).toBe(3);
    expectStoredRowsUnchanged(db);
  });

  it('the CSV directory comes first in the online chain; Yahoo is asked only for what is still missing', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    // The common download layout; Close is used, never Adj Close. Line 5 is bad (e.8).
    writeFileSync(
      join(csvDir, 'MSFT.csv'),
      ['Date,Open,High,Low,Close,Adj Close,Volume', '2025-03-05,1,1,1,400.5,399,1000', '2025-03-10,1,1,1,401.25,400,1100', '2025-03-11,1,1,1,402,401,1200', '2025-03-13,1,1,1,abc,1,1', ''].join('\n'),
    );
    const { db, run } = await faultRun({}, { 'market_data.csv_dir': csvDir });
    expectCompleted(run);
    expect(reasons(db)).toEqual([]);
    expect(querySql(db, `SELECT provider, outcome, range_start, range_end FROM market_data_fetch_log WHERE symbol = 'MSFT' ORDER BY id`)).toEqual([
      { provider: 'csv', outcome: 'ok', range_start: '2025-03-05', range_end: '2025-03-12' },
      { provider: 'yahoo', outcome: 'ok', range_start: '2025-03-12', range_end: '2025-03-12' },
    ]);
    expect(mock.count({ endpoint: 'chart', symbol: 'MSFT' })).toBe(1);
    expect(querySql(db, `SELECT date, close, data_source FROM market_data_cache WHERE symbol = 'MSFT' AND date >= '2025-03-05' AND date NOT IN ('2025-03-06', '2025-03-07') ORDER BY date`)).toEqual([
      { date: '2025-03-05', close: 400.5, data_source: 'csv' },
      { date: '2025-03-10', close: 401.25, data_source: 'csv' },
      { date: '2025-03-11', close: 402, data_source: 'csv' },
      { date: '2025-03-12', close: generatedClose('MSFT', '2025-03-12' as IsoDate), data_source: 'yahoo' },
    ]);
    const bad = run.events.filter((e) => e.event === 'metric' && e.payload.name === 'csv_bad_row').map((e) => e.event === 'metric' && e.payload.tags);
    expect(bad).toEqual([{ symbol: 'MSFT', file: 'MSFT.csv', line: 5, column: 'Close', message: 'expected a number, got "abc"' }]);
    expectStoredRowsUnchanged(db);
  });
});
