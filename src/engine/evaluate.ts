// The pure evaluator: score one record of a bound input at a time (binding: bind.ts; texts: format.ts).
// All points are kept in integer hundredths ("cents") so that contributions add up exactly to the score.
import { decayDays, decayFactor } from '../ops/decay.js';
import { beyondPoints } from '../ops/points.js';
import { toCents } from '../ops/round.js';
import type { BoundModel } from './bind.js';
import { FALSE, TRUE, UNKNOWN, type CriterionModel, type Model, type Threshold } from './model.js';
import { CRITERION_MEMO_WIDTH, type CellEntry } from './memo.js';
import type { RowState } from './row.js';

/** The outcome of one record: reused between records, so copy what you keep. */
export interface Evaluation {
  /** Per criterion: FALSE / TRUE / UNKNOWN (for bands: TRUE when a band matched). */
  outcome: Uint8Array;
  /** Per criterion: index of the band matched, -1 for none. */
  band: Int16Array;
  /** Per criterion: points before weight, decay and cap (the policy's points when unknown). */
  base: Float64Array;
  /** Per criterion: decay factor applied (1 when none). */
  decay: Float64Array;
  /** Per criterion: days used for decay (NaN when none). */
  decayDays: Float64Array;
  /** Per criterion: 1 when the criterion cap or floor changed the points. */
  capped: Uint8Array;
  /** Per criterion: final points in group units, in cents. */
  points: Float64Array;
  /** Per criterion: points × group multiplier, in cents: these add up to the score. */
  contribution: Float64Array;
  /** Per group: sum of criterion points, in cents. */
  groupRaw: Float64Array;
  /** Per group: cap/floor adjustment, in cents (≤ 0 for a cap, ≥ 0 for a floor). */
  groupAdjust: Float64Array;
  /** Per group: adjustment × multiplier, in cents. */
  groupAdjustContribution: Float64Array;
  /** Per group: subtotal after cap/floor, in cents. */
  groupSubtotal: Float64Array;
  /** Per group: contribution to the score, in cents. */
  groupContribution: Float64Array;
  /** Per disqualifier: FALSE / TRUE / UNKNOWN. */
  dq: Uint8Array;
  disqualified: boolean;
  /** Score in cents. */
  scoreCents: number;
  /** Index of the threshold tier reached (-1 when the model has no tiers). */
  tierIndex: number;
  tier: string;
  /** Matrix cell such as "A1", or '' without a matrix. */
  matrix: string;
  /** Matrix row and column tier indices (-1 without a matrix). */
  matrixRow: number;
  matrixCol: number;
}

export function newEvaluation(model: Model): Evaluation {
  const c = model.criteria.length;
  const g = model.groups.length;
  return {
    outcome: new Uint8Array(c),
    band: new Int16Array(c),
    base: new Float64Array(c),
    decay: new Float64Array(c),
    decayDays: new Float64Array(c),
    capped: new Uint8Array(c),
    points: new Float64Array(c),
    contribution: new Float64Array(c),
    groupRaw: new Float64Array(g),
    groupAdjust: new Float64Array(g),
    groupAdjustContribution: new Float64Array(g),
    groupSubtotal: new Float64Array(g),
    groupContribution: new Float64Array(g),
    dq: new Uint8Array(model.disqualifiers.length),
    disqualified: false,
    scoreCents: 0,
    tierIndex: -1,
    tier: '',
    matrix: '',
    matrixRow: -1,
    matrixCol: -1,
  };
}

/** Match phase: outcome, band and base points of criterion `c` on the current row, written into `e`. */
function matchCriterion(c: CriterionModel, row: RowState, e: Evaluation): void {
  let outcome: number;
  let base = 0;
  let band = -1;
  if (c.kind === 'points') {
    outcome = c.cond!.fn(row);
    if (outcome === TRUE) base = c.points;
  } else if (c.kind === 'bands') {
    outcome = FALSE;
    for (let k = 0; k < c.bands.length; k++) {
      const t = c.bands[k]!.cond.fn(row);
      if (t === TRUE) {
        outcome = TRUE;
        band = k;
        base = c.bands[k]!.points;
        break;
      }
      if (t === UNKNOWN) outcome = UNKNOWN;
    }
    if (band >= 0) outcome = TRUE;
  } else {
    const x = c.perSubject!.fn(row);
    if (x !== x) outcome = UNKNOWN;
    else {
      outcome = TRUE;
      base = x * c.points;
    }
  }
  e.outcome[c.index] = outcome;
  e.band[c.index] = band;
  e.base[c.index] = base;
}

/** Points phase: decay, the unknown policy, weight, cap and floor, from the match phase's values in `e`. */
function finishCriterion(c: CriterionModel, b: BoundModel, e: Evaluation): void {
  const i = c.index;
  let outcome = e.outcome[i]!;
  let base = e.base[i]!;
  let decay = 1;
  let days = NaN;
  if (outcome === TRUE && base !== 0 && c.decay) {
    const d = b.row.day(c.decay.column);
    const asOf = b.row.asOf;
    if (d !== d || asOf !== asOf) outcome = UNKNOWN;
    else {
      days = decayDays(asOf, d);
      decay = decayFactor(days, c.decay.halfLifeDays);
    }
  }

  let pts = 0;
  let capped = 0;
  if (outcome !== UNKNOWN) {
    if (Math.abs(base) <= c.perBound) {
      pts = base * c.weight * decay;
      if (c.cap !== undefined && pts > c.cap) {
        pts = c.cap;
        capped = 1;
      }
      if (c.floor !== undefined && pts < c.floor) {
        pts = c.floor;
        capped = 1;
      }
    } else {
      // points_per on a value whose points no score can hold: its cap or floor, else unknown (src/ops/points.ts).
      pts = beyondPoints(base, c.weight, c.cap, c.floor);
      if (pts !== pts) outcome = UNKNOWN;
      else capped = c.weight === 0 && pts === 0 ? 0 : 1;
    }
  }
  if (outcome === UNKNOWN) {
    base = c.unknownPoints;
    pts = base;
    decay = 1;
    days = NaN;
    capped = 0;
  }
  e.outcome[i] = outcome;
  e.base[i] = base;
  e.decay[i] = decay;
  e.decayDays[i] = days;
  e.capped[i] = capped;
  e.points[i] = toCents(pts);
}

/**
 * Restore the kept result of a memoised criterion without decay whose cell was seen before: [outcome + 1, band,
 * base, capped, points, contribution] at `at` of the cell entry's numbers (see scoreCriterion).
 */
function restoreKept(memo: Float64Array, at: number, i: number, e: Evaluation): void {
  e.outcome[i] = memo[at]! - 1;
  e.band[i] = memo[at + 1]!;
  e.base[i] = memo[at + 2]!;
  e.decay[i] = 1;
  e.decayDays[i] = NaN;
  e.capped[i] = memo[at + 3]!;
  e.points[i] = memo[at + 4]!;
  e.contribution[i] = memo[at + 5]!;
}

/**
 * Score criterion `c` into `e`, contribution included (`multiplier`: its group's). A criterion memoised per cell
 * keeps, per distinct cell, [outcome + 1, band, base, capped, points, contribution] — all of it without decay;
 * with decay only the match phase, since the points depend on the decay date too. `entry`: the row's cell entry
 * of the criterion's column (undefined when not memoised), `at`: the criterion's place in it.
 */
function scoreCriterion(c: CriterionModel, b: BoundModel, e: Evaluation, multiplier: number, entry: CellEntry | undefined, at: number): void {
  const i = c.index;
  if (entry === undefined) {
    matchCriterion(c, b.row, e);
    finishCriterion(c, b, e);
    e.contribution[i] = toCents((e.points[i]! / 100) * multiplier);
    return;
  }
  const memo = entry.criteria;
  if (memo[at] !== 0) {
    // evaluate() restores a whole kept result (no decay) itself; from the match phase, finishing gives the same.
    e.outcome[i] = memo[at]! - 1;
    e.band[i] = memo[at + 1]!;
    e.base[i] = memo[at + 2]!;
    finishCriterion(c, b, e);
    e.contribution[i] = toCents((e.points[i]! / 100) * multiplier);
    return;
  }
  matchCriterion(c, b.row, e);
  if (c.decay) {
    memo[at] = e.outcome[i]! + 1;
    memo[at + 1] = e.band[i]!;
    memo[at + 2] = e.base[i]!;
    finishCriterion(c, b, e);
    e.contribution[i] = toCents((e.points[i]! / 100) * multiplier);
  } else {
    finishCriterion(c, b, e);
    e.contribution[i] = toCents((e.points[i]! / 100) * multiplier);
    memo[at] = e.outcome[i]! + 1;
    memo[at + 1] = e.band[i]!;
    memo[at + 2] = e.base[i]!;
    memo[at + 3] = e.capped[i]!;
    memo[at + 4] = e.points[i]!;
    memo[at + 5] = e.contribution[i]!;
  }
}

/** Score one record. `fields` are the record's cells in header order. Returns `out`, filled in. */
export function evaluate(b: BoundModel, fields: readonly string[], out: Evaluation): Evaluation {
  const m = b.model;
  const row = b.row;
  const memoColumn = b.memos.criterionColumn;
  const memoSlot = b.memos.criterionSlot;
  row.load(fields);
  let total = 0;
  for (const g of m.groups) {
    let raw = 0;
    let contrib = 0;
    const criteria = g.criteria;
    for (let k = 0; k < criteria.length; k++) {
      const ci = criteria[k]!;
      const c = m.criteria[ci]!;
      const col = memoColumn[ci]!;
      const entry = col < 0 ? undefined : row.entry(col);
      const at = memoSlot[ci]! * CRITERION_MEMO_WIDTH;
      // Most criteria on most rows: a cell seen before, a result kept whole. Restored here, without a call to
      // scoreCriterion (too large for V8 to inline): 6–10 % of evaluation time on the benchmark export.
      if (entry !== undefined && !c.decay && entry.criteria[at] !== 0) restoreKept(entry.criteria, at, ci, out);
      else scoreCriterion(c, b, out, g.multiplier, entry, at);
      raw += out.points[ci]!;
      contrib += out.contribution[ci]!;
    }
    let sub = raw;
    if (g.cap !== undefined && sub > g.cap * 100) sub = toCents(g.cap);
    if (g.floor !== undefined && sub < g.floor * 100) sub = toCents(g.floor);
    const adj = sub - raw;
    const adjC = adj === 0 ? 0 : toCents((adj / 100) * g.multiplier);
    out.groupRaw[g.index] = raw;
    out.groupAdjust[g.index] = adj;
    out.groupAdjustContribution[g.index] = adjC;
    out.groupSubtotal[g.index] = sub;
    out.groupContribution[g.index] = contrib + adjC;
    total += contrib + adjC;
  }
  out.scoreCents = total;

  let dq = false;
  for (const d of m.disqualifiers) {
    const col = b.memos.disqualifierColumn[d.index]!;
    const entry = col < 0 ? undefined : b.row.entry(col);
    let t: number;
    if (entry === undefined) t = d.cond.fn(b.row);
    else {
      const slot = b.memos.disqualifierSlot[d.index]!;
      const kept = entry.disqualifiers[slot]!;
      if (kept !== 0) t = kept - 1;
      else {
        t = d.cond.fn(b.row);
        entry.disqualifiers[slot] = t + 1;
      }
    }
    out.dq[d.index] = t;
    if (t === TRUE) dq = true;
  }
  out.disqualified = dq;

  out.tierIndex = tierOf(m.tiers, total);
  out.tier = dq ? m.disqualifiedTier : out.tierIndex >= 0 ? m.tiers[out.tierIndex]!.name : '';
  if (m.matrix) {
    const r = m.matrix.rows;
    const c = m.matrix.columns;
    const ri = tierOf(r.tiers, out.groupSubtotal[r.group]!);
    const cj = tierOf(c.tiers, out.groupSubtotal[c.group]!);
    out.matrixRow = ri;
    out.matrixCol = cj;
    out.matrix = dq ? m.disqualifiedTier : `${r.tiers[ri]!.name}${c.tiers[cj]!.name}`;
  } else out.matrix = '';
  return out;
}

/** Index of the first threshold the value reaches (thresholds go from best to worst; the last catches all). */
export function tierOf(tiers: readonly Threshold[], cents: number): number {
  for (let i = 0; i < tiers.length; i++) if (cents >= tiers[i]!.min * 100) return i;
  return tiers.length - 1;
}

/** The record's id cell as in the file, or its line number when the rules say `id: { line_number: true }`. */
export function leadId(b: BoundModel, line?: number): string {
  if (b.model.idColumn === null) return line === undefined ? '' : String(line);
  return b.row.cell(b.model.idColumn) ?? '';
}

