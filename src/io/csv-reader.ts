// Opening a CSV export: options checked, encoding decided (and checked against the bytes), header read and named;
// its data records are then read by csv-records.ts.
//
// Decisions (see also csv-parser.ts for the grammar, csv-records.ts for limits):
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
//   still open at the limit is reported as an unclosed quote instead, rejected up to the end of its line (and
//   reading resumes there).
// - Encodings are never guessed silently. 'auto': a BOM, then the NUL pattern of UTF-16, else UTF-8. Whether
//   detected or given, UTF-8 and UTF-16 must be valid (an InputError names the byte offset and line); a given
//   encoding that a BOM contradicts, a byte encoding given for input with UTF-16's NULs, and UTF-16 given for
//   input without a single NUL byte are InputErrors too. 'latin1' is ISO-8859-1, not the WHATWG alias of
//   windows-1252. A byte encoding given for input whose first bytes are valid UTF-8 with multi-byte characters is
//   a warning (the file's line and its mojibake), not an error: such bytes can be meant (Ã then ©), if seldom.
//   All of it is decided on the first SNIFF_BYTES of the input.
import { InputError } from './errors.js';
import { formatSize, RecordParser } from './csv-parser.js';
import { detectDelimiter, firstLineEnd, headerKeys } from './csv-header.js';
import { DEFAULT_MAX_FIELD, MAX_FIELDS, TextReader, toBuffer } from './csv-records.js';
import type { CsvItem, CsvSource, Encoding, HeaderInfo, ReaderOptions } from './csv-types.js';
import { createDecoder, sniffEncoding, SNIFF_BYTES, utf8Lookalike } from './decode.js';

export type { CsvItem, CsvReject, CsvRow, CsvSource, Encoding, HeaderInfo, ReaderOptions, RecordFormat, ResumePoint } from './csv-types.js';
// What other modules read a header with, kept importable from here (they live in csv-header.ts).
export { detectDelimiter, headerKeys } from './csv-header.js';

const ENCODINGS: readonly string[] = ['utf8', 'utf16le', 'utf16be', 'windows-1252', 'latin1'];
const LABEL: Record<Encoding, string> = { utf8: 'UTF-8', utf16le: 'UTF-16LE', utf16be: 'UTF-16BE', 'windows-1252': 'Windows-1252', latin1: 'Latin-1' };

/**
 * Open a CSV from a byte stream (file stream or stdin): reads up to the end of the header.
 * Throws InputError for unreadable input (empty, no header row, bytes not valid in the encoding, bad options);
 * `batches()` may throw InputError too when invalid bytes turn up later in the input.
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
  const maxFields = options.maxFields ?? MAX_FIELDS;
  const delimOpt = options.delimiter;
  if (delimOpt !== undefined && (delimOpt.length !== 1 || delimOpt === '"' || delimOpt === '\r' || delimOpt === '\n')) {
    throw new InputError(`"${delimOpt}" cannot be a delimiter`, 'use one character such as , ; | or a tab');
  }
  const requested = options.encoding ?? 'auto';
  if (requested !== 'auto' && !ENCODINGS.includes(requested)) {
    throw new InputError(`unknown encoding "${requested}"`, `use one of auto, ${ENCODINGS.join(', ')}`);
  }

  const first: Buffer[] = [];
  let firstLen = 0;
  let eof = false;
  while (firstLen < SNIFF_BYTES) {
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
  const window = head.subarray(0, SNIFF_BYTES);
  const sniffed = sniffEncoding(window);
  const notes = requested === 'auto' ? [] : checkGiven(requested, sniffed, window, name);
  const encoding: Encoding = requested === 'auto' ? sniffed.encoding : requested;
  const reader = new TextReader(it, createDecoder(encoding, sniffed.bom), name);
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
        if (!parser) {
          parser = new RecordParser(delimiter);
          parser.maxFields = maxFields;
        }
        const out: CsvItem[] = [];
        const pos = parser.parse(text, 0, reader.eof, out, 1);
        const item = out[0];
        if (item) {
          if (!('fields' in item)) throw new InputError(`${name}: the header row has an ${item.reason}`, 'close the quote in the header or remove it');
          if (item.raw.length > limit) throw headerTooLong(name, limit);
          if (parser.fieldsCut) throw new InputError(`${name}: the header row has more than ${maxFields.toLocaleString('en-US')} columns`, 'is this a CSV file, and is the delimiter right?');
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
  parser.maxRecord = limit;
  const { keys, issues } = headerKeys(names);
  const header: HeaderInfo = {
    names,
    keys,
    issues: [...notes, ...issues],
    delimiter: delimiter!,
    encoding,
    lineBreak: headerText.endsWith('\r\n') ? '\r\n' : '\n',
    line: 1,
    dataLine: parser.line,
    dataOffset: dataOffset(encoding, sniffed.bom, headerText),
  };
  let started = false;
  return {
    header,
    batches() {
      if (started) throw new Error('CsvSource.batches() can only be iterated once');
      started = true;
      return reader.records(parser);
    },
  };
}

/**
 * An encoding given with --encoding must fit the input's first bytes: a byte-order mark says which encoding it is,
 * text in a byte encoding holds no UTF-16 NUL pattern, and UTF-16 text (whose delimiters and line breaks are
 * ASCII, a NUL byte each) holds NUL bytes. Returns the warnings: a byte encoding given for what reads as UTF-8.
 */
function checkGiven(requested: Encoding, sniffed: ReturnType<typeof sniffEncoding>, head: Buffer, name: string): string[] {
  const hint = 'leave --encoding out (or give auto) to detect it, or give the right one';
  const given = `--encoding ${requested} was given`;
  if (sniffed.bom && sniffed.encoding !== requested) {
    throw new InputError(`${name}: starts with a ${LABEL[sniffed.encoding]} byte-order mark, but ${given}`, hint);
  }
  const utf16 = requested === 'utf16le' || requested === 'utf16be';
  if (!utf16 && (sniffed.encoding === 'utf16le' || sniffed.encoding === 'utf16be')) {
    const nul = head.indexOf(0);
    throw new InputError(`${name}: looks like ${LABEL[sniffed.encoding]} (a NUL in every other byte, first at byte offset ${nul} on line ${lineAt(head, nul)}), but ${given}`, hint);
  }
  if (utf16 && !sniffed.bom && head.length >= 4 && head.indexOf(0) === -1) {
    throw new InputError(`${name}: is not ${LABEL[requested]}: no NUL byte in its first ${head.length} bytes (UTF-16 has one in every ASCII character, such as delimiters and line breaks), but ${given}`, hint);
  }
  const at = requested === 'latin1' || requested === 'windows-1252' ? utf8Lookalike(head) : -1;
  if (at < 0) return [];
  const b = head[at]!;
  const seq = head.subarray(at, at + (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2));
  const misread = createDecoder(requested, 0).write(seq);
  return [
    `${name}: looks like UTF-8, but ${given}: line ${lineAt(head, at)} reads ${JSON.stringify(seq.toString('utf8'))} as ${JSON.stringify(misread)} (re-run with --encoding utf8, or leave --encoding out)`,
  ];
}

/** Line (1-based) of byte `at` of `head`, counting its line feeds as single bytes. */
function lineAt(head: Buffer, at: number): number {
  let line = 1;
  for (let i = head.indexOf(10); i !== -1 && i < at; i = head.indexOf(10, i + 1)) line++;
  return line;
}

/** Bytes taken by the BOM and the header record (see HeaderInfo.dataOffset). */
function dataOffset(encoding: Encoding, bom: number, headerText: string): number | undefined {
  if (encoding === 'latin1' || encoding === 'windows-1252') return bom + headerText.length; // one byte a character
  if (encoding !== 'utf8') return undefined;
  return bom + Buffer.byteLength(headerText, 'utf8');
}

function headerTooLong(name: string, limit: number): InputError {
  return new InputError(`${name}: the header row is longer than ${formatSize(limit)}`, 'is this a CSV file, and is the encoding right?');
}
