import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, solveFactored } from '../../../core/calc/cholesky';

describe('cholesky', () => {
  it('factors the textbook example exactly', () => {
    // Wikipedia "Cholesky decomposition", worked example: A = L Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]].
    const a = [4, 12, -16, 12, 37, -43, -16, -43, 98];
    expect(Array.from(cholesky(a, 3)!)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('returns null for matrices that are not positive definite', () => {
    expect(cholesky([1, 2, 2, 1], 2)).toBeNull(); // eigenvalues 3 and -1
    expect(cholesky([1, 1, 1, 1], 2)).toBeNull(); // singular
    expect(cholesky([0], 1)).toBeNull();
    expect(cholesky([Number.NaN], 1)).toBeNull();
  });

  it('rejects a wrong entry count (a bug)', () => {
    expect(() => cholesky([1, 2, 3], 2)).toThrow(RangeError);
  });

  it('solves A x = b (hand-computed: A = [[4,12,-16],[12,37,-43],[-16,-43,98]], b = A·[1,2,3])', () => {
    const a = [4, 12, -16, 12, 37, -43, -16, -43, 98];
    const b = [4 + 24 - 48, 12 + 74 - 129, -16 - 86 + 294];
    const x = solveFactored(cholesky(a, 3)!, 3, b);
    expect(Array.from(choleskySolve(a, 3, b)!)).toEqual(Array.from(x));
    expect(Array.from(x).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 2, 3]);
  });
});
