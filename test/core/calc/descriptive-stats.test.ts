import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import {
  centredSumOfSquares,
  isNoiseLevelSpread,
  maxAbs,
  mean,
  sampleStd,
  sampleVariance,
  sliceSum,
} from '../../../core/calc/descriptive-stats';
import { expectClose } from '../../support/calc-assert';
import { normalSeries, seededRng } from '../../support/calc-random';

describe('descriptive statistics', () => {
  it('matches hand-computed values on 2, 4, 4, 4, 5, 5, 7, 9', () => {
    // Hand-computed: mean 5, Σ(x − 5)² = 32, sample variance 32/7.
    const x = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(x)).toBe(5);
    expect(centredSumOfSquares(x)).toBe(32);
    expectClose(sampleVariance(x), 32 / 7, 1e-15);
    expectClose(sampleStd(x), Math.sqrt(32 / 7), 1e-15);
  });

  it('agrees with simple-statistics on random data (independent implementation), rel 1e-12', () => {
    const rng = seededRng(11);
    for (const n of [2, 5, 21, 63, 252]) {
      const x = normalSeries(rng, n, 0.0005, 0.013);
      const arr = Array.from(x);
      expectClose(mean(x), ss.mean(arr), 1e-12, 1e-18);
      expectClose(sampleStd(x), ss.sampleStandardDeviation(arr), 1e-12);
    }
  });

  it('works on a window of a larger array without copying', () => {
    const x = new Float64Array([100, 1, 2, 3, 100]);
    expect(mean(x, 1, 3)).toBe(2);
    expect(sampleVariance(x, 1, 3)).toBe(1);
    expect(sliceSum(x, 1, 3)).toBe(6);
    expect(maxAbs([-3, 2, 1])).toBe(3);
  });

  it('compensated sum keeps small terms next to a large one', () => {
    // 1e16 + 1 + 1 − 1e16 = 2 exactly; naive left-to-right summation gives 0 or 4.
    expect(sliceSum([1e16, 1, 1, -1e16])).toBe(2);
  });

  it('returns NaN for undefined statistics instead of throwing', () => {
    expect(mean([])).toBeNaN();
    expect(sampleStd([1])).toBeNaN();
  });

  it('treats a constant series as zero spread even when the mean is rounded', () => {
    const x = new Float64Array(7).fill(0.1);
    const ssq = centredSumOfSquares(x);
    expect(isNoiseLevelSpread(ssq, 7, 0.1)).toBe(true);
    expect(isNoiseLevelSpread(0, 7, 0)).toBe(true);
    // A genuine spread of 1e-10 around 0.01 is far above the noise bound.
    expect(isNoiseLevelSpread(centredSumOfSquares([0.01, 0.01 + 1e-10]), 2, 0.01)).toBe(false);
  });
});
