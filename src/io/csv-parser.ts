// The CSV tokenizer behind openCsv: complete records from decoded text, with exact raw text and physical line numbers.
//
// Grammar (RFC 4180 plus the quirks of real exports, matching csv-parse with `relax_quotes`):
// - records end at CRLF, LF or a lone CR; a line break counts as one physical line whichever it is;
// - a field that starts with `"` is quoted: `""` inside is one quote, and delimiters and line breaks are data;
// - a quote anywhere else is an ordinary character (`ab"c` stays `ab"c`);
// - a closing quote followed by something other than a delimiter or line break does not end the field:
//   the text is kept literally, quotes included (`"ab"cd` → `"ab"cd`), as csv-parse does;
// - except: a quote left open is rejected and reading resumes on the next line (see `unclosed`).
// We tokenize ourselves instead of running csv-parse because csv-parse neither reports where a record
// started (its `info.lines` counts a quoted CRLF twice) nor gives raw text without the record delimiter,
// cannot resume after an oversized record, and is several times slower; test/io checks both agree.
//
// Oversized records are decided the same way whether the record arrived in one chunk or in many (so stdin
// and a file give identical results): by the state after its first `maxRecord + 1` characters. A quote still open
// there is taken for one never closed: the record is rejected up to the end of the line where the quote's field
// first meets a line break, and reading resumes on the next line, as for a short record.
//
// Memory per record is bounded by two limits: `maxRecord` characters, and fields kept: a data record keeps at most
// the header's count plus one (a longer one is a reject, so its further fields are only counted), a header at most
// `maxFields` (`fieldsCut` says it had more).

import type { CsvItem } from './csv-types.js';

const QUOTE = 34;
const CR = 13;
const LF = 10;
/** Characters of an oversized record kept as its `raw`. */
export const RAW_KEEP = 1024;
const MiB = 1024 * 1024;

/** 64 MiB, 512 KiB, 1000 bytes. */
export function formatSize(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  if (n >= 10 * MiB) return `${(n / MiB).toFixed(1)} MiB`;
  return `${n} bytes`;
}

/** Line breaks (CRLF, LF or lone CR, each counted once) in `s` between `from` and `to`. */
export function countBreaks(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) n++;
    else if (c === CR) {
      n++;
      if (i + 1 < to && s.charCodeAt(i + 1) === LF) i++;
    }
  }
  return n;
}

/** `expected 5 fields, found 3 (row is short)`. */
export function raggedReason(expected: number, found: number): string {
  return `expected ${expected} field${expected === 1 ? '' : 's'}, found ${found} (row is ${found < expected ? 'short' : 'long'})`;
}

/**
 * Splits decoded text into records. Resumable only at record boundaries: when a record runs past the end
 * of the text, `parse` returns its start and sets `needMore`; the caller appends text and calls again.
 */
export class RecordParser {
  /** Physical line (1-based) where the next record starts. */
  line = 1;
  /** Fields per record; -1 accepts any count (used for the header). */
  expected = -1;
  /** True when the last `parse` stopped at a record that continues past the text. */
  needMore = false;
  /** When stalled only because a record's final CR might be half of a CRLF: the record itself is complete. */
  stallComplete = false;
  /** Records longer than this many characters are rejected (see `oversized`); set by the reader. */
  maxRecord = Infinity;
  /** Fields kept of a record when `expected` is -1 (the header); see `fieldsCut`. */
  maxFields = Infinity;
  /** True when the last record parsed with `expected` -1 had more than `maxFields` fields (the rest were not kept). */
  fieldsCut = false;
  /** Character code of the delimiter. */
  readonly delimiterCode: number;
  private readonly d: string;

  constructor(delimiter: string) {
    this.d = delimiter;
    this.delimiterCode = delimiter.charCodeAt(0);
  }

  /**
   * Parse records of `s` from `pos` into `out` until `out` holds `max` items or the text ends.
   * `final`: nothing follows `s`, so a record may end at the end of the text. Returns the position of the
   * first record not parsed. Blank lines are skipped (they still count as lines).
   */
  parse(s: string, pos: number, final: boolean, out: CsvItem[], max: number): number {
    const len = s.length;
    const d = this.d;
    const dc = this.delimiterCode;
    // Next delimiter / LF / CR at or after the current position (`len` when none); refreshed lazily.
    // One indexOf per field and per line keeps the scanning in native code.
    let nd = -1;
    let nlf = -1;
    let ncr = -1;
    this.needMore = false;
    records: while (pos < len && out.length < max) {
      const start = pos;
      const c0 = s.charCodeAt(pos);
      if (c0 === LF || c0 === CR) {
        if (c0 === CR) {
          if (pos + 1 < len) pos += s.charCodeAt(pos + 1) === LF ? 2 : 1;
          else if (!final) break; // maybe the CR of a CRLF split across chunks
          else pos++;
        } else pos++;
        this.line++;
        continue;
      }
      const fields: string[] = [];
      // Fields kept: a data record with more than `expected + 1` is a reject whatever they hold, so they are counted.
      const cap = this.expected >= 0 ? this.expected + 1 : this.maxFields;
      let extra = 0;
      let breaks = 0; // line breaks inside quoted fields of this record
      let lastDelim = -1;
      let end: number; // index of the record's line break, or len
      for (;;) {
        let p = pos;
        let prefix = '';
        if (s.charCodeAt(pos) === QUOTE) {
          let j = pos + 1;
          let val = '';
          let q: number;
          for (;;) {
            q = s.indexOf('"', j);
            if (q === -1) {
              if (!final) return this.stall(start, false);
              pos = len - start > this.maxRecord ? this.oversized(s, start, len, len, out) : this.unclosed(s, start, pos, breaks, out);
              nd = nlf = ncr = -1; // reading may resume before where they were found
              continue records;
            }
            if (q + 1 === len && !final) return this.stall(start, false);
            if (s.charCodeAt(q + 1) !== QUOTE) break;
            val += s.slice(j, q + 1);
            j = q + 2;
          }
          val += s.slice(j, q);
          if (nlf < pos) nlf = at(s, '\n', pos, len);
          if (ncr < pos) ncr = at(s, '\r', pos, len);
          const fieldBreaks = nlf < q || ncr < q ? countBreaks(s, pos + 1, q) : 0;
          const n = q + 1 < len ? s.charCodeAt(q + 1) : -1;
          if (n === dc) {
            if (fields.length < cap) fields.push(val);
            else extra++;
            breaks += fieldBreaks;
            lastDelim = q + 1;
            pos = q + 2;
            continue;
          }
          if (n === LF || n === CR || n === -1) {
            if (fields.length < cap) fields.push(val);
            else extra++;
            breaks += fieldBreaks;
            end = q + 1;
            break;
          }
          if (fieldBreaks > 0 && q + 2 - start <= this.maxRecord) {
            // A "closing" quote followed by text, after a line break: almost always the opening quote of a
            // later field, i.e. this quote was never closed. Reject and resync rather than glue lines together.
            // (Past maxRecord the size rule decides instead, at the end of the record.)
            pos = this.unclosed(s, start, pos, breaks, out);
            continue records;
          }
          // Relaxed: text after the closing quote; keep the whole field literally.
          prefix = `"${val}"`;
          p = q + 1;
        }
        if (nd < p) nd = at(s, d, p, len);
        if (nlf < p) nlf = at(s, '\n', p, len);
        if (ncr < p) ncr = at(s, '\r', p, len);
        const e = nlf < ncr ? nlf : ncr;
        if (nd < e) {
          if (fields.length < cap) fields.push(prefix + s.slice(p, nd));
          else extra++;
          lastDelim = nd;
          pos = nd + 1;
          continue;
        }
        if (e === len && !final) return this.stall(start, false);
        if (fields.length < cap) fields.push(prefix + s.slice(p, e));
        else extra++;
        end = e;
        break;
      }
      let next: number;
      if (end === len) next = len;
      else if (s.charCodeAt(end) === LF) next = end + 1;
      else if (end + 1 < len) next = s.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
      else if (!final) return this.stall(start, true);
      else next = end + 1;

      if (end - start > this.maxRecord) {
        pos = this.oversized(s, start, end, next, out);
        nd = nlf = ncr = -1; // reading may resume before where they were found (an open quote's line)
        continue;
      }
      const line = this.line;
      this.line += 1 + breaks;
      const exp = this.expected;
      const nf = fields.length + extra;
      let item: CsvItem;
      if (exp < 0) {
        this.fieldsCut = extra > 0;
        item = { line, fields, raw: s.slice(start, end) };
      } else if (nf === exp) item = { line, fields, raw: s.slice(start, end) };
      else if (nf === exp + 1 && fields[exp] === '') {
        // A trailing delimiter (`a,b,c,`) is common in exports: drop the empty extra field, and cut it
        // from raw too so `raw + delimiter + added fields` stays aligned with the header.
        fields.length = exp;
        item = { line, fields, raw: s.slice(start, lastDelim) };
      } else item = { line, reason: raggedReason(exp, nf), raw: s.slice(start, end) };
      if (end === len) item.unterminated = true; // the input ended without a line break after it
      out.push(item);
      pos = next;
    }
    return pos;
  }

  private stall(start: number, complete: boolean): number {
    this.needMore = true;
    this.stallComplete = complete;
    return start;
  }

  /**
   * A record longer than `maxRecord`, wholly in `s` (from `start` to `end`, resuming at `next`): decided by
   * `beginOversized`, then rejected whole. Returns where parsing continues.
   */
  private oversized(s: string, start: number, end: number, next: number, out: CsvItem[]): number {
    const r = this.beginOversized(s, start, out);
    if (typeof r === 'number') return r;
    const from = start + this.maxRecord + 1;
    const e = r.feed(s.slice(from, end));
    // Fed without the record's own line break, the skipper is done only where it stopped inside an open quote.
    let resume = next;
    if (r.done) resume = e !== -1 ? from + e : s.charCodeAt(end) === LF ? end + 1 : end;
    this.rejectOversized(r, s.slice(start, start + RAW_KEEP), (r.done ? resume : end) - start, out, !r.done && end === s.length);
    return resume;
  }

  /**
   * First step for a record at `start` longer than `maxRecord` (`s` holds at least `maxRecord + 1` of its
   * characters). If at that point a quoted field is open across a line break, it is a quote that was never
   * closed: rejected as such, reading resumes after the quote's line, and the resume position is returned.
   * Otherwise returns a skipper that has seen those characters, to follow the record to its end.
   */
  beginOversized(s: string, start: number, out: CsvItem[]): number | RecordSkipper {
    const sk = new RecordSkipper(this.delimiterCode);
    sk.feed(s.slice(start, start + this.maxRecord + 1));
    if (sk.openQuoteSpansLines) {
      return this.unclosed(s, start, start + sk.quoteStart, sk.quoteLine, out, ` (no closing quote within ${formatSize(this.maxRecord)})`);
    }
    // Open on its first line: if a line break comes before the quote closes, the record is rejected up to there.
    if (sk.inQuote) sk.resync = true;
    return sk;
  }

  /**
   * Last step for an oversized record: `sk` has seen all of it (`size` characters), or up to the line break where it
   * stopped inside an open quote; `raw` is its beginning. `unterminated`: the input ended without a line break.
   */
  rejectOversized(sk: RecordSkipper, raw: string, size: number, out: CsvItem[], unterminated: boolean): void {
    sk.finish();
    const line = this.line;
    const reason = sk.resynced
      ? `unclosed quote starting on line ${line + sk.quoteLine} (no closing quote within ${formatSize(this.maxRecord)})`
      : sk.unclosedQuote
        ? `unclosed quote starting on line ${line + sk.quoteLine}; the rest of the input (${formatSize(size)}) was read as one field`
        : `${sk.maxField > this.maxRecord ? 'field' : 'row'} larger than ${formatSize(this.maxRecord)} (raw text cut to the first ${RAW_KEEP} characters)`;
    out.push(unterminated ? { line, reason, raw, unterminated } : { line, reason, raw });
    // The skipper counted the record's own line break only if it was fed one.
    this.line = line + sk.lines + (sk.done ? 0 : 1);
  }

  /**
   * A quote opened at `qpos` (in the record starting at `start`, after `breaks` line breaks) is not closed.
   * Rather than swallow the rest of the file into one field, reject the record up to the end of the quote's
   * line and parse on from the next line, so the rows after a single broken cell are not lost.
   * Returns where parsing continues.
   */
  unclosed(s: string, start: number, qpos: number, breaks: number, out: CsvItem[], detail = ''): number {
    const len = s.length;
    const quoteLine = this.line + breaks;
    const lf = at(s, '\n', qpos, len);
    const cr = at(s, '\r', qpos, len);
    const eol = lf < cr ? lf : cr;
    const reason = `unclosed quote starting on line ${quoteLine}${detail}`;
    out.push(eol === len ? { line: this.line, reason, raw: s.slice(start, eol), unterminated: true } : { line: this.line, reason, raw: s.slice(start, eol) });
    this.line = quoteLine + 1;
    if (eol === len) return len;
    return s.charCodeAt(eol) === CR && s.charCodeAt(eol + 1) === LF ? eol + 2 : eol + 1;
  }
}

function at(s: string, ch: string, from: number, len: number): number {
  const i = s.indexOf(ch, from);
  return i === -1 ? len : i;
}

/**
 * Follows one record that is too large to hold, chunk by chunk, without keeping it: same grammar as
 * RecordParser, tracking only what is needed to find the record's end, its line count and its largest field.
 */
export class RecordSkipper {
  /** Line breaks seen, including the one that ends the record. */
  lines = 0;
  /** The record's end has been seen. */
  done = false;
  /** Lines after the record start where the currently open quote started… */
  quoteLine = 0;
  /** …and its offset from the record start. */
  quoteStart = 0;
  /** Length of the longest field seen so far. */
  maxField = 0;
  /**
   * Set while a quote open at the size limit has not met a line break: the first line break inside it ends the
   * record there (`resynced`), as an unclosed quote. Cleared when the quote closes.
   */
  resync = false;
  /** The record was ended by `resync`. */
  resynced = false;
  /** Inside a quoted field (or just after a quote in one: the next character decides). */
  inQuote = false;
  private quoteSeen = false; // a quote inside a quoted field; the next character decides
  private prevCR = false; // inside quotes: a CR, so a following LF is part of the same break
  private crEnd = false; // the record ended with a CR at the end of a chunk; swallow a following LF
  private atFieldStart = true;
  private fieldLen = 0;
  private consumed = 0; // characters fed before the current text

  constructor(private readonly dc: number) {}

  /** True when the input ended inside a quoted field. */
  get unclosedQuote(): boolean {
    return this.inQuote && !this.quoteSeen;
  }

  /** True when a quoted field is open (or may be: a quote was just seen) and has crossed a line break. */
  get openQuoteSpansLines(): boolean {
    return this.inQuote && this.lines > this.quoteLine;
  }

  /** Consume `s`; returns the index just after the record's end, or -1 if the record continues. */
  feed(s: string): number {
    const len = s.length;
    let i = 0;
    const base = this.consumed;
    this.consumed += len;
    if (this.done) {
      if (this.crEnd && len > 0) {
        this.crEnd = false;
        return s.charCodeAt(0) === LF ? 1 : 0;
      }
      return this.crEnd ? -1 : 0;
    }
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (c === QUOTE) {
          this.fieldLen++;
          continue;
        }
        this.inQuote = false; // closed: handle c below as an unquoted character
        this.resync = false;
      }
      if (this.inQuote) {
        if (c === QUOTE) this.quoteSeen = true;
        else if (this.resync && (c === LF || c === CR)) {
          this.resynced = true;
          return this.end(s, i);
        } else if (c === LF) {
          if (!this.prevCR) this.lines++;
        } else if (c === CR) this.lines++;
        this.prevCR = c === CR;
        this.fieldLen++;
        continue;
      }
      if (c === QUOTE && this.atFieldStart) {
        this.inQuote = true;
        this.quoteLine = this.lines;
        this.quoteStart = base + i;
        this.atFieldStart = false;
        this.fieldLen++;
        continue;
      }
      if (c === this.dc) {
        this.endField();
        this.atFieldStart = true;
        continue;
      }
      if (c === LF || c === CR) return this.end(s, i);
      this.atFieldStart = false;
      this.fieldLen++;
    }
    return -1;
  }

  /** The record ends at the line break at `i` of `s`: returns the index after it, or -1 when it is a CR ending `s`. */
  private end(s: string, i: number): number {
    this.endField();
    this.lines++;
    this.done = true;
    if (s.charCodeAt(i) === LF) return i + 1;
    if (i + 1 < s.length) return s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
    this.crEnd = true;
    return -1;
  }

  /** Call at the end of the input: counts the last field. */
  finish(): void {
    this.endField();
  }

  private endField(): void {
    if (this.fieldLen > this.maxField) this.maxField = this.fieldLen;
    this.fieldLen = 0;
  }
}
