/**
 * Token bucket (SPEC.md e.7 rate limiting): holds at most `burst` tokens, refilled
 * continuously at `ratePerSecond`. A request takes one token; with none left it waits for the
 * next one. Starts full, so the first `burst` requests go out at once.
 *
 * Time comes from the injected clock, so the bucket is exact under a virtual clock.
 */
import type { Clock } from '../../core/ports/clock';

export interface TokenBucketOptions {
  /** Tokens added per second (> 0). */
  readonly ratePerSecond: number;
  /** Capacity, in tokens (>= 1). */
  readonly burst: number;
}

export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly clock: Clock,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
    if (!(options.burst >= 1)) throw new RangeError(`burst must be >= 1, got ${options.burst}`);
    this.tokens = options.burst;
    this.refilledAt = clock.now();
  }

  /**
   * Takes a token when one is available and returns 0; otherwise takes nothing and returns
   * the milliseconds until one will be (at least 1).
   */
  tryTake(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.options.ratePerSecond));
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.options.burst, this.tokens + (elapsed * this.options.ratePerSecond) / 1000);
    this.refilledAt = now;
  }
}
