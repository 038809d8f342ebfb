// The JavaScript lowering of a Plan: closures the evaluator runs. Made by engine/lower.ts from the Plan (plain
// data, src/plan/types.ts), bound to one input by engine/bind.ts. Nothing here is computed: it is the Plan's.
import type { ColumnKind, Plan } from '../plan/types.js';
import type { Truth } from '../ops/truth.js';

export { FALSE, TRUE, UNKNOWN, type Truth } from '../ops/truth.js';

/** The kinds of value a column is read as; coverage counts a value as usable when it parses as every kind used. */
export type ValueKind = ColumnKind;

/** A logical column the rules use. */
export interface ColumnRef {
  /** Index in Model.columns. */
  index: number;
  /** Logical name as written in the rules. */
  name: string;
  /** Header names to look for, in order. */
  aliases: string[];
  required: boolean;
  separators: string[];
  /** Normalised variant → normalised canonical value. */
  synonyms: Map<string, string>;
  kinds: Set<ValueKind>;
  /** True when a criterion, disqualifier, decay or the id refers to it (declared-only columns are not looked up). */
  used: boolean;
  /** Rules path where it was declared or first used, for diagnostics. */
  path: (string | number)[];
}

/** Per-row access to cell values with per-row caching; implemented by engine/row.ts. */
export interface Row {
  /** Trimmed raw cell, or undefined when the column is absent from the file. */
  raw(col: number): string | undefined;
  /** True when the cell is empty or a placeholder (or the column is absent). */
  isMissing(col: number): boolean;
  /** Number, NaN when missing or unparseable. */
  num(col: number): number;
  /** Whole days since epoch, NaN when missing or unparseable. */
  day(col: number): number;
  /** 1 true, 0 false, -1 missing or unparseable. */
  bool(col: number): number;
  /** Normalised text with synonyms applied, '' when missing. */
  text(col: number): string;
  /** Normalised values of a multi-value cell with synonyms applied. */
  values(col: number): string[];
  /** Whether the cell holds one of the column's separators (false: values() is just [text()]). */
  multi(col: number): boolean;
  /** The row's as-of day (--as-of, or its own date with --as-of-column) in whole days since epoch; NaN: unknown. */
  readonly asOf: number;
}

/** A compiled condition: evaluates to TRUE, FALSE or UNKNOWN. */
export type CondFn = (row: Row) => Truth;
/** A compiled numeric subject: NaN when unknown. */
export type NumFn = (row: Row) => number;

export interface CompiledCondition {
  fn: CondFn;
  /** Human description, e.g. 'employees between 50 and 1000'. */
  text: string;
  /** Columns read, in order (indices into Model.columns). */
  columns: number[];
}

export interface Band {
  label: string;
  points: number;
  cond: CompiledCondition;
}

export type UnknownPolicy =
  | { policy: 'zero' }
  | { policy: 'neutral'; share: number }
  | { policy: 'penalty'; points: number };

export interface Decay {
  column: number;
  halfLifeDays: number;
}

export interface CriterionModel {
  index: number;
  id: string;
  label: string;
  group: number;
  kind: 'points' | 'bands' | 'per';
  /** points: the condition; per: absent. */
  cond?: CompiledCondition;
  points: number;
  bands: Band[];
  /** per: the numeric subject and its description. */
  perSubject?: { fn: NumFn; text: string; columns: number[] };
  /** Columns this criterion reads (for explanations). */
  columns: number[];
  weight: number;
  cap?: number;
  floor?: number;
  decay?: Decay;
  unknown: UnknownPolicy;
  /** Points when the outcome is unknown (see PlanCriterion.unknownPoints). */
  unknownPoints: number;
  /** per: the largest |base| scored as computed (perBound, src/ops/points.ts); Infinity for the other kinds. */
  perBound: number;
  /** Largest points this criterion can give (after weight and cap), for neutral shares and maxima. */
  maxPoints: number;
  /** Smallest points (most negative) this criterion can give. */
  minPoints: number;
  path: (string | number)[];
}

export interface GroupModel {
  index: number;
  id: string;
  label: string;
  weight: number;
  cap?: number;
  floor?: number;
  /** Largest subtotal the group can reach (Infinity: unbounded). */
  max: number;
  /** Smallest subtotal the group can reach (-Infinity: unbounded). */
  min: number;
  /** Multiplier from group points to total points (weight, or the weighted-average factor). */
  multiplier: number;
  criteria: number[];
}

export interface DisqualifierModel {
  index: number;
  id: string;
  reason: string;
  cond: CompiledCondition;
}

export interface Threshold {
  name: string;
  label?: string;
  /** Lowest score for this tier; -Infinity for the last one. */
  min: number;
}

export interface MatrixModel {
  rows: { group: number; tiers: Threshold[] };
  columns: { group: number; tiers: Threshold[] };
}

/** A lowered, header-independent model. */
export interface Model {
  /** The Plan it was lowered from. */
  plan: Plan;
  name?: string;
  /** The id column, or null when the lead id is the record's line number (`id: { line_number: true }`). */
  idColumn: number | null;
  columns: ColumnRef[];
  placeholders: string[];
  groups: GroupModel[];
  criteria: CriterionModel[];
  disqualifiers: DisqualifierModel[];
  totalMethod: 'sum' | 'weighted_average';
  tiers: Threshold[];
  matrix?: MatrixModel;
  disqualifiedTier: string;
  reasons: number;
}
