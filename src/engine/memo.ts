// Memoisation of what the evaluator derives from one cell, per column, for one bound input.
//
// What a criterion that reads one column concludes depends only on that cell's text; so do the cell's parsed
// number and date and whether it is usable. Exports repeat their categorical values (industry, country, stage,
// titles, dates, sizes) on thousands of rows, so remembering those results per distinct cell skips normalising,
// parsing, synonym lookup and matching for most rows. Results are identical to computing them: an entry is
// keyed by the exact cell text (untrimmed), and it is filled by the same code that computes without it.
//
// One lookup per column and row: every result derived from a cell lives in that cell's entry. The memos belong
// to one bound input (engine/row.ts): column settings (decimal mode, the date order detected from the sample)
// and --as-of are fixed before its first row is scored.
//
// Bounded and self-disabling: all columns together keep at most about MEMO_TOTAL_ENTRIES cells (see
// memoEntriesPerColumn) of at most MEMO_MAX_KEY characters, and a column turns its memo off for the rest of the
// run when fewer than a third of the lookups in a window of MEMO_WINDOW hit (e-mail addresses, phone numbers,
// timestamps, or more distinct values than its share: caching would only cost).

export const MEMO_TOTAL_ENTRIES = 4096;
export const MEMO_MIN_ENTRIES = 64;
export const MEMO_MAX_KEY = 64;
export const MEMO_WINDOW = 4096;

/** Numbers kept per memoised criterion in a cell entry (see evaluate.ts for what each holds). */
export const CRITERION_MEMO_WIDTH = 6;

/** Everything derived from one distinct cell of one column; a field is undefined (or 0) until first computed. */
export class CellEntry {
  num: number | undefined = undefined;
  day: number | undefined = undefined;
  usable: boolean | undefined = undefined;
  /** CRITERION_MEMO_WIDTH numbers per criterion slot among the column's memoised criteria; 0 = not yet. */
  readonly criteria: Float64Array;
  /** Per disqualifier slot: its outcome + 1; 0 = not yet. */
  readonly disqualifiers: Uint8Array;

  constructor(criterionSlots: number, disqualifierSlots: number) {
    this.criteria = new Float64Array(criterionSlots * CRITERION_MEMO_WIDTH);
    this.disqualifiers = new Uint8Array(disqualifierSlots);
  }
}

export class ColumnMemo {
  /** False once the memo has given up; callers then compute directly. */
  on = true;
  private readonly map = new Map<string, CellEntry>();
  private lookups = 0;
  private hits = 0;

  /**
   * `maxEntries`: how many cells this column may keep (see memoEntriesPerColumn); `criterionSlots` and
   * `disqualifierSlots`: how many criteria and disqualifiers keep results per cell.
   */
  constructor(
    readonly maxEntries: number,
    private readonly criterionSlots = 0,
    private readonly disqualifierSlots = 0,
  ) {}

  /** The cell's entry (created when new), or undefined when the cell is not memoised. */
  entry(cell: string): CellEntry | undefined {
    if (!this.on || cell.length > MEMO_MAX_KEY) return undefined;
    let e = this.map.get(cell);
    if (e !== undefined) this.hits++;
    else if (this.map.size < this.maxEntries) {
      e = new CellEntry(this.criterionSlots, this.disqualifierSlots);
      this.map.set(flat(cell), e);
    }
    if (++this.lookups === MEMO_WINDOW) {
      if (this.hits * 3 < MEMO_WINDOW) {
        this.on = false;
        this.map.clear();
      }
      this.lookups = 0;
      this.hits = 0;
    }
    return e;
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Cells each of `columns` memoised columns may keep: an equal share of MEMO_TOTAL_ENTRIES, at least
 * MEMO_MIN_ENTRIES. The budget is shared because a lookup is only cheap while all the memos together fit in the
 * processor's caches: with 2,048 cells for each column, an export of 40 columns of 1,500 distinct values each
 * scored 3.7× slower than without the memo. A column with more distinct cells than its share then hits too
 * rarely and turns its memo off.
 */
export function memoEntriesPerColumn(columns: number): number {
  return Math.max(MEMO_MIN_ENTRIES, Math.floor(MEMO_TOTAL_ENTRIES / Math.max(1, columns)));
}

/**
 * A copy of `s` that does not share memory with anything else. A cell is a slice of the decoded chunk it was
 * read from, and V8 may keep such a slice as a view of the whole chunk: keeping the slice as a key would keep
 * the chunk alive. Concatenating forces a fresh flat string of the cell's own length.
 */
function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
