/**
 * The live run store shared by every screen: folds throttled telemetry batches into the live
 * state (one React update per batch, so at most 10 a second), rebuilds itself after a reload
 * from the engine's event ring and the tracking table (SPEC.md h.7), and re-reads tracking
 * when a run ends.
 */
import type { EngineClient } from '../engine-client/engine-client';
import { applyBatch, countTrackedDates, EMPTY_LIVE, seedFromTracking, withPlannedDates, type LiveState } from './live-run';

export class LiveStore {
  private state: LiveState = EMPTY_LIVE;
  private readonly listeners = new Set<() => void>();
  private off: (() => void) | null = null;
  /** UI updates applied (one per delivered batch); the throttle test reads it. */
  updates = 0;

  constructor(private readonly client: EngineClient) {}

  readonly getSnapshot = (): LiveState => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    if (this.off) return;
    this.off = this.client.onTelemetry((batch) => {
      const finished = batch.events.some((e) => e.event === 'run_result');
      this.set(applyBatch(this.state, batch, performance.now()));
      if (finished) void this.refreshTracking();
    });
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  setPlannedDates(dates: readonly string[]): void {
    this.set(withPlannedDates(this.state, dates));
  }

  async refreshTracking(): Promise<void> {
    const rows = await this.trackingRows();
    this.set(seedFromTracking(this.state, rows));
  }

  /**
   * After a reload: replay the latest run from its run_start and the ring, then lay the
   * tracking table under it; dates whose events left the ring count from their tracking rows.
   */
  async rebuild(): Promise<void> {
    const { events, runStart } = await this.client.call('recentEvents', { limit: 5000 });
    if (runStart) {
      const runEvents = events.filter((e) => e.run_id === runStart.run_id && e.seq > runStart.seq);
      this.set(applyBatch(EMPTY_LIVE, { events: [runStart, ...runEvents], counts: {}, coalesced: 0 }, performance.now()));
    }
    const rows = await this.trackingRows();
    this.set(seedFromTracking(countTrackedDates(this.state, rows), rows));
  }

  private async trackingRows() {
    return (await this.client.call('getTracking', { includeIncomplete: true, limit: 20_000 })).dates;
  }

  private set(next: LiveState): void {
    this.state = next;
    this.updates++;
    for (const l of this.listeners) l();
  }
}
