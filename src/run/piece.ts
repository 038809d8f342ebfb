// A run session on a piece of an export (a run of whole CSV records, as bytes): the same session and sinks as the
// main thread's, in whichever thread reads the piece (src/run/parallel.ts), so a piece comes out the same anywhere.
import type { BoundModel } from '../engine/bind.js';
import { recordReading } from '../io/csv-records.js';
import type { CsvItem, CsvReject } from '../io/csv-types.js';
import { SummaryStats, type StatsSnapshot } from '../report/stats.js';
import { Session } from './session.js';
import { RejectList, scoredOutput, Summary, type OutputSettings, type TextCollector } from './sinks.js';

/** A piece scored: output text, rejects (with physical line numbers), and its counts. */
export interface PieceDone {
  ok: true;
  /**
   * The scored records as output lines (CSV or JSON Lines), each ending in a line break, encoded as UTF-8: bytes,
   * not a string, so that neither a worker's result nor one waiting its turn on the main thread keeps the
   * decoded piece alive.
   */
  out: Uint8Array;
  rejects: CsvReject[];
  /** Line breaks the piece holds: the next piece starts that many lines later. */
  lines: number;
  stats: StatsSnapshot;
  /** The line of the piece's last record when the input ends right after it, without a line break. */
  unterminated?: number;
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

const utf8 = new TextEncoder();
/** The smallest output buffer made: room for a 32 KiB piece's output as UTF-8 in most exports. */
const OUT_MIN_BYTES = 128 * 1024;
/** Output buffers kept for reuse at most (more than a run has in flight at once). */
const SPARE_MAX = 64;

/** Scores pieces of one input against one bound model. */
export class PieceScorer {
  private readonly session: Session;
  private readonly summary: Summary;
  private readonly output: TextCollector;
  private readonly rejects = new RejectList();
  /**
   * Output buffers given back (reuse) once their text was written. Without them each piece's output was a new
   * buffer that only a garbage collection of the thread that received it freed, and those waited: on the
   * benchmark export at 1M rows they held ~20–25 MB of peak RSS (176–178 MB against 153 MB).
   */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly bound: BoundModel,
    private readonly settings: OutputSettings,
  ) {
    this.summary = new Summary(new SummaryStats(bound.model), bound);
    this.output = scoredOutput(bound, settings);
    this.session = new Session([bound], [this.summary, this.output, this.rejects]);
  }

  /**
   * Score the records of `bytes`, which start at a record start, at byte `offset` (> 0) of the input, on physical
   * `line`. `final`: the input ends with this piece; otherwise it must end right after a line break that ends a
   * record, or the result is not ok.
   */
  score(bytes: Uint8Array, final: boolean, offset: number, line: number): PieceResult {
    const { decoder, parser } = recordReading(this.settings, offset, line);
    let text: string;
    try {
      text = decoder.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) + decoder.end();
    } catch {
      return { ok: false };
    }
    // Each piece counts on its own (a piece that is not sure leaves nothing behind).
    const stats = (this.summary.stats = new SummaryStats(this.bound.model));
    const rejects: CsvReject[] = (this.rejects.items = []);
    this.output.take();
    this.session.unterminated = undefined;
    const items: CsvItem[] = [];
    let pos = 0;
    while (pos < text.length) {
      items.length = 0;
      const from = pos;
      pos = parser.parse(text, pos, final, items, 256);
      if (parser.needMore || (pos === from && items.length === 0)) {
        this.output.take();
        return { ok: false };
      }
      this.session.feed(items);
    }
    const done: PieceDone = { ok: true, out: this.encode(this.output.take()), rejects, lines: parser.line - line, stats: stats.snapshot() };
    if (this.session.unterminated !== undefined) done.unterminated = this.session.unterminated;
    return done;
  }

  /** Give back the buffer of an output this scorer made, once it is written: a later piece's output goes there. */
  reuse(out: Uint8Array): void {
    if (this.spare.length < SPARE_MAX) this.spare.push(out.buffer as ArrayBuffer);
  }

  /**
   * `text` as UTF-8, in a buffer given back earlier when one is large enough for any text of that length (three
   * bytes a UTF-16 unit at most), else in a new one. The buffer is the output's alone (never a pool shared
   * with other data, as Buffer.from's may be), so that it can be moved to another thread.
   */
  private encode(text: string): Uint8Array {
    const need = text.length * 3;
    let buf = this.spare.pop();
    if (buf === undefined || buf.byteLength < need) buf = new ArrayBuffer(Math.max(need, OUT_MIN_BYTES));
    const { written } = utf8.encodeInto(text, new Uint8Array(buf));
    return new Uint8Array(buf, 0, written);
  }
}
