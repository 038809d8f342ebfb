// What a sample of an export says about each column: fill rate, placeholders, value kinds, frequent values. Pure.
import {
  DEFAULT_PLACEHOLDERS,
  dateOrderEvidence,
  makeIsMissing,
  normalizeText,
  parseBool,
  parseDate,
  parseNumber,
  type DecimalMode,
} from '../values/index.js';

/** A sample of an export as the reader gives it: header keys and data rows in header order. */
export interface ExportSample {
  /** The export's name as the user gave it, for comments. */
  file: string;
  /** Header keys as the reader makes them (unique; what column aliases are matched against). */
  header: readonly string[];
  /** Data rows, fields in header order, with the physical line each record starts on. */
  rows: readonly { line: number; fields: readonly string[] }[];
  decimal?: DecimalMode;
}

/** A frequent value of a column, with the first spelling seen. */
export interface ValueCount {
  shown: string;
  count: number;
}

/** What the sample says about one column. */
export interface ColumnProfile {
  index: number;
  /** The header key (as aliases match it). */
  header: string;
  /** Rows in the sample. */
  rows: number;
  /** Cells with a value: not empty and not a placeholder. */
  present: number;
  /** Cells that are a (non-empty) default placeholder such as "Unknown" or "Select", by spelling seen. */
  placeholders: ValueCount[];
  /** The numbers among the present values (in sample order). */
  numbers: number[];
  /** Present values that are whole numbers. */
  integers: number;
  /** Present values read as dates (any order), and those that prove day-first or month-first order. */
  dates: number;
  dmy: number;
  mdy: number;
  /** Present values that are yes/no-like. */
  bools: number;
  /** Present values with a ";" (multi-value cells). */
  multi: number;
  emails: number;
  /** Present values longer than 60 characters. */
  longText: number;
  /** Distinct present values (normalised: case and spaces ignored). */
  distinct: number;
  /** Whether every row has a value and no two rows have the same one (as written, trimmed). */
  unique: boolean;
  /** Rows sharing a value with an earlier row (as written, trimmed). */
  repeats: number;
  /** Most frequent values, most frequent first (each value of a multi-value cell counted on its own). */
  top: ValueCount[];
}

/** What a column's values mostly are. */
export type ValueKind = 'empty' | 'number' | 'date' | 'bool' | 'category' | 'text';

/** The sample, column by column. */
export interface ExportProfile {
  file: string;
  rows: number;
  columns: ColumnProfile[];
}

const MAX_VALUES = 500;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Profile every column of a sample. */
export function profileExport(sample: ExportSample): ExportProfile {
  const isMissing = makeIsMissing(DEFAULT_PLACEHOLDERS);
  const decimal = sample.decimal ?? 'auto';
  const columns = sample.header.map((header, index): ColumnProfile => {
    const p: ColumnProfile = {
      index, header, rows: sample.rows.length, present: 0, placeholders: [], numbers: [], integers: 0, dates: 0, dmy: 0, mdy: 0,
      bools: 0, multi: 0, emails: 0, longText: 0, distinct: 0, unique: false, repeats: 0, top: [],
    };
    const normalised = new Set<string>();
    const exact = new Set<string>();
    const values = new Map<string, ValueCount>();
    const holders = new Map<string, ValueCount>();
    const count = (map: Map<string, ValueCount>, key: string, shown: string): void => {
      const e = map.get(key);
      if (e) e.count++;
      else if (map.size < MAX_VALUES) map.set(key, { shown, count: 1 });
    };
    for (const r of sample.rows) {
      const v = (r.fields[index] ?? '').trim();
      if (exact.has(v)) p.repeats++;
      else exact.add(v);
      if (v === '') continue;
      if (isMissing(v)) {
        count(holders, v.toLowerCase(), v);
        continue;
      }
      p.present++;
      const n = parseNumber(v, decimal);
      if (n !== undefined && Number.isFinite(n)) {
        p.numbers.push(n);
        if (Number.isInteger(n)) p.integers++;
      }
      // "20.10.2026" reads as a date on its own and proves day-first order: count both.
      const ev = dateOrderEvidence(v);
      if (ev === 'DMY') p.dmy++;
      else if (ev === 'MDY') p.mdy++;
      if (parseDate(v, 'auto') !== undefined) {
        if (ev !== 'DMY' && ev !== 'MDY') p.dates++;
      } else if (ev === 'either') p.dates++;
      if (parseBool(v) !== undefined) p.bools++;
      if (v.includes(';')) p.multi++;
      if (EMAIL.test(v)) p.emails++;
      if (v.length > 60) p.longText++;
      const k = normalizeText(v);
      normalised.add(k);
      // Values of multi-value cells ("SaaS; Fintech") count one by one, as `in:` matches them.
      if (v.includes(';')) {
        for (const part of v.split(';').map((x) => x.trim())) if (part && !isMissing(part)) count(values, normalizeText(part), part);
      } else count(values, k, v);
    }
    p.distinct = normalised.size;
    p.unique = p.rows > 0 && p.present === p.rows && p.repeats === 0;
    p.top = byCount(values);
    p.placeholders = byCount(holders);
    return p;
  });
  return { file: sample.file, rows: sample.rows.length, columns };
}

function byCount(map: Map<string, ValueCount>): ValueCount[] {
  return [...map.values()].sort((a, b) => b.count - a.count || (a.shown < b.shown ? -1 : a.shown > b.shown ? 1 : 0));
}

/** Share of a column's present values. */
export const shareOf = (n: number, p: ColumnProfile): number => (p.present ? n / p.present : 0);

/** What a column's values mostly are: numbers, dates, yes/no, a few categories, or free text. */
export function kindOf(p: ColumnProfile): ValueKind {
  if (p.present === 0) return 'empty';
  if (shareOf(p.bools, p) >= 0.95 && p.distinct <= 4) return 'bool';
  const numbers = shareOf(p.numbers.length, p);
  // Epoch seconds and YYYYMMDD are numbers too: such a column is a number unless its name says date (roles.ts).
  if (numbers >= 0.8 && shareOf(p.dates, p) < 0.5) return 'number';
  if (isDateLike(p)) return 'date';
  if (numbers >= 0.8) return 'number';
  if (p.longText === 0 && p.distinct <= Math.max(20, p.present * 0.5)) return 'category';
  return 'text';
}

/** Whether most present values read as dates, in one day/month order. */
export function isDateLike(p: ColumnProfile): boolean {
  return p.present > 0 && shareOf(p.dates + Math.max(p.dmy, p.mdy), p) >= 0.8 && !(p.dmy && p.mdy);
}

/** The day/month order the column's dates prove, if any. */
export function dateOrderOf(p: ColumnProfile): 'DMY' | 'MDY' | undefined {
  if (p.dmy && !p.mdy) return 'DMY';
  if (p.mdy && !p.dmy) return 'MDY';
  return undefined;
}

/** The q-quantile of sorted numbers, interpolated. */
export function quantile(sorted: readonly number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}
