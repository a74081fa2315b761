import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalPdf } from '../../../core/calc/normal';
import { expectClose } from '../../support/calc-assert';

/**
 * Second, independent algorithm: erf by its Maclaurin series
 *   erf(x) = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
 * evaluated exactly in 160-digit fixed-point BigInt arithmetic (cancellation in the series costs
 * at most ~45 digits for x ≤ 10), with √π from π to 100 decimals by an integer square root.
 * The double argument is converted exactly (x · 2⁶⁰ is an integer for the x used here).
 */
const DIGITS = 160n;
const S = 10n ** DIGITS;
const PI_100 =
  '31415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679';
const PI_FIXED = (BigInt(PI_100) * S) / 10n ** 100n;

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2) + 1); // above √v
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x - 1n && y <= x + 1n) {
      let r = y;
      while (r * r > v) r--;
      while ((r + 1n) * (r + 1n) <= v) r++;
      return r;
    }
    x = y;
  }
}
const SQRT_PI_FIXED = isqrt(PI_FIXED * S);

function toFixed(x: number): bigint {
  const scaled = x * 2 ** 60;
  if (!Number.isInteger(scaled)) throw new Error('test oracle: x not representable exactly');
  return (BigInt(scaled) * S) / 2n ** 60n;
}

/** erfc(x) for 0 ≤ x ≤ 10, to ~1e−100 absolute, returned as a double. */
function erfcOracle(x: number): number {
  const X = toFixed(x);
  const X2 = (X * X) / S;
  let term = X; // x^(2n+1)/n!
  let sum = 0n;
  for (let n = 0n; ; n++) {
    const contrib = term / (2n * n + 1n);
    sum += n % 2n === 0n ? contrib : -contrib;
    term = (term * X2) / S / (n + 1n);
    if (term === 0n) break;
  }
  const erfFixed = (2n * sum * S) / SQRT_PI_FIXED;
  const erfcFixed = S - erfFixed;
  // Convert to double keeping ~17 significant digits.
  const neg = erfcFixed < 0n;
  const abs = neg ? -erfcFixed : erfcFixed;
  const str = abs.toString();
  const exp = str.length - Number(DIGITS) - 1;
  const mant = Number(`${str.slice(0, 1)}.${str.slice(1, 20) || '0'}`);
  const v = mant * 10 ** exp;
  return neg ? -v : v;
}

describe('erfc (Cody) against a 160-digit series', () => {
  const xs = [0, 2 ** -30, 0.125, 0.25, 0.46875, 0.5, 0.75, 1, 1.5, 2, 2.5, 3, 3.75, 4, 4.25, 5, 6, 7, 8, 9, 10];
  it.each(xs)('erfc(%d): absolute error < 1e-14 and relative error < 1e-14', (x) => {
    const ref = erfcOracle(x);
    const got = erfc(x);
    expect(Math.abs(got - ref)).toBeLessThan(1e-14);
    expectClose(got, ref, 1e-14);
  });

  it.each(xs)('erfc(−%d) = 2 − erfc(x): absolute error < 1e-14', (x) => {
    expect(Math.abs(erfc(-x) - (2 - erfcOracle(x)))).toBeLessThan(1e-14);
  });

  it('dense sweep on [−6, 6] in steps of 1/64: absolute error < 1e-14', () => {
    let worst = 0;
    for (let i = -384; i <= 384; i++) {
      const x = i / 64;
      const ref = x >= 0 ? erfcOracle(x) : 2 - erfcOracle(-x);
      worst = Math.max(worst, Math.abs(erfc(x) - ref));
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it('limits and bad input', () => {
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(30)).toBe(0);
    expect(erfc(26)).toBeGreaterThan(0);
    expect(erfc(NaN)).toBeNaN();
  });
});

describe('normal distribution', () => {
  it('N(x) reference values', () => {
    // N(0) = 1/2 exactly; N(1.959963984540054) = 0.975 (the 97.5 % quantile, standard tables);
    // N(1) = 0.841344746068542948585 (A&S table 26.1).
    expect(normalCdf(0)).toBe(0.5);
    expectClose(normalCdf(1.959963984540054), 0.975, 1e-14);
    expectClose(normalCdf(1), 0.841344746068542948585, 1e-15);
    expectClose(normalCdf(-1), 1 - 0.841344746068542948585, 1e-14);
  });

  it('N(x) + N(−x) = 1 (invariant) and lower tail keeps relative accuracy', () => {
    for (const x of [0.1, 0.7, 1.3, 2.2, 3.4]) expectClose(normalCdf(x) + normalCdf(-x), 1, 1e-15);
    // N(−10) = ½ erfc(10/√2) = 7.61985302416052606597e−24 (A&S 26.2.12 tail; scipy norm.cdf(-10)).
    expectClose(normalCdf(-10), 7.61985302416052606597e-24, 1e-13);
  });

  it('φ(x)', () => {
    expectClose(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-16);
    expectClose(normalPdf(1), Math.exp(-0.5) / Math.sqrt(2 * Math.PI), 1e-15);
    expect(normalPdf(Infinity)).toBe(0);
  });
});
