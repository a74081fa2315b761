/**
 * One unit for provider requests (SPEC.md e.3 "one request per range", h.5, h.7): a symbol
 * range asked of a provider is one request, whatever the provider does to answer it. The CSV
 * folder reads every file that has the symbol (here MSFT.csv and prices.csv), the synthetic
 * generator reads nothing and Yahoo sends an HTTP request per attempt (here a retry after a
 * 500): each range is still one request in the fetch log, in the dry run's estimate, in the run
 * summary (market_data.requests and providers.<name>.requests) and in the run's provider_request
 * events, which the app's live view counts. Yahoo's HTTP requests are named apart
 * (providers.yahoo.http_requests, provider_http_request events). With the CSV folder before
 * Yahoo, the dry run reads the folder to count what Yahoo will be asked for. The dates' tracking rows
 * carry the same counts: a chunk prefetch's on the first date of its chunk, so they add up to the
 * run summary's.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOptionsInput } from '../../core/api/run-options';
import type { IsoDate } from '../../core/domain/iso-date';
import { tradingDaysBetween } from '../../core/calendar';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, querySql, runEngine, SHRUNK_WAIT_SETTINGS, type EngineRun } from '../support/market-data-engine';
import { generatedClose, startYahooMock, type YahooMock } from '../support/yahoo-mock';

const ENTRY = '2025-03-03' as IsoDate;
const LOTS = [{ symbol: 'MSFT', quantity: 100, entryDate: ENTRY }];
const NOW = '2025-03-15T12:00:00Z';
const RANGE = { startDate: '2025-03-03', endDate: '2025-03-07' } as const;
const offline = () => Promise.reject(new Error('offline: nothing is fetched'));

/** The run's requests as each place counts them. */
function requestCounts(db: string, run: EngineRun, provider: string) {
  if (run.result.kind !== 'run') throw new Error(`expected a run, got ${run.result.kind}`);
  const md = run.result.summary.market_data;
  const events = (name: string) => run.events.flatMap((e) => (e.event === 'metric' && e.payload.name === name ? [e.payload.tags] : []));
  return {
    summary: md['requests'],
    provider: (md['providers'] as Record<string, Record<string, number>>)[provider],
    events: events('provider_request').length,
    httpEvents: events('provider_http_request').length,
    fetchLog: querySql<{ n: number }>(db, `SELECT count(*) AS n FROM market_data_fetch_log WHERE provider = ?`, provider)[0]!.n,
    perSymbol: (symbol: string) => ({
      events: events('provider_request').filter((t) => t['symbol'] === symbol).length,
      fetchLog: querySql<{ n: number }>(db, `SELECT count(*) AS n FROM market_data_fetch_log WHERE provider = ? AND symbol = ?`, provider, symbol)[0]!.n,
    }),
  };
}

/** The dry run's estimated requests for the same options. */
async function estimate(db: string, options: RunOptionsInput, fetch: Parameters<typeof runEngine>[2]): Promise<number> {
  const plan = await runEngine(db, { ...options, dryRun: true }, fetch, advancingClock(NOW));
  if (plan.result.kind !== 'plan') throw new Error(`expected a plan, got ${plan.result.kind}`);
  return (plan.result.plan.fetches ?? []).reduce((s, f) => s + f.estimatedRequests, 0);
}

describe('provider requests: one per symbol range asked, for every provider', () => {
  const dir = tempDir('batchdesk-md-request-counts-');
  let mock: YahooMock;
  beforeAll(async () => {
    mock = await startYahooMock();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('the CSV folder, with MSFT in MSFT.csv and in prices.csv: one request per range, as the dry run estimated', async () => {
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir, { recursive: true });
    const days = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07'];
    writeFileSync(join(csvDir, 'MSFT.csv'), ['date,close', ...days.map((d, i) => `${d},${400 + i}`), ''].join('\n'));
    writeFileSync(join(csvDir, 'prices.csv'), ['symbol,date,close', 'MSFT,2025-02-28,399', ...days.map((d, i) => `SPY,${d},${580 + i}`), ''].join('\n'));
    const db = join(dir, 'csv.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'offline', 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const estimated = await estimate(db, RANGE, offline);

    const c = requestCounts(db, await runEngine(db, RANGE, offline, advancingClock(NOW)), 'csv');
    expect(c.fetchLog).toBeGreaterThan(1);
    expect(c.summary).toBe(c.fetchLog);
    expect(c.events).toBe(c.fetchLog);
    expect(c.summary).toBe(estimated);
    expect(c.provider).toMatchObject({ requests: c.fetchLog, http_requests: 0 });
    // MSFT was read from two files for each range, and asked once per range.
    const msft = c.perSymbol('MSFT');
    expect(msft.fetchLog).toBeGreaterThan(0);
    expect(msft.events).toBe(msft.fetchLog);
    expect(c.httpEvents).toBe(0);
  });

  it('the synthetic generator: one request per range (not none), as the dry run estimated', async () => {
    const db = join(dir, 'synthetic.db');
    createSmallDatabase(db, LOTS, { 'market_data.mode': 'synthetic' }, Date.parse(NOW));
    const estimated = await estimate(db, RANGE, offline);

    const c = requestCounts(db, await runEngine(db, RANGE, offline, advancingClock(NOW)), 'synthetic');
    expect(c.fetchLog).toBeGreaterThan(1);
    expect(c.summary).toBe(c.fetchLog);
    expect(c.events).toBe(c.fetchLog);
    expect(c.summary).toBe(estimated);
    expect(c.provider).toMatchObject({ requests: c.fetchLog, failures: 0, http_requests: 0 });
  });

  it('Yahoo, with a retry after a 500: one request per range, its HTTP requests counted apart', async () => {
    const db = join(dir, 'yahoo.db');
    createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    const estimated = await estimate(db, RANGE, mock.fetch);
    mock.script('MSFT', [{ kind: 'server_error' }], 'chart');

    const c = requestCounts(db, await runEngine(db, RANGE, mock.fetch, advancingClock(NOW)), 'yahoo');
    expect(c.summary).toBe(c.fetchLog);
    expect(c.events).toBe(c.fetchLog);
    expect(c.summary).toBe(estimated);
    expect(c.provider).toMatchObject({ requests: c.fetchLog, failures: 0, refused: 0, http_requests: mock.count({ endpoint: 'chart' }) });
    // At least the scripted retry; a loaded machine can time out more (short waits), each one
    // more HTTP request for the same range.
    expect(c.provider!['http_requests']).toBeGreaterThan(c.fetchLog);
    expect(c.httpEvents).toBeGreaterThanOrEqual(c.provider!['http_requests'] as number);
  });

  it('the CSV folder then Yahoo (online with a CSV folder): the dry run counts what Yahoo is asked for what the folder lacks', async () => {
    const csvDir = join(dir, 'csv-online');
    mkdirSync(csvDir, { recursive: true });
    const rows = (symbol: string, from: IsoDate, to: IsoDate) => tradingDaysBetween(from, to).map((d) => `${d},${generatedClose(symbol, d)}`);
    // MSFT.csv covers the whole look-back window: Yahoo is not asked for MSFT. SPY.csv covers only
    // this year: Yahoo is asked for the rest of SPY's window. The other factor ETFs have no file.
    writeFileSync(join(csvDir, 'MSFT.csv'), ['date,close', ...rows('MSFT', '2024-01-02' as IsoDate, '2025-03-14' as IsoDate), ''].join('\n'));
    writeFileSync(join(csvDir, 'SPY.csv'), ['date,close', ...rows('SPY', '2025-01-02' as IsoDate, '2025-03-14' as IsoDate), ''].join('\n'));
    const db = join(dir, 'csv-online.db');
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.csv_dir': csvDir }, Date.parse(NOW));
    const chartCalls = mock.count({ endpoint: 'chart' });
    const plan = await runEngine(db, { ...RANGE, dryRun: true }, mock.fetch, advancingClock(NOW));
    if (plan.result.kind !== 'plan') throw new Error(`expected a plan, got ${plan.result.kind}`);
    const [fetch] = plan.result.plan.fetches ?? [];
    expect(fetch!.sources).toEqual(['csv', 'yahoo']);
    // The dry run asked Yahoo nothing (it only read the folder) and wrote nothing.
    expect(mock.count({ endpoint: 'chart' })).toBe(chartCalls);
    expect(querySql<{ n: number }>(db, `SELECT count(*) AS n FROM market_data_fetch_log`)[0]!.n).toBe(0);

    const run = await runEngine(db, RANGE, mock.fetch, advancingClock(NOW));
    if (run.result.kind !== 'run') throw new Error(`expected a run, got ${run.result.kind}`);
    const providers = run.result.summary.market_data['providers'] as Record<string, { requests: number }>;
    // One range per needed symbol: each asked of the folder, and all but MSFT's of Yahoo too.
    expect(providers['csv']!.requests).toBe(fetch!.ranges.length);
    expect(providers['yahoo']!.requests).toBe(fetch!.ranges.length - 1);
    expect(querySql(db, `SELECT DISTINCT symbol FROM market_data_fetch_log WHERE provider = 'yahoo' AND symbol = 'MSFT'`)).toEqual([]);
    expect(fetch!.estimatedRequests).toBe(run.result.summary.market_data['requests']);
  });

  it("the tracking rows' market_data counters add up to the run summary's: a chunk prefetch's requests are on the chunk's first date", async () => {
    const db = join(dir, 'tracking.db');
    createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    // Two chunks (03-03..07 and 03-10..14): each prefetch asks for its ranges. (Last: it adds to the mock's counts.)
    const run = await runEngine(db, { startDate: '2025-03-03', endDate: '2025-03-14', chunkDays: 7 }, mock.fetch, advancingClock(NOW));
    if (run.result.kind !== 'run') throw new Error(`expected a run, got ${run.result.kind}`);
    const summary = run.result.summary.market_data;
    expect(summary['requests']).toBeGreaterThan(0);
    const rows = querySql<{ run_date: string; metadata: string }>(db, `SELECT run_date, metadata FROM batch_run_tracking ORDER BY run_date`).map((r) => ({
      date: r.run_date,
      md: (JSON.parse(r.metadata) as { market_data: Record<string, unknown> & { prefetch?: Record<string, unknown> } }).market_data,
    }));
    expect(rows.map((r) => r.date)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14']);
    const sum = (key: string) => rows.reduce((s, r) => s + Number(r.md[key]), 0);
    expect(sum('requests_made')).toBe(summary['requests']);
    expect(sum('rows_upserted')).toBe(summary['rows_upserted']);
    expect(sum('retries')).toBe(summary['retries']);
    const yahoo = (md: Record<string, unknown>) => (md['providers'] as Record<string, { requests: number }>)['yahoo']?.requests ?? 0;
    expect(rows.reduce((s, r) => s + yahoo(r.md), 0)).toBe((summary['providers'] as Record<string, { requests: number }>)['yahoo']!.requests);
    // The prefetch's report, with its requests and its chunk's range, is on each chunk's first date only.
    const withPrefetch = rows.filter((r) => r.md.prefetch);
    expect(withPrefetch.map((r) => [r.date, r.md.prefetch!['first_date'], r.md.prefetch!['last_date']])).toEqual([
      ['2025-03-03', '2025-03-03', '2025-03-07'],
      ['2025-03-10', '2025-03-10', '2025-03-14'],
    ]);
    for (const r of withPrefetch) {
      expect(r.md.prefetch!['requests_made']).toBeGreaterThan(0);
      expect(Number(r.md['requests_made'])).toBeGreaterThanOrEqual(Number(r.md.prefetch!['requests_made']));
    }
    // The prefetches asked for everything: the other dates asked nothing.
    expect(withPrefetch.reduce((s, r) => s + Number(r.md.prefetch!['requests_made']), 0)).toBe(summary['requests']);
    // The legacy symbols_fetched column counts the prefetch's symbols on the same dates: MSFT and
    // the factor ETFs the first chunk fetched, what the second chunk's prefetch fetched, none after.
    const fetched = querySql<{ run_date: string; symbols_fetched: number }>(db, `SELECT run_date, symbols_fetched FROM batch_run_tracking ORDER BY run_date`);
    const withSymbols = fetched.filter((r) => r.symbols_fetched > 0).map((r) => r.run_date);
    expect(withSymbols).toEqual(['2025-03-03', '2025-03-10']);
    expect(fetched[0]!.symbols_fetched).toBe(withPrefetch[0]!.md.prefetch!['symbols']);
  });
});
