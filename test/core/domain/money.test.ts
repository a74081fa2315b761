/**
 * Money rounding and printing (core/domain/money.ts; SPEC.md a.3, k.1). Reference values are
 * hand-computed; the printed form must be exact to the cent, so comparisons are on strings.
 */
import { describe, expect, it } from 'vitest';
import { formatMoney, roundCents } from '../../../core/domain/money';

describe('roundCents', () => {
  it.each([
    [1.005, 1.01], // stored as 1.00499999999999989..., rounds half away from zero
    [-1.005, -1.01],
    [2.675, 2.68],
    [0.004, 0],
    [-0.004, 0], // -0 becomes 0
    [1234567.891, 1234567.89],
  ])('%s -> %s', (x, cents) => {
    expect(Object.is(roundCents(x), cents)).toBe(true);
  });
});

describe('formatMoney', () => {
  it.each([
    [0, '0.00'],
    [999.999, '1,000.00'],
    [1.005, '1.01'],
    [-7837704.76, '-7,837,704.76'],
    [1234567.891, '1,234,567.89'],
    [-0.004, '0.00'], // no "-0.00"
    [100, '100.00'],
  ])('%s -> %s', (x, text) => {
    expect(formatMoney(x)).toBe(text);
  });

  it('prints n/a for a missing or non-finite amount', () => {
    expect([formatMoney(null), formatMoney(undefined), formatMoney(Number.NaN), formatMoney(Number.POSITIVE_INFINITY)]).toEqual(['n/a', 'n/a', 'n/a', 'n/a']);
  });
});
