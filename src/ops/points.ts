// The range points are computed in, one rule for every engine: what a points_per criterion gives for a value so
// large that its points would leave it (1e308 visits). Pure.

/**
 * The most points, in size, any criterion's points or contribution, group or total may reach: 1e12 points are 1e14
 * cents, so sums of up to 90 such numbers stay exact integers in a double (2^53 cents ≈ 9.0e13 points).
 */
export const MAX_POINTS = 1e12;

/**
 * The largest |value × points_per| a points_per criterion scores as computed: MAX_POINTS / max(1, weight,
 * weight × multiplier), so that its points before the weight, after it, and as counted in the score (× the
 * group's multiplier) all stay within ±MAX_POINTS. A larger product is "beyond": see beyondPoints.
 */
export function perBound(weight: number, multiplier: number): number {
  return MAX_POINTS / Math.max(1, weight, weight * Math.abs(multiplier));
}

/**
 * The points of a points_per criterion whose base (value × points_per) is beyond perBound: +Infinity or
 * -Infinity by the base's sign (0 at weight 0), whatever the decay factor, then the criterion's cap and floor —
 * a cap of 100 on 1e308 visits gives 100. NaN when neither bounds that side: the criterion is then unknown for
 * that row and its unknown policy applies (a number no sum can hold is not a score).
 */
export function beyondPoints(base: number, weight: number, cap: number | undefined, floor: number | undefined): number {
  let pts = weight === 0 ? 0 : base > 0 ? Infinity : -Infinity;
  if (cap !== undefined && pts > cap) pts = cap;
  if (floor !== undefined && pts < floor) pts = floor;
  return pts - pts === 0 ? pts : NaN;
}
