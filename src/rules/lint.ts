// Lints of a compiled rules file that the compiler does not already report: weights, tier reach, column
// names that look like typos, rules that can never score. Pure: rules data and model in, issues at rules paths out.
import type { Model, Threshold } from '../engine/model.js';
import { MAX_POINTS } from '../ops/points.js';
import { round2 } from '../ops/round.js';
import { boundOf } from '../plan/bounds.js';
import type { CompileIssue } from './compile.js';
import type { RulesData } from './schema.js';

/** Tolerance for comparing sums of decimal weights (0.3 + 0.25 + 0.25 + 0.2 is not exactly 1). */
const EPS = 1e-9;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Points, weights and caps whose products can leave the range a score is computed in exactly (±MAX_POINTS), up to
 * Infinity or NaN (`points: 1e308, weight: 1e308` scored "NaN.NaN"): errors, at the number that makes them too
 * large. points_per without a cap is bounded by the data, not the rules: a value beyond it is its cap or unknown
 * (beyondPoints).
 */
export function pointRangeIssues(model: Model): CompileIssue[] {
  const issues: CompileIssue[] = [];
  const limit = MAX_POINTS.toLocaleString('en-US');
  const beyond = (x: number): boolean => !(Math.abs(x) <= MAX_POINTS);
  const err = (path: (string | number)[], message: string): void => {
    issues.push({ severity: 'error', code: 'points-out-of-range', path, message: `${message}, beyond the ±${limit} points a score can hold`, hint: 'use points, weights and caps whose products stay below 1e12 in size' });
  };
  for (const c of model.criteria) {
    const w = c.weight;
    const name = `criterion "${c.id}"`;
    if (c.kind === 'points' && beyond(c.points * w)) err([...c.path, 'points'], `${name} gives ${c.points} × weight ${w} = ${c.points * w} points`);
    if (c.kind === 'per' && beyond(c.points * w)) err([...c.path, 'points_per'], `${name} gives ${c.points} × weight ${w} = ${c.points * w} points per unit`);
    for (const b of c.bands) {
      if (beyond(b.points * w)) err([...c.path, 'bands'], `${name}: band ${JSON.stringify(b.label)} gives ${b.points} × weight ${w} = ${b.points * w} points`);
    }
    for (const k of ['cap', 'floor'] as const) if (c[k] !== undefined && beyond(c[k])) err([...c.path, k], `${name} has ${k} ${c[k]}`);
    if (c.unknown.policy === 'penalty' && beyond(c.unknown.points)) err([...c.path, 'unknown'], `${name} scores ${c.unknown.points} points when unknown`);
  }
  if (issues.length) return issues;
  // Sums: each group's reach (its criteria's finite bounds, within its cap and floor) × its multiplier, then the total.
  let total = 0;
  for (const g of model.groups) {
    let hi = 0;
    let lo = 0;
    for (const ci of g.criteria) {
      const c = model.criteria[ci]!;
      if (Number.isFinite(c.maxPoints)) hi += Math.max(0, c.maxPoints);
      if (Number.isFinite(c.minPoints)) lo += Math.min(0, c.minPoints);
    }
    for (const k of ['cap', 'floor'] as const) if (g[k] !== undefined && beyond(g[k])) err(['groups', g.id, k], `group "${g.id}" has ${k} ${g[k]}`);
    if (g.cap !== undefined) hi = Math.min(hi, g.cap);
    if (g.floor !== undefined) lo = Math.max(lo, g.floor);
    const reach = Math.max(Math.abs(hi), Math.abs(lo));
    if (beyond(reach)) err(['groups', g.id], `the criteria of group "${g.id}" add up to ${reach} points`);
    else if (beyond(reach * g.multiplier)) err(['groups', g.id, 'weight'], `group "${g.id}" gives up to ${reach} × weight ${g.weight} = ${reach * g.multiplier} points`);
    else total += reach * Math.abs(g.multiplier);
  }
  if (!issues.length && beyond(total)) err(['groups'], `the groups add up to ${total} points`);
  return issues;
}

/**
 * Lint a rules file that compiled without errors. Every issue but points-out-of-range is a warning: the model
 * runs, but probably not as its author meant. Codes: points-out-of-range (error), weights-normalised,
 * zero-weight-group, zero-points, unreachable-tier, shadowed-tier, unreachable-matrix-tier, column-typo, dq-tier-name.
 */
export function lintRules(rules: RulesData, model: Model): CompileIssue[] {
  const issues: CompileIssue[] = pointRangeIssues(model);
  const warn = (path: (string | number)[], code: string, message: string, hint?: string, at?: 'key' | 'value'): void => {
    issues.push({ severity: 'warning', code, path, message, hint, at });
  };
  const used = model.groups.filter((g) => g.criteria.length > 0);

  // Weights that must add up: a weighted average normalises them, so a sum other than 1 is silently rescaled.
  if (model.totalMethod === 'weighted_average') {
    const sum = used.reduce((s, g) => s + g.weight, 0);
    if (sum > 0 && Math.abs(sum - 1) > EPS) {
      const shares = used.map((g) => `${g.id} ${round3(g.weight / sum)}`).join(', ');
      warn(['groups'], 'weights-normalised', `with total.method weighted_average the group weights add up to ${round3(sum)}, not 1; they are normalised to ${shares}`, 'write weights that add up to 1 so the file reads as it scores', 'key');
    }
  }

  for (const g of used) {
    if (g.weight === 0) {
      warn(['groups', g.id, 'weight'], 'zero-weight-group', `group "${g.id}" has weight 0, so its ${g.criteria.length} criteria never count`, 'give it a weight above 0, or remove the group and its criteria');
    }
  }

  rules.criteria.forEach((raw, i) => {
    const path = ['criteria', i];
    const weight = raw.weight ?? 1;
    if (raw.points === 0) warn([...path, 'points'], 'zero-points', `criterion "${raw.id}" gives 0 points whether it matches or not`, 'give it points, or remove it');
    else if (raw.points_per === 0) warn([...path, 'points_per'], 'zero-points', `criterion "${raw.id}" gives 0 points per unit`, 'give it points_per, or remove it');
    else if (raw.bands !== undefined) {
      const bands = Array.isArray(raw.bands) ? raw.bands : Object.values(raw.bands).filter((b) => b !== undefined);
      if (bands.every((b) => b.points === 0)) warn([...path, 'bands'], 'zero-points', `every band of criterion "${raw.id}" gives 0 points`, 'give the bands points, or remove the criterion', 'key');
    }
    if (weight === 0) warn([...path, 'weight'], 'zero-points', `criterion "${raw.id}" has weight 0, so it never counts`, 'remove it, or give it a weight above 0');
  });

  // Reach of the total: the compiler checks sum models; with a weighted average the most is 100.
  const max = boundOf(model.plan.total.range.max, 'max');
  const min = boundOf(model.plan.total.range.min, 'min');
  if (model.totalMethod === 'weighted_average' && Number.isFinite(max)) {
    model.tiers.forEach((t, i) => {
      if (t.min > max + EPS) warn(['tiers', i, 'min'], 'unreachable-tier', `tier "${t.name}" needs ${t.min} but with a weighted average the most a lead can score is ${round2(max)}`, 'lower its min (the total is 0–100)');
    });
  }
  shadowed(model.tiers, min, ['tiers'], 'the total', warn);

  if (model.matrix) {
    for (const key of ['rows', 'columns'] as const) {
      const axis = model.matrix[key];
      const g = model.groups[axis.group];
      if (!g) continue;
      axis.tiers.forEach((t, i) => {
        if (Number.isFinite(g.max) && t.min > g.max + EPS) {
          warn(['matrix', key, 'tiers', i, 'min'], 'unreachable-matrix-tier', `matrix ${key} tier "${t.name}" needs ${t.min} points of group "${g.id}", which can give at most ${round2(g.max)}`, 'lower its min, or raise the group\'s cap or points');
        }
      });
    }
  }

  // A column name that is not declared is read as a header name; next to a declared name it is probably a typo.
  const declared = new NameIndex(model.columns.filter((c) => c.path[0] === 'columns' && c.path.length === 2).map((c) => c.name));
  for (const col of model.columns) {
    if (!col.used || (col.path[0] === 'columns' && col.path.length === 2)) continue;
    const guess = declared.near(col.name);
    if (guess !== undefined) {
      warn(col.path, 'column-typo', `"${col.name}" is not a declared column, so it is looked up as a header name; did you mean the declared column "${guess}"?`, `write ${guess}, or declare "${col.name}" under columns`);
    }
  }

  if (model.tiers.some((t) => t.name === model.disqualifiedTier)) {
    warn(rules.disqualified_tier !== undefined ? ['disqualified_tier'] : ['tiers'], 'dq-tier-name', `tier "${model.disqualifiedTier}" is also the name given to disqualified leads, so the two cannot be told apart`, 'rename the tier, or set disqualified_tier: to another name', rules.disqualified_tier !== undefined ? 'value' : 'key');
  }
  return issues;
}

/** Tiers after one that every lead reaches (its min is at or below the lowest possible score) are never used. */
function shadowed(
  tiers: readonly Threshold[],
  lowest: number,
  path: (string | number)[],
  what: string,
  warn: (path: (string | number)[], code: string, message: string, hint?: string) => void,
): void {
  if (!Number.isFinite(lowest)) return;
  const i = tiers.findIndex((t, k) => k < tiers.length - 1 && t.min <= lowest + EPS);
  if (i < 0) return;
  for (let k = i + 1; k < tiers.length; k++) {
    warn([...path, k, 'name'], 'shadowed-tier', `tier "${tiers[k]!.name}" is never reached: ${what} is at least ${round2(lowest)}, which already reaches tier "${tiers[i]!.name}" (min ${tiers[i]!.min})`, `raise the min of "${tiers[i]!.name}" above ${round2(lowest)}`);
  }
}

/** Edits (Levenshtein) two names may differ by and still be taken for a typo, by the shorter name's length. */
function typoEdits(shorter: number): number {
  return shorter >= 7 ? 2 : shorter >= 4 ? 1 : 0;
}

// Two rows of the distance table, reused by every call (the look-ups run thousands of times per lint).
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance of `a` and `b` when it is at most `k`, else k + 1: only the diagonal band |i − j| ≤ k is computed. */
function boundedEditDistance(a: string, b: string, k: number): number {
  const n = a.length;
  const m = b.length;
  const big = k + 1;
  if (Math.abs(n - m) > k) return big;
  if (a === b) return 0;
  if (rowA.length < m + 2) {
    rowA = new Int32Array(2 * m + 2);
    rowB = new Int32Array(2 * m + 2);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= m + 1; j++) prev[j] = j <= k ? j : big;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - k);
    const to = Math.min(m, i + k);
    cur[from - 1] = from === 1 && i <= k ? i : big;
    let best = cur[from - 1]!;
    const ai = a.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      let v = prev[j - 1]! + (ai === b.charCodeAt(j - 1) ? 0 : 1);
      const up = prev[j]! + 1;
      if (up < v) v = up;
      const left = cur[j - 1]! + 1;
      if (left < v) v = left;
      if (v > big) v = big;
      cur[j] = v;
      if (v < best) best = v;
    }
    // Outside the band the next row reads only this cell, which must count as too far.
    cur[to + 1] = big;
    if (best > k) return big;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m]!, big);
}

/** Longest name whose two-character deletions are indexed; longer names are matched up to one edit. */
const TWO_EDIT_LENGTH = 32;

const HASH_BASE = 0x01000193;

/**
 * A hash of every string `s` gives with up to `k` (≤ 2) characters deleted, itself included, computed from prefix
 * hashes without building the strings (mod 2^32; a collision only adds a candidate, which is then checked).
 */
function deletionHashes(s: string, k: number, out: (h: number) => void): void {
  const n = s.length;
  const pre = new Int32Array(n + 1);
  const pow = new Int32Array(n + 1);
  pow[0] = 1;
  for (let i = 0; i < n; i++) {
    pre[i + 1] = (Math.imul(pre[i]!, HASH_BASE) + s.charCodeAt(i)) | 0;
    pow[i + 1] = Math.imul(pow[i]!, HASH_BASE);
  }
  const sub = (i: number, j: number): number => (pre[j]! - Math.imul(pre[i]!, pow[j - i]!)) | 0;
  // The length goes into the key, so that strings of different lengths never share one; 30 bits keep keys small
  // integers (V8 boxes larger ones, which made a Map of them slower than one of strings).
  const key = (h: number, len: number): number => (h ^ Math.imul(len + 1, 0x9e3779b1)) & 0x3fffffff;
  out(key(pre[n]!, n));
  if (k < 1) return;
  for (let i = 0; i < n; i++) {
    const rest = sub(i + 1, n);
    out(key((Math.imul(pre[i]!, pow[n - i - 1]!) + rest) | 0, n - 1));
    if (k < 2) continue;
    for (let j = i + 1; j < n; j++) {
      const mid = (Math.imul(pre[i]!, pow[j - i - 1]!) + sub(i + 1, j)) | 0;
      out(key((Math.imul(mid, pow[n - j - 1]!) + sub(j + 1, n)) | 0, n - 2));
    }
  }
}

export class NameIndex {
  private readonly byVariant = new Map<number, number[]>();
  private readonly lower: string[];
  /** The look-up each name was last a candidate in, so that each is checked once per look-up. */
  private readonly seen: Int32Array;
  private lookups = 0;

  constructor(private readonly names: readonly string[]) {
    this.lower = names.map((n) => n.toLowerCase());
    this.seen = new Int32Array(names.length);
    this.lower.forEach((n, i) => {
      deletionHashes(n, this.edits(n), (h) => {
        const list = this.byVariant.get(h);
        if (!list) this.byVariant.set(h, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      });
    });
  }

  private edits(lower: string): number {
    return Math.min(typoEdits(lower.length), lower.length > TWO_EDIT_LENGTH ? 1 : 2);
  }

  /** A declared name `name` is a likely typo of: the same but for case, or one or two edits apart in a long enough name. */
  near(name: string): string | undefined {
    const a = name.toLowerCase();
    const stamp = ++this.lookups;
    let best = -1;
    let bestD = Infinity;
    let exact = false;
    deletionHashes(a, this.edits(a), (h) => {
      for (const i of this.byVariant.get(h) ?? []) {
        if (this.seen[i] === stamp) continue;
        this.seen[i] = stamp;
        if (this.names[i] === name) exact = true;
        const b = this.lower[i]!;
        const limit = typoEdits(Math.min(a.length, b.length));
        const dist = boundedEditDistance(a, b, limit);
        if (dist > limit) continue;
        if (dist < bestD || (dist === bestD && i < best)) {
          best = i;
          bestD = dist;
        }
      }
    });
    return exact || best < 0 ? undefined : this.names[best];
  }
}
