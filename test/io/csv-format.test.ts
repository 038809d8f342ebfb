// CSV output quoting and spreadsheet formula neutralisation.
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, excelSafe } from '../../src/io/csv-format.js';

describe('csvField', () => {
  it('leaves plain values alone', () => {
    for (const v of ['', 'Acme', '00123', '1.250.000,50', 'Zażółć', '+48 22 123']) expect(csvField(v, ';')).toBe(v);
    expect(csvField('a;b', ',')).toBe('a;b');
  });

  it('quotes the delimiter, quotes, line breaks and edge spaces', () => {
    expect(csvField('a,b', ',')).toBe('"a,b"');
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a\tb', '\t')).toBe('"a\tb"');
    expect(csvField('a|b', '|')).toBe('"a|b"');
    expect(csvField('say "hi", ok', ',')).toBe('"say ""hi"", ok"');
    expect(csvField('"', ',')).toBe('""""');
    expect(csvField('line\nbreak', ',')).toBe('"line\nbreak"');
    expect(csvField('cr\r', ',')).toBe('"cr\r"');
    expect(csvField(' lead', ',')).toBe('" lead"');
    expect(csvField('trail ', ',')).toBe('"trail "');
    expect(csvField('\ttab', ',')).toBe('"\ttab"');
  });

  it('handles delimiters that are special in regular expressions', () => {
    for (const d of [']', '^', '-', '\\', '.', '*']) {
      expect(csvField(`a${d}b`, d)).toBe(`"a${d}b"`);
      expect(csvField('ab', d)).toBe('ab');
    }
  });

  it('round-trips through csv-parse for any values', () => {
    fc.assert(
      fc.property(fc.constantFrom(',', ';', '\t', '|'), fc.array(fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '\t', '|', '"', '\r', '\n', 'é') }), { minLength: 2, maxLength: 5 }), (d, fields) => {
        const line = fields.map((f) => csvField(f, d)).join(d);
        expect(parse(line, { delimiter: d, record_delimiter: ['\r\n', '\n', '\r'] })).toEqual([fields]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('excelSafe', () => {
  it('prefixes values that a spreadsheet would run as formulas', () => {
    for (const v of ['=1+2', '=HYPERLINK("http://x")', '+cmd|/C calc!A0', '-2+3', '@SUM(A1:A9)', '\t=1', '\r=1', '=', '-', '+', '--5', '+48 123 456 789']) {
      expect(excelSafe(v)).toBe(`'${v}`);
    }
  });

  it('leaves plain signed numbers and everything else alone', () => {
    for (const v of ['-5', '+3', '-5.25', '-1,250.00', '-1.250,5', '-.5', '-2e3', '+1E-4', '', 'Acme', ' =1', "'=1", '5-3', 'a=b']) {
      expect(excelSafe(v)).toBe(v);
    }
  });
});
