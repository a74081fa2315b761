/**
 * Politeness gate for one provider (SPEC.md e.7): at most `maxInFlight` HTTP requests at a
 * time (first come, first served), and a token bucket on request starts.
 *
 * A caller waits for a slot, then for a token, and holds the slot until its response body is
 * read; `release` frees it. Waiting is abortable: an aborted waiter leaves the queue and gets
 * the signal's reason.
 */
import type { Clock } from '../../core/ports/clock';
import type { Sleep } from './sleep';
import { TokenBucket } from './token-bucket';

export interface RequestLimiterOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly maxInFlight: number;
}

interface Waiter {
  readonly grant: () => void;
}

export class RequestLimiter {
  private readonly bucket: TokenBucket;
  private inFlight = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly options: RequestLimiterOptions,
    clock: Clock,
    private readonly sleep: Sleep,
  ) {
    if (!(Number.isInteger(options.maxInFlight) && options.maxInFlight >= 1)) {
      throw new RangeError(`maxInFlight must be an integer >= 1, got ${options.maxInFlight}`);
    }
    this.bucket = new TokenBucket(options, clock);
  }

  /** Requests currently holding a slot. */
  get active(): number {
    return this.inFlight;
  }

  /** Waits for a slot and a token; the returned function releases the slot (idempotent). */
  async acquire(signal: AbortSignal): Promise<() => void> {
    await this.takeSlot(signal);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      this.queue.shift()?.grant();
    };
    try {
      for (let wait = this.bucket.tryTake(); wait > 0; wait = this.bucket.tryTake()) {
        await this.sleep(wait, signal);
      }
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  private takeSlot(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.inFlight < this.options.maxInFlight && this.queue.length === 0) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          this.inFlight += 1;
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push(waiter);
    });
  }
}
