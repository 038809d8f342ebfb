// Rounding, one named step for every engine: points are integer cents (hundredths), halves away from zero. Pure.

/** Round to whole cents, halves away from zero (symmetric for negative points): 0.125 → 13, -0.125 → -13. */
export function toCents(x: number): number {
  return x < 0 ? -Math.round(-x * 100) : Math.round(x * 100);
}

/** Round to two decimals for display, as cents are rounded (halves away from zero). */
export function round2(x: number): number {
  return toCents(x) / 100;
}
