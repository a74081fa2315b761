// @vitest-environment happy-dom
/**
 * Issue 8 acceptance: under a flood of 10,000 telemetry events the UI updates at most 10
 * times a second, and every discrete failure event arrives. The events go one by one through
 * a fake transport into the real engine client, live store and Live screen; React commits
 * are counted with a Profiler on simulated time. Then the failed cell is opened.
 */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Profiler } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import { ServicesProvider } from '../../../renderer/app-context';
import { EngineClient } from '../../../renderer/engine-client/engine-client';
import { LiveScreen } from '../../../renderer/features/telemetry/live-screen';
import { LiveStore } from '../../../renderer/state/live-store';
import { fakeLayout } from '../../support/app/fake-layout';
import { FakeTransport } from '../../support/app/fake-transport';
import { dateResultEvent, metricEvent, phaseResultEvent, phaseStartEvent } from '../../support/telemetry/event-builders';

const DATES = Array.from({ length: 20 }, (_, i) => `2025-07-${String(i + 1).padStart(2, '0')}`);

function flood(): TelemetryEvent[] {
  const out: TelemetryEvent[] = [];
  let seq = 0;
  for (let i = 0; out.length < 10_000; i++) {
    const date = DATES[Math.floor(i / 500) % DATES.length]!;
    const k = i % 500;
    if (k === 0) out.push(phaseStartEvent(date, 'market_data', null, ++seq));
    else if (k === 250) out.push(phaseResultEvent(date, 'marks', 'p1', 'failed', ++seq, { reason: 'exception', error: `lot mark failed on ${date}` }));
    else if (k === 499) out.push(dateResultEvent(date, 'failed', ++seq));
    else if (k % 2 === 0) out.push(metricEvent('heartbeat', k, ++seq));
    else out.push(metricEvent('provider_request', 1, ++seq));
  }
  return out;
}

beforeEach(() => {
  fakeLayout(); // so the virtualized grid renders rows
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('Live screen under a telemetry flood', () => {
  it('commits at most 10 updates a second and shows every failure', async () => {
    const transport = new FakeTransport({
      listPortfolios: () => ({ portfolios: [] }),
      getDateDetail: () => ({ row: null, phaseStatus: null, metadata: null }),
      getOtherProcessRun: () => ({ run: null }),
      cancelRun: () => ({ requested: false, status: { state: 'idle', runId: null, batchRunId: null, startedAt: null, datesPlanned: 0, datesDone: 0, exitCode: null, summary: null, error: null, lockHolder: null } }),
    });
    const client = new EngineClient(transport, { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) });
    client.connect();
    const live = new LiveStore(client);
    live.start();
    const commits: number[] = [];
    render(
      <ServicesProvider value={{ client, live }}>
        <Profiler id="live" onRender={() => commits.push(Date.now())}>
          <LiveScreen />
        </Profiler>
      </ServicesProvider>,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    const startCommits = commits.length;
    const updatesBefore = live.updates;
    const t0 = Date.now();
    const events = flood();
    // 10,000 events over 2 simulated seconds, pushed one at a time.
    await act(async () => {
      for (let i = 0; i < events.length; i++) {
        transport.emit(events[i]);
        if (i % 50 === 49) await vi.advanceTimersByTimeAsync(10);
      }
      await vi.advanceTimersByTimeAsync(500);
    });
    const seconds = (Date.now() - t0) / 1000;
    console.log(`flood: ${events.length} events, ${live.updates - updatesBefore} store updates, ${commits.length - startCommits} React commits over ${seconds} s (simulated)`);
    const updates = live.updates - updatesBefore;
    expect(updates).toBeGreaterThan(5);
    expect(updates).toBeLessThanOrEqual(Math.ceil(seconds * 10));
    const floodCommits = commits.slice(startCommits);
    for (let i = 0; i < floodCommits.length; i++) {
      const inWindow = floodCommits.filter((t) => t >= floodCommits[i]! && t < floodCommits[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    // Every discrete failure and date result arrived.
    const state = live.getSnapshot();
    const failures = state.log.filter((l) => l.event === 'phase_result' && l.level === 'error');
    expect(failures).toHaveLength(events.filter((e) => e.event === 'phase_result').length);
    expect(state.datesDone).toBe(events.filter((e) => e.event === 'date_result').length);
    expect(state.counters.providerRequests).toBe(events.filter((e) => e.event === 'metric' && e.payload.name === 'provider_request').length);
    expect(client.droppedInvalid).toBe(0);
    // The failed cell is in the grid and opens its drill-down.
    const cell = screen.getByTestId('cell-2025-07-20-marks');
    expect(cell.getAttribute('data-status')).toBe('failed');
    vi.useRealTimers();
    fireEvent.click(cell);
    await waitFor(() => expect(screen.getByTestId('cell-detail-error').textContent).toContain('lot mark failed on 2025-07-20'));
  });

  it('drops malformed events and keeps the valid ones', async () => {
    const transport = new FakeTransport();
    const client = new EngineClient(transport, { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) });
    client.connect();
    const got: TelemetryEvent[] = [];
    client.onTelemetry((b) => got.push(...b.events));
    transport.emit({ events: [{ event: 'phase_result', payload: {} }, dateResultEvent('2025-07-01', 'success', 2), 'garbage'], counts: { phase_start: 'x' }, coalesced: 0 });
    await vi.advanceTimersByTimeAsync(200);
    expect(got.map((e) => e.seq)).toEqual([2]);
    expect(client.droppedInvalid).toBe(2);
  });
});
