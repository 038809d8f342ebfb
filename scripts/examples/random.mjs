// A tiny seeded PRNG (mulberry32) and CSV helpers shared by the example generators, so every example is the
// same on every machine.

/** A random-number stream in [0, 1) from a seed. */
export function mulberry32(seed) {
  let s = seed;
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over one stream: pick from a list, a chance, an integer in [lo, hi], a standard normal draw. */
export function helpers(rand) {
  return {
    pick: (xs) => xs[Math.floor(rand() * xs.length)],
    chance: (p) => rand() < p,
    int: (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1)),
    normal: () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()),
  };
}

/** One CSV field, quoted when it holds the delimiter, a quote or a line break. */
export function csvField(v, delimiter = ',') {
  return v.includes(delimiter) || /["\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export const AS_OF = Date.UTC(2026, 10, 1);
export const DAY = 86_400_000;
export const iso = (t) => new Date(t).toISOString().slice(0, 10);
export const logistic = (z) => 1 / (1 + Math.exp(-z));
