// The evaluation of a model against outcomes, from per-row results: ranking metrics, tiers, cells, deciles and the
// evidence per criterion level, with the warnings a reviewer needs. Pure: data in, report data out.
import { auc, deciles, gains, gini, groupScores, ks, TOP_SHARES, wilson, type Gain } from './metrics.js';
import { ivStrength, weightOfEvidence } from './woe.js';

/** A level of a criterion: a band, matched, not matched / no band, a known value (points_per), or unknown. */
export interface LevelShape {
  kind: 'band' | 'matched' | 'none' | 'value' | 'unknown';
  label: string;
  /** Points this level adds to the score as written (weights and group multiplier applied; NaN for points_per). */
  points: number;
}

export interface CriterionShape {
  id: string;
  label: string;
  group: string;
  kind: 'points' | 'bands' | 'per';
  levels: LevelShape[];
  decays: boolean;
}

/** What the report needs to know of the model. */
export interface ModelShape {
  name?: string;
  criteria: CriterionShape[];
  /** Tier names best first, the disqualified tier last. */
  tiers: string[];
  tierLabels: string[];
  /** Matrix cells, row-major, the disqualified tier last; empty without a matrix. */
  cells: string[];
}

/** Per row (labelled rows only): what the engine gave. Per criterion arrays are row-major (row × criteria). */
export interface ScoredRows {
  n: number;
  criteria: number;
  label: Uint8Array;
  score: Float64Array;
  disqualified: Uint8Array;
  tier: Int16Array;
  cell: Int16Array;
  level: Uint8Array;
  decay: Float32Array;
  /** Contribution to the score of each criterion. */
  points: Float64Array;
  /** Numeric subject of each criterion (NaN when none or unknown), when asked for. */
  value?: Float64Array;
  /** Rows whose outcome is unknown. */
  excluded: number;
  /** Rows without an as-of date (with --as-of-column). */
  excludedNoAsOf: number;
  /** Rows that could not be read. */
  rejected: number;
}

export interface Rate {
  leads: number;
  positives: number;
  conversion: number | null;
  /** 95 % Wilson interval of the conversion. */
  interval: [number, number] | null;
  /** Conversion over the base rate. */
  lift: number | null;
}

export interface LevelReport extends Rate {
  level: string;
  kind: LevelShape['kind'];
  /** Share of the rows in this level. */
  share: number;
  /** Mean points given to rows of this level (after decay, caps and weights). */
  points: number | null;
  woe: number;
  iv: number;
}

export type FlagCode = 'sign' | 'unknown-policy' | 'leakage' | 'useless';

export interface Flag {
  code: FlagCode;
  level?: string;
  message: string;
}

export interface CriterionReport {
  id: string;
  label: string;
  group: string;
  iv: number;
  strength: ReturnType<typeof ivStrength>;
  /** AUC of the criterion alone (levels ranked by their conversion). */
  auc: number | null;
  levels: LevelReport[];
  flags: Flag[];
}

export interface EvaluationReport {
  rows: number;
  positives: number;
  negatives: number;
  excluded: number;
  excludedNoAsOf: number;
  rejected: number;
  baseRate: number | null;
  auc: number | null;
  gini: number | null;
  ks: number | null;
  ksScore: number | null;
  gains: (Omit<Gain, 'share'> & { top: number })[];
  tiers: (Rate & { tier: string; label: string })[];
  matrix: (Rate & { cell: string })[];
  deciles: { decile: number; leads: number; positives: number; conversion: number; minScore: number | null; maxScore: number | null }[];
  criteria: CriterionReport[];
  warnings: { code: string; message: string }[];
}

/** Disqualified leads rank below every other lead (all tied): they are not to be worked. */
export const DISQUALIFIED_RANK = -1e300;

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

function rate(leads: number, positives: number, base: number): Rate {
  const conv = leads ? positives / leads : NaN;
  const iv = wilson(positives, leads);
  return { leads, positives, conversion: num(conv), interval: leads ? iv : null, lift: num(conv / base) };
}

/** The score each row ranks by: its score, or DISQUALIFIED_RANK. */
export function rankScores(r: ScoredRows): Float64Array {
  const s = new Float64Array(r.n);
  for (let i = 0; i < r.n; i++) s[i] = r.disqualified[i] ? DISQUALIFIED_RANK : r.score[i]!;
  return s;
}

/** The ranking metrics only (for side-by-side comparisons). */
export function rankingMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>) {
  const g = groupScores({ scores, labels });
  const a = auc(g);
  const k = ks(g);
  return { auc: num(a), gini: num(gini(a)), ks: num(k.ks), ksScore: num(k.score), groups: g };
}

/** Levels with this few rows or fewer are not flagged: their conversion says too little. */
const FLAG_MIN_LEADS = 30;

/** Build the evaluation report of `shape` on `rows`. */
export function buildEvaluation(shape: ModelShape, r: ScoredRows): EvaluationReport {
  let p = 0;
  for (let i = 0; i < r.n; i++) p += r.label[i]!;
  const base = r.n ? p / r.n : NaN;
  const m = rankingMetrics(rankScores(r), r.label);
  const warnings: { code: string; message: string }[] = [];
  const g = m.groups;

  const tierCounts = shape.tiers.map(() => [0, 0]);
  const cellCounts = shape.cells.map(() => [0, 0]);
  for (let i = 0; i < r.n; i++) {
    const t = tierCounts[r.tier[i]!];
    if (t) {
      t[0]!++;
      t[1]! += r.label[i]!;
    }
    const c = cellCounts[r.cell[i]!];
    if (c) {
      c[0]!++;
      c[1]! += r.label[i]!;
    }
  }
  const tiers = shape.tiers.map((t, i) => ({ tier: t, label: shape.tierLabels[i] ?? '', ...rate(tierCounts[i]![0]!, tierCounts[i]![1]!, base) }));
  // A better tier (listed earlier, the disqualified tier aside) that converts worse than a lower one.
  const ranked = tiers.slice(0, -1);
  for (let i = 0; i < ranked.length; i++) {
    for (let j = i + 1; j < ranked.length; j++) {
      const a = ranked[i]!;
      const b = ranked[j]!;
      if (a.conversion === null || b.conversion === null || a.conversion >= b.conversion) continue;
      const overlap = a.interval![1] >= b.interval![0];
      warnings.push({
        code: 'tier-order',
        message: `tier ${a.tier} converts ${pct(a.conversion)} (n=${a.leads}), less than lower tier ${b.tier} at ${pct(b.conversion)} (n=${b.leads})${overlap ? '; the 95 % intervals overlap, so this may be noise' : ''}`,
      });
    }
  }
  const matrix = shape.cells.map((cell, i) => ({ cell, ...rate(cellCounts[i]![0]!, cellCounts[i]![1]!, base) }));

  const criteria = shape.criteria.map((c, ci) => criterionReport(c, ci, r, base));
  for (const c of criteria) for (const f of c.flags) warnings.push({ code: f.code, message: `${c.id}: ${f.message}` });
  if (r.excluded) warnings.push({ code: 'excluded', message: `${r.excluded} row${r.excluded === 1 ? '' : 's'} had no known outcome and ${r.excluded === 1 ? 'was' : 'were'} left out` });

  return {
    rows: r.n,
    positives: p,
    negatives: r.n - p,
    excluded: r.excluded,
    excludedNoAsOf: r.excludedNoAsOf,
    rejected: r.rejected,
    baseRate: num(base),
    auc: m.auc,
    gini: m.gini,
    ks: m.ks,
    ksScore: m.ksScore === DISQUALIFIED_RANK ? null : m.ksScore,
    gains: gains(g, TOP_SHARES).map(({ share, ...x }) => ({ top: share, ...x })),
    tiers,
    matrix,
    deciles: deciles(g).map((d) => ({
      decile: d.decile,
      leads: d.rows,
      positives: d.positives,
      conversion: d.conversion,
      minScore: d.minScore === DISQUALIFIED_RANK ? null : d.minScore,
      maxScore: d.maxScore === DISQUALIFIED_RANK ? null : d.maxScore,
    })),
    criteria,
    warnings,
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

/** Counts per level of criterion `ci`: rows, positives, summed points. */
export function levelCounts(r: ScoredRows, ci: number, levels: number): { rows: number[]; positives: number[]; points: number[] } {
  const rows = new Array<number>(levels).fill(0);
  const positives = new Array<number>(levels).fill(0);
  const points = new Array<number>(levels).fill(0);
  const c = r.criteria;
  for (let i = 0; i < r.n; i++) {
    const l = r.level[i * c + ci]!;
    rows[l]!++;
    positives[l]! += r.label[i]!;
    points[l]! += r.points[i * c + ci]!;
  }
  return { rows, positives, points };
}

/** AUC of a criterion alone: each level scored by its own conversion (ties within a level count ½). */
function levelAuc(rows: number[], positives: number[]): number {
  const order = rows.map((_, i) => i).filter((i) => rows[i]! > 0);
  order.sort((a, b) => positives[a]! / rows[a]! - positives[b]! / rows[b]!);
  const P = positives.reduce((s, x) => s + x, 0);
  const N = rows.reduce((s, x) => s + x, 0) - P;
  if (!P || !N) return NaN;
  let u = 0;
  let negBelow = 0;
  for (let k = 0; k < order.length; k++) {
    // Levels with equal conversion tie.
    let j = k;
    let gp = 0;
    let gn = 0;
    const rk = positives[order[k]!]! / rows[order[k]!]!;
    while (j < order.length && positives[order[j]!]! / rows[order[j]!]! === rk) {
      gp += positives[order[j]!]!;
      gn += rows[order[j]!]! - positives[order[j]!]!;
      j++;
    }
    u += gp * (negBelow + gn / 2);
    negBelow += gn;
    k = j - 1;
  }
  return u / (P * N);
}

/** Above this, a criterion alone separates the outcome almost perfectly: likely filled in after the outcome. */
export const LEAKAGE_AUC = 0.95;

function criterionReport(c: CriterionShape, ci: number, r: ScoredRows, base: number): CriterionReport {
  const k = c.levels.length;
  const counts = levelCounts(r, ci, k);
  const w = weightOfEvidence(
    counts.rows.map((n, i) => ({ positives: counts.positives[i]!, negatives: n - counts.positives[i]! })),
    1,
  );
  const levels: LevelReport[] = c.levels.map((l, i) => ({
    level: l.label,
    kind: l.kind,
    share: r.n ? counts.rows[i]! / r.n : 0,
    ...rate(counts.rows[i]!, counts.positives[i]!, base),
    points: counts.rows[i] ? counts.points[i]! / counts.rows[i]! : Number.isFinite(l.points) ? l.points : null,
    woe: w.woe[i]!,
    iv: w.iv[i]!,
  }));
  const flags: Flag[] = [];
  const baseRate = base;
  // Sign: points above zero on a level that converts clearly below the base rate, and the reverse.
  for (const l of levels) {
    if (l.kind === 'unknown' || l.leads < FLAG_MIN_LEADS || l.points === null || l.interval === null) continue;
    if (l.points > 0 && l.interval[1] < baseRate) {
      flags.push({ code: 'sign', level: l.level, message: `"${l.level}" gives ${fmt(l.points)} points but converts ${pct(l.conversion!)} (n=${l.leads}), below the base rate ${pct(baseRate)}` });
    } else if (l.points < 0 && l.interval[0] > baseRate) {
      flags.push({ code: 'sign', level: l.level, message: `"${l.level}" gives ${fmt(l.points)} points but converts ${pct(l.conversion!)} (n=${l.leads}), above the base rate ${pct(baseRate)}` });
    }
  }
  // Unknown: scored below a level that clearly converts worse, or above one that clearly converts better.
  const unk = levels[k - 1]!;
  if (unk.leads >= FLAG_MIN_LEADS && unk.points !== null && unk.interval) {
    for (const l of levels.slice(0, -1)) {
      if (l.leads < FLAG_MIN_LEADS || l.points === null || !l.interval) continue;
      if (unk.points < l.points && unk.interval[0] > l.interval[1]) {
        flags.push({ code: 'unknown-policy', level: 'unknown', message: `unknown values score ${fmt(unk.points)} but convert ${pct(unk.conversion!)} (n=${unk.leads}), more than "${l.level}" (${fmt(l.points)} points, ${pct(l.conversion!)})` });
        break;
      }
      if (unk.points > l.points && unk.interval[1] < l.interval[0]) {
        flags.push({ code: 'unknown-policy', level: 'unknown', message: `unknown values score ${fmt(unk.points)} but convert ${pct(unk.conversion!)} (n=${unk.leads}), less than "${l.level}" (${fmt(l.points)} points, ${pct(l.conversion!)})` });
        break;
      }
    }
  }
  const a = levelAuc(counts.rows, counts.positives);
  if (a >= LEAKAGE_AUC) {
    flags.push({ code: 'leakage', message: `alone it separates the outcome almost perfectly (AUC ${a.toFixed(3)}, IV ${w.ivTotal.toFixed(2)}): is this column filled in after the outcome is known?` });
  }
  return { id: c.id, label: c.label, group: c.group, iv: w.ivTotal, strength: ivStrength(w.ivTotal), auc: num(a), levels, flags };
}

function fmt(x: number): string {
  const r = Math.round(x * 100) / 100;
  return `${r > 0 ? '+' : ''}${r}`;
}
