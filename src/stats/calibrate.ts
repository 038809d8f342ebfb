// Fitting points from outcomes: weight of evidence per level (shrunk towards the base rate), a logistic regression on
// the WoE-coded criteria, and points-to-double-the-odds scaling; plus tier thresholds for target shares. Pure.
import { fitLogistic } from './logistic.js';
import { weightOfEvidence } from './woe.js';
import { monotoneBins, niceCut, type NumericBin } from './binning.js';
import type { CriterionShape, ScoredRows } from './evaluation.js';

/** What the fit must know of a criterion besides its levels. */
export interface FitCriterion extends CriterionShape {
  /** Criterion weight × group multiplier: score points per point written in the rules. */
  scale: number;
  /** Group multiplier alone (unknown points are not weighted). */
  multiplier: number;
  /** points_per: the value at which the cap is reached (cap / (points_per × weight)), if any. */
  valueCap?: number;
  /** points_per: its cap in score points (the range it can span as written), if any. */
  perRange?: number;
  /** For re-binning: the criterion's bands are numeric conditions on one column. */
  rebinnable?: boolean;
  /** Not fitted: its points are kept (calibrate's own base-points criterion, which every lead matches). */
  fixed?: boolean;
}

export interface FitOptions {
  /** Points to double the odds; undefined: chosen so the fitted points span the model's current range. */
  pdo?: number;
  /** Pseudo-leads per level at the base rate (shrinkage of small levels towards WoE 0). Default 20. */
  prior?: number;
  /** L2 penalty of the regression. Default 1. */
  l2?: number;
  /** Re-bin numeric band criteria by monotone binning. */
  rebin?: boolean;
  maxBins?: number;
  /**
   * L2 penalty of the second stage: per-level corrections to the WoE fit, each shrunk towards 0 (the WoE fit's
   * value), so a level moves away from its WoE points only as far as its own rows show. Default 5; 0 turns it off.
   */
  refine?: number;
}

export interface LevelFit {
  rows: number;
  positives: number;
  woe: number;
  /** Score points this level adds (before decay), relative to "not matched" / "no band". */
  contribution: number;
}

export interface CriterionFit {
  /** Regression coefficient on the WoE-coded criterion (points_per: on the standardised value). */
  beta: number;
  /** Left out because its coefficient came out negative (its evidence is carried by other criteria). */
  dropped: boolean;
  /** Not fitted (FitCriterion.fixed): its points stay as they are. */
  fixed?: boolean;
  iv: number;
  levels: LevelFit[];
  /** points_per: score points per unit of the value, and the unknown level's coefficient. */
  perUnit?: number;
  /** --rebin: the new numeric bins (their levels are `levels`, then "no band" and "unknown"). */
  bins?: NumericBin[];
  /** points_per with a value cap: the training rows with a known value below the cap and at or above it. */
  capSplit?: { below: { rows: number; positives: number }; atCap: { rows: number; positives: number } };
  /** points_per: the monotone bins of the (capped) known value its IV is measured on. */
  valueBins?: NumericBin[];
}

export interface Fit {
  pdo: number;
  factor: number;
  /** Log-odds of a lead with 0 points. */
  intercept: number;
  criteria: CriterionFit[];
  trainRows: number;
  trainPositives: number;
  iterations: number;
  /** The level of each row per criterion the fit used (row × criteria): the rows' own, or their new bins (--rebin). */
  level: Uint8Array;
}

/** Fewest positives and negatives the fit accepts in the training rows (see docs/calibration.md for why). */
export const MIN_CLASS = 30;

function counts(level: Uint8Array, c: number, ci: number, labels: Uint8Array, rows: number[], k: number) {
  const n = new Array<number>(k).fill(0);
  const p = new Array<number>(k).fill(0);
  for (const i of rows) {
    const l = level[i * c + ci]!;
    n[l]!++;
    p[l]! += labels[i]!;
  }
  return { n, p };
}

/** Fit points for `criteria` on the rows where `train` is 1 (all rows when undefined). */
export function fitPoints(criteria: readonly FitCriterion[], r: ScoredRows, train: Uint8Array | undefined, options: FitOptions = {}): Fit {
  const prior = options.prior ?? 20;
  const rowsUsed: number[] = [];
  let pos = 0;
  for (let i = 0; i < r.n; i++) {
    if (train && !train[i]) continue;
    rowsUsed.push(i);
    pos += r.label[i]!;
  }
  const c = r.criteria;
  // Level of each row per criterion; --rebin replaces a criterion's levels by its new bins.
  let level = r.level;
  const bins: (NumericBin[] | undefined)[] = criteria.map(() => undefined);
  const levelCount = criteria.map((k) => k.levels.length);
  if (options.rebin && r.value) {
    level = Uint8Array.from(r.level);
    criteria.forEach((k, ci) => {
      if (!k.rebinnable) return;
      const unk = k.levels.length - 1;
      const v = new Float64Array(rowsUsed.length);
      const y = new Uint8Array(rowsUsed.length);
      rowsUsed.forEach((i, j) => {
        v[j] = r.level[i * c + ci] === unk ? NaN : r.value![i * c + ci]!;
        y[j] = r.label[i]!;
      });
      const b = monotoneBins(v, y, { maxBins: options.maxBins ?? 5 }).bins;
      if (b.length < 2) return;
      bins[ci] = b;
      levelCount[ci] = b.length + 2;
      for (let i = 0; i < r.n; i++) {
        const at = i * c + ci;
        if (r.level[at] === unk) {
          level[at] = b.length + 1;
          continue;
        }
        const x = r.value![at]!;
        let k2 = 0;
        while (k2 + 1 < b.length && x >= b[k2 + 1]!.lo) k2++;
        level[at] = x === x ? k2 : b.length;
      }
    });
  }

  // Columns: one per criterion (WoE-coded, or the standardised value for points_per), plus an unknown indicator
  // per points_per criterion.
  const woes: number[][] = [];
  const ivs: number[] = [];
  const levelRows: { n: number[]; p: number[] }[] = [];
  const perCols: number[] = [];
  const sd: number[] = [];
  // points_per: known / unknown alone says nothing of the value, so its IV is over monotone bins of the (capped)
  // value, unknown a level of its own.
  const valueBins: (NumericBin[] | undefined)[] = criteria.map(() => undefined);
  const perIv = (ci: number, k: FitCriterion): number => {
    const v = new Float64Array(rowsUsed.length);
    const y = new Uint8Array(rowsUsed.length);
    let unkRows = 0;
    let unkPos = 0;
    rowsUsed.forEach((i, j) => {
      const known = level[i * c + ci] === 0;
      v[j] = known ? Math.min(r.value?.[i * c + ci] ?? NaN, k.valueCap ?? Infinity) : NaN;
      y[j] = r.label[i]!;
      if (!known) {
        unkRows++;
        unkPos += r.label[i]!;
      }
    });
    const b = monotoneBins(v, y, { maxBins: options.maxBins ?? 5 }).bins;
    valueBins[ci] = b;
    const cells = [...b.map((x) => ({ positives: x.positives, negatives: x.rows - x.positives })), { positives: unkPos, negatives: unkRows - unkPos }];
    return weightOfEvidence(cells, prior).ivTotal;
  };
  criteria.forEach((k, ci) => {
    const cnt = counts(level, c, ci, r.label, rowsUsed, levelCount[ci]!);
    levelRows.push(cnt);
    const w = weightOfEvidence(cnt.n.map((n, i) => ({ positives: cnt.p[i]!, negatives: n - cnt.p[i]! })), prior);
    woes.push(w.woe);
    ivs.push(k.kind === 'per' ? perIv(ci, k) : w.ivTotal);
    if (k.kind === 'per') {
      perCols.push(ci);
      let s = 0;
      let s2 = 0;
      let m = 0;
      for (const i of rowsUsed) {
        if (level[i * c + ci] !== 0) continue;
        const x = Math.min(r.value?.[i * c + ci] ?? 0, k.valueCap ?? Infinity);
        s += x;
        s2 += x * x;
        m++;
      }
      const v = m > 1 ? (s2 - (s * s) / m) / (m - 1) : 0;
      sd.push(v > 0 ? Math.sqrt(v) : 1);
    } else sd.push(1);
  });
  const d = criteria.length + perCols.length;
  const n = rowsUsed.length;
  const x = new Float64Array(n * d);
  const y = new Uint8Array(n);
  const refOf = (ci: number) => (criteria[ci]!.kind === 'per' ? -1 : levelCount[ci]! - 2);
  rowsUsed.forEach((i, j) => {
    y[j] = r.label[i]!;
    const o = j * d;
    criteria.forEach((k, ci) => {
      if (k.fixed) return;
      const at = i * c + ci;
      const l = level[at]!;
      if (k.kind === 'per') {
        const u = perCols.indexOf(ci);
        if (l === 0) x[o + ci] = (Math.min(r.value?.[at] ?? 0, k.valueCap ?? Infinity) * r.decay[at]!) / sd[ci]!;
        else x[o + criteria.length + u] = 1;
        return;
      }
      const w = woes[ci]!;
      const ref = w[refOf(ci)]!;
      const unknown = l === levelCount[ci]! - 1;
      x[o + ci] = (w[l]! - ref) * (unknown ? 1 : r.decay[at]!);
    });
  });

  // Fit; a criterion whose coefficient comes out negative is taken out and the rest refitted (its WoE already says
  // which way it goes, so a negative coefficient only means another criterion carries the same evidence).
  const dropped = new Set<number>();
  let fit = fitLogistic({ rows: n, cols: d, x, y }, { l2: options.l2 ?? 1 });
  let iterations = fit.iterations;
  for (;;) {
    let worst = -1;
    for (let ci = 0; ci < criteria.length; ci++) if (!dropped.has(ci) && fit.coef[ci]! < -1e-9 && (worst < 0 || fit.coef[ci]! < fit.coef[worst]!)) worst = ci;
    if (worst < 0) break;
    dropped.add(worst);
    for (let j = 0; j < n; j++) x[j * d + worst] = 0;
    fit = fitLogistic({ rows: n, cols: d, x, y }, { l2: options.l2 ?? 1 });
    iterations += fit.iterations;
  }

  // Second stage: per-level corrections (band / matched / unknown indicators) on top of the WoE fit as an offset.
  const logit: number[][] = criteria.map((k, ci) => {
    if (k.kind === 'per') return [];
    if (k.fixed) return levelRows[ci]!.n.map(() => 0);
    const w = woes[ci]!;
    const ref = w[refOf(ci)]!;
    return w.map((v) => fit.coef[ci]! * (v - ref));
  });
  let intercept = fit.intercept;
  const refine = options.refine ?? 5;
  if (refine > 0) {
    const cols: { ci: number; l: number }[] = [];
    criteria.forEach((k, ci) => {
      if (k.kind === 'per' || k.fixed) return;
      for (let l = 0; l < levelCount[ci]!; l++) if (l !== refOf(ci) && levelRows[ci]!.n[l]! > 0) cols.push({ ci, l });
    });
    const colOf = new Map(cols.map((c, j) => [`${c.ci}:${c.l}`, j]));
    const m = cols.length;
    const z = new Float64Array(n * m);
    const offset = new Float64Array(n);
    rowsUsed.forEach((i, j) => {
      let t = fit.intercept;
      for (let q = 0; q < d; q++) t += fit.coef[q]! * x[j * d + q]!;
      offset[j] = t;
      criteria.forEach((k, ci) => {
        if (k.kind === 'per' || k.fixed) return;
        const l = level[i * c + ci]!;
        const col = colOf.get(`${ci}:${l}`);
        if (col !== undefined) z[j * m + col] = l === levelCount[ci]! - 1 ? 1 : r.decay[i * c + ci]!;
      });
    });
    const second = fitLogistic({ rows: n, cols: m, x: z, y, offset }, { l2: refine });
    iterations += second.iterations;
    intercept += second.intercept;
    cols.forEach((col, j) => {
      logit[col.ci]![col.l]! += second.coef[j]!;
    });
  }

  // Scale: PDO given, or the one that keeps the model's current range of points.
  const unitRange = criteria.reduce((s, k, ci) => {
    if (k.fixed) return s;
    if (k.kind === 'per') return s + Math.abs(fit.coef[ci]!) * ((k.valueCap ?? 0) / sd[ci]!);
    const w = logit[ci]!;
    return s + (Math.max(0, ...w) - Math.min(0, ...w));
  }, 0);
  const oldRange = criteria.reduce((s, k) => {
    if (k.fixed) return s;
    if (k.kind === 'per') return s + (k.perRange ?? 0);
    const p = k.levels.map((l) => l.points).filter(Number.isFinite);
    return s + (Math.max(0, ...p) - Math.min(0, ...p));
  }, 0);
  let pdo = options.pdo ?? (oldRange > 0 && unitRange > 0 ? Math.LN2 * (oldRange / unitRange) : 20);
  if (options.pdo === undefined) pdo = Number(pdo.toPrecision(2));
  const factor = pdo / Math.LN2;

  const out: CriterionFit[] = criteria.map((k, ci) => {
    const beta = fit.coef[ci]!;
    const cnt = levelRows[ci]!;
    const w = woes[ci]!;
    if (k.kind === 'per') {
      const u = fit.coef[criteria.length + perCols.indexOf(ci)]!;
      let capSplit: CriterionFit['capSplit'];
      if (k.valueCap !== undefined) {
        capSplit = { below: { rows: 0, positives: 0 }, atCap: { rows: 0, positives: 0 } };
        for (const i of rowsUsed) {
          if (level[i * c + ci] !== 0) continue;
          const side = (r.value?.[i * c + ci] ?? 0) >= k.valueCap ? capSplit.atCap : capSplit.below;
          side.rows++;
          side.positives += r.label[i]!;
        }
      }
      return {
        ...(capSplit ? { capSplit } : {}),
        ...(valueBins[ci] ? { valueBins: valueBins[ci] } : {}),
        beta,
        dropped: dropped.has(ci),
        iv: ivs[ci]!,
        perUnit: (factor * beta) / sd[ci]!,
        levels: cnt.n.map((rows, l) => ({ rows, positives: cnt.p[l]!, woe: w[l]!, contribution: l === 0 ? NaN : factor * u })),
      };
    }
    return {
      beta,
      dropped: dropped.has(ci),
      ...(k.fixed ? { fixed: true } : {}),
      iv: ivs[ci]!,
      levels: cnt.n.map((rows, l) => ({ rows, positives: cnt.p[l]!, woe: w[l]!, contribution: factor * logit[ci]![l]! })),
      ...(bins[ci] ? { bins: bins[ci] } : {}),
    };
  });
  return { pdo, factor, intercept, criteria: out, trainRows: n, trainPositives: pos, iterations, level };
}

/**
 * The fitted log-odds of winning of row `i` before any rounding: the intercept, plus each criterion's level
 * contribution × its decay (unknown: no decay), plus a points_per slope × min(value, value cap) × decay. Fixed
 * criteria add nothing (the intercept carries the constant). Scores of the calibrated file are
 * scaledScore(scale, fittedLogOdds(…)) up to the rounding of the points written.
 */
export function fittedLogOdds(fit: Fit, criteria: readonly FitCriterion[], r: ScoredRows, i: number): number {
  let eta = fit.intercept;
  const c = r.criteria;
  criteria.forEach((k, ci) => {
    if (k.fixed) return;
    const at = i * c + ci;
    const f = fit.criteria[ci]!;
    const l = fit.level[at]!;
    const unknown = l === f.levels.length - 1;
    if (k.kind === 'per') {
      if (unknown) eta += f.levels[l]!.contribution / fit.factor;
      else eta += (f.perUnit! / fit.factor) * Math.min(r.value?.[at] ?? 0, k.valueCap ?? Infinity) * r.decay[at]!;
      return;
    }
    eta += (f.levels[l]!.contribution / fit.factor) * (unknown ? 1 : r.decay[at]!);
  });
  return eta;
}

/**
 * Tier thresholds that give each tier (best first) its share of the leads: the score of the lead at the end of each
 * cumulative share, lowered to the shortest number above the next lower score (ties stay together, so a tier can take
 * a little more than its share). `scores` of disqualified leads are left out by the caller. Returns one threshold per
 * tier but the last.
 */
export function thresholdsForShares(scores: ArrayLike<number>, shares: readonly number[]): number[] {
  const s = Float64Array.from(scores).sort().reverse();
  const total = shares.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  let cum = 0;
  for (let t = 0; t + 1 < shares.length; t++) {
    cum += shares[t]! / total;
    const k = Math.min(s.length - 1, Math.max(0, Math.ceil(cum * s.length) - 1));
    const at = s[k]!;
    let below = -Infinity;
    for (let j = k + 1; j < s.length; j++) {
      if (s[j]! < at) {
        below = s[j]!;
        break;
      }
    }
    let cut = below === -Infinity ? at : niceCut(below, at);
    // Thresholds must fall strictly from tier to tier.
    if (out.length && cut >= out[out.length - 1]!) cut = out[out.length - 1]! - 0.01;
    out.push(Number(cut.toFixed(2)));
  }
  return out;
}

/** One tier placed by thresholdsForConversion: its training leads, and whether it converts at its target. */
export interface ConversionTier {
  leads: number;
  positives: number;
  /** The target conversion (0–1); undefined for the last tier. */
  target?: number;
  /** false: no threshold gives the target, the tier is left empty (its threshold above the highest score). */
  met: boolean;
  /** When not met: the best conversion any threshold below the tier above gives, and its leads. */
  best?: { leads: number; positives: number };
}

/**
 * Tier thresholds for target conversions (best tier first, one target per tier but the last): each tier's
 * threshold is the lowest one at which its leads (those at or above it and below the tier above) convert at least
 * at its target. Cuts fall only between distinct scores, so tied leads always share a tier and the result does not
 * depend on row order. A target that no threshold meets leaves its tier empty: the threshold is set above every
 * score (or just below the tier above, at most 3 decimals), and the next tier starts from the same place. Returns one threshold per
 * tier but the last, and what each tier (all of them) got. `scores` and `labels` of disqualified leads are left
 * out by the caller.
 */
export function thresholdsForConversion(scores: ArrayLike<number>, labels: ArrayLike<number>, targets: readonly number[]): { cuts: number[]; tiers: ConversionTier[] } {
  // Distinct scores, highest first, with their leads and positives.
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const value: number[] = [];
  const leads: number[] = [];
  const wins: number[] = [];
  for (const i of order) {
    const s = scores[i]!;
    if (!value.length || value[value.length - 1] !== s) {
      value.push(s);
      leads.push(0);
      wins.push(0);
    }
    leads[leads.length - 1]!++;
    wins[wins.length - 1]! += labels[i] ? 1 : 0;
  }
  const cuts: number[] = [];
  const tiers: ConversionTier[] = [];
  let from = 0; // first score group not yet in a tier
  const top = value.length ? Math.floor(value[0]!) + 1 : 1;
  for (let t = 0; t < targets.length; t++) {
    const target = targets[t]!;
    let n = 0;
    let p = 0;
    let end = -1; // last group of the tier (inclusive)
    let best: { leads: number; positives: number } | undefined;
    for (let g = from; g < value.length; g++) {
      n += leads[g]!;
      p += wins[g]!;
      if (p >= target * n - 1e-9) end = g;
      if (!best || p * best.leads > best.positives * n) best = { leads: n, positives: p };
    }
    const above = cuts.length ? cuts[cuts.length - 1]! : undefined;
    if (end < 0) {
      // Not met: the tier is empty; its threshold sits above the leads not yet placed (scores are whole hundredths,
      // so halfway between two neighbouring hundredths is free of leads).
      const next = from < value.length ? value[from]! : -Infinity;
      let cut = above === undefined ? top : Number((above - 0.01).toFixed(2));
      if (above !== undefined && !(cut > next + 1e-9)) cut = Number(((next + above) / 2).toFixed(3));
      cuts.push(cut);
      tiers.push({ leads: 0, positives: 0, target, met: false, ...(best ? { best } : {}) });
      continue;
    }
    let tn = 0;
    let tp = 0;
    for (let g = from; g <= end; g++) {
      tn += leads[g]!;
      tp += wins[g]!;
    }
    let cut = end + 1 < value.length ? niceCut(value[end + 1]!, value[end]!) : value[end]!;
    cut = Number(cut.toFixed(2));
    if (above !== undefined && cut >= above) cut = Number((above - 0.01).toFixed(2));
    cuts.push(cut);
    tiers.push({ leads: tn, positives: tp, target, met: true });
    from = end + 1;
  }
  let n = 0;
  let p = 0;
  for (let g = from; g < value.length; g++) {
    n += leads[g]!;
    p += wins[g]!;
  }
  tiers.push({ leads: n, positives: p, met: true });
  return { cuts, tiers };
}
