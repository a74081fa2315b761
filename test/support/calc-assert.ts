/** Numeric assertions with explicit tolerances for the calculation tests. */
import { expect } from 'vitest';

/**
 * Asserts |actual − expected| ≤ max(rel · |expected|, abs). Prints both numbers and the
 * tolerance on failure.
 */
export function expectClose(actual: number | null | undefined, expected: number, rel: number, abs = 0): void {
  expect(actual, `expected a number close to ${expected}`).toBeTypeOf('number');
  const a = actual as number;
  const tol = Math.max(rel * Math.abs(expected), abs);
  const diff = Math.abs(a - expected);
  if (!(diff <= tol)) {
    expect.fail(`expected ${a} to be within ${tol} of ${expected} (difference ${diff})`);
  }
}

/** Element-wise expectClose. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, abs = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i]!, rel, abs);
}
