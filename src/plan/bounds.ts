// Reachable ranges, computed once for every user: a criterion's points, a group's subtotal and the total after
// weights, caps and floors. The Plan holds the results (null = unbounded); build, lint, stats and the weighted
// average read them from there. Pure. Internally ±Infinity stands for unbounded.

/** A closed range; ±Infinity for unbounded. */
export interface Range {
  min: number;
  max: number;
}

/** What a criterion's range depends on. */
export interface CriterionShape {
  kind: 'points' | 'bands' | 'per';
  /** points: the points; per: the points per unit. */
  points: number;
  /** bands: each band's points. */
  bandPoints: readonly number[];
  weight: number;
  cap: number | null;
  floor: number | null;
  /** The penalty policy's points, or null for another policy. */
  penalty: number | null;
}

/**
 * The points a criterion can give (after weight, cap and floor; 0 included: a criterion that does not match, or
 * decays away, gives 0). points_per is unbounded on the side its sign grows unless capped or floored. A
 * penalty for unknown values widens the range to its points.
 */
export function criterionRange(c: CriterionShape): Range {
  const clamp = (x: number) => Math.min(c.cap ?? Infinity, Math.max(c.floor ?? -Infinity, x));
  let r: Range;
  if (c.kind === 'points') {
    const p = clamp(c.points * c.weight);
    r = { min: Math.min(0, p), max: Math.max(0, p) };
  } else if (c.kind === 'bands') {
    const pts = c.bandPoints.map((p) => clamp(p * c.weight));
    r = { min: Math.min(0, ...pts), max: Math.max(0, ...pts) };
  } else {
    const k = c.points * c.weight;
    r = { min: c.floor ?? (k < 0 ? -Infinity : 0), max: c.cap ?? (k > 0 ? Infinity : 0) };
  }
  if (c.penalty !== null) r = { min: Math.min(r.min, c.penalty), max: Math.max(r.max, c.penalty) };
  return r;
}

/**
 * A group's subtotal: its criteria's points added up (each at most its max, at least its min), then the cap,
 * then the floor, as the evaluator applies them.
 */
export function groupRange(criteria: readonly Range[], cap: number | null, floor: number | null): Range {
  let max = 0;
  let min = 0;
  for (const c of criteria) {
    max += Math.max(0, c.max);
    min += Math.min(0, c.min);
  }
  const clamp = (x: number) => Math.max(floor ?? -Infinity, Math.min(cap ?? Infinity, x));
  return { min: clamp(min), max: clamp(max) };
}

/** The total: each group's subtotal range times its multiplier (≥ 0), added up. A multiplier of 0 adds nothing. */
export function totalRange(groups: readonly { range: Range; multiplier: number }[]): Range {
  let min = 0;
  let max = 0;
  for (const g of groups) {
    if (g.multiplier === 0) continue;
    min += g.range.min * g.multiplier;
    max += g.range.max * g.multiplier;
  }
  return { min, max };
}

/** A bound as the Plan holds it: null for unbounded. */
export function planBound(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** A bound of the Plan as a number: null is +Infinity for a maximum, -Infinity for a minimum. */
export function boundOf(x: number | null, side: 'min' | 'max'): number {
  return x ?? (side === 'max' ? Infinity : -Infinity);
}
