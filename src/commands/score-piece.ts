// Scoring a piece of an export: a run of whole CSV records, as bytes. The same code runs on the main thread and
// in worker threads (score-parallel.ts), so a piece comes out the same wherever it was scored.
import { newEvaluation, evaluate, type BoundModel, type Evaluation } from '../engine/evaluate.js';
import { recordReading, type CsvItem, type CsvReject, type CsvRow, type RecordFormat } from '../io/csv-reader.js';
import { SummaryStats, type StatsSnapshot } from '../report/stats.js';
import { addedCsvFormatter, csvLine } from './score-format.js';

/** What scoring a piece needs besides the bytes and the bound model: how the input is read, and written. */
export interface PieceSettings extends RecordFormat {
  excelSafe: boolean;
}

/** A piece scored: output text, rejects with lines counted from the piece's first line (1), and its counts. */
export interface PieceDone {
  ok: true;
  /**
   * The scored records as CSV lines, each ending in a line break, encoded as UTF-8: bytes, not a string, so
   * that neither a worker's result nor one waiting its turn on the main thread keeps the decoded piece alive.
   */
  out: Uint8Array;
  rejects: CsvReject[];
  /** Line breaks the piece holds: the next piece starts that many lines later. */
  lines: number;
  stats: StatsSnapshot;
}

/**
 * The piece does not end where a record ends (a quote left open, a lone CR, a record larger than the piece),
 * or its bytes are not valid in the input's encoding: the caller reads on from the piece's start the ordinary
 * way, which decides such cases and reports them exactly as without pieces.
 */
export interface PieceUnsure {
  ok: false;
}

export type PieceResult = PieceDone | PieceUnsure;

/** Encodes into a fresh ArrayBuffer of its own (Buffer.from may share a pool, which must not be transferred). */
const utf8 = new TextEncoder();

/** Scores pieces of one input against one bound model. */
export class PieceScorer {
  private readonly ev: Evaluation;
  private readonly added: (e: Evaluation) => string;

  constructor(
    private readonly bound: BoundModel,
    private readonly settings: PieceSettings,
  ) {
    this.ev = newEvaluation(bound.model);
    this.added = addedCsvFormatter(bound.model, settings.delimiter, settings.excelSafe);
  }

  /**
   * Score the records of `bytes`, which start at a record start, at byte `offset` (> 0) of the input. `final`:
   * the input ends with this piece; otherwise it must end right after a line break that ends a record, or the
   * result is not ok.
   */
  score(bytes: Uint8Array, final: boolean, offset: number): PieceResult {
    const { decoder, parser } = recordReading(this.settings, offset, 1);
    let text: string;
    try {
      text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) + decoder.end();
    } catch {
      return { ok: false };
    }
    const stats = new SummaryStats(this.bound.model);
    const rejects: CsvReject[] = [];
    const items: CsvItem[] = [];
    let out = '';
    let pos = 0;
    while (pos < text.length) {
      items.length = 0;
      const from = pos;
      pos = parser.parse(text, pos, final, items, 256);
      if (parser.needMore || (pos === from && items.length === 0)) return { ok: false };
      for (const item of items) {
        stats.read++;
        if (!('fields' in item)) {
          stats.reject(item.reason);
          rejects.push(item);
          continue;
        }
        out += this.row(item, stats);
      }
    }
    return { ok: true, out: utf8.encode(out), rejects, lines: parser.line - 1, stats: stats.snapshot() };
  }

  /** Score one record into `stats` (which counts it written; reading it is the caller's count); returns its output line. */
  row(item: CsvRow, stats: SummaryStats): string {
    evaluate(this.bound, item.fields, this.ev);
    stats.add(this.ev, this.bound.row);
    stats.written++;
    return csvLine(item, this.settings.delimiter, this.settings.excelSafe) + this.added(this.ev) + '\n';
  }
}
