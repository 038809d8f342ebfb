// Table-driven tests of the value parsers, plus properties: they never throw and round-trip.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dateOrderEvidence,
  formatCount,
  formatDay,
  isAmbiguousNumber,
  makeIsMissing,
  normalizeText,
  parseBool,
  parseDate,
  parseIsoDay,
  parseNumber,
  splitMulti,
  DEFAULT_PLACEHOLDERS,
  type DecimalMode,
} from '../../src/values/index.js';

describe('parseNumber', () => {
  const cases: [string, DecimalMode, number | undefined][] = [
    ['42', 'auto', 42],
    ['-3.5', 'auto', -3.5],
    ['+7', 'auto', 7],
    [' 12 ', 'auto', 12],
    ['1,250,000', 'auto', 1250000],
    ['1,250,000.75', 'auto', 1250000.75],
    ['1.250.000,50', 'auto', 1250000.5],
    ['1 250 000', 'auto', 1250000],
    ['1\u00a0250\u00a0000', 'auto', 1250000],
    ['1\u202f250', 'auto', 1250],
    ["1'250'000", 'auto', 1250000],
    ['$5M', 'auto', 5000000],
    ['5M', 'auto', 5000000],
    ['2.5k', 'auto', 2500],
    ['2.5K', 'auto', 2500],
    ['5 mln', 'auto', 5000000],
    ['5mln', 'auto', 5000000],
    ['3 bn', 'auto', 3e9],
    ['3b', 'auto', 3e9],
    ['3 billion', 'auto', 3e9],
    ['3 mld', 'auto', 3e9],
    ['1.2 million', 'auto', 1200000],
    ['€1.2m', 'auto', 1200000],
    ['£300', 'auto', 300],
    ['5 000 000 PLN', 'auto', 5000000],
    ['100 000 zł', 'auto', 100000],
    ['USD 1,000', 'auto', 1000],
    ['-$5', 'auto', -5],
    ['12%', 'auto', 12],
    ['(1,000)', 'auto', -1000],
    ['1e6', 'auto', 1000000],
    ['12,5', 'auto', 12.5],
    ['12,50', 'auto', 12.5],
    ['1,250', 'auto', 1250],
    ['1,250', 'comma', 1.25],
    ['1.250', 'auto', 1.25],
    ['1.250', 'dot', 1.25],
    ['1.250', 'comma', 1250],
    ['1.250.000', 'auto', 1250000],
    ['1 250,5', 'auto', 1250.5],
    ['1 250,5', 'comma', 1250.5],
    ['1,5', 'dot', undefined],
    ['', 'auto', undefined],
    ['abc', 'auto', undefined],
    ['50-100', 'auto', undefined],
    ['1.2.3', 'auto', undefined],
    ['1,25,0', 'auto', undefined],
    ['12,50,000', 'auto', undefined],
    ['--5', 'auto', undefined],
    ['5M5', 'auto', undefined],
    ['NaN', 'auto', undefined],
    ['Infinity', 'auto', undefined],
    ['0x1F', 'auto', undefined],
    [',5', 'auto', undefined],
    ['5 apples', 'auto', undefined],
    ['1'.repeat(70), 'auto', undefined],
  ];
  it.each(cases)('%j (%s) → %j', (raw, mode, expected) => {
    expect(parseNumber(raw, mode)).toBe(expected);
  });
  it('ambiguity', () => {
    expect(isAmbiguousNumber('1,250')).toBe(true);
    expect(isAmbiguousNumber('1.250')).toBe(true);
    expect(isAmbiguousNumber('1,250,000')).toBe(false);
    expect(isAmbiguousNumber('12,5')).toBe(false);
    expect(isAmbiguousNumber('1250')).toBe(false);
  });
  it('never throws, and reads back what JS prints', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const n = parseNumber(s);
      return n === undefined || Number.isFinite(n);
    }));
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (n) => {
      const s = String(n);
      if (/e/i.test(s)) return true;
      return parseNumber(s) === (Object.is(n, -0) ? -0 : n);
    }));
  });
});

describe('parseDate', () => {
  const d = (s: string) => parseIsoDay(s);
  const cases: [string, 'auto' | 'MDY' | 'DMY' | 'YMD', string | undefined][] = [
    ['2016-10-20', 'auto', '2016-10-20'],
    ['2016-10-20T13:45:00Z', 'auto', '2016-10-20'],
    ['2016-10-20 13:45', 'auto', '2016-10-20'],
    ['2016-10-20T23:45:00.000+02:00', 'auto', '2016-10-20'],
    ['2016/10/20', 'auto', '2016-10-20'],
    ['2018.02.26 19:58', 'auto', '2018-02-26'],
    ['10/20/2016', 'auto', '2016-10-20'],
    ['1/5/2016', 'MDY', '2016-01-05'],
    ['1/5/2016', 'DMY', '2016-05-01'],
    ['1/5/2016', 'auto', undefined],
    ['5/5/2016', 'auto', '2016-05-05'],
    ['20.10.2016', 'auto', '2016-10-20'],
    ['20-10-2016', 'auto', '2016-10-20'],
    ['20/10/2016', 'auto', '2016-10-20'],
    ['20/10/2016', 'MDY', undefined],
    ['10/20/16', 'auto', '2016-10-20'],
    ['10/20/85', 'auto', '1985-10-20'],
    ['20 Oct 2016', 'auto', '2016-10-20'],
    ['Oct 20, 2016', 'auto', '2016-10-20'],
    ['October 20 2016', 'auto', '2016-10-20'],
    ['20-Oct-2016', 'auto', '2016-10-20'],
    ['1476921600000', 'auto', '2016-10-20'],
    ['1476921600', 'auto', '2016-10-20'],
    ['20161020', 'auto', '2016-10-20'],
    ['10/20/2016 7:05 PM', 'auto', '2016-10-20'],
    ['2016-02-29', 'auto', '2016-02-29'],
    ['2015-02-29', 'auto', undefined],
    ['2016-02-30', 'auto', undefined],
    ['2016-13-01', 'auto', undefined],
    ['2016-00-10', 'auto', undefined],
    ['13/13/2016', 'auto', undefined],
    ['yesterday', 'auto', undefined],
    ['', 'auto', undefined],
    ['12345', 'auto', undefined],
    ['2016-10-20T13:45', 'auto', '2016-10-20'],
    ['2016-10-20 7:05:09', 'auto', '2016-10-20'],
    ['2016-10-20  13:45', 'auto', '2016-10-20'],
    ['2016-10-20 13:45 PM', 'auto', '2016-10-20'],
    ['2016-10-20 13', 'auto', undefined],
    ['2016-10-20x', 'auto', undefined],
    ['2016-1x-20', 'auto', undefined],
    ['0000-10-20', 'auto', undefined],
  ];
  it.each(cases)('%j (%s) → %s', (raw, order, expected) => {
    expect(parseDate(raw, order)).toBe(expected === undefined ? undefined : d(expected));
  });
  it.each([
    ['2016-10-20', 'iso'],
    ['10/20/2016', 'MDY'],
    ['20.10.2016', 'DMY'],
    ['03/04/2020', 'either'],
    ['04/04/2020', 'iso'],
    ['nope', 'none'],
  ] as const)('order evidence of %s is %s', (raw, ev) => expect(dateOrderEvidence(raw)).toBe(ev));
  it('--as-of form is strict', () => {
    expect(parseIsoDay('2026-11-01')).toBe(Date.UTC(2026, 10, 1) / 86_400_000);
    expect(parseIsoDay('2026-11-1')).toBeUndefined();
    expect(parseIsoDay('2026-02-30')).toBeUndefined();
  });
  it('reads YYYY-MM-DD[ time] (the fast path) exactly as YYYY/MM/DD[ time] (the general one)', () => {
    const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'));
    const time = fc.constantFrom('', ' 13:45', 'T7:05', ' 13:45:09', 'T13:45:00Z', ' 1:2', ' 25:99', 'T', ' x', '  9:30', ' 9:30 am');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), two, two, time, (y, m, d, t) => {
        const iso = `${String(y).padStart(4, '0')}-${m}-${d}${t}`;
        return parseDate(iso) === parseDate(iso.replace(/-/g, '/'));
      }),
    );
  });
  it('round-trips and never throws', () => {
    fc.assert(fc.property(fc.integer({ min: -700000, max: 2900000 }), (day) => parseDate(formatDay(day)) === day));
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      const v = parseDate(s);
      return v === undefined || Number.isInteger(v);
    }));
  });
});

describe('parseBool', () => {
  it.each([
    ['yes', true], ['Yes', true], [' TRUE ', true], ['y', true], ['1', true], ['x', true], ['X', true], ['on', true], ['checked', true],
    ['no', false], ['N', false], ['false', false], ['0', false], ['off', false], ['unchecked', false],
    ['', undefined], ['maybe', undefined], ['2', undefined], ['yes please', undefined],
  ] as const)('%j → %s', (raw, v) => expect(parseBool(raw)).toBe(v));
});

describe('placeholders and text', () => {
  const isMissing = makeIsMissing(DEFAULT_PLACEHOLDERS);
  it.each(['', '  ', 'N/A', 'n/a', '-', 'null', 'None', 'unknown', 'Select', '#N/A', '(blank)'])('%j is missing', (v) => expect(isMissing(v)).toBe(true));
  it.each(['0', 'no', 'Acme', 'Selected', 'nan'])('%j is a value', (v) => expect(isMissing(v)).toBe(false));
  it('custom placeholder lists replace the default', () => {
    const custom = makeIsMissing(['TBD']);
    expect(custom('tbd')).toBe(true);
    expect(custom('N/A')).toBe(false);
    expect(custom('')).toBe(false);
  });
  it('normalizes text', () => {
    expect(normalizeText('  Financial   Services ')).toBe('financial services');
    expect(normalizeText('Cafe\u0301')).toBe('café');
    expect(normalizeText('A\tB')).toBe('a b');
  });
  it('splits multi-value cells', () => {
    expect(splitMulti('SaaS; Fintech;;  AI ')).toEqual(['saas', 'fintech', 'ai']);
    expect(splitMulti('a, b; c', [';', ','])).toEqual(['a', 'b', 'c']);
  });
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [-0, '-0'],
    [999, '999'],
    [1000, '1,000'],
    [-1250000, '-1,250,000'],
    [1e21, '1,000,000,000,000,000,000,000'],
    [2.5, '2.5'],
    [-0.125, '-0.125'],
  ])('%s → %s', (n, text) => expect(formatCount(n)).toBe(text));

  it("writes integers as toLocaleString('en-US') does", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true }).map(Math.trunc)), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
  });
});
