// openCsv on one fixture per export quirk: header keys and issues, exact rows (fields, line, raw) and rejects.
import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { openCsv, type CsvItem, type CsvReject, type CsvRow, type HeaderInfo, type ReaderOptions } from '../../src/io/csv-reader.js';
import { detectDelimiter, headerKeys } from '../../src/io/csv-header.js';
import { BATCH, resumeCsv } from '../../src/io/csv-records.js';
import { InputError } from '../../src/io/errors.js';

const DIR = new URL('../fixtures/dialects/', import.meta.url);
const fixture = (name: string): Buffer => readFileSync(new URL(name, DIR));

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

interface Read {
  header: HeaderInfo;
  items: CsvItem[];
  batchSizes: number[];
}

async function read(buf: Buffer | AsyncIterable<Buffer>, options: ReaderOptions = {}, size = 1 << 16): Promise<Read> {
  const input = Buffer.isBuffer(buf) ? chunked(buf, size) : buf;
  const src = await openCsv(input, options, 'test.csv');
  const items: CsvItem[] = [];
  const batchSizes: number[] = [];
  for await (const batch of src.batches()) {
    batchSizes.push(batch.length);
    items.push(...batch);
  }
  return { header: src.header, items, batchSizes };
}

/** Every row's raw text, parsed again by csv-parse, gives the row's fields. */
function expectRawReparses(r: Read): void {
  for (const item of r.items) {
    if (!('fields' in item)) continue;
    const again = parse(item.raw, { delimiter: r.header.delimiter, relax_quotes: true, relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] });
    expect(again, `raw of line ${item.line}`).toEqual([item.fields]);
  }
}

/** Read a fixture whole and in tiny chunks (all must agree), and check raw round-trips. */
async function readFixture(name: string, options: ReaderOptions = {}): Promise<Read> {
  const buf = fixture(name);
  const whole = await read(buf, options);
  for (const size of [1, 2, 3, 7]) {
    const r = await read(buf, options, size);
    expect({ header: r.header, items: r.items }, `${name} in ${size}-byte chunks`).toEqual({ header: whole.header, items: whole.items });
  }
  expectRawReparses(whole);
  return whole;
}

const row = (line: number, fields: string[], raw: string): CsvRow => ({ line, fields, raw });
const reject = (line: number, reason: string, raw: string): CsvReject => ({ line, reason, raw });

async function inputError(p: Promise<unknown>): Promise<InputError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('encodings', () => {
  it('strips a UTF-8 BOM, even before a quoted first header', async () => {
    const r = await readFixture('utf8-bom.csv');
    expect(r.header).toEqual({
      names: ['Record ID', 'Company', 'City'],
      keys: ['Record ID', 'Company', 'City'],
      issues: [],
      delimiter: ',',
      encoding: 'utf8',
      lineBreak: '\n',
      line: 1,
      dataLine: 2,
      dataOffset: 28, // 3 bytes of BOM + `"Record ID",Company,City\n`
    });
    expect(r.items).toEqual([row(2, ['1', 'Zażółć Sp. z o.o.', 'Kraków'], '1,Zażółć Sp. z o.o.,Kraków'), row(3, ['2', 'Müller GmbH', 'München'], '2,Müller GmbH,München')]);
  });

  it('reads Excel "Unicode text": UTF-16LE with BOM, tabs, CRLF, a surrogate pair split across chunks', async () => {
    const r = await readFixture('utf16le-bom.tsv');
    expect(r.header.encoding).toBe('utf16le');
    expect(r.header.delimiter).toBe('\t');
    expect(r.header.names).toEqual(['Record ID', 'Company', 'Country']);
    expect(r.items).toEqual([row(2, ['1', 'Zażółć 😀', 'Polska'], '1\tZażółć 😀\tPolska'), row(3, ['2', 'Tab\tinside', 'Deutschland'], '2\t"Tab\tinside"\tDeutschland')]);
  });

  it('recognises UTF-16LE without a BOM from its NUL bytes', async () => {
    const r = await readFixture('utf16le-nobom.csv');
    expect(r.header.encoding).toBe('utf16le');
    expect(r.items).toEqual([row(2, ['1', 'Ærø'], '1,Ærø')]);
  });

  it('reads UTF-16BE with a BOM', async () => {
    const r = await readFixture('utf16be-bom.csv');
    expect(r.header.encoding).toBe('utf16be');
    expect(r.header.names).toEqual(['id', 'name']);
    expect(r.items).toEqual([row(2, ['1', 'Ünïcödé'], '1,Ünïcödé')]);
  });

  it('reads Windows-1252 (é, €) when told to', async () => {
    const r = await readFixture('windows-1252.csv', { encoding: 'windows-1252' });
    expect(r.header).toMatchObject({ names: ['id', 'Firma', 'Umsatz'], delimiter: ';', encoding: 'windows-1252' });
    expect(r.items).toEqual([row(2, ['1', 'Café Crème', '5 000 €'], '1;Café Crème;5 000 €'), row(3, ['2', 'Société Générale', '1 250 000 €'], '2;Société Générale;1 250 000 €')]);
  });

  it('latin1 is ISO-8859-1, not the WHATWG alias of windows-1252', async () => {
    const r = await read(fixture('windows-1252.csv'), { encoding: 'latin1' });
    expect(r.header.encoding).toBe('latin1');
    expect((r.items[0] as CsvRow).fields[2]).toBe('5 000 \u0080');
  });

  it('auto: Windows-1252 bytes are an InputError naming offset, byte, line and the fix', async () => {
    const e = await inputError(read(fixture('windows-1252.csv')));
    expect(e.message).toBe('test.csv: not valid UTF-8: byte offset 21 (0xE9) on line 2');
    expect(e.hint).toBe('this looks like Windows-1252/Latin-1; re-run with --encoding windows-1252');
    const e2 = await inputError(read(fixture('invalid-utf8.csv'), {}, 1));
    expect(e2.message).toBe('test.csv: not valid UTF-8: byte offset 18 (0xE9) on line 3');
  });

  it('auto: invalid UTF-8 far into the file is thrown from batches() with the right line', async () => {
    let text = 'id,name\n';
    for (let i = 1; i <= 5000; i++) text += i % 100 === 0 ? `${i},"two\nlines"\n` : `${i},ok\n`;
    const before = Buffer.from(text + '5001,caf');
    const buf = Buffer.concat([before, Buffer.from([0xe9]), Buffer.from('\n')]);
    for (const size of [4096, 65536, 5]) {
      const e = await inputError(read(buf, {}, size));
      expect(e.message).toBe(`test.csv: not valid UTF-8: byte offset ${before.length} (0xE9) on line ${5000 + 50 + 2}`);
    }
  });

  it('a UTF-8 sequence cut off by the end of the file is invalid', async () => {
    const e = await inputError(read(Buffer.from([0x61, 0x0a, 0x62, 0xc3])));
    expect(e.message).toBe('test.csv: not valid UTF-8: byte offset 3 (0xC3) on line 2');
  });

  it('explicit utf8 is as strict as auto: invalid bytes are an InputError naming offset and line; windows-1252 reads them', async () => {
    for (const size of [1, 3, 1 << 16]) {
      const e = await inputError(read(fixture('invalid-utf8.csv'), { encoding: 'utf8' }, size));
      expect(e.message).toBe('test.csv: not valid UTF-8: byte offset 18 (0xE9) on line 3');
    }
    const w = await read(fixture('invalid-utf8.csv'), { encoding: 'windows-1252' });
    expect((w.items[1] as CsvRow).fields).toEqual(['2', 'café']);
  });

  it('a byte encoding given for UTF-16 input (its NULs) is an InputError, not garbage rows', async () => {
    const nobom = fixture('utf16le-nobom.csv');
    for (const encoding of ['utf8', 'latin1', 'windows-1252'] as const) {
      const e = await inputError(read(nobom, { encoding }));
      expect(e.message).toBe(`test.csv: looks like UTF-16LE (a NUL in every other byte, first at byte offset 1 on line 1), but --encoding ${encoding} was given`);
      expect(e.hint).toMatch(/leave --encoding out/);
    }
    const be = Buffer.from('id,name\n1,x\n', 'utf16le').swap16();
    expect((await inputError(read(be, { encoding: 'utf8' }))).message).toMatch(/^test\.csv: looks like UTF-16BE \(a NUL in every other byte, first at byte offset 0 on line 1\)/);
  });

  it('an encoding a byte-order mark contradicts is an InputError', async () => {
    const cases: [string, ReaderOptions['encoding'], string][] = [
      ['utf16le-bom.tsv', 'utf8', 'UTF-16LE'],
      ['utf16le-bom.tsv', 'utf16be', 'UTF-16LE'],
      ['utf16be-bom.csv', 'utf16le', 'UTF-16BE'],
      ['utf8-bom.csv', 'windows-1252', 'UTF-8'],
      ['utf8-bom.csv', 'utf16le', 'UTF-8'],
    ];
    for (const [name, encoding, bom] of cases) {
      const e = await inputError(read(fixture(name), { encoding }));
      expect(e.message).toBe(`test.csv: starts with a ${bom} byte-order mark, but --encoding ${encoding} was given`);
    }
    // The encoding the mark names is fine.
    expect((await read(fixture('utf16le-bom.tsv'), { encoding: 'utf16le' })).header.names).toEqual(['Record ID', 'Company', 'Country']);
  });

  it('UTF-16 given for input without a NUL byte is an InputError; invalid UTF-16 names offset and line', async () => {
    const e = await inputError(read(Buffer.from('id,name\n1,x\n'), { encoding: 'utf16le' }));
    expect(e.message).toBe('test.csv: is not UTF-16LE: no NUL byte in its first 12 bytes (UTF-16 has one in every ASCII character, such as delimiters and line breaks), but --encoding utf16le was given');
    // A low surrogate with no high one on line 3 (byte 2 + 2 × 14), and an odd last byte.
    const lone = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,name\n1,x\n2,', 'utf16le'), Buffer.from([0x00, 0xdc]), Buffer.from('\n', 'utf16le')]);
    for (const size of [1, 3, 4096]) {
      expect((await inputError(read(lone, {}, size))).message).toBe('test.csv: not valid UTF-16LE: byte offset 30 (an unpaired surrogate 0xDC00) on line 3');
    }
    const odd = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,name\n1,x\n', 'utf16le'), Buffer.from([0x41])]);
    expect((await inputError(read(odd))).message).toBe('test.csv: not valid UTF-16LE: byte offset 26 (an odd number of bytes: the last byte is half a character) on line 3');
  });

  it('a byte encoding given for valid UTF-8 with multi-byte characters warns once, naming the line, whatever the chunks', async () => {
    const utf8 = Buffer.from('id,name\n1,Bob\n2,Café Crème\n3,Zoë\n');
    const cases = [
      ['windows-1252', 'test.csv: looks like UTF-8, but --encoding windows-1252 was given: line 3 reads "é" as "Ã©" (re-run with --encoding utf8, or leave --encoding out)'],
      ['latin1', 'test.csv: looks like UTF-8, but --encoding latin1 was given: line 3 reads "é" as "Ã©" (re-run with --encoding utf8, or leave --encoding out)'],
    ] as const;
    for (const [encoding, warning] of cases) {
      for (const size of [1, 3, 1 << 16]) {
        const r = await read(utf8, { encoding }, size);
        expect(r.header.issues).toEqual([warning]);
        expect((r.items[1] as CsvRow).fields[1]).toBe('CafÃ© CrÃ¨me');
      }
    }
    // A four-byte character, and one far into the file (line 2001, past 32 KiB).
    const far = Buffer.from(`id,name\n${'1,plain ascii text\n'.repeat(2000)}2,😀\n`);
    expect((await read(far, { encoding: 'latin1' })).header.issues).toEqual([
      'test.csv: looks like UTF-8, but --encoding latin1 was given: line 2002 reads "😀" as "ð\u009f\u0098\u0080" (re-run with --encoding utf8, or leave --encoding out)',
    ]);
  });

  it('real Windows-1252 text, and ASCII-only UTF-8, read with a byte encoding do not warn', async () => {
    expect((await read(fixture('windows-1252.csv'), { encoding: 'windows-1252' })).header.issues).toEqual([]);
    expect((await read(fixture('invalid-utf8.csv'), { encoding: 'latin1' })).header.issues).toEqual([]);
    expect((await read(Buffer.from('id,name\n1,Bob\n'), { encoding: 'windows-1252' })).header.issues).toEqual([]);
    // Valid UTF-8 at first, then a byte no UTF-8 has: Windows-1252 after all.
    const mixed = Buffer.concat([Buffer.from('id,name\n1,Ã©\n2,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect((await read(mixed, { encoding: 'windows-1252' })).header.issues).toEqual([]);
  });

  it('BOM-less UTF-16 whose first 256 bytes hold few NULs (a long Cyrillic or Chinese header) is still UTF-16, not "UTF-8" control characters', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `Поленомер${'один два три'.split(' ')[i % 3]}${'абвгдежзийкл'[i]}`);
    const text = `${names.join('\t')}\n${names.map((_, i) => String(i * 7)).join('\t')}\n`;
    // A tab every ~16 characters: far from the NUL in every other byte that ASCII text has.
    expect(Buffer.from(text, 'utf16le').subarray(0, 256).filter((b) => b === 0).length).toBeLessThan(16);
    for (const be of [false, true]) {
      const buf = Buffer.from(text, 'utf16le');
      if (be) buf.swap16();
      for (const size of [1, 7, 1 << 16]) {
        const r = await read(buf, {}, size);
        expect(r.header.encoding).toBe(be ? 'utf16be' : 'utf16le');
        expect(r.header.names).toEqual(names);
        expect((r.items[0] as CsvRow).fields[11]).toBe('77');
      }
      const e = await inputError(read(buf, { encoding: 'utf8' }));
      expect(e.message).toMatch(new RegExp(`^test\\.csv: looks like UTF-16${be ? 'BE' : 'LE'} \\(a NUL in every other byte, first at byte offset \\d+ on line 1\\), but --encoding utf8 was given$`));
    }
    const zh = Buffer.from(`${'客户名称,联系电话,所在城市,'.repeat(12)}备注\n${'一,二,三,'.repeat(12)}四\n`, 'utf16le');
    expect(zh.subarray(0, 256).filter((b) => b === 0).length).toBeLessThan(64);
    expect((await read(zh)).header.encoding).toBe('utf16le');
  });

  it('UTF-8 with stray NUL bytes stays UTF-8: one NUL, or NULs at both parities', async () => {
    const one = Buffer.from('id,name\n1,a\u0000b\n2,c\n');
    expect((await read(one)).header.encoding).toBe('utf8');
    const padded = Buffer.concat([Buffer.from('id,name\n1,x\n'), Buffer.alloc(64)]);
    expect((await read(padded)).header.encoding).toBe('utf8');
  });

  it('rejects an unknown encoding name', async () => {
    await inputError(read(Buffer.from('a\n1\n'), { encoding: 'ebcdic' as never }));
  });
});

describe('delimiters', () => {
  it('detects semicolons', async () => {
    const r = await readFixture('semicolon.csv');
    expect(r.header.delimiter).toBe(';');
    expect(r.items).toEqual([row(2, ['1', 'Acme', '1.250.000,50'], '1;Acme;"1.250.000,50"'), row(3, ['2', 'Beta; Inc', '5 mln'], '2;"Beta; Inc";5 mln')]);
  });

  it('detects tabs', async () => {
    const r = await readFixture('tab.tsv');
    expect(r.header.delimiter).toBe('\t');
    expect(r.items).toEqual([row(2, ['1', 'Acme', 'first, second'], '1\tAcme\tfirst, second'), row(3, ['2', 'Beta', 'quoted\ttab'], '2\tBeta\t"quoted\ttab"')]);
  });

  it('detects pipes', async () => {
    const r = await readFixture('pipe.csv');
    expect(r.header.delimiter).toBe('|');
    expect(r.items).toEqual([row(2, ['1', 'Acme', 'Warsaw'], '1|Acme|Warsaw'), row(3, ['2', 'Pipe|Inc', 'Gdańsk'], '2|"Pipe|Inc"|Gdańsk')]);
  });

  it('picks the most frequent candidate outside quotes; ties and none mean a comma', () => {
    expect(detectDelimiter('a;b;c,d')).toBe(';');
    expect(detectDelimiter('"x,y,z";b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc;d')).toBe('\t');
    expect(detectDelimiter('a,b;c')).toBe(',');
    expect(detectDelimiter('a;b|c')).toBe(',');
    expect(detectDelimiter('email')).toBe(',');
  });

  it('an explicit delimiter wins over detection', async () => {
    const r = await read(Buffer.from('a;b,c\n1;2,3\n'), { delimiter: ';' });
    expect(r.header.names).toEqual(['a', 'b,c']);
    expect(r.items).toEqual([row(2, ['1', '2,3'], '1;2,3')]);
    await inputError(read(Buffer.from('a\n'), { delimiter: '"' }));
  });

  it('a single-column file is fine', async () => {
    const r = await readFixture('single-column.csv');
    expect(r.header).toMatchObject({ names: ['email'], delimiter: ',' });
    expect(r.items).toEqual([row(2, ['a@x.pl'], 'a@x.pl'), row(4, ['b@x.pl'], 'b@x.pl')]);
  });
});

describe('line endings and quoting', () => {
  it('CRLF, also inside a quoted field (one physical line each)', async () => {
    const r = await readFixture('crlf.csv');
    expect(r.items).toEqual([row(2, ['1', 'Alpha'], '1,Alpha'), row(3, ['2', 'Beta\r\nline two'], '2,"Beta\r\nline two"'), row(5, ['3', 'Gamma'], '3,Gamma')]);
  });

  it('lone CR line endings, and no final line break', async () => {
    const r = await readFixture('cr-only.csv');
    expect(r.items).toEqual([row(2, ['1', 'Alpha'], '1,Alpha'), row(3, ['2', 'Be\rta'], '2,"Be\rta"'), { ...row(5, ['3', 'Gamma'], '3,Gamma'), unterminated: true }]);
    expect(r.header.lineBreak).toBe('\n'); // a lone CR is not kept in the output: LF
    expect((await readFixture('crlf.csv')).header.lineBreak).toBe('\r\n');
  });

  it('mixed line endings in one file', async () => {
    const r = await readFixture('mixed-endings.csv');
    expect(r.items).toEqual([row(2, ['1', 'Alpha'], '1,Alpha'), row(3, ['2', 'Beta'], '2,Beta'), row(4, ['3', 'Gamma'], '3,Gamma')]);
  });

  it('quoted newlines keep later line numbers physical', async () => {
    const r = await readFixture('quoted-newlines.csv');
    expect(r.items).toEqual([
      row(2, ['1', 'line one\nline two\nline three', 'Warsaw'], '1,"line one\nline two\nline three",Warsaw'),
      row(5, ['2', 'a,b', 'Kraków'], '2,"a,b",Kraków'),
      row(6, ['3', '', 'Gdańsk'], '3,"",Gdańsk'),
    ]);
  });

  it('doubled quotes, a quote inside an unquoted field, text after a closing quote', async () => {
    const r = await readFixture('quotes-in-fields.csv');
    expect(r.items).toEqual([
      row(2, ['1', 'Acme "Best" Ltd', 'doubled quotes'], '1,"Acme ""Best"" Ltd",doubled quotes'),
      row(3, ['2', 'ab"c', 'quote inside an unquoted field'], '2,ab"c,quote inside an unquoted field'),
      row(4, ['3', 'x"', 'escaped quote at the end'], '3,"x""",escaped quote at the end'),
      row(5, ['4', '"ab"cd', 'text after a closing quote'], '4,"ab"cd,text after a closing quote'),
    ]);
  });

  it('an unclosed quote rejects its line; rows before and after are delivered', async () => {
    const r = await readFixture('unclosed-quote.csv');
    expect(r.items).toEqual([
      row(2, ['1', 'Acme', 'Warsaw'], '1,Acme,Warsaw'),
      reject(3, 'unclosed quote starting on line 3', '2,"Beta,Kraków'),
      row(4, ['3', 'Gamma', 'Gdańsk'], '3,Gamma,Gdańsk'),
      row(5, ['4', 'Delta', 'Łódź'], '4,"Delta",Łódź'),
      reject(6, 'unclosed quote starting on line 6', '5,"Epsilon,Poznań'),
    ]);
  });

  it('an unclosed quote in a later field of a multi-line record names the quote’s line', async () => {
    const r = await read(Buffer.from('a,b,c\n1,"x\ny","open\n2,3,4\n'));
    expect(r.items).toEqual([reject(2, 'unclosed quote starting on line 3', '1,"x\ny","open'), row(4, ['2', '3', '4'], '2,3,4')]);
  });
});

describe('ragged rows, blank lines, truncation', () => {
  it('a short row is a reject with the counts', async () => {
    const r = await readFixture('ragged-short.csv');
    expect(r.items).toEqual([
      row(2, ['1', 'Acme', 'Warsaw', 'PL', 'a@acme.pl'], '1,Acme,Warsaw,PL,a@acme.pl'),
      reject(3, 'expected 5 fields, found 3 (row is short)', '2,Beta,Kraków'),
      row(4, ['3', 'Gamma', 'Gdańsk', 'PL', 'g@gamma.pl'], '3,Gamma,Gdańsk,PL,g@gamma.pl'),
    ]);
  });

  it('a long row is a reject, except exactly one extra empty trailing field', async () => {
    const r = await readFixture('ragged-long.csv');
    expect(r.items).toEqual([
      row(2, ['1', 'Acme', 'Warsaw'], '1,Acme,Warsaw'),
      reject(3, 'expected 3 fields, found 5 (row is long)', '2,Beta,Kraków,PL,extra'),
      row(4, ['3', 'Gamma', 'Gdańsk'], '3,Gamma,Gdańsk'),
      reject(5, 'expected 3 fields, found 5 (row is long)', '4,Delta,Łódź,,'),
    ]);
  });

  it('a trailing delimiter is dropped from fields and raw, quoted or not', async () => {
    const r = await readFixture('trailing-delimiter.csv');
    expect(r.items).toEqual([row(2, ['1', 'Acme', 'Warsaw'], '1,Acme,Warsaw'), row(3, ['2', 'Beta', 'Kraków'], '2,"Beta","Kraków"'), row(4, ['3', 'Gamma', 'Gdańsk'], '3,Gamma,Gdańsk')]);
  });

  it('says "1 field" in the singular', async () => {
    const r = await read(Buffer.from('id\n1,2\n'));
    expect(r.items).toEqual([reject(2, 'expected 1 field, found 2 (row is long)', '1,2')]);
  });

  it('skips truly empty lines without shifting line numbers; a line of spaces is a record', async () => {
    const r = await readFixture('blank-lines.csv');
    expect(r.items).toEqual([
      row(3, ['1', 'Alpha'], '1,Alpha'),
      row(6, ['2', 'Beta'], '2,Beta'),
      reject(7, 'expected 2 fields, found 1 (row is short)', '   '),
      row(8, ['3', 'Gamma'], '3,Gamma'),
    ]);
  });

  it('a last line without a line break is a record marked unterminated (it may be cut off); a quote open at the end is a reject', async () => {
    const r = await readFixture('truncated-last-line.csv');
    expect(r.items).toEqual([row(2, ['1', 'Alpha'], '1,Alpha'), { ...row(3, ['2', 'Bet'], '2,Bet'), unterminated: true }]);
    const q = await read(Buffer.from('a,b\n1,2\n3,"cut off'));
    expect(q.items).toEqual([row(2, ['1', '2'], '1,2'), { ...reject(3, 'unclosed quote starting on line 3', '3,"cut off'), unterminated: true }]);
    const short = await read(Buffer.from('a,b\n1,2\n3'));
    expect(short.items[1]).toEqual({ ...reject(3, 'expected 2 fields, found 1 (row is short)', '3'), unterminated: true });
    // With a final line break, nothing is marked.
    expect((await read(Buffer.from('a,b\n1,2\r\n'))).items).toEqual([row(2, ['1', '2'], '1,2')]);
  });

  it('values pass through untouched: leading zeros, plus signs, exponents', async () => {
    const r = await readFixture('leading-zeros.csv');
    expect(r.items).toEqual([
      row(2, ['00123', '02-791', '+48 022 123 45 67', '0001,50'], '00123,02-791,+48 022 123 45 67,"0001,50"'),
      row(3, ['007', '00950', '0048221234567', '1e5'], '007,00950,0048221234567,1e5'),
    ]);
  });
});

describe('header', () => {
  it('blank names are addressed as column_<n>, with a warning', async () => {
    const r = await readFixture('blank-header.csv');
    expect(r.header.names).toEqual(['id', '', 'name', ' ']);
    expect(r.header.keys).toEqual(['id', 'column_2', 'name', 'column_4']);
    expect(r.header.issues).toEqual(['header column 2 is blank; addressed as "column_2"', 'header column 4 is blank; addressed as "column_4"']);
    expect(r.items).toEqual([row(2, ['1', 'x', 'Acme', 'y'], '1,x,Acme,y')]);
  });

  it('duplicates (after trimming) get #2, with a warning; names keep their spaces', async () => {
    const r = await readFixture('duplicate-header.csv');
    expect(r.header.names).toEqual(['Email', 'Name', 'Company', 'Email', ' Name ']);
    expect(r.header.keys).toEqual(['Email', 'Name', 'Company', 'Email#2', 'Name#2']);
    expect(r.header.issues).toEqual([
      'header "Email" appears twice (columns 1 and 4); the second is addressed as "Email#2"',
      'header "Name" appears twice (columns 2 and 5); the second is addressed as "Name#2"',
    ]);
  });

  it('three of a kind, and generated keys never shadow a real header name', () => {
    expect(headerKeys(['Email', 'x', 'Email', 'Email'])).toEqual({
      keys: ['Email', 'x', 'Email#2', 'Email#3'],
      issues: ['header "Email" appears 3 times (columns 1, 3 and 4); the others are addressed as "Email#2" and "Email#3"'],
    });
    expect(headerKeys(['a', 'a', 'a#2', '', 'column_4']).keys).toEqual(['a', 'a#3', 'a#2', 'column_4#2', 'column_4']);
  });

  it('__proto__, constructor, toString are ordinary names', async () => {
    const r = await readFixture('proto-header.csv');
    const names = ['__proto__', 'constructor', 'id', 'toString', 'hasOwnProperty'];
    expect(r.header.names).toEqual(names);
    expect(r.header.keys).toEqual(names);
    expect(r.items).toEqual([row(2, ['1', '2', '3', '4', '5'], '1,2,3,4,5')]);
    expect(headerKeys(['__proto__', '__proto__', 'constructor']).keys).toEqual(['__proto__', '__proto__#2', 'constructor']);
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });

  it('a header-only file has no records', async () => {
    const r = await readFixture('header-only.csv');
    expect(r.header.names).toEqual(['id', 'name', 'city']);
    expect(r.items).toEqual([]);
    const r2 = await read(Buffer.from('id,name'));
    expect(r2.header.names).toEqual(['id', 'name']);
    expect(r2.items).toEqual([]);
  });

  it('an empty file, or a BOM alone, is an InputError', async () => {
    expect((await inputError(read(fixture('empty.csv')))).message).toBe('test.csv is empty');
    expect((await inputError(read(Buffer.from([0xef, 0xbb, 0xbf])))).message).toBe('test.csv is empty');
  });

  it('a blank first line or a header of blanks is "no header row"', async () => {
    expect((await inputError(read(Buffer.from('\nid,name\n1,2\n')))).message).toBe('test.csv: no header row (line 1 is blank)');
    expect((await inputError(read(Buffer.from('\r\nid\n')))).message).toMatch(/no header row/);
    expect((await inputError(read(Buffer.from(' , ,\n1,2,3\n')))).message).toBe('test.csv: no header row (line 1 has no column names)');
  });

  it('an unclosed quote in the header is an InputError', async () => {
    expect((await inputError(read(Buffer.from('id,"name\n1,2\n')))).message).toBe('test.csv: the header row has an unclosed quote starting on line 1');
  });

  it('a quoted header name may span lines; data lines stay physical', async () => {
    const r = await read(Buffer.from('id,"two\nline name"\n1,x\n'), {}, 3);
    expect(r.header.names).toEqual(['id', 'two\nline name']);
    expect(r.items).toEqual([row(3, ['1', 'x'], '1,x')]);
  });
});

describe('huge fields', () => {
  const MiB = 1024 * 1024;
  async function* bigField(fieldBytes: number, opts: { quoted?: boolean; close?: boolean } = {}): AsyncGenerator<Buffer> {
    const { quoted = true, close = true } = opts;
    yield Buffer.from(`id,notes\n1,${quoted ? '"' : ''}`);
    const block = Buffer.alloc(MiB, 'x');
    for (let left = fieldBytes; left > 0; left -= MiB) yield left >= MiB ? block : block.subarray(0, left);
    yield Buffer.from(`${quoted && close ? '"' : ''}\n2,after\n`);
  }

  it('a 10 MB cell is read whole', async () => {
    const r = await read(bigField(10 * MiB));
    expect(r.items).toHaveLength(2);
    const big = r.items[0] as CsvRow;
    expect(big.line).toBe(2);
    expect(big.fields[1]).toHaveLength(10 * MiB);
    expect(big.raw).toHaveLength(10 * MiB + 4);
    expect(r.items[1]).toEqual(row(3, ['2', 'after'], '2,after'));
  });

  it('a field above maxFieldBytes is a reject; reading goes on', async () => {
    const r = await read(bigField(10 * MiB), { maxFieldBytes: MiB });
    expect(r.items).toHaveLength(2);
    const rej = r.items[0] as CsvReject;
    expect(rej.line).toBe(2);
    expect(rej.reason).toBe('field larger than 1 MiB (raw text cut to the first 1024 characters)');
    expect(rej.raw).toBe(`1,"${'x'.repeat(1021)}`);
    expect(r.items[1]).toEqual(row(3, ['2', 'after'], '2,after'));
  });

  it('an unquoted field above the limit too', async () => {
    const r = await read(bigField(3 * MiB, { quoted: false }), { maxFieldBytes: MiB });
    expect(r.items.map((i) => ('fields' in i ? i.fields : i.reason))).toEqual(['field larger than 1 MiB (raw text cut to the first 1024 characters)', ['2', 'after']]);
  });

  it('a row of many small fields above the limit is "row larger than"', async () => {
    const cells = 'abcdefgh,'.repeat(200_000);
    const r = await read(Buffer.from(`a,b\n${cells}\n1,2\n`), { maxFieldBytes: MiB });
    expect(r.items).toEqual([reject(2, 'row larger than 1 MiB (raw text cut to the first 1024 characters)', cells.slice(0, 1024)), row(3, ['1', '2'], '1,2')]);
  });

  it('a quote left open over many lines is resynchronised at the limit', async () => {
    const lines = 'x,y\n'.repeat(30_000);
    const r = await read(Buffer.from(`a,b\n1,"oops\n${lines}2,z\n`), { maxFieldBytes: 64 * 1024 });
    expect(r.items[0]).toEqual(reject(2, 'unclosed quote starting on line 2 (no closing quote within 64 KiB)', '1,"oops'));
    expect(r.items).toHaveLength(30_002);
    expect(r.items[1]).toEqual(row(3, ['x', 'y'], 'x,y'));
    expect(r.items[30_001]).toEqual(row(30_003, ['2', 'z'], '2,z'));
  });

  it('memory stays bounded: 200 MB in one unclosed quote on one line with a 1 MiB limit, rejected to the end of its line', async () => {
    let peak = 0;
    const base = process.memoryUsage().heapUsed;
    async function* gen(): AsyncGenerator<Buffer> {
      for await (const b of bigField(200 * MiB, { close: false })) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
        yield b;
      }
    }
    const r = await read(gen(), { maxFieldBytes: MiB });
    // Reading goes on after the quote's line, as for a short row with a quote left open.
    expect(r.items).toEqual([reject(2, 'unclosed quote starting on line 2 (no closing quote within 1 MiB)', `1,"${'x'.repeat(1021)}`), row(3, ['2', 'after'], '2,after')]);
    expect(peak).toBeLessThan(64 * MiB);
  });

  it('an oversized unclosed quote on one line is rejected to its end whether it arrives whole or in chunks', async () => {
    const body = `1,"${'x'.repeat(300_000)}`;
    for (const end of ['\n', '\r\n', '\r']) {
      const buf = Buffer.from(`id,notes\n${body}${end}2,after${end}3,"ok ""quoted"""${end}`);
      const want = [reject(2, 'unclosed quote starting on line 2 (no closing quote within 64 KiB)', body.slice(0, 1024)), row(3, ['2', 'after'], '2,after'), row(4, ['3', 'ok "quoted"'], '3,"ok ""quoted"""')];
      for (const size of [1 << 20, 4096, 997]) expect((await read(buf, { maxFieldBytes: 64 * 1024 }, size)).items, `${JSON.stringify(end)} in ${size}-byte chunks`).toEqual(want);
    }
    // The quote's field meets a line break before it closes: rejected up to there; the next line is read on its own.
    const closed = Buffer.from(`id,notes\n1,"${'y'.repeat(100_000)}\nz",more\n2,after\n`);
    expect((await read(closed, { maxFieldBytes: 64 * 1024 })).items).toEqual([
      reject(2, 'unclosed quote starting on line 2 (no closing quote within 64 KiB)', `1,"${'y'.repeat(1021)}`),
      row(3, ['z"', 'more'], 'z",more'),
      row(4, ['2', 'after'], '2,after'),
    ]);
    // A quote that closes past the limit, on the same line, is an ordinary oversized field: skipped to the record's end.
    const closedSameLine = Buffer.from(`id,notes\n1,"${'y'.repeat(100_000)}",more\n2,after\n`);
    expect((await read(closedSameLine, { maxFieldBytes: 64 * 1024 })).items).toEqual([
      reject(2, 'field larger than 64 KiB (raw text cut to the first 1024 characters)', `1,"${'y'.repeat(1021)}`),
      row(3, ['2', 'after'], '2,after'),
    ]);
  });

  it('a row of millions of tiny fields keeps no more fields than the header has, plus one', async () => {
    // 3 million one-character fields in 6 MB: under the size limit, so a reject by its count, read in bounded memory.
    const cells = 'a,'.repeat(3_000_000);
    const base = process.memoryUsage().heapUsed;
    const r = await read(Buffer.from(`a,b\n${cells}\n1,2\n`), {}, 1 << 16);
    expect(process.memoryUsage().heapUsed - base).toBeLessThan(100 * MiB);
    expect(r.items).toHaveLength(2);
    expect(r.items[0]).toMatchObject({ line: 2, reason: 'expected 2 fields, found 3000001 (row is long)' });
    expect(r.items[1]).toEqual(row(3, ['1', '2'], '1,2'));
    // A header: at most maxFields columns.
    const e = await inputError(read(Buffer.from(`${'c,'.repeat(20)}c\n`), { maxFields: 20 }));
    expect(e.message).toBe('test.csv: the header row has more than 20 columns');
    expect((await read(Buffer.from(`${'c,'.repeat(19)}c\n`), { maxFields: 20 })).header.names).toHaveLength(20);
  });
});

describe('streaming', () => {
  const many = (n: number): Buffer => {
    let s = 'id,name\n';
    for (let i = 1; i <= n; i++) s += `${i},name ${i}\n`;
    return Buffer.from(s);
  };

  it(`yields batches of at most ${BATCH} items`, async () => {
    const r = await read(many(5500), {}, 1 << 20);
    expect(r.items).toHaveLength(5500);
    expect(r.batchSizes.every((n) => n <= BATCH)).toBe(true);
    expect(r.batchSizes.length).toBeGreaterThanOrEqual(Math.ceil(5500 / BATCH));
    expect(r.batchSizes.length).toBeLessThanOrEqual(2 * Math.ceil(5500 / BATCH));
    expect((r.items[5499] as CsvRow).line).toBe(5501);
  });

  it('breaking out of the loop releases the input', async () => {
    let returned = false;
    let pulled = 0;
    const buf = many(50_000);
    const input: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]() {
        let i = 0;
        return {
          async next() {
            pulled++;
            if (i >= buf.length) return { done: true, value: undefined };
            const chunk = buf.subarray(i, i + 4096);
            i += 4096;
            return { done: false, value: chunk };
          },
          async return() {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    };
    const src = await openCsv(input, {}, 'x');
    for await (const batch of src.batches()) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(returned).toBe(true);
    expect(pulled).toBeLessThan(20);
    expect(() => src.batches()).toThrow(/once/);
  });

  it('a file stream is destroyed when the loop breaks, and on InputError', async () => {
    const stream = createReadStream(new URL('ragged-long.csv', DIR), { highWaterMark: 16 });
    const src = await openCsv(stream, {}, 'x');
    for await (const _ of src.batches()) break;
    expect(stream.destroyed).toBe(true);
    const bad = createReadStream(new URL('empty.csv', DIR));
    await inputError(openCsv(bad, {}, 'x'));
    expect(bad.destroyed).toBe(true);
  });

  it('accepts Uint8Array chunks', async () => {
    async function* u8(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(Buffer.from('a,b\n1,'));
      yield new Uint8Array(Buffer.from('2\n'));
    }
    const src = await openCsv(u8() as AsyncIterable<Buffer | Uint8Array>, {}, 'x');
    const items: CsvItem[] = [];
    for await (const b of src.batches()) items.push(...b);
    expect(items).toEqual([row(2, ['1', '2'], '1,2')]);
  });
});

describe('resumeCsv: reading on from a record start mid-input', () => {
  /** Byte offset of the start of each physical line (CRLF, LF or lone CR end a line), by line number. */
  function lineOffsets(text: string, bom: number, bytesOf: (s: string) => number): Map<number, number> {
    const starts = new Map<number, number>([[1, bom]]);
    let line = 1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (c === '\r' || c === '\n') starts.set(++line, bom + bytesOf(text.slice(0, i + 1)));
    }
    return starts;
  }

  const cases: [string, ReaderOptions, BufferEncoding][] = [
    ['crlf.csv', {}, 'utf8'],
    ['cr-only.csv', {}, 'utf8'],
    ['mixed-endings.csv', {}, 'utf8'],
    ['quoted-newlines.csv', {}, 'utf8'],
    ['quotes-in-fields.csv', {}, 'utf8'],
    ['unclosed-quote.csv', {}, 'utf8'],
    ['blank-lines.csv', {}, 'utf8'],
    ['ragged-short.csv', {}, 'utf8'],
    ['ragged-long.csv', {}, 'utf8'],
    ['trailing-delimiter.csv', {}, 'utf8'],
    ['truncated-last-line.csv', {}, 'utf8'],
    ['utf8-bom.csv', {}, 'utf8'],
    ['windows-1252.csv', { encoding: 'windows-1252' }, 'latin1'],
  ];
  it.each(cases)('%s: from the data offset, and from every record, gives what one pass gives from there', async (name, options, enc) => {
    const buf = fixture(name);
    const full = await read(buf, options);
    const h = full.header;
    expect(h.dataOffset).toBeDefined();
    const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    const text = buf.subarray(bom).toString(enc);
    const offsets = lineOffsets(text, bom, (s) => Buffer.byteLength(s, enc));
    const at = { delimiter: h.delimiter, encoding: h.encoding, fields: h.names.length };
    const resume = async (offset: number, line: number) => {
      const items: CsvItem[] = [];
      for await (const b of resumeCsv(chunked(buf.subarray(offset), 7), { ...at, offset, line }, 'test.csv')) items.push(...b);
      return items;
    };
    expect(await resume(h.dataOffset!, h.dataLine)).toEqual(full.items);
    for (let k = 0; k < full.items.length; k++) {
      const line = full.items[k]!.line;
      expect(await resume(offsets.get(line)!, line), `from item ${k} (line ${line})`).toEqual(full.items.slice(k));
    }
  });

  it('reports invalid UTF-8 with the byte offset in the whole input and the right line', async () => {
    const buf = Buffer.concat([Buffer.from(`a,b\n${'1,2\n'.repeat(100)}5,`), Buffer.from([0xff]), Buffer.from('\n')]);
    // Resume on line 52, byte 204; the bad byte is at 4 + 400 + 2, on line 102.
    const items = resumeCsv(chunked(buf.subarray(204), 3), { delimiter: ',', encoding: 'utf8', fields: 2, offset: 204, line: 52 }, 'x.csv');
    const e = await (async () => {
      for await (const _ of items);
    })().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe('x.csv: not valid UTF-8: byte offset 406 (0xFF) on line 102');
  });

  it('knows the data offset only where bytes follow from the text', async () => {
    const offset = async (bytes: Buffer, options: ReaderOptions = {}) => (await openCsv(chunked(bytes, 64), options, 'x')).header.dataOffset;
    expect(await offset(Buffer.from('"Naïve, header",b\r\n1,2\r\n'))).toBe(Buffer.byteLength('"Naïve, header",b\r\n'));
    expect(await offset(fixture('utf16le-bom.tsv'))).toBeUndefined();
    expect(await offset(Buffer.concat([Buffer.from('a'), Buffer.from([0xe9]), Buffer.from(',b\n1,2\n')]), { encoding: 'latin1' })).toBe(5);
  });
});
