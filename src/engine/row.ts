// One record's cells, parsed lazily and at most once per kind: the Row the compiled closures read.
import type { AsOfSource, ColumnReadSettings } from '../plan/types.js';
import { makeIsMissing, normalizeText, parseBool, parseDate, parseNumber, splitMulti, type DateOrder, type DecimalMode } from '../values/index.js';
import { CellEntry, ColumnMemo, MemoBudget, memoBudget } from './memo.js';
import type { ColumnRef, Row } from './model.js';

/** Bits of RowState.unreadKinds: the kinds a present cell does not read as. */
export const UNREAD_NUMBER = 1;
export const UNREAD_DATE = 2;
export const UNREAD_BOOL = 4;

/** A reusable Row: `load(fields)` switches it to the next record and invalidates the caches. */
export class RowState implements Row {
  private fields: readonly string[] = [];
  private gen = 1;
  private readonly rawGen: Int32Array;
  private readonly rawVal: (string | undefined)[];
  private readonly missingVal: Uint8Array;
  private readonly numGen: Int32Array;
  private readonly numVal: Float64Array;
  private readonly dayGen: Int32Array;
  private readonly dayVal: Float64Array;
  private readonly textGen: Int32Array;
  private readonly textVal: string[];
  private readonly valuesGen: Int32Array;
  private readonly valuesVal: string[][];
  private readonly missingTest: (raw: string) => boolean;
  /** Per column present in the input: results per distinct cell, across rows (see memo.ts). */
  private readonly memos: (ColumnMemo | undefined)[];
  private readonly entryGen: Int32Array;
  private readonly entryVal: (CellEntry | undefined)[];
  private readonly decimal: DecimalMode[];
  private readonly dateOrder: DateOrder[];
  /**
   * The loaded row's as-of day (what recency, days_since and decay measure from): one day for every row, or the
   * row's own date read when it is loaded (NaN when that cell is missing or does not read as a date).
   */
  asOf: number;
  /** A per-row as-of: the column ref read (its own date reading), else the field read with asOfOrder; -1: none. */
  private readonly asOfCol: number = -1;
  private readonly asOfField: number = -1;
  private readonly asOfOrder: DateOrder = 'auto';

  constructor(
    private readonly columns: readonly ColumnRef[],
    /** Field index of each column ref in the record; -1 when the column is absent from the file. */
    private readonly fieldIndex: Int32Array,
    /** How this input reads each column (its decimal mode and date order; see ReadSettings). */
    read: readonly Pick<ColumnReadSettings, 'decimal' | 'dateOrder'>[],
    placeholders: readonly string[],
    asOf: AsOfSource,
    /**
     * Memoise per distinct cell (see memo.ts), with room in each entry for this many criteria and disqualifiers
     * per column; undefined: no memo, the same results computed every row.
     */
    memo?: { criterionSlots: Int32Array; disqualifierSlots: Int32Array },
  ) {
    const n = columns.length;
    this.decimal = read.map((r) => r.decimal);
    this.dateOrder = read.map((r) => r.dateOrder);
    this.rawGen = new Int32Array(n);
    this.rawVal = new Array<string | undefined>(n).fill(undefined);
    this.missingVal = new Uint8Array(n);
    this.numGen = new Int32Array(n);
    this.numVal = new Float64Array(n);
    this.dayGen = new Int32Array(n);
    this.dayVal = new Float64Array(n);
    this.textGen = new Int32Array(n);
    this.textVal = new Array<string>(n).fill('');
    this.valuesGen = new Int32Array(n);
    this.valuesVal = new Array<string[]>(n).fill([]);
    this.missingTest = makeIsMissing(placeholders);
    const { total, perColumn } = memoBudget(columns.filter((c) => fieldIndex[c.index]! >= 0).length);
    const budget = new MemoBudget(total);
    this.memos = columns.map((c) =>
      memo && fieldIndex[c.index]! >= 0 ? new ColumnMemo(perColumn, memo.criterionSlots[c.index], memo.disqualifierSlots[c.index], budget) : undefined,
    );
    this.entryGen = new Int32Array(n);
    this.entryVal = new Array<CellEntry | undefined>(n).fill(undefined);
    if ('day' in asOf) this.asOf = asOf.day;
    else {
      this.asOf = NaN;
      const c = asOf.column;
      // A rules column read with the same date order is its own day(): parsed once a row, and memoised per cell.
      if (c.column >= 0 && fieldIndex[c.column] === c.field && this.dateOrder[c.column] === c.dateOrder) this.asOfCol = c.column;
      else {
        this.asOfField = c.field;
        this.asOfOrder = c.dateOrder;
      }
    }
  }

  /** Switch to the next record (and, with a per-row as-of, to its as-of day). */
  load(fields: readonly string[]): void {
    this.fields = fields;
    this.gen++;
    if (this.asOfCol >= 0) this.asOf = this.day(this.asOfCol);
    else if (this.asOfField >= 0) {
      const v = (fields[this.asOfField] ?? '').trim();
      this.asOf = this.missingTest(v) ? NaN : (parseDate(v, this.asOfOrder) ?? NaN);
    }
  }

  /** The cell exactly as in the file (untrimmed), for explanations. */
  cell(col: number): string | undefined {
    const i = this.fieldIndex[col]!;
    return i < 0 ? undefined : (this.fields[i] ?? '');
  }

  /** The memo entry of this row's cell in `col`, or undefined when that column is not memoised (now). */
  entry(col: number): CellEntry | undefined {
    if (this.entryGen[col] !== this.gen) {
      this.entryGen[col] = this.gen;
      const memo = this.memos[col];
      this.entryVal[col] = memo === undefined || !memo.on ? undefined : memo.entry(this.fields[this.fieldIndex[col]!] ?? '');
    }
    return this.entryVal[col];
  }

  private fill(col: number): void {
    const i = this.fieldIndex[col]!;
    const v = i < 0 ? undefined : (this.fields[i] ?? '').trim();
    this.rawVal[col] = v;
    this.missingVal[col] = v === undefined || this.missingTest(v) ? 1 : 0;
    this.rawGen[col] = this.gen;
  }

  raw(col: number): string | undefined {
    if (this.rawGen[col] !== this.gen) this.fill(col);
    return this.rawVal[col];
  }

  isMissing(col: number): boolean {
    if (this.rawGen[col] !== this.gen) this.fill(col);
    return this.missingVal[col] === 1;
  }

  num(col: number): number {
    if (this.numGen[col] !== this.gen) {
      this.numGen[col] = this.gen;
      const e = this.entry(col);
      let v = e?.num;
      if (v === undefined) {
        v = this.isMissing(col) ? NaN : (parseNumber(this.rawVal[col]!, this.decimal[col]) ?? NaN);
        if (e) e.num = v;
      }
      this.numVal[col] = v;
    }
    return this.numVal[col]!;
  }

  day(col: number): number {
    if (this.dayGen[col] !== this.gen) {
      this.dayGen[col] = this.gen;
      const e = this.entry(col);
      let v = e?.day;
      if (v === undefined) {
        v = this.isMissing(col) ? NaN : (parseDate(this.rawVal[col]!, this.dateOrder[col]) ?? NaN);
        if (e) e.day = v;
      }
      this.dayVal[col] = v;
    }
    return this.dayVal[col]!;
  }

  bool(col: number): number {
    if (this.isMissing(col)) return -1;
    const b = parseBool(this.rawVal[col]!);
    return b === undefined ? -1 : b ? 1 : 0;
  }

  text(col: number): string {
    if (this.textGen[col] !== this.gen) {
      this.textGen[col] = this.gen;
      if (this.isMissing(col)) this.textVal[col] = '';
      else {
        const n = normalizeText(this.rawVal[col]!);
        this.textVal[col] = this.columns[col]!.synonyms.get(n) ?? n;
      }
    }
    return this.textVal[col]!;
  }

  values(col: number): string[] {
    if (this.valuesGen[col] !== this.gen) {
      this.valuesGen[col] = this.gen;
      const ref = this.columns[col]!;
      const raw = this.rawVal[col];
      if (this.isMissing(col)) this.valuesVal[col] = [];
      else if (!this.multi(col)) this.valuesVal[col] = [this.text(col)];
      else {
        const parts = splitMulti(raw!, ref.separators);
        this.valuesVal[col] = ref.synonyms.size ? parts.map((p) => ref.synonyms.get(p) ?? p) : parts;
      }
    }
    return this.valuesVal[col]!;
  }

  /** Whether the cell holds one of the column's value separators (so values() may hold more than text()). */
  multi(col: number): boolean {
    const raw = this.raw(col);
    if (raw === undefined) return false;
    const seps = this.columns[col]!.separators;
    for (let k = 0; k < seps.length; k++) if (raw.includes(seps[k]!)) return true;
    return false;
  }

  /**
   * Whether a column's value is present and reads as every kind the rules read it as (for coverage): the one
   * definition of a usable value.
   */
  usable(col: number): boolean {
    const e = this.entry(col);
    if (e === undefined) return !this.isMissing(col) && this.unreadKinds(col) === 0;
    return (e.usable ??= !this.isMissing(col) && this.unreadKinds(col) === 0);
  }

  /** The kinds the rules read this present cell's column as that the cell does not read as: UNREAD_* bits. */
  unreadKinds(col: number): number {
    const kinds = this.columns[col]!.kinds;
    let bits = 0;
    if (kinds.has('number') && this.num(col) !== this.num(col)) bits |= UNREAD_NUMBER;
    if (kinds.has('date') && this.day(col) !== this.day(col)) bits |= UNREAD_DATE;
    if (kinds.has('bool') && this.bool(col) < 0) bits |= UNREAD_BOOL;
    return bits;
  }
}
