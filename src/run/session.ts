// The run session: the one loop over the records of an input, shared by every command that reads rows. Each record
// is evaluated by every bound model and handed to the sinks (scored CSV, traces, summary, rejects, evaluation
// arrays, diff and report rows, the lead finder); the same session reads a piece of the input in a worker thread.
import type { BoundModel } from '../engine/bind.js';
import { evaluate, newEvaluation, type Evaluation } from '../engine/evaluate.js';
import type { CsvItem, CsvReject, CsvRow } from '../io/csv-types.js';

/**
 * What receives the records of a run. Every method is optional; calls come in input order. The evaluations are
 * reused for the next record: copy what you keep.
 */
export interface RecordSink {
  /** A readable record, evaluated by every bound model, in the session's order (the main model first). */
  row?(item: CsvRow, evaluations: readonly Evaluation[]): void;
  /** A readable record that the session's `select` left unevaluated. */
  skipped?(item: CsvRow): void;
  /** A record that could not be read. */
  reject?(item: CsvReject): void;
  /** After each batch of records (awaited): write what the batch made, report progress. */
  flush?(): void | Promise<void>;
}

/** Counts of a session: read = evaluated + skipped + rejected. */
export interface SessionCounts {
  read: number;
  evaluated: number;
  skipped: number;
  rejected: number;
}

export interface SessionOptions {
  /** Whether a readable record is evaluated (default: every one); the others go to the sinks' `skipped`. */
  select?: (item: CsvRow) => boolean;
}

/** One loop over records: evaluate each by every bound model, hand it to every sink. */
export class Session {
  readonly counts: SessionCounts = { read: 0, evaluated: 0, skipped: 0, rejected: 0 };
  /** The line of the input's last record when no line break follows it (warned about: it may be cut off). */
  unterminated: number | undefined;
  /** Set by stop(): no record after the current one is handed to the sinks, and run() reads no more. */
  stopped = false;
  readonly evaluations: Evaluation[];
  // The sinks by method, so that the loop calls only what is there.
  private readonly rows: RecordSink[];
  private readonly skips: RecordSink[];
  private readonly rejects: RecordSink[];
  private readonly flushes: RecordSink[];

  constructor(
    readonly bounds: readonly BoundModel[],
    readonly sinks: readonly RecordSink[],
    private readonly options: SessionOptions = {},
  ) {
    this.evaluations = bounds.map((b) => newEvaluation(b.model));
    this.rows = sinks.filter((s) => s.row);
    this.skips = sinks.filter((s) => s.skipped);
    this.rejects = sinks.filter((s) => s.reject);
    this.flushes = sinks.filter((s) => s.flush);
  }

  /** Stop after the current record (the lead finder, once every id is found). */
  stop(): void {
    this.stopped = true;
  }

  /** Hand `items` to the sinks, in order (synchronous: nothing is flushed). */
  feed(items: readonly CsvItem[]): void {
    const { bounds, evaluations, rows, counts } = this;
    const select = this.options.select;
    for (let i = 0; i < items.length && !this.stopped; i++) {
      const item = items[i]!;
      counts.read++;
      if (item.unterminated) this.unterminated = item.line;
      if (!('fields' in item)) {
        counts.rejected++;
        for (const s of this.rejects) s.reject!(item);
        continue;
      }
      if (select !== undefined && !select(item)) {
        counts.skipped++;
        for (const s of this.skips) s.skipped!(item);
        continue;
      }
      for (let k = 0; k < bounds.length; k++) evaluate(bounds[k]!, item.fields, evaluations[k]!);
      counts.evaluated++;
      for (let k = 0; k < rows.length; k++) rows[k]!.row!(item, evaluations);
    }
  }

  /** Every sink's flush, in order. */
  async flush(): Promise<void> {
    for (const s of this.flushes) {
      const p = s.flush!();
      if (p) await p;
    }
  }

  /**
   * `batches` as this session reads them: each fed and flushed, then passed on (for an engine that evaluates
   * elsewhere, --engine duckdb: the counts and the unterminated last line are the session's all the same).
   */
  async *through(batches: AsyncIterable<CsvItem[]>): AsyncGenerator<CsvItem[]> {
    for await (const batch of batches) {
      this.feed(batch);
      await this.flush();
      yield batch;
      if (this.stopped) return;
    }
  }

  /** Read `batches` to their end (or until stopped), feeding and flushing each batch; breaking out stops the reader. */
  async run(batches: AsyncIterable<CsvItem[]>): Promise<void> {
    for await (const batch of batches) {
      this.feed(batch);
      await this.flush();
      if (this.stopped) break;
    }
  }
}
