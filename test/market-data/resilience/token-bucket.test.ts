import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../market-data/resilience/token-bucket';

function manualClock(start = 0): { now(): number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('TokenBucket (SPEC e.7: rate 1/s, burst 2)', () => {
  it('lets a burst through, then one token per 1/rate seconds', () => {
    // Provenance: hand-computed. Full bucket of 2; the third request waits 1 s for a token.
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 2 }, clock);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(1_000);
    clock.advance(400);
    expect(bucket.tryTake()).toBe(600);
    clock.advance(600);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(1_000);
  });

  it('waits 1/rate at other rates', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 4, burst: 1 }, clock);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(250);
  });

  it('never stores more than the burst, however long it idles', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 1, burst: 2 }, clock);
    bucket.tryTake();
    bucket.tryTake();
    clock.advance(3_600_000);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBe(0);
    expect(bucket.tryTake()).toBeGreaterThan(0);
  });

  it('invariant: over a long run the admitted count is at most burst + rate * elapsed', () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ ratePerSecond: 3, burst: 2 }, clock);
    let admitted = 0;
    for (let step = 0; step < 10_000; step += 1) {
      if (bucket.tryTake() === 0) admitted += 1;
      clock.advance(37);
    }
    expect(admitted).toBeLessThanOrEqual(2 + Math.floor((3 * 10_000 * 37) / 1000));
    expect(admitted).toBeGreaterThanOrEqual(Math.floor((3 * 9_999 * 37) / 1000));
  });

  it('rejects a non-positive rate or an empty bucket', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 2 }, manualClock())).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 }, manualClock())).toThrow(RangeError);
  });
});
