/**
 * Regularised incomplete beta function I_x(a, b) (SPEC.md d.5: the t-distribution tail uses it).
 *
 * Definition: I_x(a, b) = B(x; a, b) / B(a, b), for a, b > 0 and 0 ≤ x ≤ 1.
 * Method: the continued fraction of Numerical Recipes (3rd ed., § 6.4) evaluated by the
 * modified Lentz algorithm, on x < (a + 1)/(a + b + 2) directly and otherwise through the
 * symmetry I_x(a, b) = 1 − I_(1−x)(b, a). The caller may pass y = 1 − x computed without
 * cancellation (for the t tail, y = t² / (ν + t²)), which keeps full relative accuracy when
 * x is close to 1.
 *
 * Edge cases: x ≤ 0 → 0; x ≥ 1 → 1; a ≤ 0, b ≤ 0 or NaN input → NaN. The fraction is given
 * at most 1000 iterations (it converges in O(√max(a, b)) steps); no exception is thrown.
 */
import { logGamma } from './log-gamma';

const MAX_ITERATIONS = 1000;
const EPS = 1e-16;
const TINY = 1e-300;

export function regularizedIncompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x <= 0) return 0;
  if (x >= 1 || y <= 0) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(y);
  const front = Math.exp(lnFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/** Continued fraction for I_x(a, b) (NR betacf), modified Lentz. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) <= EPS) break;
  }
  return h;
}
