// Ranking metrics against hand-computed values (ties, pro-rata cuts, Wilson bounds).
import { describe, expect, it } from 'vitest';
import { auc, deciles, gains, gini, groupScores, ks, wilson } from '../../src/stats/metrics.js';

const g = (scores: number[], labels: number[]) => groupScores({ scores, labels });

describe('auc', () => {
  it.each([
    // scikit-learn's roc_auc_score documentation example.
    { scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], want: 0.75 },
    { scores: [1, 2, 3, 4], labels: [0, 0, 1, 1], want: 1 },
    { scores: [4, 3, 2, 1], labels: [0, 0, 1, 1], want: 0 },
    // A positive tied with a negative counts ½: U = 0.5 + 1 over 2 pairs.
    { scores: [1, 1, 2], labels: [0, 1, 1], want: 0.75 },
    // Everything tied: ½.
    { scores: [5, 5, 5, 5], labels: [1, 0, 1, 0], want: 0.5 },
    // 3 positives × 2 negatives; pairs won: (3>1,3>2)=2, (2 vs 2)=.5+ (2>1)=1, (1 vs 1)=.5 → 4/6.
    { scores: [3, 2, 1, 2, 1], labels: [1, 1, 1, 0, 0], want: 4 / 6 },
  ])('$scores / $labels → $want', ({ scores, labels, want }) => {
    expect(auc(g(scores, labels))).toBeCloseTo(want, 12);
  });
  it('is NaN without negatives or positives', () => {
    expect(auc(g([1, 2], [1, 1]))).toBeNaN();
    expect(auc(g([1, 2], [0, 0]))).toBeNaN();
  });
  it('does not depend on row order (ties grouped)', () => {
    const s = [3, 1, 2, 2, 2, 1, 3, 0];
    const y = [1, 0, 1, 0, 1, 1, 0, 0];
    const perm = [7, 3, 5, 0, 6, 1, 4, 2];
    expect(auc(g(perm.map((i) => s[i]!), perm.map((i) => y[i]!)))).toBe(auc(g(s, y)));
  });
  it('gini = 2·auc − 1', () => {
    expect(gini(0.75)).toBeCloseTo(0.5, 12);
  });
});

describe('ks', () => {
  it.each([
    { scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1], want: 0.5, at: 0.8 },
    { scores: [1, 2, 3, 4], labels: [0, 0, 1, 1], want: 1, at: 3 },
    // A tie cannot be cut: the only cuts are above 2 (0,0) and below (1,1).
    { scores: [2, 2, 2, 2], labels: [1, 1, 0, 0], want: 0, at: NaN },
  ])('$scores / $labels → $want', ({ scores, labels, want, at }) => {
    const r = ks(g(scores, labels));
    expect(r.ks).toBeCloseTo(want, 12);
    if (Number.isNaN(at)) expect(r.score).toBeNaN();
    else expect(r.score).toBe(at);
  });
});

describe('gains', () => {
  it('counts the top rows, and splits a tie at the cut pro rata', () => {
    // 10 rows; the top score 9 holds 4 rows with 2 positives; then 8 (pos), then 7 ×5 with 1 positive.
    const scores = [9, 9, 9, 9, 8, 7, 7, 7, 7, 7];
    const labels = [1, 1, 0, 0, 1, 1, 0, 0, 0, 0];
    const [t10, t20, t50] = gains(g(scores, labels), [0.1, 0.2, 0.5]);
    expect(t10).toMatchObject({ rows: 1, positives: 0.5, gain: 0.5 / 4, conversion: 0.5, lift: 0.5 / 0.4 });
    expect(t20).toMatchObject({ rows: 2, positives: 1 });
    // 4 rows of 9 (2 positives) + the 8 (1 positive) = 5 rows: 3 of 4 positives.
    expect(t50!.positives).toBeCloseTo(3, 12);
    expect(t50!.gain).toBeCloseTo(0.75, 12);
    expect(t50!.lift).toBeCloseTo(0.6 / 0.4, 12);
  });
});

describe('wilson', () => {
  it.each([
    // Hand-computed from the formula in REFERENCES.md (0 of 10: the textbook upper bound 0.2775).
    { k: 0, n: 10, lo: 0, hi: 0.27754 },
    { k: 5, n: 10, lo: 0.23659, hi: 0.76341 },
    { k: 10, n: 10, lo: 0.72246, hi: 1 },
    { k: 81, n: 263, lo: 0.25529, hi: 0.36621 },
  ])('$k of $n', ({ k, n, lo, hi }) => {
    const [a, b] = wilson(k, n);
    expect(a).toBeCloseTo(lo, 4);
    expect(b).toBeCloseTo(hi, 4);
  });
  it('is NaN for no trials', () => {
    expect(wilson(0, 0)).toEqual([NaN, NaN]);
  });
});

describe('deciles', () => {
  it('gives ten equal deciles on distinct scores', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i);
    const labels = scores.map((s) => (s >= 80 ? 1 : 0));
    const d = deciles(g(scores, labels));
    expect(d.map((x) => x.rows)).toEqual(Array(10).fill(10));
    expect(d.map((x) => x.conversion)).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(d[0]).toMatchObject({ decile: 1, minScore: 90, maxScore: 99 });
  });
  it('keeps a tie in one decile (the one of its middle rank)', () => {
    const scores = [5, 5, 5, 5, 5, 5, 1, 1, 1, 1];
    const d = deciles(g(scores, [1, 1, 1, 0, 0, 0, 0, 0, 0, 1]));
    expect(d.map((x) => [x.decile, x.rows])).toEqual([
      [4, 6],
      [9, 4],
    ]);
  });
});
