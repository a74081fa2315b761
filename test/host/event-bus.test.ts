/**
 * The host's telemetry fan-out (SPEC.md h.1): the in-memory ring keeps the last events, and the
 * latest run's run_start survives a long run that pushes it out of the ring (h.7 rebuild).
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../host/event-bus';
import { metricEvent, runStartEvent } from '../support/telemetry/event-builders';

describe('EventBus', () => {
  it('keeps the last events in its ring and the latest run start after it has left the ring', () => {
    const bus = new EventBus(3);
    expect(bus.latestRunStart()).toBeNull();
    const start = runStartEvent(1);
    bus.publish(start);
    for (let seq = 2; seq <= 6; seq++) bus.publish(metricEvent('heartbeat', seq, seq));
    expect(bus.recent().map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(bus.latestRunStart()).toBe(start);
    const next = runStartEvent(1, { runId: 'run-2' });
    bus.publish(next);
    expect(bus.latestRunStart()).toBe(next);
  });

  it('delivers every event to its listeners and drops a listener that throws', () => {
    const bus = new EventBus();
    const seen: number[] = [];
    bus.subscribe((e) => seen.push(e.seq));
    bus.subscribe(() => {
      throw new Error('broken sink');
    });
    bus.sink().handle(metricEvent('heartbeat', 1, 1));
    bus.publish(metricEvent('heartbeat', 2, 2));
    expect(seen).toEqual([1, 2]);
  });
});
