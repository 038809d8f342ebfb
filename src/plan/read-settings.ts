// Read settings: what reading one input decides (delimiter, encoding, header binding, decimal mode and date order
// per column), kept apart from the Plan so that a second input read with the same Plan starts afresh. Pure.
import type { HeaderBinding } from './bind.js';
import { detectDateOrders, detectNumberAmbiguity, type DetectIssue, type SampleRow } from './detect.js';
import type { Plan, PlanDateOrder, PlanDecimal, ReadSettings } from './types.js';

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
