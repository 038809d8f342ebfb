// Recency decay, one named step for every engine: points × 0.5^(days / half-life). Pure.

const LN_HALF = Math.log(0.5);

/** Days the decay measures: from the activity date to the as-of day, never negative (a future date is today). */
export function decayDays(asOf: number, day: number): number {
  return Math.max(0, asOf - day);
}

/**
 * The decay factor 0.5^(days / halfLifeDays), computed as exp(ln 0.5 × days / halfLifeDays): SQL lowerings
 * compute the same expression (exp may differ in the last bit between engines; cents rounding absorbs it).
 */
export function decayFactor(days: number, halfLifeDays: number): number {
  return Math.exp((LN_HALF * days) / halfLifeDays);
}
