/**
 * `run`'s progress lines about market data (SPEC.md k.1, e.1, e.7, e.8): the prefetch line says
 * what happens to the ranges the cache lacks in the words of the source chain (offline nothing is
 * fetched, so it does not say "to fetch"); an opening circuit and the requests it refused are
 * warnings. The run's totals of them are a warning of the run summary, which `run` prints
 * (test/host/market-data-circuit-notices.test.ts, test/cli/run-summary-warnings.test.ts).
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
});
