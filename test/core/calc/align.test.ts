import { describe, expect, it } from 'vitest';
import { alignedReturns, createAlignWorkspace } from '../../../core/calc/align';
import { expectAllClose } from '../../support/calc-assert';

describe('aligned price table (SPEC.md d.5)', () => {
  // Hand-built: day 2 has no close for B, day 4 has a zero close for A (invalid).
  const a = new Float64Array([100, 101, 102, 103, 0, 105, 106]);
  const b = new Float64Array([50, 50.5, NaN, 52, 53, 54, 53]);

  it('keeps only days where every series has a valid close; returns span dropped days', () => {
    const t = alignedReturns([a, b], { from: 0, to: 6 });
    // Kept days 0, 1, 3, 5, 6 -> 4 returns, ending on days 1, 3, 5, 6.
    expect(t.keptDays).toBe(5);
    expect(t.observations).toBe(4);
    expect(Array.from(t.returnDays)).toEqual([1, 3, 5, 6]);
    expectAllClose(t.columns[0]!, [101 / 100 - 1, 103 / 101 - 1, 105 / 103 - 1, 106 / 105 - 1], 1e-15);
    expectAllClose(t.columns[1]!, [50.5 / 50 - 1, 52 / 50.5 - 1, 54 / 52 - 1, 53 / 54 - 1], 1e-15);
  });

  it('honours the inclusive index range and clips it to the series', () => {
    const t = alignedReturns([a, b], { from: 3, to: 100 });
    expect(Array.from(t.returnDays)).toEqual([5, 6]);
    expectAllClose(t.columns[0]!, [105 / 103 - 1, 106 / 105 - 1], 1e-15);
    expect(alignedReturns([a, b], { from: 5, to: 4 }).observations).toBe(0);
    expect(alignedReturns([a, b], { from: -10, to: 1 }).observations).toBe(1);
  });

  it('log returns', () => {
    const t = alignedReturns([a], { from: 0, to: 3 }, 'log');
    expectAllClose(t.columns[0]!, [Math.log(1.01), Math.log(102 / 101), Math.log(103 / 102)], 1e-15);
  });

  it('no common day, one common day, all invalid: zero observations', () => {
    const x = new Float64Array([1, NaN, 3]);
    const y = new Float64Array([NaN, 2, NaN]);
    expect(alignedReturns([x, y], { from: 0, to: 2 }).observations).toBe(0);
    expect(alignedReturns([x, new Float64Array([1, 1, NaN])], { from: 0, to: 2 }).observations).toBe(0);
    expect(alignedReturns([new Float64Array(5).fill(NaN)], { from: 0, to: 4 }).observations).toBe(0);
  });

  it('drops return rows with a non-finite value (overflow), keeping the others', () => {
    const x = new Float64Array([1e-300, 1e300, 1e300, 2e300]);
    const y = new Float64Array([1, 2, 3, 4]);
    const t = alignedReturns([x, y], { from: 0, to: 3 });
    expect(t.observations).toBe(2);
    expect(Array.from(t.returnDays)).toEqual([2, 3]);
    expectAllClose(t.columns[1]!, [0.5, 1 / 3], 1e-15);
  });

  it('reuses a workspace and gives the same numbers as without one', () => {
    const ws = createAlignWorkspace(3, 16);
    const t1 = alignedReturns([a, b], { from: 0, to: 6 }, 'simple', ws);
    expect(t1.columns[0]!.buffer).toBe(ws.values.buffer);
    const fresh = alignedReturns([a, b], { from: 0, to: 6 });
    expect(Array.from(t1.columns[1]!)).toEqual(Array.from(fresh.columns[1]!));
    // A workspace that is too small is ignored rather than overrun.
    const small = createAlignWorkspace(1, 2);
    expect(alignedReturns([a, b], { from: 0, to: 6 }, 'simple', small).observations).toBe(4);
  });

  it('throws on programming errors only', () => {
    expect(() => alignedReturns([], { from: 0, to: 1 })).toThrow(RangeError);
    expect(() => alignedReturns([a, new Float64Array(3)], { from: 0, to: 1 })).toThrow(RangeError);
  });
});
