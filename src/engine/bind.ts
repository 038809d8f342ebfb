// Bind a lowered model to one input: its read settings (fields, decimal modes, date orders), the per-cell memo
// plan and the reusable Row. Nothing of the model or its Plan is changed.
import { bindHeader, type BindIssue } from '../plan/bind.js';
import { readSettings, type ReadOptions } from '../plan/read-settings.js';
import type { AsOfSource, ReadSettings } from '../plan/types.js';
import { memoPlan, type BoundMemos } from './memo-plan.js';
import type { Model } from './model.js';
import { RowState } from './row.js';

/** A model bound to one input: ready to evaluate records of that input. */
export interface BoundModel {
  model: Model;
  /** How this input is read. */
  settings: ReadSettings;
  /** Header key used for each column ref, or undefined when absent. */
  headers: (string | undefined)[];
  fieldIndex: Int32Array;
  row: RowState;
  /** Where each row's as-of day comes from (the row's own: `row.asOf` once loaded). */
  asOf: AsOfSource;
  /** Per-cell memos of the criteria and disqualifiers that read one column present in this input. */
  memos: BoundMemos;
}

/**
 * Bind `model` to an input read with `settings` (from readSettings / settleFromSample), as of one day (a number,
 * or `{ day }`) or of each row's date in a column (`{ column }`, from asOfColumn).
 */
export function bindSettings(model: Model, settings: ReadSettings, asOf: number | AsOfSource, options: { memo?: boolean } = {}): BoundModel {
  const source: AsOfSource = typeof asOf === 'number' ? { day: asOf } : asOf;
  const fieldIndex = Int32Array.from(settings.columns, (c) => c.field);
  const headers = settings.columns.map((c) => c.header ?? undefined);
  // Memoisation (memo.ts) is on unless turned off: results are the same either way (tests compare both).
  const memo = options.memo ?? true;
  const memos = memoPlan(model, memo ? fieldIndex : fieldIndex.map(() => -1), 'column' in source);
  const row = new RowState(model.columns, fieldIndex, settings.columns, model.placeholders, source, memo ? memos : undefined);
  return { model, settings, headers, fieldIndex, row, asOf: source, memos };
}

/**
 * Bind `model` to a header with the rules' read settings (and `options` where they do not say), without a
 * sample: for tests and in-memory records. Errors (missing or ambiguous columns) leave `bound` undefined.
 */
export function bindModel(
  model: Model,
  header: readonly string[],
  asOf: number | AsOfSource,
  options: { memo?: boolean } & ReadOptions = {},
): { bound?: BoundModel; issues: BindIssue[] } {
  const binding = bindHeader(model.plan, header);
  if (!binding.ok) return { issues: binding.issues };
  const settings = readSettings(model.plan, binding, { delimiter: ',', encoding: 'utf8' }, options);
  return { bound: bindSettings(model, settings, asOf, options), issues: binding.issues };
}
