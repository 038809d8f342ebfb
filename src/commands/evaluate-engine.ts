// The one adapter between evaluate/calibrate and the scoring engine: opens the export, scores every labelled row in
// a run session and keeps, per row, what the statistics need.
import type { Evaluation } from '../engine/evaluate.js';
import type { CsvRow } from '../io/csv-types.js';
import { Session } from '../run/session.js';
import { TRUE, UNKNOWN, type Model } from '../engine/model.js';
import type { InputOptions } from './input.js';
import { openModelInput } from './input.js';
import type { Io } from './shared.js';
import type { CriterionShape, LevelShape, ModelShape, ScoredRows } from '../stats/evaluation.js';

/** What a criterion's levels are, from the compiled model: bands, then "not matched", then "unknown". */
export function modelShape(model: Model): ModelShape {
  const criteria: CriterionShape[] = model.criteria.map((c) => {
    const unknownPoints = c.unknown.policy === 'zero' ? 0 : c.unknown.policy === 'neutral' ? c.unknown.share * c.maxPoints : c.unknown.points;
    const mult = model.groups[c.group]!.multiplier;
    const levels: LevelShape[] =
      c.kind === 'bands'
        ? [...c.bands.map((b) => ({ kind: 'band' as const, label: b.label, points: b.points * c.weight * mult })), { kind: 'none' as const, label: 'no band', points: 0 }]
        : c.kind === 'points'
          ? [{ kind: 'matched' as const, label: 'matched', points: c.points * c.weight * mult }, { kind: 'none' as const, label: 'not matched', points: 0 }]
          : [{ kind: 'value' as const, label: 'known', points: NaN }];
    levels.push({ kind: 'unknown' as const, label: 'unknown', points: unknownPoints * mult });
    return { id: c.id, label: c.label, group: model.groups[c.group]!.id, kind: c.kind, levels, decays: c.decay !== undefined };
  });
  return {
    name: model.name,
    criteria,
    tiers: [...model.tiers.map((t) => t.name), model.disqualifiedTier],
    tierLabels: [...model.tiers.map((t) => t.label ?? ''), 'disqualified'],
    cells: model.matrix
      ? [...model.matrix.rows.tiers.flatMap((r) => model.matrix!.columns.tiers.map((c) => `${r.name}${c.name}`)), model.disqualifiedTier]
      : [],
  };
}

export interface ScoreRowsOptions extends InputOptions {
  /** Day number that recency is measured from, or a column (rules name or header) whose date is each row's own. */
  asOf: number | { column: string };
  /** The label of a row from its fields and the header keys (1 / 0 / -1 excluded). */
  label: (fields: readonly string[]) => 1 | 0 | -1;
  /** Resolve header-dependent parts of `label` once the header is known. */
  onHeader?: (keys: readonly string[], idField: number) => void;
  /** Keep each criterion's numeric subject too (for re-binning). */
  values?: boolean;
}

/** Score every readable row of `path` with `model`, keeping labelled rows. */
export async function scoreRows(path: string, model: Model, opts: ScoreRowsOptions, io: Io): Promise<ScoredRows & { warnings: string[] }> {
  const opened = await openModelInput(path, opts, model, opts.asOf, io);
  const keys = opened.header.keys;
  const bound = opened.bound;
  opts.onHeader?.(keys, model.idColumn === null ? -1 : bound.fieldIndex[model.idColumn]!);
  const c = model.criteria.length;
  const tierIndex = new Map(modelShape(model).tiers.map((t, i) => [t, i]));
  const cellIndex = new Map(modelShape(model).cells.map((t, i) => [t, i]));
  let cap = 1024;
  let n = 0;
  let label = new Uint8Array(cap);
  let score = new Float64Array(cap);
  let dq = new Uint8Array(cap);
  let tier = new Int16Array(cap);
  let cell = new Int16Array(cap);
  let level = new Uint8Array(cap * c);
  let decay = new Float32Array(cap * c);
  let points = new Float64Array(cap * c);
  let value = opts.values ? new Float64Array(cap * c) : new Float64Array(0);
  const grow = () => {
    cap *= 2;
    const g = <T extends Uint8Array | Float64Array | Int16Array | Float32Array>(a: T, k: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * k);
      b.set(a);
      return b;
    };
    label = g(label, 1);
    score = g(score, 1);
    dq = g(dq, 1);
    tier = g(tier, 1);
    cell = g(cell, 1);
    level = g(level, c);
    decay = g(decay, c);
    points = g(points, c);
    if (opts.values) value = g(value, c);
  };
  let excluded = 0;
  let noAsOf = 0;
  const subjectCol = model.criteria.map((k) => (k.kind === 'bands' && k.columns.length === 1 ? k.columns[0]! : -1));
  /** The label of the record being read (set by the selection, read by the sink). */
  let y = 0;
  // The run session evaluates the rows with a label and keeps them.
  const select = (item: CsvRow): boolean => {
    const yy = opts.label(item.fields);
    if (yy < 0) {
      excluded++;
      return false;
    }
    y = yy;
    return true;
  };
  const keep = (_item: CsvRow, evaluations: readonly Evaluation[]): void => {
    const ev = evaluations[0]!;
    // --as-of-column: a row without its as-of date cannot be backtested honestly; it is counted, not used.
    if (bound.row.asOf !== bound.row.asOf) {
      noAsOf++;
      return;
    }
    if (n === cap) grow();
    label[n] = y;
    score[n] = ev.scoreCents / 100;
    dq[n] = ev.disqualified ? 1 : 0;
    tier[n] = ev.disqualified ? tierIndex.size - 1 : tierIndex.get(ev.tier) ?? -1;
    cell[n] = ev.matrix === '' ? -1 : cellIndex.get(ev.matrix) ?? -1;
    const o = n * c;
    for (let i = 0; i < c; i++) {
      const crit = model.criteria[i]!;
      const out = ev.outcome[i]!;
      const nb = crit.kind === 'bands' ? crit.bands.length : 1;
      // Level codes as in modelShape: bands (or matched / known) first, then "not matched", then "unknown".
      level[o + i] = out === UNKNOWN ? (crit.kind === 'per' ? 1 : nb + 1) : crit.kind === 'bands' ? (ev.band[i]! >= 0 ? ev.band[i]! : nb) : crit.kind === 'points' ? (out === TRUE ? 0 : 1) : 0;
      decay[o + i] = ev.decay[i]!;
      points[o + i] = ev.contribution[i]! / 100;
      if (opts.values) value[o + i] = crit.kind === 'per' ? crit.perSubject!.fn(bound.row) : subjectCol[i]! >= 0 ? bound.row.num(subjectCol[i]!) : NaN;
    }
    n++;
  };
  const session = new Session([bound], [{ row: keep }], { select });
  try {
    await session.run(opened.batches());
  } finally {
    opened.close();
  }
  const rejected = session.counts.rejected;
  const warnings = [...opened.warnings];
  if (rejected) warnings.push(`${rejected} row${rejected === 1 ? '' : 's'} could not be read and ${rejected === 1 ? 'was' : 'were'} left out (list them with icp score --rejects <file>)`);
  return {
    n,
    criteria: c,
    label: label.subarray(0, n),
    score: score.subarray(0, n),
    disqualified: dq.subarray(0, n),
    tier: tier.subarray(0, n),
    cell: cell.subarray(0, n),
    level: level.subarray(0, n * c),
    decay: decay.subarray(0, n * c),
    points: points.subarray(0, n * c),
    value: opts.values ? value.subarray(0, n * c) : undefined,
    excluded,
    excludedNoAsOf: noAsOf,
    rejected,
    warnings,
  };
}
