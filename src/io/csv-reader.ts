// Streaming CSV reader for CRM exports: encoding and delimiter detection, header keys, rows and rejects in batches.
//
// Decisions (see also csv-parser.ts for the grammar):
// - Ragged rows are rejects ("expected 5 fields, found 3 (row is short)"), except a row with exactly one extra
//   field that is empty (a trailing delimiter, as many exports write): it is accepted, the empty field dropped
//   and the trailing delimiter cut from `raw`.
// - Truly empty lines are skipped but still counted, so line numbers stay physical. A line of blanks or of
//   delimiters only is a record like any other.
// - A quote that never closes rejects its record up to the end of the line where the quote opened
//   ("unclosed quote starting on line N"); reading goes on from the next line. A quoted field that spans
//   lines and whose "closing" quote is followed by text is treated the same way: that is how a missing
//   closing quote looks when the next quote in the file is a later field's opening quote.
// - A record larger than `maxFieldBytes` is rejected ("field larger than 64 MiB", or "row larger than …" when
//   no single field is) and skipped without being held in memory; its `raw` keeps the first 1024 characters.
//   Sizes are counted in UTF-16 code units of the decoded text, which equals bytes for ASCII. A quoted field
//   still open across lines at the limit is reported as an unclosed quote instead (and reading resumes).
// - Encoding 'auto' insists on valid UTF-8 (unless a BOM or NUL pattern says UTF-16); an explicit 'utf8'
//   decodes invalid bytes as U+FFFD instead. 'latin1' is ISO-8859-1, not the WHATWG alias of windows-1252.
import { InputError } from './errors.js';
import { countBreaks, formatSize, RAW_KEEP, RecordParser } from './csv-parser.js';
import { createDecoder, InvalidUtf8, sniffEncoding, type Decoder } from './decode.js';

/** Text encodings an input can be read in. */
export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'windows-1252' | 'latin1';

/** How to read an input; everything is detected when left out. */
export interface ReaderOptions {
  /** ',', ';', '\t', '|' or another single character; undefined = detect from the header line. */
  delimiter?: string;
  /** Default 'auto': BOM, then UTF-16 NUL pattern, else UTF-8 (invalid UTF-8 is an InputError). */
  encoding?: Encoding | 'auto';
  /**
   * Largest field (and row) accepted, default 64 MiB, in characters of decoded text (bytes for ASCII);
   * a larger one is a reject, not a crash, and is skipped without being held in memory.
   */
  maxFieldBytes?: number;
}

/** The header row and how the input is being read. */
export interface HeaderInfo {
  /** Header names exactly as in the file (BOM stripped). */
  names: string[];
  /** Unique addressable keys: trimmed name; blank → `column_<n>` (1-based); duplicates → `Name#2`, `Name#3`. */
  keys: string[];
  /** Human-readable warnings about the header (blank or duplicate names). */
  issues: string[];
  delimiter: string;
  encoding: Encoding;
  /** Line number of the header (1). */
  line: number;
  /** Physical line where the data records start (2, unless the header spans lines). */
  dataLine: number;
  /**
   * Byte offset in the input where the data records start, when it is known exactly: UTF-8 (unless the header
   * held bytes an explicit `--encoding utf8` replaced), Latin-1 and Windows-1252; undefined for UTF-16.
   */
  dataOffset: number | undefined;
  /** Whether invalid UTF-8 is an error (auto-detected UTF-8) rather than decoded as U+FFFD. */
  strictUtf8: boolean;
}

/** A data record with the header's field count. */
export interface CsvRow {
  /** Physical line (1-based) where the record starts. */
  line: number;
  fields: string[];
  /** The record's exact source text without its line break (and without a dropped trailing delimiter). */
  raw: string;
}

/** A record that cannot be used, with the reason. */
export interface CsvReject {
  line: number;
  /** E.g. 'expected 12 fields, found 9 (row is short)', 'unclosed quote starting on line 7'. */
  reason: string;
  raw: string;
}

/** A row or a reject; distinguish with `'fields' in item`. */
export type CsvItem = CsvRow | CsvReject;

/** An opened CSV input: its header, and its records to be read once. */
export interface CsvSource {
  header: HeaderInfo;
  /** Data records in file order, in batches. Breaking out of the loop must stop reading and release the input. */
  batches(): AsyncGenerator<CsvItem[]>;
}

const MiB = 1024 * 1024;
const DEFAULT_MAX_FIELD = 64 * MiB;
/**
 * Items per batch: enough to amortise the async step, small enough to keep memory flat. A batch's records
 * live until it is scored and written; at 1000 many of them outlived two young-generation collections and were
 * promoted, so the old generation filled with garbage (peak RSS 180 MB on the 1M-row benchmark against 123 MB
 * at 250, which is also a little faster: less to collect).
 */
export const BATCH = 250;
const CANDIDATES = [',', ';', '\t', '|'];
const ENCODINGS: readonly string[] = ['utf8', 'utf16le', 'utf16be', 'windows-1252', 'latin1'];

/**
 * Open a CSV from a byte stream (file stream or stdin): reads up to the end of the header.
 * Throws InputError for unreadable input (empty, no header row, invalid UTF-8 in auto mode, bad options);
 * `batches()` may throw InputError too when invalid UTF-8 turns up later in the input.
 */
export async function openCsv(input: AsyncIterable<Buffer | Uint8Array>, options: ReaderOptions, sourceName: string): Promise<CsvSource> {
  const it = input[Symbol.asyncIterator]();
  try {
    return await open(it, options, sourceName);
  } catch (e) {
    await it.return?.();
    throw e;
  }
}

async function open(it: AsyncIterator<Buffer | Uint8Array>, options: ReaderOptions, name: string): Promise<CsvSource> {
  const limit = options.maxFieldBytes ?? DEFAULT_MAX_FIELD;
  if (!(limit > 0)) throw new InputError(`maxFieldBytes must be a positive number, got ${limit}`);
  const delimOpt = options.delimiter;
  if (delimOpt !== undefined && (delimOpt.length !== 1 || delimOpt === '"' || delimOpt === '\r' || delimOpt === '\n')) {
    throw new InputError(`"${delimOpt}" cannot be a delimiter`, 'use one character such as , ; | or a tab');
  }
  const requested = options.encoding ?? 'auto';
  if (requested !== 'auto' && !ENCODINGS.includes(requested)) {
    throw new InputError(`unknown encoding "${requested}"`, `use one of auto, ${ENCODINGS.join(', ')}`);
  }

  // Enough bytes to recognise a BOM or the NUL pattern of UTF-16.
  const first: Buffer[] = [];
  let firstLen = 0;
  let eof = false;
  while (firstLen < 256) {
    const r = await it.next();
    if (r.done) {
      eof = true;
      break;
    }
    const b = toBuffer(r.value);
    first.push(b);
    firstLen += b.length;
  }
  if (firstLen === 0) throw new InputError(`${name} is empty`, 'check that the export finished and the path is right');
  const head = first.length === 1 ? first[0]! : Buffer.concat(first);
  const sniffed = sniffEncoding(head);
  const encoding: Encoding = requested === 'auto' ? sniffed.encoding : requested;
  const bom = requested === 'auto' || requested === sniffed.encoding ? sniffed.bom : 0;
  const decoder = createDecoder(encoding, requested === 'auto', bom);

  const reader = new Reader(it, decoder, name);
  reader.push(head);
  if (eof) reader.finish();

  // Read until the header record is complete; detect the delimiter from it.
  let delimiter = delimOpt;
  let parser: RecordParser | undefined;
  let names: string[] | undefined;
  let headerText = '';
  for (;;) {
    const text = reader.peek();
    if (text.length > 0) {
      const c = text.charCodeAt(0);
      if (c === 10 || c === 13) throw new InputError(`${name}: no header row (line 1 is blank)`, 'the first line must hold the column names');
      const end = firstLineEnd(text);
      if (end !== -1 || reader.eof) {
        delimiter ??= detectDelimiter(text.slice(0, end === -1 ? text.length : end));
        parser ??= new RecordParser(delimiter);
        const out: CsvItem[] = [];
        const pos = parser.parse(text, 0, reader.eof, out, 1);
        const item = out[0];
        if (item) {
          if (!('fields' in item)) throw new InputError(`${name}: the header row has an ${item.reason}`, 'close the quote in the header or remove it');
          if (item.raw.length > limit) throw headerTooLong(name, limit);
          names = item.fields;
          headerText = text.slice(0, pos);
          reader.consume(pos);
          break;
        }
      }
    } else if (reader.eof) throw new InputError(`${name} is empty`, 'check that the export finished and the path is right');
    if (reader.eof) throw new InputError(`${name}: no header row`, 'the first line must hold the column names');
    if (text.length > limit) throw headerTooLong(name, limit);
    await reader.readMore(text.length, limit);
  }
  if (names.every((n) => n.trim() === '')) {
    throw new InputError(`${name}: no header row (line 1 has no column names)`, 'the first line must hold the column names');
  }
  parser.expected = names.length;
  const { keys, issues } = headerKeys(names);
  const header: HeaderInfo = {
    names,
    keys,
    issues,
    delimiter: delimiter!,
    encoding,
    line: 1,
    dataLine: parser.line,
    dataOffset: dataOffset(encoding, requested === 'auto', bom, headerText),
    strictUtf8: requested === 'auto',
  };
  let started = false;
  return {
    header,
    batches() {
      if (started) throw new Error('CsvSource.batches() can only be iterated once');
      started = true;
      return reader.records(parser, limit);
    },
  };
}

/** Bytes taken by the BOM and the header record (see HeaderInfo.dataOffset). */
function dataOffset(encoding: Encoding, strictUtf8: boolean, bom: number, headerText: string): number | undefined {
  if (encoding === 'latin1' || encoding === 'windows-1252') return bom + headerText.length; // one byte a character
  if (encoding !== 'utf8') return undefined;
  // Lenient UTF-8 turns invalid bytes into U+FFFD, whose encoded length is not theirs.
  if (!strictUtf8 && headerText.includes('\uFFFD')) return undefined;
  return bom + Buffer.byteLength(headerText, 'utf8');
}

/** How the data records of an opened CSV are read, to read them again from mid-input (resumeCsv, pieces). */
export interface RecordFormat {
  delimiter: string;
  encoding: Encoding;
  strictUtf8: boolean;
  /** Fields per record (the header's). */
  fields: number;
  /** Default DEFAULT_MAX_FIELD. */
  maxFieldBytes?: number;
}

/** Where to resume reading data records mid-input: at a record start, on a known line (see resumeCsv). */
export interface ResumePoint extends RecordFormat {
  /** Physical line of the first record. */
  line: number;
  /** Byte offset in the input of the first record (for error messages). */
  offset: number;
}

/**
 * A decoder and a record parser for reading `format` from byte `offset` (a record start, on `line`), set up as
 * openCsv sets up its own: the same decoding, field count and size limit.
 */
export function recordReading(format: RecordFormat, offset: number, line: number): { decoder: Decoder; parser: RecordParser } {
  const parser = new RecordParser(format.delimiter);
  parser.expected = format.fields;
  parser.maxRecord = format.maxFieldBytes ?? DEFAULT_MAX_FIELD;
  parser.line = line;
  return { decoder: createDecoder(format.encoding, format.strictUtf8, 0, offset), parser };
}

/**
 * The data records of an input that starts at a record boundary of a CSV already opened with openCsv: what
 * `batches()` would have read from that point on, rejects and line numbers included. `input` yields the bytes
 * from `at.offset` on (for single-byte and UTF-8 input, any record start is a character boundary).
 */
export function resumeCsv(input: AsyncIterable<Buffer | Uint8Array>, at: ResumePoint, sourceName: string): AsyncGenerator<CsvItem[]> {
  const { decoder, parser } = recordReading(at, at.offset, at.line);
  return new Reader(input[Symbol.asyncIterator](), decoder, sourceName).records(parser, parser.maxRecord);
}

function headerTooLong(name: string, limit: number): InputError {
  return new InputError(`${name}: the header row is longer than ${formatSize(limit)}`, 'is this a CSV file, and is the encoding right?');
}

/** Decoded text not yet parsed, plus the input it comes from. */
class Reader {
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

  /** The data records, parsed `BATCH` at a time. */
  async *records(parser: RecordParser, limit: number): AsyncGenerator<CsvItem[]> {
    this.parser = parser;
    parser.maxRecord = limit;
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
      if (!this.eof) await this.it.return?.();
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
    parser.rejectOversized(r, raw, size - rest.length, out);
  }

  private translate(e: unknown): unknown {
    if (!(e instanceof InvalidUtf8)) return e;
    // Lines: those before the unparsed text, those in it, and those in the chunk before the bad byte.
    const unparsed = this.text + this.parts.join('');
    const line = (this.parser?.line ?? 1) + countBreaks(unparsed) + countBreaks(e.before);
    const byte = e.byte === undefined ? '' : ` (0x${e.byte.toString(16).toUpperCase().padStart(2, '0')})`;
    return new InputError(
      `${this.name}: not valid UTF-8: byte offset ${e.offset}${byte} on line ${line}`,
      'this looks like Windows-1252/Latin-1; re-run with --encoding windows-1252',
    );
  }
}

/**
 * Unique keys for header names, and warnings about blank and duplicate names. A name as written always
 * keeps its own key (so a header literally called "Email#2" or "column_4" is never shadowed); the
 * generated keys of blank and repeated names skip any key already taken.
 */
export function headerKeys(names: readonly string[]): { keys: string[]; issues: string[] } {
  const trimmed = names.map((n) => n.trim());
  const keys = new Array<string>(names.length);
  const used = new Set<string>();
  const columns = new Map<string, number[]>(); // trimmed name → 1-based columns, in order
  trimmed.forEach((t, i) => {
    if (t === '') return;
    const cols = columns.get(t);
    if (cols) cols.push(i + 1);
    else {
      columns.set(t, [i + 1]);
      keys[i] = t;
      used.add(t);
    }
  });
  const issues: string[] = [];
  trimmed.forEach((t, i) => {
    if (keys[i] !== undefined) return;
    const base = t === '' ? `column_${i + 1}` : t;
    let key = base;
    for (let k = 2; used.has(key); k++) key = `${base}#${k}`;
    used.add(key);
    keys[i] = key;
    if (t === '') issues.push(`header column ${i + 1} is blank; addressed as "${key}"`);
  });
  for (const [name, cols] of columns) {
    if (cols.length < 2) continue;
    const others = cols.slice(1).map((c) => `"${keys[c - 1]}"`);
    issues.push(
      cols.length === 2
        ? `header "${name}" appears twice (columns ${cols[0]} and ${cols[1]}); the second is addressed as ${others[0]}`
        : `header "${name}" appears ${cols.length} times (columns ${list(cols.map(String))}); the others are addressed as ${list(others)}`,
    );
  }
  return { keys, issues };
}

function list(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The delimiter of a header line: the most frequent of , ; TAB | outside quotes; ties or none → ','.
 * A quote opens a quoted field only at the start of a field, i.e. after any candidate.
 */
export function detectDelimiter(line: string): string {
  const counts = [0, 0, 0, 0];
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQuote) {
      if (ch === '"') {
        if (line[i + 1] === '"') i++;
        else inQuote = false;
      }
      continue;
    }
    const k = CANDIDATES.indexOf(ch);
    if (k !== -1) {
      counts[k]!++;
      fieldStart = true;
      continue;
    }
    if (ch === '"' && fieldStart) inQuote = true;
    fieldStart = false;
  }
  let best = 0;
  let tie = false;
  for (let k = 1; k < counts.length; k++) {
    if (counts[k]! > counts[best]!) {
      best = k;
      tie = false;
    } else if (counts[k] === counts[best]) tie = true;
  }
  return tie || counts[best] === 0 ? ',' : CANDIDATES[best]!;
}

/** Index of the first line break outside quotes (any candidate delimiter starts a field), or -1. */
function firstLineEnd(text: string): number {
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inQuote) {
      if (ch === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuote = false;
      }
      continue;
    }
    if (ch === 10 || ch === 13) return i;
    if (ch === 34 && fieldStart) inQuote = true;
    fieldStart = ch === 44 || ch === 59 || ch === 9 || ch === 124;
  }
  return -1;
}

function toBuffer(v: Buffer | Uint8Array | string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'utf8');
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
