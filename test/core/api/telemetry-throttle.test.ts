/**
 * The UI telemetry throttle (SPEC.md h.1, issue 8 acceptance): under a flood of 10,000 events
 * it delivers at most 10 batches a second, and every discrete event (phase results, failures,
 * date results) arrives exactly once, in order.
 */
import { describe, expect, it } from 'vitest';
import { createTelemetryThrottle, mergeBatches, type TelemetryBatch } from '../../../core/api/telemetry-throttle';
import { isDiscreteEvent, telemetryEventSchema, type TelemetryEvent } from '../../../core/api/telemetry-events';
import { ManualTimer } from '../../support/manual-timer';
import { dateResultEvent, metricEvent, phaseResultEvent, phaseStartEvent } from '../../support/telemetry/event-builders';

/** 10,000 events: every 50th a failed phase_result, every 100th a date_result, the rest phase_start and metrics. */
function flood(n = 10_000): TelemetryEvent[] {
  const out: TelemetryEvent[] = [];
  for (let i = 1; i <= n; i++) {
    const date = `2025-07-${String((i % 28) + 1).padStart(2, '0')}`;
    if (i % 100 === 0) out.push(dateResultEvent(date, 'partial', i));
    else if (i % 50 === 0) out.push(phaseResultEvent(date, 'marks', 'p1', 'failed', i, { reason: 'exception', error: `boom ${i}` }));
    else if (i % 3 === 0) out.push(phaseStartEvent(date, 'analytics', 'p1', i));
    else if (i % 3 === 1) out.push(metricEvent('provider_request', 1, i));
    else out.push(metricEvent('heartbeat', i, i));
  }
  return out;
}

function deliveries(events: TelemetryEvent[], spacingMs: number): { at: number; batch: TelemetryBatch }[] {
  const timer = new ManualTimer();
  const got: { at: number; batch: TelemetryBatch }[] = [];
  const throttle = createTelemetryThrottle((batch) => got.push({ at: timer.now(), batch }), timer);
  for (const e of events) {
    throttle.push(e);
    if (spacingMs > 0) timer.advance(spacingMs);
  }
  timer.advance(1000);
  return got;
}

describe('telemetry throttle', () => {
  it('the flood fixture is valid telemetry (hand-built envelopes pass the contract schema)', () => {
    for (const e of flood(300)) expect(telemetryEventSchema.safeParse(e).success).toBe(true);
  });

  for (const [label, spacing] of [
    ['all 10k at once', 0],
    ['10k over 1 s (0.1 ms apart)', 0.1],
    ['10k over 10 s (1 ms apart)', 1],
  ] as const) {
    it(`${label}: at most 10 deliveries in any second, every discrete event once and in order`, () => {
      const events = flood();
      const got = deliveries(events, spacing);
      // Throttle: consecutive deliveries are at least 100 ms apart, so no 1 s window holds more than 10.
      for (let i = 1; i < got.length; i++) expect(got[i]!.at - got[i - 1]!.at).toBeGreaterThanOrEqual(100);
      for (const { at } of got) expect(got.filter((g) => g.at >= at && g.at < at + 1000).length).toBeLessThanOrEqual(10);
      const all = got.reduce((acc, g) => mergeBatches(acc, g.batch), { events: [], counts: {}, coalesced: 0 } as TelemetryBatch);
      const sent = events.filter(isDiscreteEvent).map((e) => e.seq);
      const received = all.events.filter(isDiscreteEvent).map((e) => e.seq);
      expect(received).toEqual(sent);
      expect(sent.length).toBe(200); // 100 failed phase results + 100 date results
      expect(all.events.filter((e) => e.event === 'phase_result' && e.payload.status === 'failed').length).toBe(100);
      // Coalesced events are counted: the counts add up to every high-frequency event sent.
      const continuous = events.length - sent.length;
      expect(Object.values(all.counts).reduce((a, b) => a + b, 0)).toBe(continuous);
      expect(all.counts['metric:provider_request']).toBe(events.filter((e) => e.event === 'metric' && e.payload.name === 'provider_request').length);
      expect(all.events.length + all.coalesced).toBe(events.length);
      // Within a batch the order of arrival is kept.
      for (const g of got) {
        const seqs = g.batch.events.map((e) => e.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      }
    });
  }

  it('keeps the latest high-frequency event of each key', () => {
    const timer = new ManualTimer();
    const got: TelemetryBatch[] = [];
    const t = createTelemetryThrottle((b) => got.push(b), timer);
    t.push(metricEvent('heartbeat', 1, 1));
    t.push(phaseStartEvent('2025-07-01', 'marks', 'p1', 2));
    t.push(metricEvent('heartbeat', 2, 3));
    t.push(phaseStartEvent('2025-07-01', 'snapshots', 'p1', 4));
    timer.advance(0);
    expect(got).toHaveLength(1);
    expect(got[0]!.events.map((e) => e.seq)).toEqual([3, 4]);
    expect(got[0]!.counts).toEqual({ 'metric:heartbeat': 2, phase_start: 2 });
    expect(got[0]!.coalesced).toBe(2);
  });

  it("keeps every step of a purge or a restore, however close together (the log lost a purge's third step)", () => {
    const timer = new ManualTimer();
    const got: TelemetryBatch[] = [];
    const t = createTelemetryThrottle((b) => got.push(b), timer);
    for (const [i, name] of ['purge_step', 'purge_step', 'purge_step', 'purge_step', 'restore_step', 'restore_step'].entries()) t.push(metricEvent(name, i + 1, i + 1));
    timer.advance(1000);
    expect(got.flatMap((b) => b.events.map((e) => e.seq))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('delivers the first event after a quiet period at once, then waits out the interval', () => {
    const timer = new ManualTimer();
    const at: number[] = [];
    const t = createTelemetryThrottle(() => at.push(timer.now()), timer);
    t.push(dateResultEvent('2025-07-01', 'success', 1));
    timer.advance(0);
    t.push(dateResultEvent('2025-07-02', 'success', 2));
    timer.advance(30);
    expect(at).toEqual([0]);
    timer.advance(70);
    expect(at).toEqual([0, 100]);
    timer.advance(5000);
    t.push(dateResultEvent('2025-07-03', 'success', 3));
    timer.advance(0);
    expect(at).toEqual([0, 100, 5100]);
  });

  it('flush delivers pending events at once; dispose drops them and stops the timer', () => {
    const timer = new ManualTimer();
    const got: TelemetryBatch[] = [];
    const t = createTelemetryThrottle((b) => got.push(b), timer);
    t.push(dateResultEvent('2025-07-01', 'success', 1));
    t.flush();
    expect(got).toHaveLength(1);
    t.flush();
    expect(got).toHaveLength(1);
    t.push(dateResultEvent('2025-07-02', 'success', 2));
    t.dispose();
    timer.advance(1000);
    expect(got).toHaveLength(1);
    expect(timer.pendingTasks).toBe(0);
  });

  it('pushBatch merges already-throttled batches: counts add up, events coalesce again, discrete ones stay', () => {
    const timer = new ManualTimer();
    const got: TelemetryBatch[] = [];
    const t = createTelemetryThrottle((b) => got.push(b), timer);
    t.pushBatch({ events: [metricEvent('provider_request', 1, 5), dateResultEvent('2025-07-01', 'success', 6)], counts: { 'metric:provider_request': 5 }, coalesced: 4 });
    t.pushBatch({ events: [metricEvent('provider_request', 1, 9)], counts: { 'metric:provider_request': 3 }, coalesced: 2 });
    t.push(metricEvent('provider_request', 1, 10));
    timer.advance(0);
    expect(got).toHaveLength(1);
    expect(got[0]!.events.map((e) => e.seq)).toEqual([6, 10]);
    expect(got[0]!.counts).toEqual({ 'metric:provider_request': 9 });
    expect(got[0]!.coalesced).toBe(4 + 2 + 2);
  });
});
