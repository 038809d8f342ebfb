// `icp calibrate`: refit a model's points (and optionally its band cut-offs and tier thresholds) from outcomes,
// writing a copy of the rules file with only those numbers changed, each with its evidence in a comment.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import type { Model } from '../engine/model.js';
import { loadRules } from '../rules/index.js';
import type { RulesData } from '../rules/schema.js';
import { buildEvaluation, type EvaluationReport, type ScoredRows } from '../stats/evaluation.js';
import { fitPoints, MIN_CLASS, thresholdsForConversion, thresholdsForShares, type Fit, type FitCriterion } from '../stats/calibrate.js';
import { wilson } from '../stats/metrics.js';
import { stratifiedSplit } from '../stats/split.js';
import { roundPoints, scaledScore, scorecardScale, type Scale } from '../stats/scaling.js';
import { renderCalibrate, type CalibrateReport } from '../report/calibrate.js';
import { MARK, SourceEdits, formatNumber } from './calibrate-yaml.js';
import { modelShape } from './evaluate-engine.js';
import { addOutcomeOptions, labelledRows, type OutcomeOptions } from './evaluate.js';
import { addInputOptions, type InputOptions } from './input.js';
import { choice, describeFsError, printDiagnostics, readRules, useColor, writeTexts, type Io } from './shared.js';

export interface CalibrateOptions extends InputOptions, OutcomeOptions {
  rules: string;
  output: string;
  asOf?: string;
  asOfColumn?: string;
  pdo?: string;
  prior?: string;
  train?: string;
  seed: string;
  rebin?: boolean;
  maxBins?: string;
  tierShares?: string;
  tierConversion?: string;
  base?: string;
  format: string;
  color?: boolean;
}

export function calibrateCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('calibrate')
    .description('refit the points of a model from won/lost outcomes, keeping everything else of the rules file')
    .argument('<input>', 'CSV export with outcomes (or - for standard input)')
    .requiredOption('-r, --rules <file>', 'YAML rules file to calibrate')
    .requiredOption('-o, --output <file>', 'where to write the calibrated rules file');
  addOutcomeOptions(cmd)
    .option('--train <share>', 'fit on this stratified share of the rows (e.g. 0.7) and compare old and new on the rest')
    .option('--seed <n>', 'seed of the split', '42')
    .option('--pdo <points>', 'points to double the odds (default: the scale that keeps the current range of points)')
    .option('--base <points[@won:lost]>', `scorecard base: a lead at the training odds (or at these odds, e.g. 600@1:19) scores these points; written as the constant criterion ${'`'}icp_base${'`'}`)
    .option('--prior <leads>', 'pseudo-leads per level at the base rate: shrinks small levels towards no effect', '20')
    .option('--rebin', 'propose new cut-offs for numeric bands (monotone binning)')
    .option('--max-bins <n>', 'with --rebin: most bands per criterion', '5')
    .option('--tier-shares <list>', 'tier thresholds for these shares of leads, best tier first, e.g. 10,30,40,20 (default: the shares the tiers have now)')
    .option('--tier-conversion <list>', 'tier thresholds for these conversions in percent, best tier first, one per tier but the last, e.g. 30,15,5: each tier starts at the lowest score at which its leads convert at least that well')
    .addOption(new Option('-f, --format <format>', 'format of the comparison printed').choices(['table', 'text', 'json']).default('table'))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Examples:
  icp calibrate leads.csv --rules icp.yaml --outcome Converted -o icp.calibrated.yaml
  icp calibrate leads.csv --rules icp.yaml --outcome Converted --train 0.7 --seed 42 --rebin -o icp.calibrated.yaml
  icp calibrate leads.csv --rules icp.yaml --outcome Converted --pdo 20 --base 600@1:1 --tier-conversion 40,20 -o icp.calibrated.yaml

Method (docs/calibration.md): weight of evidence per band / matched-or-not / unknown, shrunk towards the base rate,
a logistic regression on those, points = PDO / ln 2 × coefficient × WoE. Needs at least ${MIN_CLASS} positives and ${MIN_CLASS} negatives.

Base points: icp adds up criterion points and has no intercept, so without --base a lead with no points scores 0
and the header comment gives its odds. With --base B[@W:L] the score is the scorecard scale
score = B + PDO / ln 2 × (ln odds − ln W/L) (W:L default: the training won : lost): calibrate adds the constant
part (B − PDO / ln 2 × ln W/L + PDO / ln 2 × intercept) as one criterion "${BASE_ID}" that every lead matches, in a
group of its own without cap, instead of spreading it over the criteria (icp scores "not matched" as 0).
Run again, calibrate refits that criterion only with --base, and keeps it otherwise.`,
    );
  addInputOptions(cmd);
  cmd.action(async (input: string, opts: CalibrateOptions) => {
    setExit(await runCalibrate(input, opts, io));
  });
  return cmd;
}

/** The id of the constant criterion (and its group) that --base writes: every lead matches it. */
export const BASE_ID = 'icp_base';

/** --base: points, and optionally the won : lost odds they stand for. */
export function parseBase(v: string): { points: number; odds?: { won: number; lost: number } } {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*(?:@\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*)?$/.exec(v);
  const hint = 'e.g. --base 600 (600 points at the training odds) or --base 600@1:19 (600 points at odds of 1 won to 19 lost)';
  if (!m) throw new UserError(`--base: "${v}" is not POINTS or POINTS@WON:LOST`, [], hint);
  const points = Number(m[1]);
  if (m[2] === undefined) return { points };
  const won = Number(m[2]);
  const lost = Number(m[3]);
  if (!(won > 0) || !(lost > 0)) throw new UserError(`--base: the odds in "${v}" must be above 0 on both sides`, [], hint);
  return { points, odds: { won, lost } };
}

/** --tier-conversion: one target conversion in percent per tier but the last, best first, never rising. As shares 0–1. */
export function parseConversion(v: string, tiers: number): number[] {
  const parts = v.split(',').map((s) => (s.trim() === '' ? NaN : Number(s.trim())));
  const hint = 'e.g. --tier-conversion 30,15,5 (percent won in each tier but the last, best first)';
  if (parts.some((x) => !Number.isFinite(x) || x <= 0 || x > 100)) throw new UserError(`--tier-conversion: "${v}" is not a list of percentages above 0 and at most 100`, [], hint);
  if (tiers < 2) throw new UserError('--tier-conversion: the model has one tier, so there is no threshold to place', [], 'add tiers to the rules file first');
  if (parts.length !== tiers - 1) throw new UserError(`--tier-conversion: ${parts.length} target${parts.length === 1 ? '' : 's'} given, the model has ${tiers} tiers`, [], `give ${tiers - 1}: one per tier but the last, best first`);
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]! > parts[i - 1]!) throw new UserError(`--tier-conversion: the targets must not rise from a better tier to a worse one (${parts[i - 1]} then ${parts[i]})`, [], hint);
  }
  return parts.map((x) => x / 100);
}

function positiveNumber(name: string, v: string | undefined, max = Infinity): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0 || x > max) throw new UserError(`${name}: "${v}" is not a number above 0${max < Infinity ? ` and at most ${max}` : ''}`);
  return x;
}

/** The rules paths of a bands criterion's bands, in the model's order. */
function bandPaths(rules: RulesData, ci: number): (string | number)[][] {
  const b = (rules.criteria[ci] as { bands?: unknown }).bands;
  if (Array.isArray(b)) return b.map((_, k) => ['criteria', ci, 'bands', k]);
  return (['ideal', 'acceptable', 'avoid'] as const).filter((k) => (b as Record<string, unknown>)[k] !== undefined).map((k) => ['criteria', ci, 'bands', k]);
}

const NUMERIC_BAND_KEYS = new Set(['lt', 'lte', 'gt', 'gte', 'between', 'label', 'points']);

/** Bands that are numeric conditions on one column: --rebin may replace them. */
function rebinnable(rules: RulesData, ci: number): boolean {
  const c = rules.criteria[ci] as Record<string, unknown>;
  if (c.column === undefined || c.value !== undefined || c.bands === undefined) return false;
  const bands = Array.isArray(c.bands) ? c.bands : Object.values(c.bands as object);
  return bands.every((b) => Object.keys(b as object).every((k) => NUMERIC_BAND_KEYS.has(k)));
}

/** What the fit needs of each criterion, from the compiled model and the rules data. */
export function fitCriteria(model: Model, rules: RulesData): FitCriterion[] {
  const shape = modelShape(model);
  return model.criteria.map((c, ci) => {
    const mult = model.groups[c.group]!.multiplier;
    // 12 digits: a cap written as points_per × units (e.g. 36.75 / 7.35) gives back the whole units, not 5.000000001.
    const valueCap = c.kind === 'per' && c.cap !== undefined && c.points > 0 ? Number((c.cap / (c.points * c.weight)).toPrecision(12)) : undefined;
    return {
      ...shape.criteria[ci]!,
      scale: c.weight * mult,
      multiplier: mult,
      ...(valueCap !== undefined ? { valueCap, perRange: c.cap! * mult } : {}),
      rebinnable: c.kind === 'bands' && rebinnable(rules, ci),
      ...(c.id === BASE_ID ? { fixed: true } : {}),
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const sgn = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
function evidence(rows: number, positives: number, woe: number): string {
  return `n=${rows}, ${rows ? pct(positives / rows) : '–'} won, WoE ${sgn(woe)}`;
}
/** n, conversion and its 95 % Wilson interval. */
function rate(rows: number, positives: number): string {
  if (!rows) return 'n=0';
  const [lo, hi] = wilson(positives, rows);
  return `n=${rows}, ${pct(positives / rows)} won [${pct(lo)}–${pct(hi)}]`;
}

/** Which unknown policy gives `u` points (rules units) best, as YAML text. */
function unknownPolicyText(u: number, maxPoints: number): string {
  if (u === 0) return 'zero';
  if (u > 0 && maxPoints > 0 && u <= maxPoints) return `{ policy: neutral, share: ${formatNumber(Math.round((u / maxPoints) * 100) / 100)} }`;
  return `{ policy: penalty, points: ${formatNumber(u)} }`;
}

/** Write the fitted numbers into the rules text. Returns the edits object (tiers may still be added). */
export function editRules(text: string, loaded: { model: Model; rules: RulesData; doc: import('yaml').Document }, crit: FitCriterion[], fit: Fit): { edits: SourceEdits; notes: string[] } {
  const { model, rules } = loaded;
  const edits = new SourceEdits(text, loaded.doc);
  const notes: string[] = [];
  // Each criterion's reachable points after the edits (rules units × weight, before the group multiplier).
  const newMax: number[] = model.criteria.map((c) => c.maxPoints);
  const newMin: number[] = model.criteria.map((c) => c.minPoints);
  model.criteria.forEach((c, ci) => {
    const f = fit.criteria[ci]!;
    const k = crit[ci]!;
    const path = ['criteria', ci];
    if (k.fixed) return; // the base points: written by runCalibrate
    const round = roundPoints;
    const round2 = (x: number) => Number(formatNumber(x));
    const ivOn = f.valueBins ? ` (on ${f.valueBins.length} monotone bin${f.valueBins.length === 1 ? '' : 's'} of the value${k.valueCap !== undefined ? ' up to the cap' : ''}, and unknown)` : '';
    const head = `IV ${f.iv.toFixed(3)}${ivOn}, coefficient ${f.beta.toFixed(3)}${f.dropped ? ' (left out of the WoE fit: its evidence is carried by other criteria; its points are only the small per-level correction its own rows support)' : ''}`;
    edits.note(edits.node([...path, 'id'])!.range![0], head);
    let maxNew = 0;
    let minNew = 0;
    if (c.kind === 'points') {
      const m = f.levels[0]!;
      const none = f.levels[1]!;
      const pts = round(m.contribution / k.scale);
      maxNew = Math.max(0, pts * c.weight);
      minNew = Math.min(0, pts * c.weight);
      edits.setNumber([...path, 'points'], pts, `matched ${evidence(m.rows, m.positives, m.woe)}; not matched ${evidence(none.rows, none.positives, none.woe)} (was ${formatNumber(c.points)})`);
    } else if (c.kind === 'bands') {
      if (f.bins) {
        const lines: string[] = [];
        const fmt = (x: number) => formatNumber(x);
        f.bins.forEach((b, bi) => {
          const lv = f.levels[bi]!;
          const pts = round(lv.contribution / k.scale);
          maxNew = Math.max(maxNew, pts * c.weight);
          minNew = Math.min(minNew, pts * c.weight);
          const cond = b.lo === -Infinity ? `lt: ${fmt(b.hi)}` : b.hi === Infinity ? `gte: ${fmt(b.lo)}` : `between: [${fmt(b.lo)}, ${fmt(b.hi)}]`;
          const label = b.lo === -Infinity ? `< ${fmt(b.hi)}` : b.hi === Infinity ? `≥ ${fmt(b.lo)}` : `${fmt(b.lo)} – ${fmt(b.hi)}`;
          if (bi) lines.push(`# icp calibrate: ${evidence(lv.rows, lv.positives, lv.woe)}`);
          lines.push(`- { label: ${JSON.stringify(label)}, ${cond}, points: ${formatNumber(pts)} }`);
        });
        const first = f.levels[0]!;
        edits.note(edits.node([...path, 'bands'])!.range![0], `re-binned (monotone): ${evidence(first.rows, first.positives, first.woe)}`);
        const flow = `[${lines.filter((l) => !l.startsWith('#')).map((l) => l.slice(2)).join(', ')}]`;
        edits.replaceNode([...path, 'bands'], flow, lines);
        notes.push(`${c.id}: bands re-binned into ${f.bins.length} (${f.bins.map((b) => (b.lo === -Infinity ? '' : formatNumber(b.lo))).filter(Boolean).join(', ')})`);
      } else {
        bandPaths(rules, ci).forEach((bp, bi) => {
          const lv = f.levels[bi]!;
          const pts = round(lv.contribution / k.scale);
          maxNew = Math.max(maxNew, pts * c.weight);
          minNew = Math.min(minNew, pts * c.weight);
          edits.setNumber([...bp, 'points'], pts, `${c.bands[bi]!.label}: ${evidence(lv.rows, lv.positives, lv.woe)} (was ${formatNumber(c.bands[bi]!.points)})`);
        });
      }
    } else {
      const unit = round2(f.perUnit! / k.scale);
      const known = f.levels[0]!;
      edits.setNumber(
        [...path, 'points_per'],
        unit,
        `known ${rate(known.rows, known.positives)}${f.valueBins?.length ? `, by value ${f.valueBins.map((b) => `${b.lo === -Infinity ? `<${formatNumber(b.hi)}` : `≥${formatNumber(b.lo)}`} ${b.rows ? pct(b.positives / b.rows) : '–'}`).join(', ')}` : ''}; slope of the log-odds on the value${k.valueCap !== undefined ? ` capped at ${formatNumber(k.valueCap)}` : ''}: ${formatNumber(f.perUnit!)} points per unit (was ${formatNumber(c.points)})`,
      );
      if (k.valueCap !== undefined && c.cap !== undefined) {
        const cap = round2(k.valueCap * unit * c.weight); // to hundredths, so that the same units reach it again
        maxNew = Math.max(0, cap);
        const s = f.capSplit!;
        edits.setNumber(
          [...path, 'cap'],
          cap,
          `kept at the same ${formatNumber(k.valueCap)} units (not refitted): at or above ${rate(s.atCap.rows, s.atCap.positives)}; below ${rate(s.below.rows, s.below.positives)} (was ${formatNumber(c.cap)})`,
        );
      }
    }
    if (c.kind !== 'per') {
      // A criterion's cap (floor) keeps its place relative to the largest (smallest) points it bounds.
      const oldPts = c.kind === 'points' ? [c.points * c.weight] : c.bands.map((b) => b.points * c.weight);
      const bound = (key: 'cap' | 'floor', was: number | undefined, oldEnd: number, newEnd: number): number | undefined => {
        if (was === undefined) return undefined;
        const at = edits.node([...path, key])!.range![0];
        if (!(oldEnd !== 0 && Math.sign(oldEnd) === Math.sign(newEnd))) {
          edits.note(at, `kept at ${formatNumber(was)}: the points it bounds ${key === 'cap' ? 'were not above 0' : 'were not below 0'} before or are not now, so there is no proportion to keep`);
          return undefined;
        }
        const v = roundPoints((was * newEnd) / oldEnd);
        const side = key === 'cap' ? 'largest' : 'smallest';
        edits.setNumber([...path, key], v, `rescaled with the points: ${pct(was / oldEnd)} of the ${side} points as before (${formatNumber(oldEnd)} then, ${formatNumber(newEnd)} now; was ${formatNumber(was)})`);
        return v;
      };
      const cap = bound('cap', c.cap, Math.max(0, ...oldPts), maxNew);
      const floor = bound('floor', c.floor, Math.min(0, ...oldPts), minNew);
      if (cap !== undefined) maxNew = Math.min(maxNew, cap);
      if (floor !== undefined) minNew = Math.max(minNew, floor);
      newMin[ci] = minNew;
    }
    newMax[ci] = maxNew;
    // Unknown values: their own level, written as the policy that gives its points.
    const unk = f.levels[f.levels.length - 1]!;
    if (unk.rows > 0 || c.unknown.policy !== 'zero') {
      const u = round((Number.isFinite(unk.contribution) ? unk.contribution : 0) / k.multiplier);
      const now = c.unknown.policy === 'zero' ? 0 : c.unknown.policy === 'penalty' ? c.unknown.points : c.unknown.share * c.maxPoints;
      if (Math.abs(u - now) >= 0.05) {
        const ok = edits.setKey(path, 'unknown', unknownPolicyText(u, maxNew), `unknown ${evidence(unk.rows, unk.positives, unk.woe)} → ${formatNumber(u)} points (was ${formatNumber(now)})`);
        if (!ok) notes.push(`${c.id}: unknown values would get ${formatNumber(u)} points, but the criterion is a flow map: not written`);
      }
    }
  });
  // A group's cap (floor) keeps its place relative to the sum of its criteria's largest (smallest) points.
  model.groups.forEach((g) => {
    for (const [key, was, sum] of [
      ['cap', g.cap, (m: number[]) => g.criteria.reduce((s, ci) => s + Math.max(0, m[ci]!), 0)],
      ['floor', g.floor, (m: number[]) => g.criteria.reduce((s, ci) => s + Math.min(0, m[ci]!), 0)],
    ] as const) {
      if (was === undefined) continue;
      const path = ['groups', g.id, key];
      const oldSum = sum(model.criteria.map((c) => (key === 'cap' ? c.maxPoints : c.minPoints)));
      const newSum = sum(key === 'cap' ? newMax : newMin);
      const at = edits.node(path)?.range?.[0];
      if (at === undefined) continue;
      if (!(Number.isFinite(oldSum) && Number.isFinite(newSum) && oldSum !== 0 && Math.sign(oldSum) === Math.sign(newSum))) {
        edits.note(at, `${key} kept at ${formatNumber(was)}: the sum of its criteria's ${key === 'cap' ? 'largest' : 'smallest'} points is unbounded or changed sign, so there is no proportion to keep`);
        notes.push(`group ${g.id}: its ${key} of ${formatNumber(was)} was kept as written (no proportion to keep); check it against the new points`);
        continue;
      }
      const v = roundPoints((was * newSum) / oldSum);
      edits.setNumber(path, v, `${key} rescaled with the points: ${pct(was / oldSum)} of what its criteria can add up to as before (${formatNumber(oldSum)} then, ${formatNumber(newSum)} now; was ${formatNumber(was)})`);
    }
  });
  return { edits, notes };
}

/** Parse --tier-shares: numbers, one per tier, summing to more than 0. */
function parseShares(v: string, tiers: number): number[] {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.some((x) => !Number.isFinite(x) || x < 0) || parts.reduce((a, b) => a + b, 0) <= 0) {
    throw new UserError(`--tier-shares: "${v}" is not a list of shares`, [], 'e.g. --tier-shares 10,30,40,20 (percent of leads per tier, best first)');
  }
  if (parts.length !== tiers) throw new UserError(`--tier-shares: ${parts.length} share${parts.length === 1 ? '' : 's'} given, the model has ${tiers} tiers`, [], 'give one share per tier, best first');
  return parts;
}

/** Write the calibrated rules through the run's output group: atomic, and never over the input or the rules read. */
async function writeText(target: string, text: string, inputs: { role: string; path: string }[], io: Io): Promise<void> {
  await writeTexts(io, [{ spec: { role: '-o', target }, text }], inputs);
}

function subset(r: ScoredRows, keep: (i: number) => boolean): ScoredRows {
  const idx: number[] = [];
  for (let i = 0; i < r.n; i++) if (keep(i)) idx.push(i);
  const c = r.criteria;
  const pick = <T extends Uint8Array | Int16Array | Float64Array | Float32Array>(a: T, w: number): T => {
    const out = new (a.constructor as new (n: number) => T)(idx.length * w);
    idx.forEach((i, j) => {
      for (let k = 0; k < w; k++) out[j * w + k] = a[i * w + k]!;
    });
    return out;
  };
  return {
    ...r,
    n: idx.length,
    label: pick(r.label, 1),
    score: pick(r.score, 1),
    disqualified: pick(r.disqualified, 1),
    tier: pick(r.tier, 1),
    cell: pick(r.cell, 1),
    level: pick(r.level, c),
    decay: pick(r.decay, c),
    points: pick(r.points, c),
    value: r.value ? pick(r.value, c) : undefined,
  };
}

function summary(e: EvaluationReport) {
  return {
    rows: e.rows,
    positives: e.positives,
    auc: e.auc,
    gini: e.gini,
    ks: e.ks,
    liftTop10: e.gains.find((g) => g.top === 0.1)?.lift ?? null,
    tiers: e.tiers.map((t) => ({ tier: t.tier, leads: t.leads, conversion: t.conversion })),
  };
}

/** Odds as won : lost, e.g. 1:19 or 0.25:1. */
function oddsText(odds: number): string {
  return odds >= 1 ? `${formatNumber(odds)}:1` : `1:${formatNumber(1 / odds)}`;
}

/**
 * Write the base points: the criterion icp_base (which every lead matches) gets `constant` score points, its own
 * group is added when missing. The constant is a criterion rather than points spread over the criteria because
 * icp scores "not matched" as 0, so there is nowhere else a lead with no other points could get it.
 */
function writeBase(edits: SourceEdits, loaded: { model: Model; rules: RulesData }, at: number, constant: number, scale: Scale, file: string): void {
  const { model, rules } = loaded;
  const why = `base points: ${formatNumber(scale.base)} at odds ${oddsText(scale.baseOdds)} with ${formatNumber(scale.pdo)} points to double them, so a lead with no other points scores ${formatNumber(constant)} (the fitted log-odds at 0 points, scaled)`;
  if (at >= 0) {
    const c = model.criteria[at]!;
    const pts = roundPoints(constant / (c.weight * model.groups[c.group]!.multiplier));
    if (c.kind !== 'points' || !edits.setNumber(['criteria', at, 'points'], pts, `${why} (was ${formatNumber(c.points)})`)) {
      throw new UserError(`${file}: criterion "${BASE_ID}" is not calibrate's base-points criterion (it has no points: value)`, [], `rename it, or delete it and let --base write it`);
    }
    return;
  }
  const column = typeof rules.id === 'string' ? rules.id : (rules.criteria as { column?: unknown }[]).find((c) => typeof c.column === 'string')?.column;
  if (typeof column !== 'string') throw new UserError(`${file}: --base needs a column for its criterion (the rules id, or any criterion's column)`, [], 'give the rules an id: column');
  const hint = 'write groups as a block map and criteria as a block list (one item per line), then run again';
  if (!model.groups.some((g) => g.id === BASE_ID) && !edits.setKey(['groups'], BASE_ID, '{ label: Base points }', 'the group of --base, without cap')) {
    throw new UserError(`${file}: --base cannot add its group "${BASE_ID}" to a flow-style groups map`, [], hint);
  }
  const col = JSON.stringify(column);
  const ok = edits.appendItem(['criteria'], [
    `id: ${BASE_ID}`,
    `label: Base points`,
    `group: ${BASE_ID}`,
    `any: [{ column: ${col}, present: true }, { column: ${col}, present: false }]   # every lead`,
    `# ${MARK} ${why}`,
    `points: ${formatNumber(roundPoints(constant))}`,
  ]);
  if (!ok) throw new UserError(`${file}: --base cannot add its criterion "${BASE_ID}" to a flow-style criteria list`, [], hint);
}

/** Run `icp calibrate`; returns the exit code. */
export async function runCalibrate(input: string, opts: CalibrateOptions, io: Io): Promise<ExitStatus> {
  const format = choice('--format', opts.format, ['table', 'json'] as const, { text: 'table' });
  const pdo = positiveNumber('--pdo', opts.pdo);
  const prior = opts.prior === undefined ? 20 : Number(opts.prior);
  if (!Number.isFinite(prior) || prior < 0) throw new UserError(`--prior: "${opts.prior}" is not a number of 0 or more`);
  const trainShare = positiveNumber('--train', opts.train, 1);
  if (trainShare === 1) throw new UserError('--train 1 leaves nothing to hold out', [], 'e.g. --train 0.7');
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed)) throw new UserError(`--seed: "${opts.seed}" is not a whole number`);
  const maxBins = positiveNumber('--max-bins', opts.maxBins) ?? 5;
  const errColor = useColor(io.stderr, io.env, opts.color);

  const loaded = await readRules(opts.rules);
  printDiagnostics(io, loaded.diagnostics.filter((d) => d.severity === 'warning'), errColor);
  const { model, rules } = loaded;
  if (model.totalMethod === 'weighted_average') {
    throw new UserError(`${opts.rules}: calibrate needs total method "sum"`, [], 'weighted_average rescales each group to 0–100, which fitted points cannot keep; set total: { method: sum } to calibrate');
  }
  if (opts.tierShares !== undefined && opts.tierConversion !== undefined) {
    throw new UserError('--tier-shares and --tier-conversion cannot be used together', [], 'give one: --tier-shares for shares of leads per tier, --tier-conversion for a conversion each tier must reach');
  }
  const tierShares = opts.tierShares === undefined ? undefined : parseShares(opts.tierShares, model.tiers.length);
  const tierConversion = opts.tierConversion === undefined ? undefined : parseConversion(opts.tierConversion, model.tiers.length);
  const base = opts.base === undefined ? undefined : parseBase(opts.base);
  let text: string;
  try {
    text = await readFile(opts.rules, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read rules file ${opts.rules}: ${describeFsError(e)}`);
  }

  const before = await labelledRows(input, model, opts, io, true);
  for (const w of before.warnings) io.stderr.write(`warning: ${w}\n`);
  const rows = before.rows;
  const train = trainShare === undefined ? undefined : stratifiedSplit(rows.label, trainShare, seed);
  let tp = 0;
  let tn = 0;
  for (let i = 0; i < rows.n; i++) {
    if (train && !train[i]) continue;
    if (rows.label[i]) tp++;
    else tn++;
  }
  if (tp < MIN_CLASS || tn < MIN_CLASS) {
    throw new UserError(
      `too few ${tp < MIN_CLASS ? 'positives' : 'negatives'} to calibrate: ${tp} positive and ${tn} negative rows${train ? ' in the training part' : ''}; at least ${MIN_CLASS} of each are needed`,
      [],
      `with fewer, one lead moves a band's conversion by several points and the fitted points are noise; use more history${train ? ', a larger --train share' : ''}, or check --outcome`,
    );
  }

  const crit = fitCriteria(model, rules);
  const fit = fitPoints(crit, rows, train, { pdo, prior, rebin: opts.rebin === true, maxBins });
  const { edits, notes } = editRules(text, { model, rules, doc: loaded.source.doc }, crit, fit);
  const scale = base ? scorecardScale(fit.pdo, base.points, base.odds ? base.odds.won / base.odds.lost : tp / tn) : undefined;
  const baseAt = model.criteria.findIndex((c) => c.id === BASE_ID);
  if (scale) writeBase(edits, loaded, baseAt, scaledScore(scale, fit.intercept), scale, opts.rules);
  else if (baseAt >= 0) {
    edits.note(edits.node(['criteria', baseAt, 'id'])!.range![0], 'base points kept (not refitted: no --base given)');
    notes.push(`${BASE_ID}: the base points were kept as they are; without --base they are not refitted, so scores are no longer on the scale they were set for: run with --base again, or delete the criterion`);
  }

  // Tiers: score the rows with the new points, then place thresholds at the target shares of the training rows.
  const interim = loadRules(edits.apply(), opts.output);
  if (!interim.model || !interim.rules) throw new Error(`calibrate produced an invalid rules file: ${interim.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  const mid = await labelledRows(input, interim.model, opts, io);
  const inTrain = (i: number) => !train || train[i] === 1;
  const trainScores: number[] = [];
  const trainLabels: number[] = [];
  for (let i = 0; i < mid.rows.n; i++) {
    if (!inTrain(i) || mid.rows.disqualified[i]) continue;
    trainScores.push(mid.rows.score[i]!);
    trainLabels.push(mid.rows.label[i]!);
  }
  const where = train ? 'training ' : '';
  const tierEvidence: CalibrateReport['tiers'] = [];
  if (trainScores.length && model.tiers.length > 1) {
    const placed = tierConversion ? thresholdsForConversion(trainScores, trainLabels, tierConversion) : undefined;
    const shares =
      tierShares ??
      model.tiers.map((_, t) => {
        let k = 0;
        let all = 0;
        for (let i = 0; i < rows.n; i++) {
          if (!inTrain(i) || rows.disqualified[i]) continue;
          all++;
          if (rows.tier[i] === t) k++;
        }
        return all ? k / all : 0;
      });
    const cuts = placed ? placed.cuts : thresholdsForShares(trainScores, shares);
    const total = shares.reduce((a, b) => a + b, 0);
    model.tiers.forEach((tier, t) => {
      let n = 0;
      let p = 0;
      trainScores.forEach((s, j) => {
        if ((t === cuts.length || s >= cuts[t]!) && (t === 0 || s < cuts[t - 1]!)) {
          n++;
          p += trainLabels[j]!;
        }
      });
      const target = placed ? placed.tiers[t]!.target : shares[t]! / total;
      const met = placed ? placed.tiers[t]!.met : true;
      tierEvidence.push({ tier: tier.name, min: t < cuts.length ? cuts[t]! : null, leads: n, positives: p, conversion: n ? p / n : null, interval: n ? wilson(p, n) : null, ...(placed ? { targetConversion: target ?? null } : { targetShare: target! }), met });
      if (t === cuts.length) {
        // The last tier has no threshold; with targets it takes what the others leave, which may be nothing.
        if (placed && n === 0 && trainScores.length) notes.push(`tier ${tier.name}: no ${where}leads are left for it: the tiers above meet their targets down to the lowest score; raise the last target to give it leads`);
        return;
      }
      const was = `was ${formatNumber(tier.min)}`;
      let comment: string;
      if (!placed) comment = `${tier.name}: ${pct(n / trainScores.length)} of the ${where}leads (target ${pct(target!)}), ${rate(n, p)} (${was})`;
      else if (met) comment = `${tier.name}: the lowest threshold at which its ${where}leads convert at least ${pct(target!)}: ${rate(n, p)} (${was})`;
      else {
        const best = placed.tiers[t]!.best;
        const why = best ? `the best any threshold gives is ${rate(best.leads, best.positives)}` : 'no leads are left below the tier above';
        comment = `${tier.name}: no threshold gives ${pct(target!)} won on the ${where}leads (${why}), so it is left empty: its min is above the leads not in a better tier; lower its --tier-conversion target to fill it (${was})`;
        notes.push(`tier ${tier.name}: target ${pct(target!)} won not met on the ${where}leads (${why}); the tier is left empty (min ${formatNumber(cuts[t]!)})`);
      }
      edits.setNumber(['tiers', t, 'min'], cuts[t]!, comment, String(cuts[t]));
    });
  }

  const odds0 = Math.exp(fit.intercept);
  edits.header([
    `points fitted from ${fit.trainRows} ${train ? `training rows (${Math.round(trainShare! * 100)}%, seed ${seed}) ` : 'rows '}of ${input === '-' ? '<stdin>' : input}, ${fit.trainPositives} positive.`,
    `Method: WoE per level (prior ${prior} leads at the base rate), logistic regression on the WoE, points = ${formatNumber(fit.factor)} × coefficient × WoE.`,
    scale
      ? `Scale: score = ${formatNumber(scale.offset)} + ${formatNumber(scale.factor)} × ln(odds won:lost): ${formatNumber(scale.base)} points at odds ${oddsText(scale.baseOdds)} (${pct(scale.baseOdds / (1 + scale.baseOdds))} won), every ${formatNumber(fit.pdo)} points double the odds (before caps and decay). See docs/calibration.md.`
      : `Every ${formatNumber(fit.pdo)} points double the odds of winning; 0 points ≈ ${pct(odds0 / (1 + odds0))} won (before caps and decay). See docs/calibration.md.`,
  ]);
  const finalText = edits.apply();
  const final = loadRules(finalText, opts.output);
  if (!final.model) throw new Error(`calibrate produced an invalid rules file: ${final.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);

  const after = await labelledRows(input, final.model, opts, io);
  const shapeOld = modelShape(model);
  const shapeNew = modelShape(final.model);
  const held = (i: number) => !!train && train[i] === 0;
  const report: CalibrateReport = {
    input: input === '-' ? '<stdin>' : input,
    rules: opts.rules,
    output: opts.output,
    pdo: fit.pdo,
    prior,
    scale: { pdo: fit.pdo, factor: fit.factor, intercept: fit.intercept, ...(scale ? { base: scale.base, baseOdds: scale.baseOdds, offset: scale.offset } : {}) },
    tierMethod: tierConversion ? 'conversion' : 'shares',
    tiers: tierEvidence,
    train: train ? { share: trainShare!, seed, rows: fit.trainRows, positives: fit.trainPositives } : null,
    training: {
      old: summary(buildEvaluation(shapeOld, subset(rows, inTrain))),
      new: summary(buildEvaluation(shapeNew, subset(after.rows, inTrain))),
    },
    heldOut: train
      ? {
          old: summary(buildEvaluation(shapeOld, subset(rows, held))),
          new: summary(buildEvaluation(shapeNew, subset(after.rows, held))),
        }
      : null,
    criteria: model.criteria.map((c, ci) => ({ id: c.id, iv: fit.criteria[ci]!.iv, coefficient: fit.criteria[ci]!.beta, dropped: fit.criteria[ci]!.dropped })),
    notes,
  };
  await writeText(opts.output, finalText, [{ role: 'input', path: input }, { role: '--rules', path: opts.rules }], io);
  const reportTo = opts.output === '-' ? io.stderr : io.stdout;
  reportTo.write(renderCalibrate(report, format, { color: useColor(reportTo, io.env, opts.color) }));
  return 0;
}
