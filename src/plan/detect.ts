// Per-column detection of date day/month order from a sample of rows: reported, never guessed row by row. Pure.
import { dateOrderEvidence, isAmbiguousNumber, parseNumber, type DateOrder } from '../values/index.js';
import type { Plan, ReadSettings } from './types.js';

export interface DetectIssue {
  severity: 'error' | 'warning';
  column: string;
  message: string;
  hint?: string;
}

export interface SampleRow {
  line: number;
  fields: readonly string[];
}

/**
 * Decide the date order of every date column whose order is 'auto', from sample rows.
 * A column with month-first-only values (10/20/2016) is MDY, day-first-only (20.10.2016) DMY;
 * both at once is an error; only ambiguous values (03/04/2016) is a warning: they stay unknown.
 */
export function detectDateOrders(plan: Plan, settings: ReadSettings, rows: readonly SampleRow[]): { orders: Map<number, DateOrder>; issues: DetectIssue[] } {
  const orders = new Map<number, DateOrder>();
  const issues: DetectIssue[] = [];
  for (const col of plan.columns) {
    const read = settings.columns[col.index]!;
    if (!col.kinds.includes('date') || read.dateOrder !== 'auto') continue;
    if (read.field < 0) continue;
    const found = detectFieldDateOrder(col.name, read.field, rows, { mixed: `set columns.${col.name}.date_order to MDY or DMY, or fix the export`, either: `set columns.${col.name}.date_order: DMY (or MDY), or give --date-order` });
    if (found.order) orders.set(col.index, found.order);
    if (found.issue) issues.push(found.issue);
  }
  return { orders, issues };
}

/**
 * The date order of one field of the sample rows (named `name` in messages), as detectDateOrders decides it for a
 * column: an order when the values say one, an error when they say both, a warning when none can be told.
 */
export function detectFieldDateOrder(name: string, fi: number, rows: readonly SampleRow[], hints: { mixed: string; either: string }): { order?: DateOrder; issue?: DetectIssue } {
  let mdy: SampleRow | undefined;
  let dmy: SampleRow | undefined;
  let either: SampleRow | undefined;
  let eitherCount = 0;
  for (const r of rows) {
    const v = (r.fields[fi] ?? '').trim();
    if (!v) continue;
    const ev = dateOrderEvidence(v);
    if (ev === 'MDY') mdy ??= r;
    else if (ev === 'DMY') dmy ??= r;
    else if (ev === 'either') {
      either ??= r;
      eitherCount++;
    }
  }
  const cell = (r: SampleRow) => `"${(r.fields[fi] ?? '').trim()}" on line ${r.line}`;
  if (mdy && dmy) {
    return { issue: { severity: 'error', column: name, message: `column "${name}" mixes month-first and day-first dates: ${cell(mdy)} and ${cell(dmy)}`, hint: hints.mixed } };
  }
  if (mdy) return { order: 'MDY' };
  if (dmy) return { order: 'DMY' };
  if (either) {
    return {
      issue: {
        severity: 'warning',
        column: name,
        message: `column "${name}" has dates whose day/month order cannot be told (${eitherCount} in the first ${rows.length} rows, e.g. ${cell(either)}); they are unknown`,
        hint: hints.either,
      },
    };
  }
  return {};
}

/** Warn about number columns whose values read differently with decimal dot and comma (1,250 or 1.250). */
export function detectNumberAmbiguity(plan: Plan, settings: ReadSettings, rows: readonly SampleRow[]): DetectIssue[] {
  const issues: DetectIssue[] = [];
  for (const col of plan.columns) {
    const read = settings.columns[col.index]!;
    if (!col.kinds.includes('number') || read.decimal !== 'auto') continue;
    const fi = read.field;
    if (fi < 0) continue;
    let first: SampleRow | undefined;
    let count = 0;
    let unambiguousComma = false;
    for (const r of rows) {
      const v = (r.fields[fi] ?? '').trim();
      if (!v) continue;
      if (isAmbiguousNumber(v)) {
        first ??= r;
        count++;
      } else if (/\d,\d{1,2}$|\d\.\d{3},/.test(v)) unambiguousComma = true;
    }
    if (first && unambiguousComma) {
      // Say what the reader does with the example (1,250 → 1250 but 1.250 → 1.25 in auto mode), not a guess.
      const v = (first.fields[fi] ?? '').trim();
      const [auto, comma] = [parseNumber(v, 'auto'), parseNumber(v, 'comma')];
      issues.push({
        severity: 'warning',
        column: col.name,
        message: `column "${col.name}" mixes decimal-comma values with ones like "${v}" (line ${first.line}), which the default mode reads as ${auto} and decimal: comma as ${comma} (${count} in the sample)`,
        hint: `set columns.${col.name}.decimal: comma (or dot), or give --decimal`,
      });
    }
  }
  return issues;
}
