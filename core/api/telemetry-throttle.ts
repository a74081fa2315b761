/**
 * Telemetry delivery to a user interface (SPEC.md h.1 "renderer bridge", h.7): at most one
 * batch per interval (100 ms = 10 updates a second). Discrete events (a phase result, a date
 * result, the run's start and end, gate changes, ...) are never dropped and keep their order;
 * high-frequency events (phase_start, most metrics) are coalesced to the latest one per key,
 * with a count of how many arrived, so running totals (provider requests, retries) stay
 * right. The timer is injected: core has no timers of its own, and tests drive it by hand.
 */
import { isDiscreteEvent, type TelemetryEvent } from './telemetry-events';

export interface TelemetryBatch {
  /** Events in arrival order: every discrete event plus the latest of each coalesced key. */
  readonly events: readonly TelemetryEvent[];
  /** How many events of each coalesced key arrived since the previous batch (including the one kept). */
  readonly counts: Readonly<Record<string, number>>;
  /** Events left out by coalescing since the previous batch. */
  readonly coalesced: number;
}

export interface ThrottleTimer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TelemetryThrottle {
  push(event: TelemetryEvent): void;
  /** Merge an already-throttled batch (from a transport): its counts are kept, its events coalesced again. */
  pushBatch(batch: TelemetryBatch): void;
  /** Deliver what is pending now (end of stream, shutdown). */
  flush(): void;
  /** Stop the timer; pending events are dropped. */
  dispose(): void;
}

export const UI_UPDATE_INTERVAL_MS = 100;

/** The coalescing key of a high-frequency event: one slot per event type and metric name. */
export function coalesceKey(e: TelemetryEvent): string {
  return e.event === 'metric' ? `metric:${e.payload.name}` : e.event;
}

/** An empty batch accumulator; batches of batches merge with `mergeBatches`. */
export function mergeBatches(a: TelemetryBatch, b: TelemetryBatch): TelemetryBatch {
  const counts: Record<string, number> = { ...a.counts };
  for (const [k, n] of Object.entries(b.counts)) counts[k] = (counts[k] ?? 0) + n;
  return { events: [...a.events, ...b.events], counts, coalesced: a.coalesced + b.coalesced };
}

/**
 * Creates a throttle that calls `deliver` at most once per `intervalMs`. The first event after
 * a quiet period is delivered on the next timer turn (0 ms); later ones wait for the interval.
 */
export function createTelemetryThrottle(deliver: (batch: TelemetryBatch) => void, timer: ThrottleTimer, intervalMs = UI_UPDATE_INTERVAL_MS): TelemetryThrottle {
  // Discrete events in arrival order; the latest event of each coalesced key with its arrival number.
  let discrete: { order: number; event: TelemetryEvent }[] = [];
  let latest = new Map<string, { order: number; event: TelemetryEvent }>();
  let counts: Record<string, number> = {};
  let coalesced = 0;
  let arrivals = 0;
  let handle: unknown = null;
  let lastDelivery = Number.NEGATIVE_INFINITY;
  let disposed = false;

  const reset = (): void => {
    discrete = [];
    latest = new Map();
    counts = {};
    coalesced = 0;
  };

  const flush = (): void => {
    if (handle !== null) timer.clearTimeout(handle);
    handle = null;
    if (discrete.length === 0 && latest.size === 0) return;
    const events = [...discrete, ...latest.values()].sort((a, b) => a.order - b.order).map((x) => x.event);
    const batch: TelemetryBatch = { events, counts, coalesced };
    reset();
    lastDelivery = timer.now();
    deliver(batch);
  };

  const add = (event: TelemetryEvent): void => {
    const order = arrivals++;
    if (isDiscreteEvent(event)) {
      discrete.push({ order, event });
      return;
    }
    const key = coalesceKey(event);
    if (latest.has(key)) coalesced += 1;
    latest.set(key, { order, event });
  };

  const schedule = (): void => {
    if (handle !== null || disposed) return;
    const wait = Math.max(0, lastDelivery + intervalMs - timer.now());
    handle = timer.setTimeout(flush, wait);
  };

  return {
    push(event) {
      if (disposed) return;
      if (!isDiscreteEvent(event)) {
        const key = coalesceKey(event);
        counts[key] = (counts[key] ?? 0) + 1;
      }
      add(event);
      schedule();
    },
    pushBatch(batch) {
      if (disposed) return;
      for (const e of batch.events) add(e);
      for (const [k, n] of Object.entries(batch.counts)) counts[k] = (counts[k] ?? 0) + n;
      coalesced += batch.coalesced;
      schedule();
    },
    flush,
    dispose() {
      disposed = true;
      if (handle !== null) timer.clearTimeout(handle);
      handle = null;
      reset();
    },
  };
}
