/**
 * What a run says when the provider rate-limits it or its circuit opens (SPEC.md e.6, e.7, h.5):
 * the opening is one warn event that says what it means; the requests the open circuit refused
 * (sent nowhere, so no HTTP event at info level says anything of them) are one warn line per
 * spell, given when the circuit next changes state; and the run summary's warnings say how many
 * requests were rate-limited and refused, and what to do next. Yahoo is the local mock, failing
 * every call.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../core/api/telemetry-events';
import type { IsoDate } from '../../core/domain/iso-date';
import type { Clock } from '../../core/ports/clock';
import { tempDir } from '../support/cli';
import { advancingClock, createSmallDatabase, runEngine, SHRUNK_WAIT_SETTINGS } from '../support/market-data-engine';
import { useGuardedYahooMock, type MockFault } from '../support/yahoo-mock';

const ENTRY = '2025-03-03' as IsoDate;
const LOTS = ['MSFT', 'KO', 'NVDA'].map((symbol) => ({ symbol, quantity: 100, entryDate: ENTRY }));
const NOW = '2025-03-15T12:00:00Z';
const RANGE = { startDate: '2025-03-03', endDate: '2025-03-07' };

/**
 * The provider's clock, moving 1 ms each time it is read, whatever the machine's load: the
 * circuit's 100 ms cooldown then ends after the same work in every run (on a busy machine real
 * time let it end between any two requests, so none was refused and no spell was reported).
 */
function steppingClock(startIso: string): Clock {
  let t = Date.parse(startIso);
  return { now: () => (t += 1) };
}

const metrics = (events: readonly TelemetryEvent[], name: string) => events.flatMap((e) => (e.event === 'metric' && e.payload.name === name ? [{ level: e.level, value: e.payload.value, tags: e.payload.tags }] : []));

describe('rate limits and an open circuit are said', () => {
  const dir = tempDir('batchdesk-md-circuit-notices-');
  const yahoo = useGuardedYahooMock();
  let n = 0;

  it('rate limiting: the opening warns in words, and the summary counts the 429s and the refusals, with what to do', async () => {
    // The SPEC cooldown (60 s): the circuit opens in the prefetch and stays open to the end.
    const db = join(dir, `limited-${++n}.db`);
    createSmallDatabase(db, LOTS, { ...SHRUNK_WAIT_SETTINGS, 'market_data.circuit_cooldown_ms': 60_000, 'market_data.circuit_cooldown_max_ms': 600_000 }, Date.parse(NOW));
    yahoo.mock.failEverything({ kind: 'rate_limit' } as MockFault);
    const run = await runEngine(db, RANGE, yahoo.mock.fetch, advancingClock(NOW));
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;

    const opened = metrics(run.events, 'circuit_state').filter((m) => m.tags['state'] === 'open');
    expect(opened.map((m) => [m.level, m.tags['message']])).toEqual([
      [
        'warn',
        'the yahoo circuit opened after repeated rate limiting (HTTP 429): requests to yahoo are refused without being sent until its cooldown ends, then one trial request goes; dates left without a close are recorded as rate_limited',
      ],
    ]);
    // Still open at the end: no change of state reports its refusals; the summary counts them.
    expect(metrics(run.events, 'circuit_refusals')).toEqual([]);
    const md = run.result.summary.market_data;
    const refused = (md['providers'] as Record<string, { refused: number }>)['yahoo']!.refused;
    expect(refused).toBeGreaterThan(0);
    expect(md['rate_limited']).toBeGreaterThan(0);
    expect(run.result.summary.warnings).toContain(
      `the price provider refused requests: ${String(md['rate_limited'])} requests ended rate-limited (HTTP 429) after their retries; the circuit breaker opened 1 time and refused ${refused} requests without sending them. The closes it did not give are recorded as rate_limited or provider_error, and a fallback close is used where one exists; run again later, or with --market-data offline (the price cache and a --csv-dir folder, no network)`,
    );
  });

  it('server errors with a short cooldown: each spell of refusals is one warn line when the circuit half-opens, adding up to the summary', async () => {
    const db = join(dir, `errors-${++n}.db`);
    createSmallDatabase(db, LOTS, SHRUNK_WAIT_SETTINGS, Date.parse(NOW));
    yahoo.mock.failEverything({ kind: 'server_error' } as MockFault);
    const run = await runEngine(db, RANGE, yahoo.mock.fetch, advancingClock(NOW), undefined, steppingClock(NOW));
    expect(run.result.kind).toBe('run');
    if (run.result.kind !== 'run') return;

    const spells = metrics(run.events, 'circuit_refusals');
    const refused = (run.result.summary.market_data['providers'] as Record<string, { refused: number }>)['yahoo']!.refused;
    const states = metrics(run.events, 'circuit_state').map((m) => m.tags['state']);
    expect(refused, JSON.stringify({ md: run.result.summary.market_data, states })).toBeGreaterThan(0);
    expect(spells.length, JSON.stringify({ md: run.result.summary.market_data, states })).toBeGreaterThan(0);
    for (const s of spells) {
      expect(s.level).toBe('warn');
      expect(s.value).toBeGreaterThan(0);
      expect(s.tags['message']).toBe(`the open yahoo circuit refused ${s.value} request${s.value === 1 ? '' : 's'} without sending ${s.value === 1 ? 'it' : 'them'}; their dates without a close are recorded as provider_error`);
    }
    // Those of the last spell may be left for the summary (the circuit may still be open at the end).
    expect(spells.reduce((t, s) => t + (s.value ?? 0), 0)).toBeLessThanOrEqual(refused);
    const opens = Number(run.result.summary.market_data['circuit_opens']);
    expect(run.result.summary.warnings.some((w) => w.startsWith(`the price provider refused requests: the circuit breaker opened ${opens} times and refused ${refused} requests without sending them.`))).toBe(true);
  });
});
