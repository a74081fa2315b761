/**
 * Retry delays (SPEC.md e.7): exponential backoff with full jitter, and Retry-After.
 *
 * Source: "Exponential Backoff And Jitter", M. Brooker, AWS Architecture Blog (2015): with
 * full jitter the delay before retry k is uniform in [0, min(cap, base * 2^(k-1))), which
 * spreads synchronized clients best for the same expected load.
 */
import type { Random } from '../../core/ports/random';

/** Upper bound of the delay before retry k (k = 1, 2, ...): min(cap, base * 2^(k-1)), in ms. */
export function backoffCeilingMs(k: number, baseMs: number, capMs: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`retry number must be an integer >= 1, got ${k}`);
  return Math.min(capMs, baseMs * 2 ** (k - 1));
}

export interface RetryDelayInput {
  /** Retry number, 1 for the first retry. */
  readonly k: number;
  readonly baseMs: number;
  readonly capMs: number;
  /** Parsed Retry-After of the failed response, or null. */
  readonly retryAfterMs: number | null;
  readonly retryAfterCapMs: number;
  readonly random: Random;
}

export interface RetryDelay {
  /** Whole milliseconds to wait before the retry. */
  readonly delayMs: number;
  /** Which rule set the delay. */
  readonly source: 'backoff' | 'retry_after';
}

/**
 * Delay before retry k: a full-jitter draw in [0, ceiling), unless the server's Retry-After
 * (capped at retryAfterCapMs) asks for longer, in which case Retry-After wins.
 * One draw from `random` per call, whether or not Retry-After wins, so the sequence of draws
 * does not depend on the headers.
 */
export function retryDelay(input: RetryDelayInput): RetryDelay {
  const ceiling = backoffCeilingMs(input.k, input.baseMs, input.capMs);
  const jittered = Math.floor(input.random.next() * ceiling);
  if (input.retryAfterMs !== null) {
    const asked = Math.min(input.retryAfterMs, input.retryAfterCapMs);
    if (asked > jittered) return { delayMs: Math.ceil(asked), source: 'retry_after' };
  }
  return { delayMs: jittered, source: 'backoff' };
}
