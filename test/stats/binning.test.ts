// Monotone binning: trends found, bins monotone and within size limits, cut points short and between values.
import { describe, expect, it } from 'vitest';
import { monotoneBins, niceCut } from '../../src/stats/binning.js';
import { mulberry32 } from '../../src/stats/split.js';

describe('niceCut', () => {
  it.each([
    [12.7, 15.2, 15],
    [7, 10, 10],
    [0.31, 0.35, 0.35],
    [99, 100, 100],
    [100, 101, 101],
    [-5, -2, -2],
    [1234, 1890, 1800],
  ])('between %f and %f → %f', (a, b, want) => {
    const c = niceCut(a, b);
    expect(c).toBe(want);
    expect(c > a && c <= b).toBe(true);
  });
});

function synthetic(n: number, seed: number, rateOf: (x: number) => number) {
  const rnd = mulberry32(seed);
  const values: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.floor(rnd() * 1000);
    values.push(rnd() < 0.1 ? NaN : x);
    labels.push(rnd() < rateOf(x) ? 1 : 0);
  }
  return { values, labels };
}

const rates = (bins: { rows: number; positives: number }[]) => bins.map((b) => b.positives / b.rows);

describe('monotoneBins', () => {
  it('finds a rising relationship and keeps conversion strictly rising', () => {
    const { values, labels } = synthetic(5000, 1, (x) => 0.1 + 0.6 * (x / 1000));
    const b = monotoneBins(values, labels, { maxBins: 5 });
    expect(b.trend).toBe('ascending');
    expect(b.bins.length).toBeGreaterThanOrEqual(3);
    expect(b.bins.length).toBeLessThanOrEqual(5);
    const r = rates(b.bins);
    for (let i = 1; i < r.length; i++) expect(r[i]!).toBeGreaterThan(r[i - 1]!);
    expect(b.bins[0]!.lo).toBe(-Infinity);
    expect(b.bins.at(-1)!.hi).toBe(Infinity);
    const known = values.filter((v) => v === v).length;
    expect(b.bins.reduce((s, x) => s + x.rows, 0)).toBe(known);
    for (const x of b.bins) expect(x.rows).toBeGreaterThanOrEqual(0.05 * known);
  });
  it('finds a falling relationship', () => {
    const { values, labels } = synthetic(5000, 2, (x) => (x < 300 ? 0.6 : x < 700 ? 0.3 : 0.1));
    const b = monotoneBins(values, labels);
    expect(b.trend).toBe('descending');
    // The true steps are at 300 and 700: the cuts found are near them.
    const cuts = b.bins.slice(1).map((x) => x.lo);
    expect(cuts.some((c) => Math.abs(c - 300) <= 30)).toBe(true);
    expect(cuts.some((c) => Math.abs(c - 700) <= 30)).toBe(true);
  });
  it('gives one bin when the value says nothing', () => {
    const { values, labels } = synthetic(3000, 3, () => 0.3);
    const b = monotoneBins(values, labels, { maxBins: 5 });
    expect(b.iv).toBeLessThan(0.02);
  });
  it('never splits equal values, and counts each bin right (hand-checked)', () => {
    // Values 1..4 (10 rows each) with 1, 3, 6, 9 positives: rising; min share 25 % allows 4 bins.
    const values: number[] = [];
    const labels: number[] = [];
    [1, 3, 6, 9].forEach((p, k) => {
      for (let i = 0; i < 10; i++) {
        values.push(k + 1);
        labels.push(i < p ? 1 : 0);
      }
    });
    const b = monotoneBins(values, labels, { minShare: 0.25, maxBins: 4, preBins: 10 });
    expect(b.bins.map((x) => [x.lo, x.hi, x.rows, x.positives])).toEqual([
      [-Infinity, 2, 10, 1],
      [2, 3, 10, 3],
      [3, 4, 10, 6],
      [4, Infinity, 10, 9],
    ]);
    // A dip is pooled away: 1, 5, 3, 9 positives → 2 and 3 merge.
    const y2: number[] = [];
    [1, 5, 3, 9].forEach((p) => {
      for (let i = 0; i < 10; i++) y2.push(i < p ? 1 : 0);
    });
    const c = monotoneBins(values, y2, { minShare: 0.25, maxBins: 4, preBins: 10 });
    expect(c.bins.map((x) => [x.lo, x.rows, x.positives])).toEqual([
      [-Infinity, 10, 1],
      [2, 20, 8],
      [4, 10, 9],
    ]);
  });
  it('returns no bins for no known values', () => {
    expect(monotoneBins([NaN, NaN], [1, 0]).bins).toEqual([]);
  });
});
