/**
 * The Live screen's event log speaks words (SPEC.md h.7, renderer/features/telemetry/log-words.ts):
 * every metric the engine and the hosts emit reads as a sentence after its name, with counts,
 * durations and percentages formatted and a portfolio shortened to 8 characters, named when the
 * log knows its name. Each payload below is the one its emitter builds (the file is named);
 * a metric without words, or with tags its sentence is not made of, keeps the raw form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../core/api/telemetry-events';
import { logText, metricLine, portfolioLabel } from '../../../renderer/features/telemetry/log-words';
import { phaseResultEvent } from '../../support/telemetry/event-builders';

type Metric = EventPayload<'metric'>;

const PID = '1d8ddd95-6f2a-4c1e-9b3e-2f9d1c7a0b11';
const NAMES = new Map([[PID, 'Growth Fund']]);

const metric = (name: string, value: number | null, fields: Partial<Omit<Metric, 'name' | 'value'>> = {}): Metric => ({ name, value, unit: null, date: null, portfolio_id: null, tags: {}, ...fields });

/** Each metric as emitted, and its line in the log (portfolio names known). */
const SENTENCES: Readonly<Record<string, readonly [Metric, string][]>> = {
  // core/engine/run-engine.ts
  heartbeat: [[metric('heartbeat', null), 'heartbeat: the run is alive: it wrote its lock heartbeat']],
  chunk_result: [
    [
      metric('chunk_result', 5, { tags: { index: 1, first_date: '2025-07-08', last_date: '2025-07-14', statuses: ['success', 'success', 'partial', 'success', 'success'], duration_ms: 12_345, missing_price_count: 1204 } }),
      'chunk_result: chunk 2 (2025-07-08 .. 2025-07-14) done in 12.3 s: 5 dates (4 success, 1 partial), 1,204 missing prices',
    ],
  ],
  guard_result: [
    [metric('guard_result', 0, { tags: { status: 'pass' } }), 'guard_result: the post-run guard passed: no findings'],
    [metric('guard_result', 3, { tags: { status: 'fail' } }), 'guard_result: the post-run guard failed: 3 findings'],
  ],
  gate_changed: [[metric('gate_changed', null, { tags: { state: 'closed', reason: 'guard failed with 3 finding(s)' } }), 'gate_changed: the regression gate closed: guard failed with 3 finding(s)']],
  stale_marked: [
    [
      metric('stale_marked', 2, { portfolio_id: PID, unit: null, tags: { from: '2025-07-02', to: '2025-07-03', after: '2025-07-01', target_date: '2025-07-03' } }),
      'stale_marked: 2 later dates of 1d8ddd95 (Growth Fund) are now stale (2025-07-02 .. 2025-07-03): its marks or snapshots of 2025-07-01 changed; re-run them, or run with "retry failed phases only"',
    ],
  ],
  market_data_mode: [
    [
      metric('market_data_mode', null, { tags: { mode: 'offline', message: 'offline mode: using the local price cache only; nothing is fetched' } }),
      'market_data_mode: offline mode: using the local price cache only; nothing is fetched',
    ],
  ],
  // core/phases/market-data/fetch-range.ts
  price_validation_flag: [
    [
      metric('price_validation_flag', 412.5, { date: '2025-07-03', tags: { symbol: 'AAPL', flag: 'jump', provider: 'yahoo', reference: 201.1, stored_close_kept: false } }),
      'price_validation_flag: AAPL on 2025-07-03 from yahoo: the close moved beyond the jump threshold; kept and listed as a suspect price',
    ],
  ],
  csv_bad_row: [
    [
      metric('csv_bad_row', 7, { tags: { symbol: 'AAPL', file: 'prices/aapl.csv', line: 7, column: 'date', message: '2025-07-06 is not a trading day; the row is dropped' } }),
      'csv_bad_row: bad CSV row skipped: prices/aapl.csv line 7 column date: 2025-07-06 is not a trading day; the row is dropped',
    ],
  ],
  csv_conflict: [
    [
      metric('csv_conflict', 1, { date: '2025-07-02', tags: { message: 'AAPL on 2025-07-02: a.csv says 201.10, b.csv says 201.30; a.csv is used', symbol: 'AAPL', dates: ['2025-07-02'], conflicts: [] } }),
      'csv_conflict: AAPL on 2025-07-02: a.csv says 201.10, b.csv says 201.30; a.csv is used',
    ],
  ],
  provider_request: [
    [
      metric('provider_request', 1, { unit: 'requests', tags: { symbol: 'AAPL', provider: 'yahoo', outcome: 'ok', start: '2025-07-01', end: '2025-07-07', rows: 5, http_requests: 1, retries: 0 } }),
      'provider_request: AAPL 2025-07-01 .. 2025-07-07 from yahoo: answered, 5 valid closes, 1 HTTP request, no retry',
    ],
    [
      metric('provider_request', 1, { unit: 'requests', tags: { symbol: 'ZM', provider: 'yahoo', outcome: 'rate_limited', start: '2025-07-01', end: '2025-07-01', rows: 0, http_requests: 3, retries: 2 } }),
      'provider_request: ZM 2025-07-01 from yahoo: rate limited, 0 valid closes, 3 HTTP requests, 2 retries',
    ],
  ],
  // core/phases/market-data/prefetch.ts
  fetch_plan: [
    [
      metric('fetch_plan', 12, { date: '2025-07-01', tags: { symbols: 1064, requested_days: 340, fetch_mode: 'gap_fill', sources: ['yahoo'], first_index: 100, chunk_index: 0, chunk_count: 19, last_date: '2025-07-07' } }),
      'fetch_plan: chunk 1 of 19 (2025-07-01 .. 2025-07-07): 1,064 symbols, 12 ranges to fetch (340 days) from yahoo; fetch mode gap fill',
    ],
    [
      metric('fetch_plan', 0, { date: '2025-07-01', tags: { symbols: 64, requested_days: 0, fetch_mode: 'cached', sources: [], first_index: 100, chunk_index: 0, chunk_count: 1, last_date: '2025-07-01' } }),
      'fetch_plan: chunk 1 of 1 (2025-07-01): 64 symbols, nothing to fetch; fetch mode cached',
    ],
    // Offline: the CSV folder alone reads its ranges from files; without one nothing is asked.
    [
      metric('fetch_plan', 3, { date: '2025-07-01', tags: { symbols: 55, requested_days: 6, fetch_mode: 'incremental', sources: ['csv'], first_index: 100, chunk_index: 0, chunk_count: 1, last_date: '2025-07-10' } }),
      'fetch_plan: chunk 1 of 1 (2025-07-01 .. 2025-07-10): 55 symbols, 3 ranges (6 days) to read from the CSV folder; fetch mode incremental',
    ],
    [
      metric('fetch_plan', 3, { date: '2025-07-01', tags: { symbols: 55, requested_days: 6, fetch_mode: 'incremental', sources: [], first_index: 100, chunk_index: 0, chunk_count: 1, last_date: '2025-07-10' } }),
      'fetch_plan: chunk 1 of 1 (2025-07-01 .. 2025-07-10): 55 symbols, 3 ranges (6 days) missing from the cache, not fetched (offline); fetch mode incremental',
    ],
  ],
  csv_ignored_file: [
    [
      metric('csv_ignored_file', null, { tags: { provider: 'csv', file: '^VIX.csv', symbol: 'VIX', message: '^VIX.csv in the CSV folder is not read: rename it VIX.csv' } }),
      'csv_ignored_file: ^VIX.csv in the CSV folder is not read: rename it VIX.csv',
    ],
  ],
  circuit_refusals: [
    [
      metric('circuit_refusals', 12, { unit: 'requests', tags: { provider: 'yahoo', cause: 'errors', message: 'the open yahoo circuit refused 12 requests without sending them' } }),
      'circuit_refusals: the open yahoo circuit refused 12 requests without sending them',
    ],
  ],
  // core/phases/market-data/provider-metrics.ts
  provider_http_request: [
    [metric('provider_http_request', 123.4, { unit: 'ms', tags: { provider: 'yahoo', symbol: 'AAPL', status: 200 } }), 'provider_http_request: yahoo answered HTTP 200 for AAPL in 123 ms'],
    [metric('provider_http_request', 10_000, { unit: 'ms', tags: { provider: 'yahoo', symbol: 'AAPL', status: 'timeout' } }), 'provider_http_request: yahoo request for AAPL timed out after 10.0 s'],
    [metric('provider_http_request', 5120, { unit: 'ms', tags: { provider: 'yahoo', symbol: 'AAPL', status: 'network_error' } }), 'provider_http_request: yahoo request for AAPL failed: network error after 5.12 s'],
    [metric('provider_http_request', 0, { unit: 'ms', tags: { provider: 'yahoo', symbol: 'AAPL', status: 'circuit_open' } }), 'provider_http_request: yahoo request for AAPL not sent: the circuit is open'],
  ],
  provider_retry: [
    [metric('provider_retry', 2000, { unit: 'ms', tags: { provider: 'yahoo', symbol: 'AAPL', attempt: 1, cause: 'rate_limited' } }), 'provider_retry: retry 1 of the yahoo request for AAPL in 2.00 s, after rate limiting'],
  ],
  circuit_state: [
    [metric('circuit_state', null, { tags: { provider: 'yahoo', state: 'open', cause: 'errors' } }), 'circuit_state: the yahoo circuit opened (repeated errors): requests to it wait until it half-opens'],
    [metric('circuit_state', null, { tags: { provider: 'yahoo', state: 'half_open', cause: null } }), 'circuit_state: the yahoo circuit is half open: one trial request goes through'],
    [metric('circuit_state', null, { tags: { provider: 'yahoo', state: 'closed', cause: null } }), 'circuit_state: the yahoo circuit closed: requests go through again'],
  ],
  // core/phases/analytics.ts
  insufficient_coverage: [
    [
      metric('insufficient_coverage', 0.25, { date: '2025-07-01', portfolio_id: PID, tags: { total_positions: 12, positions_skipped: 3, positions_ignored: 1, missing_ratio: 0.25, threshold: 0.1, symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'ZM', 'AMD', 'INTC'] } }),
      'insufficient_coverage: 2025-07-01 analytics skipped for 1d8ddd95 (Growth Fund): no mark for 3 of 12 positions (25.00%), above the 10.00% limit; unmarked: AAPL, MSFT, NVDA, TSLA, ZM and 2 more',
    ],
  ],
  analytics_job_result: [
    [
      metric('analytics_job_result', 14.2, { unit: 'ms', date: '2025-07-01', portfolio_id: PID, tags: { job: 'risk_metrics', success: true, reason: null, status: 'success', volatility: 0.2 } }),
      'analytics_job_result: 2025-07-01 risk metrics for 1d8ddd95 (Growth Fund): success in 14 ms',
    ],
    [
      metric('analytics_job_result', 1500, { unit: 'ms', date: '2025-07-01', portfolio_id: PID, tags: { job: 'factor_exposures', success: false, reason: 'exception', status: 'failed' } }),
      'analytics_job_result: 2025-07-01 factor exposures for 1d8ddd95 (Growth Fund): failed, unexpected error (exception), in 1.50 s',
    ],
  ],
  // host/maintenance/dump-import.ts
  import_progress: [
    [
      metric('import_progress', 3 * 1024 ** 2, { unit: 'bytes', tags: { table: 'market_data_cache', source_table: 'public.market_data_cache', total_bytes: 12 * 1024 ** 2, rows: 48_210 } }),
      'import_progress: public.market_data_cache into market_data_cache: 3.0 MiB of 12.0 MiB (25%) read, 48,210 rows',
    ],
  ],
  // host/maintenance/step-events.ts, from restore.ts and purge.ts
  restore_step: [
    [
      metric('restore_step', 2, { tags: { step: 'safety_backup', steps: ['Verifying the backup', 'Making a verified safety backup of the current database', 'Replacing the database with the backup'] } }),
      'restore_step: step 2 of 3: Making a verified safety backup of the current database',
    ],
  ],
  purge_step: [[metric('purge_step', 1, { tags: { step: 'count', steps: ['Counting the rows of every table', 'Deleting the derived rows in one transaction'] } }), 'purge_step: step 1 of 2: Counting the rows of every table']],
  // host/handlers/database-replaced.ts
  database_replaced: [
    [metric('database_replaced', null, { tags: { cause: 'restore' } }), 'database_replaced: the database was replaced by a restore: the runs shown before are gone, and the views read the new file'],
    [
      metric('database_replaced', null, { tags: { cause: 'other_process' } }),
      'database_replaced: the database was replaced by another process (a restore or an import from a terminal): the runs shown before are gone, and the views read the new file',
    ],
  ],
};

/** The metric names the engine and the host emit, read from their sources (a name passed as a literal, or the step reporters'). */
function emittedMetricNames(): string[] {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
  const root = resolve(import.meta.dirname, '../../..');
  const names = new Set<string>(['database_replaced']);
  for (const file of [...files(join(root, 'core')), ...files(join(root, 'host'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:\.metric|stepReporter)\(\s*'([a-z_]+)'/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

describe('metric lines', () => {
  it.each(Object.entries(SENTENCES))('%s reads as a sentence', (_name, cases) => {
    for (const [m, line] of cases) expect(metricLine(m, NAMES)).toBe(line);
  });

  it('every metric the engine and the host emit has its sentence above', () => {
    expect(emittedMetricNames()).toEqual(Object.keys(SENTENCES).sort());
  });

  it('names a portfolio by its short id while the log does not know its name', () => {
    const [m] = SENTENCES['stale_marked']![0]!;
    expect(metricLine(m)).toBe(
      'stale_marked: 2 later dates of 1d8ddd95 are now stale (2025-07-02 .. 2025-07-03): its marks or snapshots of 2025-07-01 changed; re-run them, or run with "retry failed phases only"',
    );
    expect(portfolioLabel(PID, new Map())).toBe('1d8ddd95');
  });

  it('an unknown metric keeps the raw name=value form, nothing lost', () => {
    expect(metricLine(metric('cache_warmup', 42, { unit: 'ms', date: '2025-07-01', tags: { symbols: 3, sources: ['yahoo'] } }))).toBe('cache_warmup=42ms date=2025-07-01 symbols=3 sources=["yahoo"]');
  });

  it('a known metric whose tags its sentence is not made of keeps the raw form', () => {
    expect(metricLine(metric('guard_result', 2, { tags: { verdict: 'pass' } }))).toBe('guard_result=2 verdict=pass');
    expect(metricLine(metric('stale_marked', 2, { tags: { from: '2025-07-02', to: '2025-07-03', after: '2025-07-01' } }))).toBe('stale_marked=2 from=2025-07-02 to=2025-07-03 after=2025-07-01');
  });

  it('a metric or a code named like an object property is no sentence nor word either', () => {
    expect(metricLine(metric('constructor', 1))).toBe('constructor=1');
    expect(metricLine(metric('guard_result', 1, { tags: { status: 'toString' } }))).toBe('guard_result: the post-run guard ended toString: 1 finding');
  });
});

describe('lifecycle lines', () => {
  it('name the portfolio of a phase when the log knows it', () => {
    const e = phaseResultEvent('2025-07-01', 'marks', PID, 'success', 4);
    expect(logText(e)).toBe('2025-07-01 marks [1d8ddd95] success 5ms');
    expect(logText(e, NAMES)).toBe('2025-07-01 marks [1d8ddd95 (Growth Fund)] success 5ms');
  });
});
