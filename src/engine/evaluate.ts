// The pure evaluator: bind a compiled model to a header, then score one record at a time.
// All points are kept in integer hundredths ("cents") so that contributions add up exactly to the score.
import { closest } from '../errors.js';
import { FALSE, TRUE, UNKNOWN, type CriterionModel, type Model, type Threshold } from './model.js';
import { CRITERION_MEMO_WIDTH, type CellEntry } from './memo.js';
import { RowState } from './row.js';

/** A header problem found while binding the model to an input. */
export interface BindIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  /** The logical column concerned. */
  column: string;
}

/** A model bound to one input's header: ready to evaluate records of that input. */
export interface BoundModel {
  model: Model;
  /** Header key used for each column ref, or undefined when absent. */
  headers: (string | undefined)[];
  fieldIndex: Int32Array;
  row: RowState;
  asOf: number;
  /** Per-cell memos of the criteria and disqualifiers that read one column present in this input. */
  memos: BoundMemos;
}

/**
 * Which criteria and disqualifiers are memoised per cell (see memo.ts): those whose conditions read one column
 * that the input has. Their results live in that column's cell entries, at their slot.
 */
export interface BoundMemos {
  /** Per criterion: the column it reads, or -1 when it is not memoised. */
  criterionColumn: Int32Array;
  /** Per criterion: its slot among the column's memoised criteria. */
  criterionSlot: Int32Array;
  disqualifierColumn: Int32Array;
  disqualifierSlot: Int32Array;
  /** Per column: how many criteria and disqualifiers keep results in its cell entries. */
  criterionSlots: Int32Array;
  disqualifierSlots: Int32Array;
}

/** The one column of a list, or -1 when it names several (or none). */
function soleColumn(columns: Iterable<number>): number {
  let col = -1;
  for (const c of columns) {
    if (col >= 0 && c !== col) return -1;
    col = c;
  }
  return col;
}

function memoPlan(model: Model, fieldIndex: Int32Array): BoundMemos {
  const plan = (n: number, columnsOf: (i: number) => number[]) => {
    const column = new Int32Array(n).fill(-1);
    const slot = new Int32Array(n).fill(-1);
    const slots = new Int32Array(model.columns.length);
    for (let i = 0; i < n; i++) {
      const col = soleColumn(columnsOf(i));
      if (col < 0 || fieldIndex[col]! < 0) continue;
      column[i] = col;
      slot[i] = slots[col]!++;
    }
    return { column, slot, slots };
  };
  const c = plan(model.criteria.length, (i) => {
    const crit = model.criteria[i]!;
    return [...crit.columns, ...crit.bands.flatMap((band) => band.cond.columns)];
  });
  const d = plan(model.disqualifiers.length, (i) => model.disqualifiers[i]!.cond.columns);
  return {
    criterionColumn: c.column,
    criterionSlot: c.slot,
    disqualifierColumn: d.column,
    disqualifierSlot: d.slot,
    criterionSlots: c.slots,
    disqualifierSlots: d.slots,
  };
}

/** Normalise a header name for alias matching: case, spaces and punctuation do not matter. */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Find each column the rules use in the header (aliases, exact first, then ignoring case/space/punctuation). */
export function bindModel(
  model: Model,
  header: readonly string[],
  asOf: number,
  options: { memo?: boolean } = {},
): { bound?: BoundModel; issues: BindIssue[] } {
  const issues: BindIssue[] = [];
  const exact = new Map<string, number>();
  const loose = new Map<string, number[]>();
  header.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const k = headerKey(h);
    const list = loose.get(k);
    if (list) list.push(i);
    else loose.set(k, [i]);
  });
  const fieldIndex = new Int32Array(model.columns.length).fill(-1);
  const headers: (string | undefined)[] = [];
  for (const col of model.columns) {
    let found = -1;
    if (!col.used) {
      headers.push(undefined);
      continue;
    }
    for (const alias of col.aliases) {
      const e = exact.get(alias) ?? exact.get(alias.trim());
      if (e !== undefined) {
        found = e;
        break;
      }
      const l = loose.get(headerKey(alias));
      if (l && l.length === 1) {
        found = l[0]!;
        break;
      }
      if (l && l.length > 1) {
        issues.push({
          severity: 'error',
          code: 'ambiguous-column',
          column: col.name,
          message: `column "${col.name}": alias "${alias}" matches several headers (${l.map((i) => `"${header[i]}"`).join(', ')})`,
          hint: 'use the exact header name as an alias',
        });
        found = l[0]!;
        break;
      }
    }
    fieldIndex[col.index] = found;
    headers.push(found >= 0 ? header[found] : undefined);
    if (found < 0) {
      const guess = closest(col.aliases[0]!, header) ?? col.aliases.map((a) => closest(a, header)).find(Boolean);
      const tried = col.aliases.length > 1 || col.aliases[0] !== col.name ? ` (tried ${col.aliases.map((a) => `"${a}"`).join(', ')})` : '';
      const isId = col.index === model.idColumn;
      issues.push({
        severity: col.required || isId ? 'error' : 'warning',
        code: 'missing-column',
        column: col.name,
        message: `${isId ? 'id column' : 'column'} "${col.name}" not found in the input${tried}`,
        hint: guess
          ? `did you mean "${guess}"? add it to columns.${col.name}.aliases`
          : isId
            ? `add the export's header name to columns.${col.name}.aliases`
            : col.required
            ? `add the export's header name to columns.${col.name}.aliases, or set required: false to score it as unknown`
            : 'every value of this column is unknown',
      });
    }
  }
  if (issues.some((i) => i.severity === 'error')) return { issues };
  // Memoisation (memo.ts) is on unless turned off: results are the same either way (tests compare both).
  const memos = memoPlan(model, options.memo ?? true ? fieldIndex : fieldIndex.map(() => -1));
  const row = new RowState(model.columns, fieldIndex, model.placeholders, asOf, options.memo ?? true ? memos : undefined);
  return { bound: { model, headers, fieldIndex, row, asOf, memos }, issues };
}

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

/** Round to whole cents, halves away from zero (symmetric for negative points). */
export function toCents(x: number): number {
  return x < 0 ? -Math.round(-x * 100) : Math.round(x * 100);
}

const LN_HALF = Math.log(0.5);

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
    if (d !== d) outcome = UNKNOWN;
    else {
      days = Math.max(0, b.asOf - d);
      decay = Math.exp((LN_HALF * days) / c.decay.halfLifeDays);
    }
  }

  let pts: number;
  let capped = 0;
  if (outcome === UNKNOWN) {
    const u = c.unknown;
    base = u.policy === 'zero' ? 0 : u.policy === 'neutral' ? u.share * c.maxPoints : u.points;
    pts = base;
    decay = 1;
    days = NaN;
  } else {
    pts = base * c.weight * decay;
    if (c.cap !== undefined && pts > c.cap) {
      pts = c.cap;
      capped = 1;
    }
    if (c.floor !== undefined && pts < c.floor) {
      pts = c.floor;
      capped = 1;
    }
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

/** Cents → decimal text, shortest exact form: 7250 → "72.5", -5 → "-0.05", 300 → "3". Integer math only. */
export function formatCents(c: number): string {
  const neg = c < 0;
  const a = neg ? -c : c;
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  const s = frac === 0 ? `${whole}` : frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${frac < 10 ? '0' : ''}${frac}`;
  return neg ? `-${s}` : s;
}

/** The top reasons, most influential first: "Target industry (+15); Personal e-mail (-10)". */
export function topReasons(m: Model, e: Evaluation, n = m.reasons): string {
  // One pass keeping the n largest |contribution| in order (ties: criterion order): n is small.
  if (n <= 0) return '';
  const idx: number[] = [];
  const abs: number[] = [];
  for (let i = 0; i < m.criteria.length; i++) {
    const c = e.contribution[i]!;
    const a = c < 0 ? -c : c;
    if (a === 0 || (idx.length === n && a <= abs[n - 1]!)) continue;
    let k = idx.length < n ? idx.length : n - 1;
    while (k > 0 && abs[k - 1]! < a) {
      if (k < n) {
        idx[k] = idx[k - 1]!;
        abs[k] = abs[k - 1]!;
      }
      k--;
    }
    idx[k] = i;
    abs[k] = a;
  }
  let out = '';
  for (let k = 0; k < idx.length; k++) {
    const best = idx[k]!;
    const c = e.contribution[best]!;
    const crit = m.criteria[best]!;
    const what = e.outcome[best] === UNKNOWN ? `${crit.label} unknown` : e.band[best]! >= 0 ? `${crit.label}: ${crit.bands[e.band[best]!]!.label}` : crit.label;
    out += `${k ? '; ' : ''}${what} (${c > 0 ? '+' : ''}${formatCents(c)})`;
  }
  return out;
}

/** The reasons of the disqualifiers that fired, joined with "; ". */
export function dqReasons(m: Model, e: Evaluation): string {
  let out = '';
  for (const d of m.disqualifiers) if (e.dq[d.index] === TRUE) out += `${out ? '; ' : ''}${d.reason}`;
  return out;
}
