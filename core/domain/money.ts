/**
 * Money rounding (SPEC.md a.3). Values are kept at full float64 precision in calculations
 * and rounded to cents only when written or printed.
 *
 * roundCents: half away from zero, with a 1e-7 nudge on |x| × 100 to absorb binary noise
 * (1.005 is stored as 1.00499999999999989…, and must round to 1.01). −0 becomes 0.
 */
export function roundCents(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(Math.abs(x) * 100 + 1e-7) / 100;
  const signed = x < 0 ? -r : r;
  return signed === 0 ? 0 : signed;
}

/**
 * Neumaier-compensated sum (SPEC.md a.4: sums of many floats use compensated summation).
 * Edge cases: an empty input sums to 0; a non-finite term makes the result non-finite.
 */
export function compensatedSum(values: Iterable<number>): number {
  let sum = 0;
  let c = 0;
  for (const v of values) {
    const t = sum + v;
    if (Math.abs(sum) >= Math.abs(v)) c += sum - t + v;
    else c += v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** Accumulator form of compensatedSum, for loops that cannot build an iterable cheaply. */
export class CompensatedSum {
  private sum = 0;
  private c = 0;
  add(v: number): void {
    const t = this.sum + v;
    if (Math.abs(this.sum) >= Math.abs(v)) this.c += this.sum - t + v;
    else this.c += v - t + this.sum;
    this.sum = t;
  }
  get value(): number {
    return this.sum + this.c;
  }
}

/** Money for humans: rounded to cents (roundCents), thousands separators, 2 decimals (SPEC.md k.1). */
export function formatMoney(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const cents = roundCents(x);
  const sign = cents < 0 ? '-' : '';
  const [int, frac] = Math.abs(cents).toFixed(2).split('.');
  return `${sign}${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
