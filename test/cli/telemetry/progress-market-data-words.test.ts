/**
 * `run`'s progress lines about market data (SPEC.md k.1, e.1, e.7, e.8): the prefetch line says
 * what happens to the ranges the cache lacks in the words of the source chain (offline nothing is
 * fetched, so it does not say "to fetch"); an opening circuit and the requests it refused are
 * warnings; and a run the provider rate-limited, or whose circuit opened, ends with one line
 * saying so and what to do next, from the market_data metrics that add up to the run summary's.
 */
import { describe, expect, it } from 'vitest';
import type { EventLevel } from '../../../core/api/telemetry-events';
import { createTelemetry, type Telemetry } from '../../../core/telemetry/record-metric';
import { progressSink } from '../../../cli/telemetry/progress-sink';

function setup(level: EventLevel = 'info'): { lines: string[]; telemetry: Telemetry } {
  const lines: string[] = [];
  const sink = progressSink((l) => lines.push(l), { tty: false, level, now: () => 0 });
  return { lines, telemetry: createTelemetry({ clock: { now: () => Date.parse('2026-11-27T23:00:00Z') }, sinks: [sink], strict: true, runId: 'r1' }) };
}

const plan = (t: Telemetry, ranges: number, sources: string[], fetchMode = 'incremental') =>
  t.metric('fetch_plan', ranges, { date: '2025-07-01', tags: { symbols: 55, requested_days: 6, fetch_mode: fetchMode, sources, chunk_index: 0, chunk_count: 1, last_date: '2025-07-10' }, source: 'market_data' });

function marketData(t: Telemetry, date: string, m: Record<string, unknown>): void {
  t.recordMetric('phase_result', { date, phase: 'market_data', portfolio_id: null, status: 'success', critical: true, duration_ms: 5, reason: null, error: null, metrics: m, missing_price_count: 0, fallback_count: 0 });
}

function runResult(t: Telemetry): void {
  t.recordMetric('run_result', { status: 'completed', exit_code: 0, dates_planned: 2, dates_succeeded: 2, dates_partial: 0, dates_failed: 0, dates_skipped: 0, duration_ms: 100, cancelled: false, guard_status: 'pass' });
}

describe('market data in the progress lines', () => {
  it('the prefetch line: online "to fetch", a CSV folder alone "to read", no source "missing from the cache, not fetched"', () => {
    const { lines, telemetry } = setup();
    plan(telemetry, 3, ['csv', 'yahoo']);
    plan(telemetry, 3, ['csv']);
    plan(telemetry, 3, []);
    plan(telemetry, 1, []);
    expect(lines).toEqual([
      '[chunk 1/1] 2025-07-01 .. 2025-07-10  prefetch: 55 symbols, 3 ranges to fetch (incremental)',
      '[chunk 1/1] 2025-07-01 .. 2025-07-10  prefetch: 55 symbols, 3 ranges to read from the CSV folder (incremental)',
      '[chunk 1/1] 2025-07-01 .. 2025-07-10  prefetch: 55 symbols, 3 ranges missing from the cache (offline: nothing is fetched)',
      '[chunk 1/1] 2025-07-01 .. 2025-07-10  prefetch: 55 symbols, 1 range missing from the cache (offline: nothing is fetched)',
    ]);
  });

  it('an opening circuit and its refusals are warnings; its closing is a plain line; a half-open state says nothing', () => {
    const { lines, telemetry } = setup();
    telemetry.metric('circuit_state', null, { tags: { provider: 'yahoo', state: 'open', cause: 'errors', message: 'the yahoo circuit opened' }, source: 'market_data', level: 'warn' });
    telemetry.metric('circuit_refusals', 12, { unit: 'requests', tags: { provider: 'yahoo', cause: 'errors', message: 'the open yahoo circuit refused 12 requests' }, source: 'market_data', level: 'warn' });
    telemetry.metric('circuit_state', null, { tags: { provider: 'yahoo', state: 'half_open', cause: 'errors' }, source: 'market_data', level: 'info' });
    telemetry.metric('circuit_state', null, { tags: { provider: 'yahoo', state: 'closed', cause: null, message: 'the yahoo circuit closed' }, source: 'market_data', level: 'info' });
    expect(lines).toEqual(['warning: the yahoo circuit opened', 'warning: the open yahoo circuit refused 12 requests', 'the yahoo circuit closed']);
  });

  it('a run the provider rate-limited, or whose circuit opened, ends with the line of its totals and what to do; a quiet run with none', () => {
    const { lines, telemetry } = setup();
    marketData(telemetry, '2025-07-01', { rate_limited_count: 2, circuit_open_count: 1, providers: { csv: { requests: 3, refused: 0 }, yahoo: { requests: 9, refused: 5 } } });
    marketData(telemetry, '2025-07-02', { rate_limited_count: 1, circuit_open_count: 0, providers: { yahoo: { requests: 4, refused: 4 } } });
    runResult(telemetry);
    expect(lines.at(-1)).toBe(
      'warning: the price provider refused requests: 3 requests ended rate-limited (HTTP 429) after their retries; the circuit breaker opened 1 time and refused 9 requests without sending them. The closes it did not give are recorded as rate_limited or provider_error, and a fallback close is used where one exists; run again later, or with --market-data offline (the price cache and a --csv-dir folder, no network)',
    );

    const clean = setup();
    marketData(clean.telemetry, '2025-07-01', { rate_limited_count: 0, circuit_open_count: 0, providers: { yahoo: { requests: 9, refused: 0 } } });
    runResult(clean.telemetry);
    expect(clean.lines.filter((l) => l.startsWith('warning:'))).toEqual([]);
  });

  it('the line is given at --log-level warn (the date lines are not), and not at --log-level error', () => {
    const warn = setup('warn');
    marketData(warn.telemetry, '2025-07-01', { rate_limited_count: 1, circuit_open_count: 0, providers: {} });
    runResult(warn.telemetry);
    expect(warn.lines).toEqual([expect.stringMatching(/^warning: the price provider refused requests: 1 request ended rate-limited \(HTTP 429\) after its retries\. /)]);
    const quiet = setup('error');
    marketData(quiet.telemetry, '2025-07-01', { rate_limited_count: 1, circuit_open_count: 0, providers: {} });
    runResult(quiet.telemetry);
    expect(quiet.lines).toEqual([]);
  });
});
