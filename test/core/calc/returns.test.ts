import { describe, expect, it } from 'vitest';
import { consecutiveReturns, isValidClose, periodReturn } from '../../../core/calc/returns';
import { expectAllClose, expectClose } from '../../support/calc-assert';

describe('returns', () => {
  it('simple and log returns, hand-computed', () => {
    // 100 -> 110 -> 99: simple +10 %, −10 %; log ln(1.1), ln(0.9).
    expectAllClose(consecutiveReturns([100, 110, 99]), [0.1, -0.1], 1e-15, 1e-16);
    expectAllClose(consecutiveReturns([100, 110, 99], 'log'), [Math.log(1.1), Math.log(0.9)], 1e-15);
    expectClose(periodReturn(50, 75, 'simple'), 0.5, 0);
  });

  it('valid close: finite and > 0 (SPEC.md d.2.1)', () => {
    expect([1, 0.01].map(isValidClose)).toEqual([true, true]);
    expect([0, -1, NaN, Infinity].map(isValidClose)).toEqual([false, false, false, false]);
  });

  it('invalid closes give NaN, never throw', () => {
    const r = consecutiveReturns([100, NaN, 0, 50]);
    expect(Array.from(r).every(Number.isNaN)).toBe(true);
    expect(consecutiveReturns([5]).length).toBe(0);
    expect(consecutiveReturns([]).length).toBe(0);
  });

  it('writes into a caller buffer', () => {
    const out = new Float64Array(4);
    const r = consecutiveReturns([1, 2, 4], 'simple', out);
    expect(Array.from(r)).toEqual([1, 1]);
    expect(r.buffer).toBe(out.buffer);
  });
});
