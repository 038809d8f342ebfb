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
// and --as-of are fixed before its first row is scored. With --as-of-column each row has its own as-of day, which
// is not a function of the cell: what measures from it (recency, days_since) is then not memoised (memo-plan.ts).
//
// Bounded and self-disabling: all columns together keep at most about MEMO_TOTAL_ENTRIES cells (one MemoBudget,
// see memoBudget) of at most MEMO_MAX_KEY characters, and a column turns its memo off for the rest of the run
// when fewer than a third of the lookups in a window of MEMO_WINDOW hit (e-mail addresses, phone numbers,
// timestamps, or more distinct values than it can keep: caching would only cost), which gives its cells back.

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

/** The cells the memos of one bound input may still add, all columns together (see memoBudget). */
export class MemoBudget {
  constructor(public left: number) {}
}

export class ColumnMemo {
  /** False once the memo has given up; callers then compute directly. */
  on = true;
  private readonly map = new Map<string, CellEntry>();
  private lookups = 0;
  private hits = 0;

  /**
   * `maxEntries`: how many cells this column may keep at most (see memoBudget); `criterionSlots` and
   * `disqualifierSlots`: how many criteria and disqualifiers keep results per cell; `budget`: the cells left for
   * all the columns of the input together (by default this column's own).
   */
  constructor(
    readonly maxEntries: number,
    private readonly criterionSlots = 0,
    private readonly disqualifierSlots = 0,
    private readonly budget = new MemoBudget(maxEntries),
  ) {}

  /** The cell's entry (created when new), or undefined when the cell is not memoised. */
  entry(cell: string): CellEntry | undefined {
    if (!this.on || cell.length > MEMO_MAX_KEY) return undefined;
    let e = this.map.get(cell);
    if (e !== undefined) this.hits++;
    else if (this.map.size < this.maxEntries && this.budget.left > 0) {
      this.budget.left--;
      e = new CellEntry(this.criterionSlots, this.disqualifierSlots);
      this.map.set(flat(cell), e);
    }
    if (++this.lookups === MEMO_WINDOW) {
      if (this.hits * 3 < MEMO_WINDOW) {
        this.on = false;
        this.budget.left += this.map.size;
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
 * The memo budget of an input with `columns` memoised columns: `total` cells for all of them together, and at
 * most `perColumn` for any one. The total is bounded because a lookup is only cheap while all the memos together
 * fit in the processor's caches: with 2,048 cells for each column, an export of 40 columns of 1,500 distinct
 * values each scored 3.7× slower than without the memo. It is shared, first come first served, rather than split
 * equally, because columns need very different amounts: stage or country a handful of cells, dates and company
 * sizes hundreds or thousands; a column that turns its memo off gives its cells back. On the benchmark export
 * (26 columns) an equal split kept 157 cells a column, too few for its ~900 creation dates, so that column
 * turned its memo off and its tags and sizes were mostly misses; shared, those hit. `perColumn` (a quarter of the
 * total with four columns or more, and never less than an equal share or MEMO_MIN_ENTRIES) keeps a few columns
 * of unique values (ids, e-mail addresses) from taking all of it before they turn off, after MEMO_WINDOW rows.
 */
export function memoBudget(columns: number): { total: number; perColumn: number } {
  const n = Math.max(1, columns);
  const total = Math.max(MEMO_TOTAL_ENTRIES, MEMO_MIN_ENTRIES * n);
  return { total, perColumn: Math.max(MEMO_MIN_ENTRIES, Math.floor(total / Math.min(n, 4))) };
}

/**
 * A copy of `s` that does not share memory with anything else. A cell is a slice of the decoded chunk it was
 * read from, and V8 may keep such a slice as a view of the whole chunk: keeping the slice as a key would keep
 * the chunk alive. Concatenating forces a fresh flat string of the cell's own length.
 */
function flat(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
