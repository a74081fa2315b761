/**
 * Student's t distribution with ν degrees of freedom (SPEC.md d.5, d.11).
 *
 * With x = ν / (ν + t²) and its complement y = t² / (ν + t²) (no cancellation):
 *   two-sided tail  P(|T| ≥ |t|) = I_x(ν/2, 1/2)
 *   central         P(|T| < |t|) = I_y(1/2, ν/2), its complement, evaluated directly so that
 *                   a small t keeps full relative accuracy (1 − tail would cancel to 0)
 *   CDF             F(t) = 1 − ½ I_x(ν/2, 1/2) for t ≥ 0, and ½ I_x(ν/2, 1/2) for t < 0.
 * Source: Abramowitz & Stegun 26.7.1 / 26.5.27; the regularised incomplete beta is in
 * incomplete-beta.ts.
 *
 * Edge cases: ν ≤ 0 or NaN, or NaN t → null. t = ±∞ gives a tail of 0 (CDF 0 or 1); t = 0
 * gives a tail of 1. ν need not be an integer.
 */
import { regularizedIncompleteBeta } from './incomplete-beta';

/** Two-sided tail probability P(|T| ≥ |t|), T ~ t(ν). In [0, 1]; null for invalid inputs. */
export function studentTTwoSidedP(t: number, df: number): number | null {
  return tailOrCentral(t, df, 'tail');
}

/** Central probability P(|T| < |t|), T ~ t(ν): 1 − the two-sided tail without cancellation. In [0, 1]; null for invalid inputs. */
export function studentTCentralP(t: number, df: number): number | null {
  return tailOrCentral(t, df, 'central');
}

/** I_x(ν/2, ½) for the tail, I_y(½, ν/2) for the central part, each given the other's argument as its complement. */
function tailOrCentral(t: number, df: number, part: 'tail' | 'central'): number | null {
  if (Number.isNaN(t) || !(df > 0)) return null;
  const tail = part === 'tail';
  if (!Number.isFinite(t)) return tail ? 0 : 1;
  if (t === 0) return tail ? 1 : 0;
  const t2 = t * t;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return clamp01(tail ? regularizedIncompleteBeta(x, df / 2, 0.5, y) : regularizedIncompleteBeta(y, 0.5, df / 2, x));
}

/** Cumulative distribution function P(T ≤ t), T ~ t(ν). Null for invalid inputs. */
export function studentTCdf(t: number, df: number): number | null {
  const tail = studentTTwoSidedP(t, df);
  if (tail === null) return null;
  return t >= 0 ? 1 - tail / 2 : tail / 2;
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
