// `icp calibrate`: refit a model's points (and optionally its band cut-offs and tier thresholds) from outcomes,
// writing a copy of the rules file with only those numbers changed, each with its evidence in a comment.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import type { Model } from '../engine/model.js';
import { loadRules } from '../rules/index.js';
import type { RulesData } from '../rules/schema.js';
import { openOutputs } from '../io/output.js';
import { buildEvaluation, type EvaluationReport, type ScoredRows } from '../stats/evaluation.js';
import { fitPoints, MIN_CLASS, thresholdsForShares, type Fit, type FitCriterion } from '../stats/calibrate.js';
import { stratifiedSplit } from '../stats/split.js';
import { roundPoints } from '../stats/scaling.js';
import { renderCalibrate, type CalibrateReport } from '../report/calibrate.js';
import { SourceEdits, formatNumber } from './calibrate-yaml.js';
import { modelShape } from './evaluate-engine.js';
import { addOutcomeOptions, labelledRows, type OutcomeOptions } from './evaluate.js';
import { addInputOptions, type InputOptions } from './input.js';
import { choice, describeFsError, printDiagnostics, readRules, useColor, type Io } from './shared.js';

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
    .option('--prior <leads>', 'pseudo-leads per level at the base rate: shrinks small levels towards no effect', '20')
    .option('--rebin', 'propose new cut-offs for numeric bands (monotone binning)')
    .option('--max-bins <n>', 'with --rebin: most bands per criterion', '5')
    .option('--tier-shares <list>', 'tier thresholds for these shares of leads, best tier first, e.g. 10,30,40,20 (default: the shares the tiers have now)')
    .addOption(new Option('-f, --format <format>', 'format of the comparison printed').choices(['table', 'text', 'json']).default('table'))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Examples:
  icp calibrate leads.csv --rules icp.yaml --outcome Converted -o icp.calibrated.yaml
  icp calibrate leads.csv --rules icp.yaml --outcome Converted --train 0.7 --seed 42 --rebin -o icp.calibrated.yaml

Method (docs/calibration.md): weight of evidence per band / matched-or-not / unknown, shrunk towards the base rate,
a logistic regression on those, points = PDO / ln 2 × coefficient × WoE. Needs at least ${MIN_CLASS} positives and ${MIN_CLASS} negatives.`,
    );
  addInputOptions(cmd);
  cmd.action(async (input: string, opts: CalibrateOptions) => {
    setExit(await runCalibrate(input, opts, io));
  });
  return cmd;
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
    const valueCap = c.kind === 'per' && c.cap !== undefined && c.points > 0 ? c.cap / (c.points * c.weight) : undefined;
    return {
      ...shape.criteria[ci]!,
      scale: c.weight * mult,
      multiplier: mult,
      ...(valueCap !== undefined ? { valueCap, perRange: c.cap! * mult } : {}),
      rebinnable: c.kind === 'bands' && rebinnable(rules, ci),
    };
  });
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const sgn = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
function evidence(rows: number, positives: number, woe: number): string {
  return `n=${rows}, ${rows ? pct(positives / rows) : '–'} won, WoE ${sgn(woe)}`;
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
  model.criteria.forEach((c, ci) => {
    const f = fit.criteria[ci]!;
    const k = crit[ci]!;
    const path = ['criteria', ci];
    const round = roundPoints;
    const round2 = (x: number) => Number(formatNumber(x));
    const head = `IV ${f.iv.toFixed(3)}, coefficient ${f.beta.toFixed(3)}${f.dropped ? ' (left out: its evidence is carried by other criteria, so its points are 0)' : ''}`;
    edits.note(edits.node([...path, 'id'])!.range![0], head);
    let maxNew = 0;
    if (c.kind === 'points') {
      const m = f.levels[0]!;
      const none = f.levels[1]!;
      const pts = round(m.contribution / k.scale);
      maxNew = Math.max(0, pts * c.weight);
      edits.setNumber([...path, 'points'], pts, `matched ${evidence(m.rows, m.positives, m.woe)}; not matched ${evidence(none.rows, none.positives, none.woe)} (was ${formatNumber(c.points)})`);
    } else if (c.kind === 'bands') {
      if (f.bins) {
        const lines: string[] = [];
        const fmt = (x: number) => formatNumber(x);
        f.bins.forEach((b, bi) => {
          const lv = f.levels[bi]!;
          const pts = round(lv.contribution / k.scale);
          maxNew = Math.max(maxNew, pts * c.weight);
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
          edits.setNumber([...bp, 'points'], pts, `${c.bands[bi]!.label}: ${evidence(lv.rows, lv.positives, lv.woe)} (was ${formatNumber(c.bands[bi]!.points)})`);
        });
      }
    } else {
      const unit = round2(f.perUnit! / k.scale);
      edits.setNumber([...path, 'points_per'], unit, `known n=${f.levels[0]!.rows}; ${formatNumber(f.perUnit!)} points per unit (was ${formatNumber(c.points)})`);
      if (k.valueCap !== undefined && c.cap !== undefined) {
        const cap = round(k.valueCap * unit * c.weight);
        maxNew = cap;
        edits.setNumber([...path, 'cap'], cap, `the same ${formatNumber(k.valueCap)} units reach the cap (was ${formatNumber(c.cap)})`);
      }
    }
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
  const outputs = await openOutputs([{ role: '-o', target }], {
    stdout: io.stdout,
    stdoutFd: io.stdout === process.stdout ? 1 : undefined,
    stdinFd: io.stdin === process.stdin ? 0 : undefined,
    inputs,
  });
  try {
    const p = outputs.sinks[0]!.write(text);
    if (p) await p;
    await outputs.commit();
  } finally {
    await outputs.abort();
  }
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
  const tierShares = opts.tierShares === undefined ? undefined : parseShares(opts.tierShares, model.tiers.length);
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

  // Tiers: score the rows with the new points, then place thresholds at the target shares of the training rows.
  const interim = loadRules(edits.apply(), opts.output);
  if (!interim.model || !interim.rules) throw new Error(`calibrate produced an invalid rules file: ${interim.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  const mid = await labelledRows(input, interim.model, opts, io);
  const inTrain = (i: number) => !train || train[i] === 1;
  const shares = tierShares ?? model.tiers.map((_, t) => {
    let k = 0;
    let all = 0;
    for (let i = 0; i < rows.n; i++) {
      if (!inTrain(i) || rows.disqualified[i]) continue;
      all++;
      if (rows.tier[i] === t) k++;
    }
    return all ? k / all : 0;
  });
  const trainScores: number[] = [];
  for (let i = 0; i < mid.rows.n; i++) if (inTrain(i) && !mid.rows.disqualified[i]) trainScores.push(mid.rows.score[i]!);
  const cuts = trainScores.length && model.tiers.length > 1 ? thresholdsForShares(trainScores, shares) : [];
  cuts.forEach((cut, t) => {
    const n = trainScores.filter((s) => s >= cut && (t === 0 || s < cuts[t - 1]!)).length;
    edits.setNumber(['tiers', t, 'min'], cut, `${model.tiers[t]!.name}: ${pct(n / trainScores.length)} of the ${train ? 'training ' : ''}leads (target ${pct(shares[t]! / shares.reduce((a, b) => a + b, 0))}; was ${formatNumber(model.tiers[t]!.min)})`);
  });

  const odds0 = Math.exp(fit.intercept);
  edits.header([
    `points fitted from ${fit.trainRows} ${train ? `training rows (${Math.round(trainShare! * 100)}%, seed ${seed}) ` : 'rows '}of ${input === '-' ? '<stdin>' : input}, ${fit.trainPositives} positive.`,
    `Method: WoE per level (prior ${prior} leads at the base rate), logistic regression on the WoE, points = ${formatNumber(fit.factor)} × coefficient × WoE.`,
    `Every ${formatNumber(fit.pdo)} points double the odds of winning; 0 points ≈ ${pct(odds0 / (1 + odds0))} won (before caps and decay). See docs/calibration.md.`,
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
  // Caps that the new points run into on the training rows.
  model.groups.forEach((g) => {
    if (g.cap === undefined) return;
    const sum = final.model!.groups[g.index]!;
    if (sum.max > g.cap) report.notes.push(`group ${g.id}: the fitted points can reach ${formatNumber(sum.max)}, above its cap of ${formatNumber(g.cap)}; raise the cap if the cap should not bind`);
  });
  await writeText(opts.output, finalText, [{ role: 'input', path: input }, { role: '--rules', path: opts.rules }], io);
  const reportTo = opts.output === '-' ? io.stderr : io.stdout;
  reportTo.write(renderCalibrate(report, format, { color: useColor(reportTo, io.env, opts.color) }));
  return 0;
}
