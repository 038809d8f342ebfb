// The export side of `icp validate`: bind the rules to the header, then stream the sample (`--sample all` included)
// through accumulators of bounded memory: coverage, unparseable values, repeated and empty lead ids.
import type { Diagnostic } from '../errors.js';
import type { Model } from '../engine/model.js';
import { RowState, UNREAD_BOOL, UNREAD_DATE, UNREAD_NUMBER } from '../engine/row.js';
import { bindHeader } from '../plan/bind.js';
import type { SampleRow } from '../plan/detect.js';
import { readSettings, settleFromSample } from '../plan/read-settings.js';
import type { ReadSettings } from '../plan/types.js';
import { openCsv } from '../io/csv-reader.js';
import { describeProblem, type ColumnCoverage, type InputReport, type ValueProblem } from '../report/validate.js';
import { inputBytes, parseDelimiter, parseEncoding, SAMPLE_ROWS, type InputOptions } from './input.js';
import { readOverrides, type Io } from './shared.js';

type At = (severity: Diagnostic['severity'], code: string, message: string, hint?: string, line?: number) => void;

/**
 * Bind the model to the export's header and read a sample (`limit` data rows, null: all of them): missing columns,
 * dates, numbers, coverage, repeated ids. Memory does not grow with the sample: day/month orders are decided from
 * its first SAMPLE_ROWS rows, as `icp score` decides them, and every row after that is counted and let go.
 */
export async function checkInput(
  path: string,
  opts: InputOptions,
  model: Model,
  asOf: number,
  limit: number | null,
  io: Io,
): Promise<{ report: InputReport; diagnostics: Diagnostic[] }> {
  const name = path === '-' ? '<stdin>' : path;
  const { decimal, dateOrder } = readOverrides(opts);
  const encoding = parseEncoding(opts.encoding);
  const delimiter = parseDelimiter(opts.delimiter);
  const input = await inputBytes(path, io);
  const diagnostics: Diagnostic[] = [];
  const at: At = (severity, code, message, hint, line) => {
    diagnostics.push({ severity, code, message, hint, file: name, line });
  };
  try {
    const source = await openCsv(input.bytes, { delimiter, encoding }, name);
    const header = source.header;
    for (const issue of header.issues) at('warning', 'header', issue, undefined, header.line);

    // The real binding gives the errors `icp score` would stop at; a relaxed copy (every column optional)
    // binds whatever exists, so coverage is reported for the other columns all the same.
    const strict = bindHeader(model.plan, header.keys);
    for (const i of strict.issues) at(i.severity, i.code, i.message, i.hint, header.line);
    const loose = bindHeader(model.plan, header.keys, true);
    const unsettled = loose.ok ? readSettings(model.plan, loose, header, { decimal, dateOrder }) : undefined;

    // Rows are held only until the day/month orders are decided; then counted as they come.
    let first: SampleRow[] | undefined = [];
    let counter: CoverageCounter | undefined;
    // An id that is the line number (idColumn null) is unique by construction: nothing to check.
    const idColumn = model.idColumn;
    const ids = unsettled && idColumn !== null ? new RepeatedIds(unsettled.columns[idColumn]!.field) : undefined;
    const detected: Parameters<At>[] = []; // reported after the unreadable rows, as they always were
    let settings: ReadSettings | undefined;
    const decide = (): void => {
      if (!unsettled || !first) return;
      const settled = settleFromSample(model.plan, unsettled, first);
      for (const i of settled.issues) detected.push([i.severity, i.severity === 'error' ? 'mixed-date-order' : 'ambiguous-values', i.message, i.hint, header.line]);
      settings = settled.settings;
      counter = new CoverageCounter(model, settings, asOf);
      for (const r of first) counter.add(r);
      first = undefined;
    };
    let rows = 0;
    let records = 0;
    let rejected = 0;
    let firstReject: { line: number; reason: string } | undefined;
    let unterminated: number | undefined;
    read: for await (const batch of source.batches()) {
      for (const item of batch) {
        if (limit !== null && rows >= limit) break read;
        rows++;
        if (item.unterminated) unterminated = item.line;
        if (!('fields' in item)) {
          rejected++;
          firstReject ??= { line: item.line, reason: item.reason };
          continue;
        }
        records++;
        const r: SampleRow = { line: item.line, fields: item.fields };
        ids?.add(r);
        if (counter) counter.add(r);
        else if (first) {
          first.push(r);
          if (first.length >= SAMPLE_ROWS) decide();
        }
      }
    }
    decide();
    if (firstReject) {
      at('warning', 'rejected-rows', `${rejected} row${rejected === 1 ? '' : 's'} of ${rows} cannot be read, e.g. line ${firstReject.line}: ${firstReject.reason}`, 'icp score lists them with --rejects <file>', firstReject.line);
    }
    if (unterminated !== undefined) {
      at('warning', 'no-final-line-break', `the last record (line ${unterminated}) does not end with a line break: the export may have been cut off`, 'check that the export finished', unterminated);
    }
    for (const d of detected) at(...d);

    const columns: ColumnCoverage[] = [];
    if (settings && counter) {
      columns.push(...counter.result(settings));
      for (const col of columns) {
        for (const p of col.problems) {
          at('warning', 'unparseable-values', `${col.column}: ${describeProblem(p)}`, unparseableHint(col.column, p.kind), p.example.line);
        }
      }
      if (idColumn !== null) ids?.report(model.columns[idColumn]!.name, at);
    }
    const report: InputReport = {
      file: name,
      delimiter: header.delimiter,
      encoding: header.encoding,
      sample_limit: limit,
      rows,
      records,
      rejected,
      columns,
    };
    return { report, diagnostics };
  } finally {
    input.close();
  }
}

function unparseableHint(column: string, kind: ValueProblem['kind']): string {
  if (kind === 'number') return `such values are unknown and score by the unknown policy; fix the export, or set columns.${column}.decimal if the decimal separator is the cause`;
  if (kind === 'date') return `such values are unknown; set columns.${column}.date_order (MDY, DMY or YMD) or fix the export`;
  return 'such values are unknown; boolean columns read yes/no, true/false, y/n, 1/0 and x';
}

/** Each used column's presence, usability and first unparseable value of each kind, row by row. */
export class CoverageCounter {
  private readonly row: RowState;
  private readonly acc: { present: number; usable: number; bad: Map<ValueProblem['kind'], ValueProblem> }[];
  private n = 0;

  private readonly fieldIndex: Int32Array;

  constructor(
    private readonly model: Model,
    settings: ReadSettings,
    asOf: number,
  ) {
    this.fieldIndex = Int32Array.from(settings.columns, (c) => c.field);
    this.row = new RowState(model.columns, this.fieldIndex, settings.columns, model.placeholders, { day: asOf });
    this.acc = model.columns.map(() => ({ present: 0, usable: 0, bad: new Map() }));
  }

  add(r: SampleRow): void {
    const row = this.row;
    this.n++;
    row.load(r.fields);
    for (const col of this.model.columns) {
      if (!col.used || this.fieldIndex[col.index]! < 0) continue;
      const a = this.acc[col.index]!;
      if (row.isMissing(col.index)) continue;
      a.present++;
      const bad = (kind: ValueProblem['kind']): void => {
        const p = a.bad.get(kind);
        if (p) p.count++;
        else a.bad.set(kind, { kind, count: 1, example: { value: row.raw(col.index) ?? '', line: r.line } });
      };
      const unread = row.unreadKinds(col.index);
      if (unread & UNREAD_NUMBER) bad('number');
      if (unread & UNREAD_DATE) bad('date');
      if (unread & UNREAD_BOOL) bad('bool');
      if (unread === 0) a.usable++;
    }
  }

  /** Columns declared but read by no rule are not looked up in the export, so they have no coverage. */
  result(settings: ReadSettings): ColumnCoverage[] {
    const n = this.n;
    const order: ValueProblem['kind'][] = ['number', 'date', 'bool'];
    return this.model.columns
      .filter((col) => col.used)
      .map((col) => {
        const a = this.acc[col.index]!;
        return {
          column: col.name,
          header: settings.columns[col.index]!.header,
          kinds: (['text', 'number', 'date', 'bool'] as const).filter((k) => col.kinds.has(k)),
          present: a.present,
          usable: a.usable,
          coverage: n ? Math.round((a.usable / n) * 10000) / 10000 : null,
          problems: order.map((k) => a.bad.get(k)).filter((p): p is ValueProblem => p !== undefined),
        };
      });
  }
}

/** Slots of the id table at most: 4M × 12 bytes = 48 MB, for up to MAX_IDS distinct ids. */
const MAX_SLOTS = 1 << 22;
/** Distinct ids remembered at most (a load of 3/4 at MAX_SLOTS); later new ids are not remembered. */
export const MAX_IDS = (MAX_SLOTS >>> 2) * 3;

/**
 * Lead ids that repeat, and rows without one, in bounded memory: each id is kept as a 64-bit hash (two 32-bit
 * halves) with the line where it was first seen, in an open-addressing table, not as a string (a string sliced from
 * the input would keep its whole chunk alive). Two different ids share a hash with a chance of about n² / 2⁶⁵ — for
 * a million ids, 3 in 100 million — which would report one repeat that is not. Past MAX_IDS distinct ids, new ids
 * are no longer remembered (repeats of those already seen are still found), and the warning says so.
 */
export class RepeatedIds {
  private h1 = new Uint32Array(1 << 12);
  private h2 = new Uint32Array(1 << 12);
  /** Line where the id was first seen; 0 marks an empty slot (data lines start at 2). */
  private lines = new Uint32Array(1 << 12);
  private size = 0;
  private full = false;
  private count = 0;
  private first: { id: string; a: number; b: number } | undefined;
  private empties = 0;
  private firstEmpty: number | undefined;

  /** `field`: the id's index in a row's fields (-1: no id column, nothing to check). */
  constructor(private readonly field: number) {}

  add(r: SampleRow): void {
    if (this.field < 0) return;
    const id = (r.fields[this.field] ?? '').trim();
    if (id === '') {
      this.empties++;
      this.firstEmpty ??= r.line;
      return;
    }
    const [a, b] = hash64(id);
    const mask = this.lines.length - 1;
    let i = a & mask;
    while (this.lines[i] !== 0) {
      if (this.h1[i] === a && this.h2[i] === b) {
        this.count++;
        this.first ??= { id, a: this.lines[i]!, b: r.line };
        return;
      }
      i = (i + 1) & mask;
    }
    if (this.full) return;
    this.h1[i] = a;
    this.h2[i] = b;
    this.lines[i] = Math.min(r.line, 0xffffffff);
    if (++this.size * 2 > this.lines.length) this.grow();
  }

  /** Warnings: repeated ids (with the first example), rows without an id. */
  report(column: string, at: At): void {
    const note = this.full ? ` (ids were remembered up to ${MAX_IDS.toLocaleString('en-US')} distinct ones; later new ids were not checked)` : '';
    const n = this.count;
    if (this.first) at('warning', 'duplicate-id', `${n} repeated lead id${n === 1 ? '' : 's'} in column "${column}", e.g. ${JSON.stringify(this.first.id)} on lines ${this.first.a} and ${this.first.b}${note}`, 'icp explain shows the first row with an id; check the id column', this.first.b);
    const e = this.empties;
    if (e) at('warning', 'empty-id', `${e} row${e === 1 ? '' : 's'} without a lead id in column "${column}", e.g. line ${this.firstEmpty}`, undefined, this.firstEmpty);
  }

  private grow(): void {
    if (this.lines.length >= MAX_SLOTS) {
      // At the largest table, fill it to 3/4 (linear probing stays short), then stop remembering new ids.
      if (this.size >= MAX_IDS) this.full = true;
      return;
    }
    const { h1, h2, lines } = this;
    const cap = lines.length * 2;
    this.h1 = new Uint32Array(cap);
    this.h2 = new Uint32Array(cap);
    this.lines = new Uint32Array(cap);
    const mask = cap - 1;
    for (let k = 0; k < lines.length; k++) {
      if (lines[k] === 0) continue;
      let i = h1[k]! & mask;
      while (this.lines[i] !== 0) i = (i + 1) & mask;
      this.h1[i] = h1[k]!;
      this.h2[i] = h2[k]!;
      this.lines[i] = lines[k]!;
    }
  }
}

/** Two independent 32-bit hashes of `s` (FNV-1a and a multiply-xorshift, each finished with murmur3's fmix32). */
export function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [fmix32(a), fmix32(b)];
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
