/**
 * The renderer bridge in main (SPEC.md h.1): a flood of 10,000 events reaches the window as at
 * most 10 messages a second, every discrete event included, engine status sent as it changes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../core/api/bridge';
import type { EngineStatus } from '../../../core/api/engine-status';
import type { TelemetryEvent } from '../../../core/api/telemetry-events';
import type { TelemetryBatch } from '../../../core/api/telemetry-throttle';
import { bridgeTelemetry } from '../../../electron/main/telemetry-bridge';
import { dateResultEvent, metricEvent, phaseResultEvent } from '../../support/telemetry/event-builders';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('telemetry bridge to the renderer', () => {
  it('10k events: at most 10 sends a second, every failure and date result delivered', () => {
    const listeners = new Set<(e: TelemetryEvent) => void>();
    const statusListeners = new Set<(s: EngineStatus) => void>();
    const source = {
      onEvent: (l: (e: TelemetryEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
      onStatus: (l: (s: EngineStatus) => void) => (statusListeners.add(l), () => statusListeners.delete(l)),
      currentStatus: { state: 'ready', restarts: 0, recoveredLock: null } as EngineStatus,
    };
    const sent: { at: number; channel: string; payload: unknown }[] = [];
    const wc = { isDestroyed: () => false, send: (channel: string, payload: unknown) => sent.push({ at: Date.now(), channel, payload }) };
    const stop = bridgeTelemetry(source, () => wc as never);
    const t0 = Date.now();
    let discrete = 0;
    for (let i = 1; i <= 10_000; i++) {
      let e: TelemetryEvent;
      if (i % 97 === 0) {
        e = phaseResultEvent('2025-07-01', 'marks', 'p1', 'failed', i, { error: 'x' });
        discrete++;
      } else if (i % 101 === 0) {
        e = dateResultEvent('2025-07-01', 'success', i);
        discrete++;
      } else e = metricEvent('heartbeat', i, i);
      for (const l of listeners) l(e);
      if (i % 5 === 0) vi.advanceTimersByTime(1); // 10k events over 2 s
    }
    vi.advanceTimersByTime(1000);
    for (const l of statusListeners) l({ state: 'crashed', message: 'boom', restarts: 1 });
    const batches = sent.filter((s) => s.channel === IPC_CHANNELS.telemetry);
    for (let i = 1; i < batches.length; i++) expect(batches[i]!.at - batches[i - 1]!.at).toBeGreaterThanOrEqual(100);
    const elapsed = (batches[batches.length - 1]!.at - t0) / 1000;
    expect(batches.length).toBeLessThanOrEqual(Math.ceil(elapsed * 10) + 1);
    const got = batches.flatMap((b) => (b.payload as TelemetryBatch).events).filter((e) => e.event !== 'metric');
    expect(got.length).toBe(discrete);
    expect(sent.find((s) => s.channel === IPC_CHANNELS.engineStatus)?.payload).toMatchObject({ state: 'crashed' });
    stop();
    expect(listeners.size).toBe(0);
  });
});
