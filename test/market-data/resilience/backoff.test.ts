import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, retryDelay } from '../../../market-data/resilience/backoff';
import { fixedRandom, seededRandom } from '../../support/yahoo-mock/test-doubles';

describe('backoffCeilingMs: min(cap, base * 2^(k-1)) (SPEC e.7)', () => {
  // Provenance: hand-computed with the SPEC defaults base 1 s, cap 30 s.
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [4, 8_000],
    [5, 16_000],
    [6, 30_000],
    [20, 30_000],
  ])('k=%d -> %d ms', (k, expected) => {
    expect(backoffCeilingMs(k, 1_000, 30_000)).toBe(expected);
  });

  it('rejects a retry number below 1', () => {
    expect(() => backoffCeilingMs(0, 1_000, 30_000)).toThrow(RangeError);
  });
});

describe('retryDelay: full jitter, Retry-After wins when longer, capped', () => {
  const base = { baseMs: 1_000, capMs: 30_000, retryAfterCapMs: 120_000 };

  // Provenance: hand-computed, floor(draw * ceiling) and max(jitter, min(retryAfter, cap)).
  it.each([
    { k: 3, draw: 0.5, retryAfterMs: null, delayMs: 2_000, source: 'backoff' },
    { k: 3, draw: 0.5, retryAfterMs: 10_000, delayMs: 10_000, source: 'retry_after' },
    { k: 3, draw: 0.5, retryAfterMs: 500, delayMs: 2_000, source: 'backoff' },
    { k: 1, draw: 0.999, retryAfterMs: 300_000, delayMs: 120_000, source: 'retry_after' },
    { k: 1, draw: 0, retryAfterMs: 0, delayMs: 0, source: 'backoff' },
    { k: 6, draw: 0.25, retryAfterMs: null, delayMs: 7_500, source: 'backoff' },
  ] as const)('k=$k draw=$draw retryAfter=$retryAfterMs -> $delayMs ($source)', ({ k, draw, retryAfterMs, delayMs, source }) => {
    expect(retryDelay({ ...base, k, retryAfterMs, random: fixedRandom(draw) })).toEqual({ delayMs, source });
  });

  it('invariant: every jittered delay lies in [0, ceiling) and uses exactly one draw', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 2_000; i += 1) {
      const k = 1 + (i % 7);
      const { delayMs } = retryDelay({ ...base, k, retryAfterMs: null, random });
      expect(delayMs).toBeGreaterThanOrEqual(0);
      expect(delayMs).toBeLessThan(backoffCeilingMs(k, base.baseMs, base.capMs));
    }
    expect(random.draws).toHaveLength(2_000);
  });
});
