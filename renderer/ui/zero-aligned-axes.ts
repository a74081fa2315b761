/**
 * The value axes of one chart with their zero lines at the same height. Two value axes that
 * each fit their own data put their zeros at different heights, so a line above another's
 * zero can read as a gain while it is a loss. Here every axis spans its data and 0 in the same
 * number of intervals of a round step, with 0 on the same split line on every axis.
 */

/** An axis's data: the least and greatest value of its series (0 and 0 without data). */
export interface AxisExtent {
  readonly min: number;
  readonly max: number;
}

export interface AlignedAxis {
  readonly min: number;
  readonly max: number;
  /** The step between split lines; 0 is one of them. */
  readonly interval: number;
}

/** Round steps: a multiple of a power of ten that labels read well. */
const STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest round step not below `x` (> 0). */
function roundStep(x: number): number {
  const power = 10 ** Math.floor(Math.log10(x));
  // The tolerance keeps 3 from becoming 4 when x / power is 2.9999999999999996.
  return STEPS.find((s) => s * power >= x * (1 - 1e-9))! * power;
}

/**
 * `splits` intervals per axis, 0 on the same split line of each: of the lines every axis's data
 * fits with, the one whose emptiest axis is the fullest (the share of its height its data and
 * 0 span). An axis without data gets steps of 1 and does not weigh in the choice.
 */
export function zeroAlignedAxes(extents: readonly AxisExtent[], splits = 5): AlignedAxis[] {
  const spans = extents.map((e) => ({ below: Math.max(0, -e.min), above: Math.max(0, e.max) }));
  let best: { axes: AlignedAxis[]; fullness: number } | null = null;
  // `zero`: the split line of 0, counted from the bottom.
  for (let zero = 0; zero <= splits; zero++) {
    if (spans.some((s) => (s.below > 0 && zero === 0) || (s.above > 0 && zero === splits))) continue;
    const axes = spans.map((s) => {
      const need = Math.max(s.below > 0 ? s.below / zero : 0, s.above > 0 ? s.above / (splits - zero) : 0);
      const interval = need > 0 ? roundStep(need) : 1;
      // Not -0 at the bottom: its label would read "-0".
      return { min: zero > 0 ? -zero * interval : 0, max: (splits - zero) * interval, interval };
    });
    const fullness = Math.min(...spans.flatMap((s, i) => (s.below + s.above > 0 ? [(s.below + s.above) / (axes[i]!.max - axes[i]!.min)] : [])));
    if (!best || fullness > best.fullness) best = { axes, fullness };
  }
  // Only an axis with data on both sides of 0 and a single split has no line that fits.
  if (!best) throw new Error(`zeroAlignedAxes: ${splits} split(s) cannot hold values on both sides of 0`);
  return best.axes;
}
