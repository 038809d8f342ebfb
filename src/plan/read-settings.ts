// Read settings: what reading one input decides (delimiter, encoding, header binding, decimal mode and date order
// per column), kept apart from the Plan so that a second input read with the same Plan starts afresh. Pure.
import { findHeader, type HeaderBinding } from './bind.js';
import { detectDateOrders, detectFieldDateOrder, detectNumberAmbiguity, type DetectIssue, type SampleRow } from './detect.js';
import type { AsOfColumn, Plan, PlanDateOrder, PlanDecimal, ReadSettings } from './types.js';

/** Command-line settings that apply where the rules do not say (--decimal, --date-order). */
export interface ReadOptions {
  decimal?: PlanDecimal;
  dateOrder?: PlanDateOrder;
}

/**
 * The read settings of an input before its sample is seen: the binding's fields, and per column the rules'
 * decimal mode and date order, else the options', else 'auto'.
 */
export function readSettings(
  plan: Plan,
  binding: Pick<HeaderBinding, 'columns'>,
  format: Pick<ReadSettings, 'delimiter' | 'encoding'>,
  options: ReadOptions = {},
): ReadSettings {
  return {
    delimiter: format.delimiter,
    encoding: format.encoding,
    columns: plan.columns.map((c, i) => ({
      field: binding.columns[i]!.field,
      header: binding.columns[i]!.header,
      decimal: c.decimal !== 'auto' ? c.decimal : (options.decimal ?? 'auto'),
      dateOrder: c.dateOrder !== 'auto' ? c.dateOrder : (options.dateOrder ?? 'auto'),
    })),
  };
}

/**
 * Settle what a sample tells: the date order of each date column still 'auto' (month-first or day-first values
 * seen), and warnings about ambiguous dates and numbers. Returns new settings; `settings` is not changed.
 * Errors (a column mixing both orders) are in `issues` with severity 'error'.
 */
export function settleFromSample(plan: Plan, settings: ReadSettings, sample: readonly SampleRow[]): { settings: ReadSettings; issues: DetectIssue[] } {
  const { orders, issues } = detectDateOrders(plan, settings, sample);
  const settled: ReadSettings = {
    ...settings,
    columns: settings.columns.map((c, i) => {
      const order = orders.get(i);
      return order ? { ...c, dateOrder: order } : c;
    }),
  };
  return { settings: settled, issues: [...issues, ...detectNumberAmbiguity(plan, settled, sample)] };
}

/**
 * Find the as-of column `name` (--as-of-column) in an input read with `settings` (settled from the sample): a Plan
 * column of that name that the input has, read as the rules read it; else a header found as findHeader finds it,
 * by the aliases of a Plan column of that name that no rule uses (so not bound), then by the name itself.
 * Its date order: the Plan column's when the rules read it as a date (settled already), else the rules' or
 * --date-order, else detected from the sample as for a date column. `column` is undefined when there is
 * no such column; `issues` are the detection's (an error for a column mixing both orders).
 */
export function asOfColumn(
  plan: Plan,
  settings: ReadSettings,
  keys: readonly string[],
  name: string,
  sample: readonly SampleRow[],
  options: ReadOptions = {},
): { column?: AsOfColumn; issues: DetectIssue[] } {
  const named = plan.columns.find((c) => c.name === name);
  let column: AsOfColumn;
  if (named && settings.columns[named.index]!.field >= 0) {
    const read = settings.columns[named.index]!;
    column = { name, column: named.index, field: read.field, header: read.header ?? keys[read.field]!, dateOrder: read.dateOrder };
    if (named.kinds.includes('date')) return { column, issues: [] };
  } else {
    const field = [...(named?.aliases ?? []), name].map((a) => findHeader(keys, a)).find((f) => f >= 0);
    if (field === undefined) return { issues: [] };
    const order = named && named.dateOrder !== 'auto' ? named.dateOrder : (options.dateOrder ?? 'auto');
    column = { name, column: -1, field, header: keys[field]!, dateOrder: order };
  }
  if (column.dateOrder !== 'auto') return { column, issues: [] };
  const found = detectFieldDateOrder(column.header, column.field, sample, {
    mixed: 'give --date-order MDY or DMY, or fix the export',
    either: 'give --date-order DMY (or MDY)',
  });
  return { column: found.order ? { ...column, dateOrder: found.order } : column, issues: found.issue ? [found.issue] : [] };
}
