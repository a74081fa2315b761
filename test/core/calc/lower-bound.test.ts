/** lowerBound (core/calc/lower-bound.ts): checked against a linear scan (the definition). */
import { describe, expect, it } from 'vitest';
import { lowerBound } from '../../../core/calc/lower-bound';

const linear = <T extends number | string>(a: ArrayLike<T>, x: T): number => {
  for (let i = 0; i < a.length; i++) if (a[i]! >= x) return i;
  return a.length;
};

describe('lowerBound', () => {
  it('gives the first index whose value is >= x, for typed arrays with repeats, gaps and ends', () => {
    const a = Int32Array.from([2, 4, 4, 4, 7, 9, 9, 20]);
    for (let x = 0; x <= 22; x++) expect(lowerBound(a, x)).toBe(linear(a, x));
    expect(lowerBound(new Int32Array(0), 5)).toBe(0);
  });

  it('orders ISO dates as text', () => {
    const dates = ['2025-06-30', '2025-07-01', '2025-07-03', '2025-07-07'];
    expect(lowerBound(dates, '2025-07-02')).toBe(2);
    expect(lowerBound(dates, '2025-06-01')).toBe(0);
    expect(lowerBound(dates, '2025-07-07')).toBe(3);
    expect(lowerBound(dates, '2025-12-31')).toBe(4);
  });
});
