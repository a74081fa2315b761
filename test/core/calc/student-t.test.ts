import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from '../../../core/calc/incomplete-beta';
import { logGamma } from '../../../core/calc/log-gamma';
import { studentTCdf, studentTCentralP, studentTTwoSidedP } from '../../../core/calc/student-t';
import { expectClose } from '../../support/calc-assert';

describe('log gamma', () => {
  it('matches ln((n − 1)!) and ln √π (exact closed forms), rel 1e-14', () => {
    let fact = 1;
    for (let n = 1; n <= 20; n++) {
      if (n > 1) fact *= n - 1;
      expectClose(logGamma(n), Math.log(fact), 1e-14, 1e-15);
    }
    expectClose(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    expectClose(logGamma(1.5), Math.log(Math.sqrt(Math.PI) / 2), 1e-14);
    expectClose(logGamma(0.1), 2.252712651734205959869702, 1e-14); // lnΓ(0.1), A&S table 6.1
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('regularised incomplete beta', () => {
  // Tolerance: the prefactor uses lnΓ(a + b) − lnΓ(a) − lnΓ(b); for a + b ≈ 240 one ulp of lnΓ is
  // ~2e−13, so 1e−12 relative is the honest bound for the parameters used by the t tail (ν ≤ 250).
  it('closed forms: I_x(a,1) = xᵃ, I_x(1,b) = 1 − (1−x)ᵇ, I_½(a,a) = ½; rel 1e-12', () => {
    for (const x of [0.01, 0.2, 0.5, 0.8, 0.99]) {
      for (const a of [0.5, 1, 2.5, 7, 40]) {
        expectClose(regularizedIncompleteBeta(x, a, 1), x ** a, 1e-12);
        expectClose(regularizedIncompleteBeta(x, 1, a), 1 - (1 - x) ** a, 1e-12);
      }
    }
    for (const a of [0.5, 3, 15, 120]) expectClose(regularizedIncompleteBeta(0.5, a, a), 0.5, 1e-12);
  });

  it('edges and bad input', () => {
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(0.5, 0, 3)).toBeNaN();
    expect(regularizedIncompleteBeta(NaN, 1, 3)).toBeNaN();
  });
});

describe('Student t distribution', () => {
  it('closed forms for ν = 1, 2, 3 (Cauchy and elementary CDFs), abs 1e-14', () => {
    for (const t of [-50, -3.2, -1, -0.25, 0, 0.4, 1, 2.5, 8, 120]) {
      // ν = 1: F = ½ + atan(t)/π
      expectClose(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-13, 1e-14);
      // ν = 2: F = ½ + t / (2 √(2 + t²))
      expectClose(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13, 1e-14);
      // ν = 3: F = ½ + (1/π) [ (t/√3) / (1 + t²/3) + atan(t/√3) ]
      const u = t / Math.sqrt(3);
      expectClose(studentTCdf(t, 3), 0.5 + (u / (1 + u * u) + Math.atan(u)) / Math.PI, 1e-13, 1e-14);
    }
  });

  it('two-sided p at tabulated critical values (standard t tables, 6-7 digits), abs 2e-6', () => {
    // t_{0.975}(10) = 2.228139, t_{0.975}(5) = 2.570582, t_{0.995}(20) = 2.845340,
    // t_{0.95}(30) = 1.697261, t_{0.975}(120) = 1.979930.
    expectClose(studentTTwoSidedP(2.228139, 10), 0.05, 0, 2e-6);
    expectClose(studentTTwoSidedP(2.570582, 5), 0.05, 0, 2e-6);
    expectClose(studentTTwoSidedP(2.84534, 20), 0.01, 0, 2e-6);
    expectClose(studentTTwoSidedP(1.697261, 30), 0.1, 0, 2e-6);
    expectClose(studentTTwoSidedP(1.97993, 120), 0.05, 0, 2e-6);
  });

  it('approaches the normal tail for large ν', () => {
    expectClose(studentTTwoSidedP(1.959963984540054, 1e8), 0.05, 0, 1e-8);
  });

  it('keeps relative accuracy in the far tail (ν = 1 closed form: p = 1 − 2 atan(t)/π)', () => {
    const t = 1e6;
    // 1 − 2 atan(t)/π = 2 atan(1/t)/π for t > 0 (no cancellation).
    expectClose(studentTTwoSidedP(t, 1), (2 * Math.atan(1 / t)) / Math.PI, 1e-12);
  });

  it('symmetry and limits', () => {
    expect(studentTTwoSidedP(0, 7)).toBe(1);
    expect(studentTTwoSidedP(Infinity, 7)).toBe(0);
    expect(studentTTwoSidedP(-2.1, 9)).toBe(studentTTwoSidedP(2.1, 9));
    expectClose(studentTCdf(-1.3, 9)! + studentTCdf(1.3, 9)!, 1, 1e-15);
  });

  it('invalid inputs give null', () => {
    expect(studentTTwoSidedP(NaN, 5)).toBeNull();
    expect(studentTTwoSidedP(1, 0)).toBeNull();
    expect(studentTCdf(1, -2)).toBeNull();
  });
});

describe('Student t central probability P(|T| < |t|)', () => {
  it('is the complement of the two-sided tail, and exact closed forms for ν = 1 (2 atan(t)/π) and ν = 2 (t/√(2 + t²)), rel 1e-13', () => {
    for (const t of [1e-12, 1e-6, 0.01, 0.5, 1, 3, -2.5]) {
      expectClose(studentTCentralP(t, 1), (2 * Math.atan(Math.abs(t))) / Math.PI, 1e-13, 0);
      expectClose(studentTCentralP(t, 2), Math.abs(t) / Math.sqrt(2 + t * t), 1e-13, 0);
      // The two are evaluated apart; lnΓ of a + b ≈ 100 bounds their agreement (see the incomplete beta above).
      for (const df of [5, 30, 200]) expectClose(studentTCentralP(t, df)! + studentTTwoSidedP(t, df)!, 1, 1e-12);
    }
    expect(studentTCentralP(0, 10)).toBe(0);
    expect(studentTCentralP(Infinity, 10)).toBe(1);
    expect(studentTCentralP(NaN, 10)).toBeNull();
    expect(studentTCentralP(1, 0)).toBeNull();
  });
});
