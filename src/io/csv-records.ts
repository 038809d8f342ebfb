// Reading data records: decoded text buffered from a byte stream and parsed in batches, oversized records followed
// to their end without being held, and resuming at a record start mid-input (the pieces of `icp score`).
import { countBreaks, RAW_KEEP, RecordParser } from './csv-parser.js';
import type { CsvItem, RecordFormat, ResumePoint } from './csv-types.js';
import { createDecoder, InvalidBytes, type Decoder } from './decode.js';
import { InputError } from './errors.js';

const MiB = 1024 * 1024;
/** The default largest record (row), in characters of decoded text. */
export const DEFAULT_MAX_FIELD = 64 * MiB;
/**
 * The most fields a header may have (a data row never holds more than the header's count plus one: a longer row
 * is a reject whatever else it holds, so its further fields are counted, not kept).
 */
export const MAX_FIELDS = 100_000;
/**
 * Items per batch: enough to amortise the async step, small enough to keep memory flat. A batch's records
 * live until it is scored and written; at 1000 many of them outlived two young-generation collections and were
 * promoted, so the old generation filled with garbage (peak RSS 180 MB on the 1M-row benchmark against 123 MB
 * at 250, which is also a little faster: less to collect).
 */
export const BATCH = 250;

/**
 * A decoder and a record parser for reading `format` from byte `offset` (a record start, on `line`), set up as
 * openCsv sets up its own: the same decoding, field count and size limits.
 */
export function recordReading(format: RecordFormat, offset: number, line: number): { decoder: Decoder; parser: RecordParser } {
  const parser = new RecordParser(format.delimiter);
  parser.expected = format.fields;
  parser.maxRecord = format.maxFieldBytes ?? DEFAULT_MAX_FIELD;
  parser.maxFields = format.maxFields ?? MAX_FIELDS;
  parser.line = line;
  return { decoder: createDecoder(format.encoding, 0, offset), parser };
}

/**
 * The data records of an input that starts at a record boundary of a CSV already opened with openCsv: what
 * `batches()` would have read from that point on, rejects and line numbers included. `input` yields the bytes
 * from `at.offset` on (for single-byte and UTF-8 input, any record start is a character boundary).
 */
export function resumeCsv(input: AsyncIterable<Buffer | Uint8Array>, at: ResumePoint, sourceName: string): AsyncGenerator<CsvItem[]> {
  const { decoder, parser } = recordReading(at, at.offset, at.line);
  return new TextReader(input[Symbol.asyncIterator](), decoder, sourceName).records(parser);
}

/** Decoded text not yet parsed, plus the input it comes from. */
export class TextReader {
  /** Unparsed text, starting at a record start. */
  private text = '';
  /** Decoded text read after `text`, not yet joined to it. */
  private parts: string[] = [];
  private partsLen = 0;
  eof = false;
  /** Set once records are read: its `line` is where the unparsed text starts (for error messages). */
  private parser: RecordParser | undefined;

  constructor(
    private readonly it: AsyncIterator<Buffer | Uint8Array>,
    private readonly decoder: Decoder,
    private readonly name: string,
  ) {}

  /** Decode bytes onto the end of the text. */
  push(b: Buffer): void {
    let t: string;
    try {
      t = this.decoder.write(b);
    } catch (e) {
      throw this.translate(e);
    }
    if (t.length) {
      this.parts.push(t);
      this.partsLen += t.length;
    }
  }

  finish(): void {
    this.eof = true;
    let t: string;
    try {
      t = this.decoder.end();
    } catch (e) {
      throw this.translate(e);
    }
    if (t.length) {
      this.parts.push(t);
      this.partsLen += t.length;
    }
  }

  /** All unparsed text as one string. */
  peek(): string {
    if (this.partsLen) {
      if (this.text.length) this.parts.unshift(this.text);
      this.text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
      this.parts = [];
      this.partsLen = 0;
    }
    return this.text;
  }

  consume(pos: number): void {
    this.text = this.text.slice(pos);
  }

  /** Read one chunk; false at the end of the input. */
  async readOne(): Promise<boolean> {
    if (this.eof) return false;
    const r = await this.it.next();
    if (r.done) {
      this.finish();
      return false;
    }
    this.push(toBuffer(r.value));
    return true;
  }

  /**
   * Read at least one chunk, then on until more than `pending` new characters arrived, the unparsed text
   * exceeds `cap`, or the input ended. Waiting for the unparsed text to double before parsing again keeps a
   * record that spans many chunks linear to parse, not quadratic; the cap bounds memory for records too
   * large to accept.
   */
  async readMore(pending: number, cap: number): Promise<void> {
    if (!(await this.readOne())) return;
    while (this.partsLen <= pending && this.text.length + this.partsLen <= cap && (await this.readOne()));
  }

  /** Release the input when it was not read to its end. */
  async release(): Promise<void> {
    if (!this.eof) await this.it.return?.();
  }

  /** The data records, parsed `BATCH` at a time, with `parser`'s limits. */
  async *records(parser: RecordParser): AsyncGenerator<CsvItem[]> {
    this.parser = parser;
    const limit = parser.maxRecord;
    let batch: CsvItem[] = [];
    try {
      for (;;) {
        const text = this.peek();
        const final = this.eof;
        this.consume(parser.parse(text, 0, final, batch, BATCH));
        if (batch.length >= BATCH) {
          yield batch;
          batch = [];
          continue;
        }
        if (final) break;
        const pending = this.text.length;
        if (parser.needMore && !parser.stallComplete && pending > limit) await this.oversized(parser, batch);
        else await this.readMore(parser.needMore ? pending : 0, limit);
      }
      if (batch.length) yield batch;
    } finally {
      // Breaking out early (or an error) releases the input: a Readable is destroyed by its iterator's return().
      await this.release();
    }
  }

  /**
   * The record at the start of the text is longer than the limit and not complete yet: either a quote left
   * open (rejected, reading resumes after its line), or a record to follow to its end without keeping it.
   */
  private async oversized(parser: RecordParser, out: CsvItem[]): Promise<void> {
    const text = this.peek();
    const r = parser.beginOversized(text, 0, out);
    if (typeof r === 'number') {
      this.consume(r);
      return;
    }
    let size = text.length;
    let end = r.feed(text.slice(parser.maxRecord + 1));
    let rest = end === -1 ? '' : text.slice(parser.maxRecord + 1 + end);
    const raw = text.slice(0, RAW_KEEP);
    this.text = '';
    while (end === -1 && (await this.readOne())) {
      const chunk = this.peek();
      this.text = '';
      size += chunk.length;
      end = r.feed(chunk);
      if (end !== -1) rest = chunk.slice(end);
    }
    this.text = rest;
    parser.rejectOversized(r, raw, size - rest.length, out, !r.done);
  }

  private translate(e: unknown): unknown {
    if (!(e instanceof InvalidBytes)) return e;
    // Lines: those before the unparsed text, those in it, and those in the chunk before the bad byte.
    const unparsed = this.text + this.parts.join('');
    const line = (this.parser?.line ?? 1) + countBreaks(unparsed) + countBreaks(e.before);
    return new InputError(
      `${this.name}: not valid ${e.encoding}: byte offset ${e.offset} (${e.what}) on line ${line}`,
      e.encoding === 'UTF-8' ? 'this looks like Windows-1252/Latin-1; re-run with --encoding windows-1252' : 'check the encoding: --encoding auto detects UTF-8 and UTF-16',
    );
  }
}

export function toBuffer(v: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
