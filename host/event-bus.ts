/**
 * Telemetry fan-out inside a host process: the engine's sink publishes here; the Electron
 * bridge, the server-sent-event stream and tests subscribe. Keeps the last 5,000 events so a
 * reloaded view can rebuild (SPEC.md h.1 in-memory ring, h.7), and the latest run's run_start
 * even after it has left the ring: a long backfill emits far more than 5,000 events, and a
 * view rebuilt without the run's header would not know a run exists. A restore or an import that
 * replaces the database makes it forget the runs it kept (forgetRuns).
 */
import type { TelemetryEvent } from '../core/api/telemetry-events';
import type { TelemetrySink } from '../core/telemetry/record-metric';

export type EventListener = (e: TelemetryEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly ring: TelemetryEvent[] = [];
  private runStart: TelemetryEvent | null = null;

  constructor(private readonly capacity = 5000) {}

  publish(e: TelemetryEvent): void {
    if (e.event === 'run_start') this.runStart = e;
    this.ring.push(e);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        this.listeners.delete(l);
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(): readonly TelemetryEvent[] {
    return this.ring;
  }

  /**
   * Forgets the runs it kept for the live view (their events in the ring, the latest run_start),
   * except `keepRunId`'s (a run in progress): after a restore or an import replaced the
   * database, those runs are no longer in it, and a view rebuilt from them would show a run
   * that does not exist. Events of no run (maintenance steps) stay.
   */
  forgetRuns(keepRunId: string | null = null): void {
    const kept = this.ring.filter((e) => e.run_id === null || e.run_id === keepRunId);
    this.ring.splice(0, this.ring.length, ...kept);
    if (this.runStart && this.runStart.run_id !== keepRunId) this.runStart = null;
  }

  /** The latest run's run_start, kept after it has left the ring; null before the first run. */
  latestRunStart(): TelemetryEvent | null {
    return this.runStart;
  }

  sink(): TelemetrySink {
    return { name: 'event_bus', handle: (e) => this.publish(e) };
  }
}
