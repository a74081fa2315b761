/**
 * The table-wide volatility history sliced per date (core/calc/volatility-history.ts) gives
 * exactly the numbers of the definition (symbolReturnSeries + volatilityMetrics computed from
 * scratch on each window), on series with gaps, invalid closes and a non-finite return.
 * Provenance: the definition itself (SPEC.md d.10); equality is exact (same operations).
 */
import { describe, expect, it } from 'vitest';
import { positionVolatility, symbolReturnSeries } from '../../../core/calc/volatility';
import { volatilityHistory, windowVolatilityInputs } from '../../../core/calc/volatility-history';
import { seededRng } from '../../support/calc-random';

function path(seed: number, n: number): Float64Array {
  const rng = seededRng(seed);
  const p = new Float64Array(n);
  let x = 100;
  for (let i = 0; i < n; i++) {
    x *= 1 + rng.normal() * 0.02;
    p[i] = rng.next() < 0.08 ? NaN : x;
  }
  p[7] = 0;
  p[11] = -3;
  return p;
}

describe('volatility history', () => {
  it('equals the from-scratch window computation for every window end', () => {
    for (const seed of [1, 2, 3]) {
      const prices = path(seed, 420);
      prices[300] = 1e-300;
      prices[301] = 1e300;
      const h = volatilityHistory(prices);
      for (let to = 0; to < prices.length; to += 3) {
        const range = { from: Math.max(0, to - 250), to };
        const scratch = symbolReturnSeries(prices, range);
        const sliced = windowVolatilityInputs(h, prices, range);
        expect(Array.from(sliced.series.returns)).toEqual(Array.from(scratch.returns));
        expect(Array.from(sliced.series.returnDays)).toEqual(Array.from(scratch.returnDays));
        expect(sliced.series.validCloses).toBe(scratch.validCloses);
        expect(positionVolatility(sliced.series, sliced.components)).toEqual(positionVolatility(scratch));
      }
    }
  });
});
