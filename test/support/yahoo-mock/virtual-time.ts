/**
 * A virtual clock for provider tests: `sleep` records the wait and resolves on the next turn
 * of the event loop with the clock moved to its due time (earliest timer first), so retries,
 * Retry-After waits, token-bucket pauses and cooldowns cost no real time and their lengths
 * can be asserted exactly. HTTP to the mock and request timeouts still run on real time.
 */
import type { Clock } from '../../../core/ports/clock';
import type { Sleep } from '../../../market-data/resilience/sleep';

interface Timer {
  readonly due: number;
  readonly seq: number;
  readonly resolve: () => void;
}

export class VirtualTime implements Clock {
  private nowMs: number;
  private seq = 0;
  private timers: Timer[] = [];
  /** Every wait asked for, in ms, in call order. */
  readonly sleeps: number[] = [];

  constructor(startMs = Date.UTC(2024, 0, 16, 1, 0, 0)) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  /** Moves the clock forward by hand (cooldowns in breaker tests). */
  advance(ms: number): void {
    this.nowMs += ms;
  }

  readonly sleep: Sleep = (ms, signal) => {
    this.sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        due: this.nowMs + Math.max(0, ms),
        seq: (this.seq += 1),
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      setImmediate(() => this.fireNext());
    });
  };

  private fireNext(): void {
    if (this.timers.length === 0) return;
    const next = this.timers.reduce((a, b) => (b.due < a.due || (b.due === a.due && b.seq < a.seq) ? b : a));
    this.timers = this.timers.filter((t) => t !== next);
    this.nowMs = Math.max(this.nowMs, next.due);
    next.resolve();
  }
}
