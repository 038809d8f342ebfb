// Property tests for openCsv: random bytes never crash it, generated CSV comes back exactly, csv-parse agrees.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordParser, raggedReason } from '../../src/io/csv-parser.js';
import { openCsv, type CsvItem, type CsvRow, type ReaderOptions } from '../../src/io/csv-reader.js';
import { InputError } from '../../src/io/errors.js';

async function* chunked(buf: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let i = 0;
  for (let k = 0; i < buf.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield buf.subarray(i, i + n);
    i += n;
  }
}

async function readAll(buf: Buffer, options: ReaderOptions, sizes: number[]): Promise<{ names: string[]; items: CsvItem[] }> {
  const src = await openCsv(chunked(buf, sizes), options, 'fuzz.csv');
  const items: CsvItem[] = [];
  for await (const batch of src.batches()) items.push(...batch);
  return { names: src.header.names, items };
}

/** FUZZ_RUNS=20 multiplies the number of runs for a deeper search. */
const runs = (n: number): number => n * Number(process.env.FUZZ_RUNS ?? 1);
const lineBreaks = (s: string): number => (s.match(/\r\n|\r|\n/g) ?? []).length;
const chunkSizes = fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 5 });

describe('random bytes', () => {
  it('never throw anything but InputError, and lines only go forward', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r', '\t', ' ', 'é', '\0'), maxLength: 200 }).map((s) => new Uint8Array(Buffer.from(s)))),
        fc.constantFrom<ReaderOptions['encoding']>('auto', 'utf8', 'windows-1252', 'utf16le', 'utf16be', 'latin1'),
        fc.option(fc.constantFrom(',', ';', '\t', '|'), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }),
        chunkSizes,
        async (bytes, encoding, delimiter, maxFieldBytes, sizes) => {
          try {
            const { items } = await readAll(Buffer.from(bytes), { encoding, delimiter, maxFieldBytes }, sizes);
            let last = 1;
            for (const item of items) {
              expect(item.line).toBeGreaterThan(last);
              last = item.line;
              expect(typeof item.raw).toBe('string');
            }
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
          }
        },
      ),
      { numRuns: runs(1500) },
    );
  });
});

/** A field value from characters that stress CSV: delimiters, quotes, line breaks, non-ASCII. */
const value = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', ' ', ',', ';', '\t', '|', '"', '\r', '\n'), maxLength: 6 });

interface Record_ {
  fields: string[];
  quote: boolean[];
  end: '\n' | '\r\n' | '\r';
}

const recordArb = (k: number): fc.Arbitrary<Record_> =>
  fc
    .oneof(
      { weight: 6, arbitrary: fc.array(value, { minLength: k, maxLength: k }) },
      { weight: 1, arbitrary: fc.array(value, { minLength: 1, maxLength: k + 2 }) },
      { weight: 1, arbitrary: fc.array(value, { minLength: k, maxLength: k }).map((f) => [...f, '']) },
      { weight: 1, arbitrary: fc.constant(['']) },
    )
    .chain((fields) =>
      fc.record({
        fields: fc.constant(fields),
        quote: fc.array(fc.boolean(), { minLength: fields.length, maxLength: fields.length }),
        end: fc.constantFrom<Record_['end']>('\n', '\r\n', '\r'),
      }),
    );

function field(v: string, d: string, quote: boolean): string {
  const must = v.includes(d) || v.includes('\r') || v.includes('\n') || v.startsWith('"');
  return must || quote ? `"${v.replace(/"/g, '""')}"` : v;
}

describe('generated CSV', () => {
  it('comes back exactly: every non-blank record is a row or a reject, with its physical line', async () => {
    const csv = fc.integer({ min: 1, max: 5 }).chain((k) =>
      fc.record({
        k: fc.constant(k),
        delimiter: fc.constantFrom(',', ';', '\t', '|'),
        records: fc.array(recordArb(k), { maxLength: 12 }),
        lastEnd: fc.boolean(),
        bom: fc.boolean(),
        utf16: fc.boolean(),
        sizes: chunkSizes,
      }),
    );
    await fc.assert(
      fc.asyncProperty(csv, async ({ k, delimiter: d, records, lastEnd, bom, utf16, sizes }) => {
        const names = Array.from({ length: k }, (_, i) => `c${i}`);
        let text = `${names.join(d)}\n`;
        const expected: CsvItem[] = [];
        let prevEnd = '\n';
        records.forEach((r, idx) => {
          const parts = r.fields.map((f, i) => field(f, d, r.quote[i]!));
          const body = parts.join(d);
          const last = idx === records.length - 1;
          // An empty line after a lone CR would merge into a CRLF; keep the breaks apart.
          const end = body === '' && prevEnd === '\r' && r.end === '\n' ? '\r' : r.end;
          const line = lineBreaks(text) + 1;
          text += body + (last && !lastEnd ? '' : end);
          prevEnd = end;
          if (body === '') return; // a blank line: skipped
          const n = r.fields.length;
          let item: CsvItem;
          if (n === k) item = { line, fields: r.fields, raw: body };
          else if (n === k + 1 && r.fields[k] === '') item = { line, fields: r.fields.slice(0, k), raw: parts.slice(0, k).join(d) };
          else item = { line, reason: raggedReason(k, n), raw: body };
          if (last && !lastEnd) item.unterminated = true;
          expected.push(item);
        });
        const bytes = utf16 ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) : Buffer.concat([Buffer.from(bom ? '\ufeff' : ''), Buffer.from(text)]);
        const { names: got, items } = await readAll(bytes, { delimiter: d }, sizes);
        expect(got).toEqual(names);
        expect(items).toEqual(expected);
        for (const item of items) {
          if (!('fields' in item)) continue;
          // '' is one empty field (a one-column row written as "," with a trailing delimiter); csv-parse sees no record.
          if (item.raw === '') {
            expect(item.fields).toEqual(['']);
            continue;
          }
          const again = parse(item.raw, { delimiter: d, relax_quotes: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] });
          expect(again).toEqual([(item as CsvRow).fields]);
        }
      }),
      { numRuns: runs(1500) },
    );
  });

  it('the delimiter is detected from the header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(',', ';', '\t', '|'), fc.integer({ min: 2, max: 8 }), chunkSizes, async (d, k, sizes) => {
        const header = Array.from({ length: k }, (_, i) => (i % 2 ? `"Col ${i}"` : `col${i}`)).join(d);
        const src = await openCsv(chunked(Buffer.from(`${header}\r\n1${d}2\r\n`), sizes), {}, 'x');
        expect(src.header.delimiter).toBe(d);
        expect(src.header.names).toHaveLength(k);
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('agreement with csv-parse', () => {
  it('splits odd text into the same records as csv-parse (relax_quotes), whatever the chunking', async () => {
    const odd = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' '), minLength: 1, maxLength: 80 });
    await fc.assert(
      fc.asyncProperty(odd, chunkSizes, async (text, sizes) => {
        const parser = new RecordParser(',');
        const ours: CsvItem[] = [];
        parser.parse(text, 0, true, ours, Infinity);
        const unclosed = ours.some((i) => !('fields' in i) && i.reason.startsWith('unclosed quote'));
        let theirs: string[][] | undefined;
        try {
          theirs = parse(text, { relax_quotes: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] });
        } catch {
          theirs = undefined; // csv-parse stops at an unclosed quote; we reject it and go on
        }
        if (theirs === undefined) expect(unclosed).toBe(true);
        // Our one deliberate difference: a quote "closed" by a later field's opening quote is reported as unclosed.
        if (!unclosed) expect(ours.map((i) => (i as CsvRow).fields)).toEqual(theirs);

        // The streaming reader (header = first record) sees the same records in any chunking.
        if (/^[\r\n]/.test(text)) return;
        try {
          const { names, items } = await readAll(Buffer.from(text), { delimiter: ',' }, sizes);
          const first = ours[0] as CsvRow;
          expect(names).toEqual(first.fields);
          expect(items.map((i) => [i.line, i.raw])).toEqual(
            reparseAll(text, names.length).map((i) => [i.line, i.raw]),
          );
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
        }
      }),
      { numRuns: runs(3000) },
    );
  });
});

describe('chunking', () => {
  it('never changes the result, oversized records and unclosed quotes included', async () => {
    const odd = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é'), minLength: 1, maxLength: 120 });
    const outcome = async (buf: Buffer, options: ReaderOptions, sizes: number[]): Promise<unknown> => {
      try {
        return await readAll(buf, options, sizes);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return e.message;
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom('h', ','), minLength: 1, maxLength: 4 }), odd, fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }), chunkSizes, async (head, body, maxFieldBytes, sizes) => {
        const buf = Buffer.from(`${head}\n${body}`);
        const options = { delimiter: ',', maxFieldBytes };
        expect(await outcome(buf, options, sizes)).toEqual(await outcome(buf, options, [buf.length]));
      }),
      { numRuns: runs(3000) },
    );
  });
});

/** Whole-text parse after the header, with the header's field count, as reference for the chunked reader. */
function reparseAll(text: string, k: number): CsvItem[] {
  const p = new RecordParser(',');
  const head: CsvItem[] = [];
  const pos = p.parse(text, 0, true, head, 1);
  p.expected = k;
  const out: CsvItem[] = [];
  p.parse(text, pos, true, out, Infinity);
  return out;
}
