// Reproducible stratified train/test split from a seeded PRNG (mulberry32), the same on every machine.

/** mulberry32: a small 32-bit PRNG; the same seed gives the same sequence everywhere. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Stratified split: within positives and within negatives, a seeded shuffle (Fisher–Yates) puts the first
 * round(share·count) rows in the training part. Returns 1 for a training row, 0 for a held-out one.
 */
export function stratifiedSplit(labels: ArrayLike<number>, share: number, seed: number): Uint8Array {
  const rnd = mulberry32(seed);
  const out = new Uint8Array(labels.length);
  for (const cls of [1, 0]) {
    const idx: number[] = [];
    for (let i = 0; i < labels.length; i++) if ((labels[i] ? 1 : 0) === cls) idx.push(i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    const take = Math.round(share * idx.length);
    for (let k = 0; k < take; k++) out[idx[k]!] = 1;
  }
  return out;
}
