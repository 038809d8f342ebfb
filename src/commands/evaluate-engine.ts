// The one adapter between evaluate/calibrate and the scoring engine: opens the export, scores every labelled row in
// a run session and keeps, per row, what the statistics need.
import type { BoundModel } from '../engine/bind.js';
import type { Evaluation } from '../engine/evaluate.js';
import type { CsvRow } from '../io/csv-types.js';
import { Session, type RecordSink } from '../run/session.js';
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

/** How rows are labelled: shared by icp evaluate, calibrate and report --outcome. */
export interface RowLabels {
  /** The label of a row from its fields and the header keys (1 / 0 / -1 excluded). */
  label: (fields: readonly string[]) => 1 | 0 | -1;
  /** Resolve header-dependent parts of `label` once the header is known. */
  onHeader?: (keys: readonly string[], idField: number) => void;
}

export interface ScoreRowsOptions extends InputOptions, RowLabels {
  /** Day number that recency is measured from, or a column (rules name or header) whose date is each row's own. */
  asOf: number | { column: string };
  /** Keep each criterion's numeric subject too (for re-binning). */
  values?: boolean;
}

/**
 * The evaluation arrays, a sink of the run session: per labelled row, what the statistics need. A row without a
 * label is counted as excluded, whether the sink sees it scored (`row`) or the session's selection left it out
 * (`skipped`: give `select` as the selection when this is the session's only sink, so such rows are not scored).
 */
export class LabelledRows implements RecordSink {
  private readonly c: number;
  private readonly tierIndex: Map<string, number>;
  private readonly cellIndex: Map<string, number>;
  private readonly subjectCol: number[];
  private cap = 1024;
  private n = 0;
  private label: Uint8Array;
  private score: Float64Array;
  private dq: Uint8Array;
  private tier: Int16Array;
  private cell: Int16Array;
  private level: Uint8Array;
  private decay: Float32Array;
  private points: Float64Array;
  private value: Float64Array;
  private excluded = 0;
  private noAsOf = 0;

  constructor(
    private readonly bound: BoundModel,
    private readonly labels: RowLabels,
    private readonly values = false,
  ) {
    const model = bound.model;
    const c = (this.c = model.criteria.length);
    this.tierIndex = new Map(modelShape(model).tiers.map((t, i) => [t, i]));
    this.cellIndex = new Map(modelShape(model).cells.map((t, i) => [t, i]));
    this.subjectCol = model.criteria.map((k) => (k.kind === 'bands' && k.columns.length === 1 ? k.columns[0]! : -1));
    const cap = this.cap;
    this.label = new Uint8Array(cap);
    this.score = new Float64Array(cap);
    this.dq = new Uint8Array(cap);
    this.tier = new Int16Array(cap);
    this.cell = new Int16Array(cap);
    this.level = new Uint8Array(cap * c);
    this.decay = new Float32Array(cap * c);
    this.points = new Float64Array(cap * c);
    this.value = values ? new Float64Array(cap * c) : new Float64Array(0);
  }

  /** The session's selection for this sink alone: only labelled rows are scored. */
  readonly select = (item: CsvRow): boolean => this.labels.label(item.fields) >= 0;

  skipped(): void {
    this.excluded++;
  }

  row(item: CsvRow, evaluations: readonly Evaluation[]): void {
    const y = this.labels.label(item.fields);
    if (y < 0) {
      this.excluded++;
      return;
    }
    const { bound, c } = this;
    const model = bound.model;
    const ev = evaluations[0]!;
    // --as-of-column: a row without its as-of date cannot be backtested honestly; it is counted, not used.
    if (bound.row.asOf !== bound.row.asOf) {
      this.noAsOf++;
      return;
    }
    if (this.n === this.cap) this.grow();
    const n = this.n;
    this.label[n] = y;
    this.score[n] = ev.scoreCents / 100;
    this.dq[n] = ev.disqualified ? 1 : 0;
    this.tier[n] = ev.disqualified ? this.tierIndex.size - 1 : this.tierIndex.get(ev.tier) ?? -1;
    this.cell[n] = ev.matrix === '' ? -1 : this.cellIndex.get(ev.matrix) ?? -1;
    const o = n * c;
    for (let i = 0; i < c; i++) {
      const crit = model.criteria[i]!;
      const out = ev.outcome[i]!;
      const nb = crit.kind === 'bands' ? crit.bands.length : 1;
      // Level codes as in modelShape: bands (or matched / known) first, then "not matched", then "unknown".
      this.level[o + i] = out === UNKNOWN ? (crit.kind === 'per' ? 1 : nb + 1) : crit.kind === 'bands' ? (ev.band[i]! >= 0 ? ev.band[i]! : nb) : crit.kind === 'points' ? (out === TRUE ? 0 : 1) : 0;
      this.decay[o + i] = ev.decay[i]!;
      this.points[o + i] = ev.contribution[i]! / 100;
      if (this.values) this.value[o + i] = crit.kind === 'per' ? crit.perSubject!.fn(bound.row) : this.subjectCol[i]! >= 0 ? bound.row.num(this.subjectCol[i]!) : NaN;
    }
    this.n++;
  }

  /** The rows kept, given the rows the run rejected. */
  result(rejected: number): ScoredRows {
    const { n, c } = this;
    return {
      n,
      criteria: c,
      label: this.label.subarray(0, n),
      score: this.score.subarray(0, n),
      disqualified: this.dq.subarray(0, n),
      tier: this.tier.subarray(0, n),
      cell: this.cell.subarray(0, n),
      level: this.level.subarray(0, n * c),
      decay: this.decay.subarray(0, n * c),
      points: this.points.subarray(0, n * c),
      value: this.values ? this.value.subarray(0, n * c) : undefined,
      excluded: this.excluded,
      excludedNoAsOf: this.noAsOf,
      rejected,
    };
  }

  private grow(): void {
    const cap = (this.cap *= 2);
    const c = this.c;
    const g = <T extends Uint8Array | Float64Array | Int16Array | Float32Array>(a: T, k: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * k);
      b.set(a);
      return b;
    };
    this.label = g(this.label, 1);
    this.score = g(this.score, 1);
    this.dq = g(this.dq, 1);
    this.tier = g(this.tier, 1);
    this.cell = g(this.cell, 1);
    this.level = g(this.level, c);
    this.decay = g(this.decay, c);
    this.points = g(this.points, c);
    if (this.values) this.value = g(this.value, c);
  }
}

/** The warning for rows left out of an evaluation because they could not be read. */
export function rejectedRowsWarning(rejected: number): string {
  return `${rejected} row${rejected === 1 ? '' : 's'} could not be read and ${rejected === 1 ? 'was' : 'were'} left out (list them with icp score --rejects <file>)`;
}

/** Score every labelled row of `path` with `model` in a run session of its own, keeping them. */
export async function scoreRows(path: string, model: Model, opts: ScoreRowsOptions, io: Io): Promise<ScoredRows & { warnings: string[] }> {
  const opened = await openModelInput(path, opts, model, opts.asOf, io);
  const bound = opened.bound;
  opts.onHeader?.(opened.header.keys, model.idColumn === null ? -1 : bound.fieldIndex[model.idColumn]!);
  const rows = new LabelledRows(bound, opts, opts.values);
  const session = new Session([bound], [rows], { select: rows.select });
  try {
    await session.run(opened.batches());
  } finally {
    opened.close();
  }
  const rejected = session.counts.rejected;
  const warnings = [...opened.warnings];
  if (rejected) warnings.push(rejectedRowsWarning(rejected));
  return { ...rows.result(rejected), warnings };
}
