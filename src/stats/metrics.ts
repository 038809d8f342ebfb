// Ranking metrics of scores against binary outcomes: ROC AUC (ties count ½), Gini, KS, gains/lift, Wilson intervals.

/** Scores and outcomes of the rows used (1 = positive, 0 = negative). */
export interface Scored {
  scores: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** Equal scores grouped, best first: score, rows and positives of each group. */
export interface ScoreGroups {
  score: Float64Array;
  rows: Float64Array;
  positives: Float64Array;
  /** Total rows and positives. */
  n: number;
  p: number;
}

/** Group equal scores, highest score first (one sort, O(n log n)). */
export function groupScores({ scores, labels }: Scored): ScoreGroups {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const s = Float64Array.from(scores as ArrayLike<number>);
  order.sort((a, b) => s[b]! - s[a]!);
  const score: number[] = [];
  const rows: number[] = [];
  const positives: number[] = [];
  let p = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const y = labels[i]! ? 1 : 0;
    p += y;
    if (score.length && score[score.length - 1] === s[i]) {
      rows[rows.length - 1]!++;
      positives[positives.length - 1]! += y;
    } else {
      score.push(s[i]!);
      rows.push(1);
      positives.push(y);
    }
  }
  return { score: Float64Array.from(score), rows: Float64Array.from(rows), positives: Float64Array.from(positives), n, p };
}

/**
 * ROC AUC: the probability that a random positive scores above a random negative, a tie counting ½ (Mann–Whitney U
 * over n₊·n₋, exact with ties because equal scores are grouped). NaN without positives or without negatives.
 */
export function auc(g: ScoreGroups): number {
  const neg = g.n - g.p;
  if (g.p === 0 || neg === 0) return NaN;
  let u = 0;
  let negBelow = neg;
  for (let k = 0; k < g.score.length; k++) {
    const pos = g.positives[k]!;
    const ng = g.rows[k]! - pos;
    negBelow -= ng;
    u += pos * (negBelow + ng / 2);
  }
  return u / (g.p * neg);
}

/** Gini (accuracy ratio) = 2·AUC − 1. */
export function gini(aucValue: number): number {
  return 2 * aucValue - 1;
}

/**
 * Kolmogorov–Smirnov statistic: the largest gap between the cumulative shares of positives and of negatives, taken
 * only between groups of equal scores (a cut cannot split a tie). Returns the gap and the lowest score above the cut.
 */
export function ks(g: ScoreGroups): { ks: number; score: number } {
  const neg = g.n - g.p;
  if (g.p === 0 || neg === 0) return { ks: NaN, score: NaN };
  let cp = 0;
  let cn = 0;
  let best = 0;
  let at = NaN;
  for (let k = 0; k < g.score.length; k++) {
    cp += g.positives[k]!;
    cn += g.rows[k]! - g.positives[k]!;
    const d = Math.abs(cp / g.p - cn / neg);
    if (d > best + 1e-12) {
      best = d;
      at = g.score[k]!;
    }
  }
  return { ks: best, score: at };
}

/** Gains and lift of the top share of scores. */
export interface Gain {
  /** Share of rows taken (0.05 = top 5 %). */
  share: number;
  /** Rows in the top share (fractional when a tie straddles the cut). */
  rows: number;
  /** Positives captured (a tie at the cut contributes pro rata). */
  positives: number;
  /** Share of all positives captured. */
  gain: number;
  /** Conversion within the top share. */
  conversion: number;
  /** Conversion over the base rate. */
  lift: number;
}

/** The top shares reported by default. */
export const TOP_SHARES = [0.05, 0.1, 0.2, 0.5] as const;

/**
 * Gains and lift at each top share. The cut is at share·n rows; a group of equal scores that straddles it is split
 * pro rata (its positives counted in proportion to the rows taken), so the result does not depend on row order.
 */
export function gains(g: ScoreGroups, shares: readonly number[] = TOP_SHARES): Gain[] {
  const base = g.n ? g.p / g.n : NaN;
  return shares.map((share) => {
    const want = share * g.n;
    let rows = 0;
    let pos = 0;
    for (let k = 0; k < g.score.length && rows < want; k++) {
      const r = g.rows[k]!;
      const take = Math.min(r, want - rows);
      rows += take;
      pos += (g.positives[k]! * take) / r;
    }
    const conversion = rows > 0 ? pos / rows : NaN;
    return { share, rows, positives: pos, gain: g.p ? pos / g.p : NaN, conversion, lift: conversion / base };
  });
}

/** A 95 % (z = 1.96) Wilson score interval for k successes in n trials; [NaN, NaN] for n = 0. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n <= 0) return [NaN, NaN];
  const p = k / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const mid = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, (mid - half) / den), Math.min(1, (mid + half) / den)];
}

/** One score decile (1 = highest scores). */
export interface Decile {
  decile: number;
  rows: number;
  positives: number;
  conversion: number;
  minScore: number;
  maxScore: number;
}

/**
 * Conversion per score decile, best first. A group of equal scores is never split: it goes to the decile of the
 * middle of its ranks, so deciles can be uneven (or empty, and then left out) when many scores tie.
 */
export function deciles(g: ScoreGroups, count = 10): Decile[] {
  const out: Decile[] = [];
  let start = 0;
  for (let k = 0; k < g.score.length; k++) {
    const r = g.rows[k]!;
    const mid = start + r / 2;
    start += r;
    const d = Math.min(count, Math.floor((mid / g.n) * count) + 1);
    let last = out[out.length - 1];
    if (!last || last.decile !== d) {
      last = { decile: d, rows: 0, positives: 0, conversion: NaN, minScore: g.score[k]!, maxScore: g.score[k]! };
      out.push(last);
    }
    last.rows += r;
    last.positives += g.positives[k]!;
    last.minScore = g.score[k]!;
  }
  for (const d of out) d.conversion = d.positives / d.rows;
  return out;
}
