// Lints of a compiled rules file that the compiler does not already report: weights, tier reach, column
// names that look like typos, rules that can never score. Pure: rules data and model in, issues at rules paths out.
import { editDistance } from '../errors.js';
import type { Model, Threshold } from '../engine/model.js';
import { round2 } from '../ops/round.js';
import { boundOf } from '../plan/bounds.js';
import type { CompileIssue } from './compile.js';
import type { RulesData } from './schema.js';

/** Tolerance for comparing sums of decimal weights (0.3 + 0.25 + 0.25 + 0.2 is not exactly 1). */
const EPS = 1e-9;

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Lint a rules file that compiled without errors. Every issue is a warning: the model runs, but
 * probably not as its author meant. Codes: weights-normalised, zero-weight-group, zero-points,
 * unreachable-tier, shadowed-tier, unreachable-matrix-tier, column-typo, dq-tier-name.
 */
export function lintRules(rules: RulesData, model: Model): CompileIssue[] {
  const issues: CompileIssue[] = [];
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
  const declared = model.columns.filter((c) => c.path[0] === 'columns' && c.path.length === 2).map((c) => c.name);
  for (const col of model.columns) {
    if (!col.used || (col.path[0] === 'columns' && col.path.length === 2)) continue;
    const guess = nearName(col.name, declared);
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

/** A declared name this one is a likely typo of: same but for case, or one or two edits apart in a long enough name. */
function nearName(name: string, declared: readonly string[]): string | undefined {
  const a = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const d of declared) {
    if (d === name) return undefined;
    const b = d.toLowerCase();
    const dist = editDistance(a, b);
    const short = Math.min(a.length, b.length);
    const close = dist === 0 || (dist === 1 && short >= 4) || (dist === 2 && short >= 7);
    if (close && dist < bestD) {
      best = d;
      bestD = dist;
    }
  }
  return best;
}
