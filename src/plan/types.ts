// The Plan: what a rules file means, as plain JSON-safe data. Every engine (the JavaScript evaluator, the SQL
// lowerings) reads only this. Stable: fields are only ever added (announced in commit messages), never renamed.
//
// Conventions of the whole file:
// - Plain data only: arrays, objects, strings, finite numbers, booleans and null. No functions, Maps, Sets,
//   undefined fields, NaN or ±Infinity: an unbounded value is null. `JSON.parse(JSON.stringify(plan))` is equal.
// - Indices: every list element carries its own `index` (its position in the list), and references between
//   parts are such indices (a criterion's `group`, a leaf's `column` …).
// - `path` is the rules-file path of the part (as the loader resolves it to file:line:col for messages), e.g.
//   ['criteria', 3, 'bands', 'ideal'].
// - Points are in rules units (a criterion's `points: 15` is 15). Engines compute in integer cents (hundredths),
//   rounded with `toCents` (src/ops/round.ts: half away from zero) at exactly the steps documented on
//   PlanCriterion and PlanGroup, so every engine gives the same cents.
//
// How a value reads (every engine must read cells the same way; the JS definitions are in src/values/):
// - A cell is trimmed (JS String.prototype.trim: Unicode white space and line terminators). It is *missing* when
//   the column is absent from the input, or when the trimmed cell, lower-cased, is one of `Plan.placeholders`.
// - text: `normalizeText` (trim, lower-case, inner white-space runs → one space, NFC), then the column's
//   synonyms (variant → canonical, exact match on the normalised text).
// - multi-value: when the trimmed cell contains one of the column's separators, it is split on every separator,
//   each part normalised (empties dropped) and synonym-mapped; otherwise its values are just [text].
// - number: `parseNumber(cell, decimal)`, date: `parseDate(cell, dateOrder)` → whole days since 1970-01-01,
//   bool: `parseBool(cell)`; decimal and date order come from the read settings (ReadSettings), not the Plan.

/** The version of this data shape; bumped only by an incompatible change (none so far). */
export const PLAN_VERSION = 1;

/** A rules-file path: keys and list indices from the document root. */
export type PlanPath = (string | number)[];

/** Day/month order of dates such as 03/04/2020 ('auto': decided per input from a sample, see ReadSettings). */
export type PlanDateOrder = 'auto' | 'MDY' | 'DMY' | 'YMD';

/** Decimal separator of numbers ('auto': English unless the value itself says otherwise). */
export type PlanDecimal = 'auto' | 'dot' | 'comma';

/**
 * The kinds a column is read as, for coverage: a present value is *usable* when it reads as every kind the
 * rules read the column as (text always reads; number/date/bool must parse). Always listed in this order.
 */
export type ColumnKind = 'text' | 'number' | 'date' | 'bool';

/** Order of ColumnKind values in `PlanColumn.kinds`. */
export const COLUMN_KINDS: readonly ColumnKind[] = ['text', 'number', 'date', 'bool'];

/**
 * What a condition leaf reads of its subject; it is UNKNOWN exactly when the value is missing or does not read
 * as this kind (never per operator):
 * - 'text': the trimmed cell as in the file (contains, matches); unknown when missing.
 * - 'multi': the normalised, synonym-mapped text and, for a multi-value cell, each of its values (in, not_in);
 *   unknown when missing.
 * - 'number': the parsed number (or the derived value); unknown when missing or unparseable (or NaN derived).
 * - 'date': the parsed date in whole days; unknown when missing or unparseable.
 * - 'bool': the parsed boolean; unknown when missing or not boolean-ish.
 * - 'presence': only whether the value is missing; never unknown.
 */
export type ReadKind = 'text' | 'multi' | 'number' | 'date' | 'bool' | 'presence';

/** A logical column the rules read or declare. */
export interface PlanColumn {
  index: number;
  /** Logical name as written in the rules (a declared column, or a header name used directly). */
  name: string;
  /**
   * Header names to look for, in order (the first found wins). Binding (src/plan/bind.ts) tries each alias
   * exactly, then by `headerKey` (lower-cased, letters and digits only); several loose matches are an error.
   */
  aliases: string[];
  /** A required column absent from the input is an error; an optional one a warning, every value unknown. */
  required: boolean;
  /** True when a criterion, disqualifier, decay or the id reads it; declared-only columns are not bound. */
  used: boolean;
  /** Separators of multi-value cells (default [';']), in the order the rules give them. */
  separators: string[];
  /**
   * Synonyms as [variant, canonical] pairs, both normalised (`normalizeText`), sorted by variant (code-unit
   * order), one pair per variant (a later rule entry wins, as in the rules file's order).
   */
  synonyms: [string, string][];
  /** The kinds the rules read this column as (ColumnKind order), for coverage; [] when only presence is read. */
  kinds: ColumnKind[];
  /** Decimal mode as the rules say (column, else rules-wide; 'auto' when neither says). */
  decimal: PlanDecimal;
  /** Date order as the rules say (column, else rules-wide; 'auto' when neither says). */
  dateOrder: PlanDateOrder;
  path: PlanPath;
}

/**
 * A derived number computed from columns. NaN (unknown) when an argument is unknown; for ratio also when the
 * denominator is 0.
 * - ratio [a, b]: number(a) / number(b).
 * - difference [a, b]: number(a) − number(b).
 * - days_between [a, b]: date(b) − date(a), in days.
 * - days_since [a]: as-of day − date(a).
 * - count [a]: how many values the multi-value cell holds (unknown when missing).
 */
export interface PlanDerived {
  index: number;
  fn: 'ratio' | 'difference' | 'days_between' | 'days_since' | 'count';
  /** Column indices, in the function's argument order. */
  args: number[];
  /** Human text, e.g. 'arr / employees', 'days since last_activity'. */
  text: string;
  path: PlanPath;
}

/** What an operator is applied to: a column, or a derived number (Plan.derived). */
export type PlanSubject = { type: 'column'; column: number } | { type: 'derived'; derived: number };

/**
 * The canonical operators. The rules' `equals` becomes `in` (text: one value), `num_in` (number) or `is`
 * (boolean); `missing: x` becomes `present: !x`; a numeric `in` / `not_in` list becomes `num_in` / `num_not_in`.
 */
export type PlanOp =
  | 'in'
  | 'not_in'
  | 'num_in'
  | 'num_not_in'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'between'
  | 'contains'
  | 'matches'
  | 'present'
  | 'is'
  | 'within_days'
  | 'older_than_days';

/** The canonicalised argument of each canonical operator. */
export interface PlanArgs {
  /** TRUE when the text, or any value of a multi-value cell, is one of `values`. */
  in: { values: string[] };
  /** TRUE when neither the text nor any value of a multi-value cell is one of `values`. */
  not_in: { values: string[] };
  /** TRUE when the number equals one of `numbers`. */
  num_in: { numbers: number[] };
  /** TRUE when the number equals none of `numbers`. */
  num_not_in: { numbers: number[] };
  /** x > number. */
  gt: { number: number };
  /** x ≥ number. */
  gte: { number: number };
  /** x < number. */
  lt: { number: number };
  /** x ≤ number. */
  lte: { number: number };
  /** min ≤ x < max (half open, so adjacent bands do not overlap); min < max. */
  between: { min: number; max: number };
  /**
   * TRUE when the trimmed cell contains any needle as a substring. Unless `caseSensitive`, the needles are
   * already lower-cased (String.prototype.toLowerCase) and the cell is lower-cased the same way before the test.
   */
  contains: { needles: string[]; caseSensitive: boolean };
  /**
   * TRUE when the RE2 pattern matches anywhere in the trimmed cell (unanchored search; `caseSensitive: false`
   * is RE2's (?i)). The pattern is as written in the rules and known to compile under RE2.
   */
  matches: { pattern: string; caseSensitive: boolean };
  /** TRUE when the value is present (not missing) and `present` is true, or missing and it is false. */
  present: { present: boolean };
  /** TRUE when the boolean reads as `value`. */
  is: { value: boolean };
  /** age = as-of day − date; TRUE when age ≤ days (future dates included). */
  within_days: { days: number };
  /** age = as-of day − date; TRUE when age > days. */
  older_than_days: { days: number };
}

/** One operator on one subject. */
export type PlanLeaf = {
  [O in PlanOp]: {
    type: 'leaf';
    op: O;
    /** What the leaf reads (see ReadKind): its value is unknown exactly when the value does not read so. */
    reads: ReadKind;
    subject: PlanSubject;
    arg: PlanArgs[O];
    /** Human description, e.g. 'employees from 50 to under 1,000'. */
    text: string;
    /** Columns read (derived values expanded), distinct, in order. */
    columns: number[];
    path: PlanPath;
  };
}[PlanOp];

/** Kleene three-valued combinations: all (FALSE beats UNKNOWN beats TRUE), any (TRUE beats UNKNOWN), not. */
export type PlanCondition =
  | PlanLeaf
  | { type: 'all' | 'any'; of: PlanCondition[]; text: string; columns: number[]; path: PlanPath }
  | { type: 'not'; of: [PlanCondition]; text: string; columns: number[]; path: PlanPath };

/** A band of a criterion: when its condition holds (first band in order wins), `points` before weight. */
export interface PlanBand {
  index: number;
  /** The band's label ('ideal', 'acceptable', 'avoid', or 'band N' in a list without labels). */
  label: string;
  points: number;
  condition: PlanCondition;
  path: PlanPath;
}

/** What a criterion scores when its outcome is unknown (the group's, then the rules' default, else zero). */
export type PlanUnknownPolicy =
  | { policy: 'zero' }
  | { policy: 'neutral'; share: number }
  | { policy: 'penalty'; points: number };

/** Recency decay: points × 0.5^(days / halfLifeDays), days = max(0, as-of day − date(column)). */
export interface PlanDecay {
  /** The date column. */
  column: number;
  halfLifeDays: number;
}

/**
 * A scoring criterion. Per row (all engines):
 * 1. Match. points: outcome = the condition; base = points when TRUE, else 0. bands: the first band whose
 *    condition is TRUE gives outcome TRUE and base = its points; none TRUE → UNKNOWN when any band was UNKNOWN,
 *    else FALSE with base 0. per: x = the subject's number; unknown → UNKNOWN; else TRUE with base = x × points.
 * 2. Decay (only when outcome TRUE, base ≠ 0 and `decay`): the decay date unknown → outcome UNKNOWN; else
 *    factor = decayFactor(days, halfLifeDays) (src/ops/decay.ts), otherwise 1.
 * 3. Points: UNKNOWN → pts = `unknownPoints` (no weight, decay, cap or floor); else pts = base × weight × factor,
 *    then min(pts, cap), then max(pts, floor); `capped` when either changed it. per with |base| beyond perBound
 *    (src/ops/points.ts): pts = beyondPoints (the cap or floor), or UNKNOWN when neither bounds that side.
 * 4. Cents: points = toCents(pts); contribution = toCents(points / 100 × group multiplier).
 */
export interface PlanCriterion {
  index: number;
  id: string;
  /** Human label used in reasons (default: the id). */
  label: string;
  /** Index of its group in Plan.groups. */
  group: number;
  kind: 'points' | 'bands' | 'per';
  /** points: the condition; null for bands and per. */
  condition: PlanCondition | null;
  /** points: the points when TRUE; per: the points per unit; bands: 0. */
  points: number;
  /** bands: the bands in order; [] otherwise. */
  bands: PlanBand[];
  /** per: the numeric subject and its text; null otherwise. */
  per: { subject: PlanSubject; text: string } | null;
  /** Columns the criterion's conditions or subject read (decay's date not included), distinct, in order. */
  columns: number[];
  weight: number;
  /** Most points (after weight), null for none. */
  cap: number | null;
  /** Fewest points (after weight), null for none. */
  floor: number | null;
  /** Decay (the criterion's, else its group's unless the criterion says decay: false), null for none. */
  decay: PlanDecay | null;
  unknown: PlanUnknownPolicy;
  /** pts when the outcome is unknown: 0, share × maxPoints, or the penalty points. */
  unknownPoints: number;
  /** Largest points reachable (after weight, cap, floor, unknown policy; includes 0); null = unbounded. */
  maxPoints: number | null;
  /** Smallest points reachable (likewise; includes 0); null = unbounded below. */
  minPoints: number | null;
  path: PlanPath;
}

/**
 * A score group. Per row, in cents: raw = Σ its criteria's points; sub = raw, then toCents(cap) when
 * raw > cap × 100, then toCents(floor) when sub < floor × 100; adjust = sub − raw; adjustContribution = adjust
 * = 0 ? 0 : toCents(adjust / 100 × multiplier); contribution = Σ its criteria's contributions + adjustContribution.
 */
export interface PlanGroup {
  index: number;
  id: string;
  label: string;
  weight: number;
  /** Most points of the subtotal (before the multiplier), null for none. */
  cap: number | null;
  /** Fewest points of the subtotal, null for none. */
  floor: number | null;
  /**
   * Group points → total points: `weight` for the sum method; for weighted_average (weight / Σ weights of
   * groups with criteria) × (100 / max) — 0 for a group without criteria.
   */
  multiplier: number;
  /**
   * Largest subtotal reachable, used as 100 % by weighted_average: Σ max(0, criterion maxPoints), then the cap,
   * then the floor (as evaluation applies them); null = unbounded.
   */
  max: number | null;
  /** Smallest subtotal reachable: Σ min(0, criterion minPoints), then the cap, then the floor; null = unbounded. */
  min: number | null;
  /** Indices of its criteria, in rules order. */
  criteria: number[];
  path: PlanPath;
}

/** A disqualifier: a lead whose condition is TRUE is disqualified (UNKNOWN does not disqualify). */
export interface PlanDisqualifier {
  index: number;
  id: string;
  /** Shown to sales; reasons of the disqualifiers that fired are joined with '; ' in order. */
  reason: string;
  condition: PlanCondition;
  path: PlanPath;
}

/**
 * A tier threshold. A value (in cents) takes the first tier (best first) with value ≥ min × 100, else the last
 * tier.
 */
export interface PlanTier {
  name: string;
  label: string | null;
  /** Lowest score for this tier; null for the last tier (everything else). */
  min: number | null;
  path: PlanPath;
}

/** A tier matrix: row tier of one group's subtotal × column tier of another's → e.g. "A1" (names joined). */
export interface PlanMatrix {
  rows: { group: number; tiers: PlanTier[] };
  columns: { group: number; tiers: PlanTier[] };
}

/** The reachable range of the total score (after weights, caps and floors); null = unbounded. */
export interface PlanRange {
  min: number | null;
  max: number | null;
}

/**
 * A compiled rules file. Not in it, because they belong to a run: the as-of day (`--as-of`, the day every
 * date operator, days_since and decay measure from) and the read settings of each input (ReadSettings).
 */
export interface Plan {
  /** PLAN_VERSION. */
  version: number;
  /** The rules' name, null when absent. */
  name: string | null;
  /** Index of the lead id column; null: the id is the record's line number in the input. */
  idColumn: number | null;
  columns: PlanColumn[];
  /** Derived numbers the conditions read, each defined once (identical definitions share one). */
  derived: PlanDerived[];
  /** Cell values meaning "no value": trimmed, lower-cased (toLowerCase), distinct, sorted (code-unit order). */
  placeholders: string[];
  groups: PlanGroup[];
  criteria: PlanCriterion[];
  disqualifiers: PlanDisqualifier[];
  /** sum: Σ group contributions. weighted_average: the same sum, with the multipliers of PlanGroup. */
  total: { method: 'sum' | 'weighted_average'; range: PlanRange };
  /** Tiers best first ([] when only a matrix is used). */
  tiers: PlanTier[];
  matrix: PlanMatrix | null;
  /** Tier (and matrix cell) written for disqualified leads. */
  disqualifiedTier: string;
  /** How many top reasons to write. */
  reasons: number;
}

/** How one input reads one Plan column: produced by reading the input, never written into the Plan. */
export interface ColumnReadSettings {
  /** Field index of the column in the input's records, -1 when absent (or the column is not used). */
  field: number;
  /** The header the column was found under, null when absent. */
  header: string | null;
  /** Decimal mode for this input: the rules', else --decimal, else 'auto'. */
  decimal: PlanDecimal;
  /** Date order for this input: the rules', else --date-order, else detected from the sample, else 'auto'. */
  dateOrder: PlanDateOrder;
}

/**
 * Where a row's as-of day (what recency, days_since and decay measure from) comes from: one day for every row,
 * or each row's own date in a column of the input (--as-of-column). Plain data: sent to worker threads as is.
 */
export type AsOfSource = { day: number } | { column: AsOfColumn };

/** A column of one input holding each row's as-of date (resolved against its header, see asOfColumn). */
export interface AsOfColumn {
  /** The name given (--as-of-column), for messages. */
  name: string;
  /** The Plan column it names (read as the rules read that column), or -1: a header the rules do not use. */
  column: number;
  /** Its field in the input's records, and the header it was found under. */
  field: number;
  header: string;
  /** How its dates are read: the Plan column's order, else --date-order, else detected from the sample, else 'auto'. */
  dateOrder: PlanDateOrder;
}

/** What reading one input decided, per Plan column (same indices as Plan.columns). */
export interface ReadSettings {
  /** Field delimiter of the input. */
  delimiter: string;
  /** Text encoding of the input. */
  encoding: 'utf8' | 'utf16le' | 'utf16be' | 'windows-1252' | 'latin1';
  columns: ColumnReadSettings[];
}
