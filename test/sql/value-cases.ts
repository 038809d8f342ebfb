// Value forms every SQL engine must read as icp's JavaScript does: shared by the DuckDB, PostgreSQL and ClickHouse
// reader tests. Each case holds the text and what src/values/* read from it (null: unknown).
import { normalizeText, parseBool, parseDate, parseNumber, type DateOrder, type DecimalMode } from '../../src/values/index.js';
import { mulberry32 } from '../../src/stats/split.js';

/** A cell and what icp's JavaScript reads from it under a setting. */
export interface ValueCase<S extends string, T> {
  text: string;
  setting: S;
  expected: T | null;
}

const DECIMALS: DecimalMode[] = ['auto', 'dot', 'comma'];
const ORDERS: DateOrder[] = ['auto', 'MDY', 'DMY', 'YMD'];

/** JavaScript white space of every kind (trim and \s), and some look-alikes that are not white space. */
export const SPACES = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2003', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const NOT_SPACES = ['\u200b', '\u180e', '\u001c', '\u0085'];

const NUMBER_CORES = [
  '0', '7', '007', '12', '1250', '1,250', '1.250', '1,250,000', '1.250.000', '1.250.000,50', '1,250,000.50', '1 250', '1 250 000',
  "1'250", "1'250'000", '1\u00a0250', '1\u202f250,5', '12,5', '12,50', '1,25', '0,5', '2.5', '.5', '5.', '12,50,000', '1,250.000.5',
  '1.2.3', '1,2,3', '1e5', '1.5E-3', '2e+2', '1e400', '1 250,500', '1,5 000', '99999999999999999999', '0.1', '1,000.5', '1.000,5',
  '00,5', '1,,000', '1..5', "1'250.75", '9007199254740993', '123456789012345678901234567890', '1_000', '1 250.5', '١٢',
];
const NUMBER_PREFIXES = ['', '-', '−', '+', '(', '$', '-$', '$-', '$ -', 'USD ', 'us$', 'C$', 'zł ', 'PLN', '€', '£-', '( $', '--', '-(', '+-', 'EUR+'];
const NUMBER_SUFFIXES = ['', 'k', 'K', ' k', 'k.', ' mln', 'M', 'MM', ' bn', 'B', ' thousand', '%', ' %', ' zł', 'EUR', ' usd', '$', 'x', '.', ' mln.', 'kk', ' constructor', ' toString', '%k', 'k%'];
const NUMBER_EXTRA = [
  '', ' ', '-', '()', '(5', '5)', '(5)', '(-5)', '(+5)', '-(5)', '$', '%', 'k', '5 k', '2.5k', '$5M', '5 mln', '(1,000)', '12%',
  '-0', '0.0', '-0.0', '+0', '1e5k', '$-5', '-$5', '- 5', '5 -', '5 5', '5\t5', ' 1,250 ', '\u00a01250\u00a0', '\ufeff12',
  '12\u200b', 'one', 'NaN', 'Infinity', '0x10', '1_0', '²', '１２', 'A' + '9'.repeat(70), '9'.repeat(64), '9'.repeat(65),
  ' '.repeat(70) + '5', '5' + ' '.repeat(63), '😀5', '5😀', 'usd5', 'USD-5', '5usd', '5 USD', '5 EURO', '$5,000.50', '€1.250,50',
  '1.250,50 €', '-€1.250', '(€1.250)', '5\nk', '5 \u2028k', 'zl5', 'ZŁ5', 'Zł 5', '5 Zł', '1,5M', '1.5m', '2,500K', '0.000001k',
  '0.0000001k', '1.0000005', '3.14159k', '0.1234567m', '1.005k', '2.675k', '1e-7k',
];

/** Number forms × decimal modes. */
export function numberCases(): ValueCase<DecimalMode, number>[] {
  const texts = new Set<string>(NUMBER_EXTRA);
  for (const p of NUMBER_PREFIXES) for (const c of NUMBER_CORES) for (const s of NUMBER_SUFFIXES) {
    texts.add(`${p}${c}${s}${p.includes('(') ? ')' : ''}`);
    if (p === '' && s === '') for (const sp of [...SPACES, ...NOT_SPACES]) texts.add(`${sp}${c}${sp}`);
  }
  const out: ValueCase<DecimalMode, number>[] = [];
  for (const text of texts) for (const setting of DECIMALS) {
    const n = parseNumber(text, setting);
    out.push({ text, setting, expected: n === undefined || Number.isNaN(n) ? null : n });
  }
  return out;
}

const DATE_DAYS = ['2016-10-20', '2024-02-29', '2023-02-29', '1900-02-29', '2000-02-29', '2025-04-31', '2025-12-31', '0001-01-01', '9999-12-31', '0000-01-01', '2025-13-01', '2025-00-10', '2025-01-00'];
const DATE_TIMES = ['', 'T13:45', 'T13:45:00', ' 13:45', ' 7:05', 'T13:45:00.000Z', 'T13:45:00,5+02:00', 'T13:45:00+0200', ' 13:45 PM', ' 7:05 am', ' 13:45 UTC', ' 13:45GMT', 'T1:5', 'T13:45:00Z ', '  13:45', '\u00a013:45', 'T13:45:00-05', 'x', ' 13', 'T', ' 25:99'];

/** Date forms × day/month orders. */
export function dateCases(): ValueCase<DateOrder, number>[] {
  const texts = new Set<string>([
    '', '2016', '20161020', '20160230', '19991231', '00000101', '1476921600', '147692160', '1476921600000', '147692160000', '14769216000',
    '1476921600123', '12345678901234', '20 Oct 2016', '20 October 2016', '20-Oct-2016', '20.oct.2016', '20 Oct. 2016', '20 Oct, 2016',
    '20 Octo 2016', '31 Feb 2016', '5 sept 2016', '5 Sept. 2016 13:45', 'Oct 20, 2016', 'October 20th, 2016', 'Oct 1st 2016',
    'Oct. 2 2016', 'oct 20 2016', 'OCT 20 2016', 'Foo 20 2016', 'Oct 20 16', 'Oct 32 2016', 'May 5 2016 10:00 PM', 'Sept 3rd, 2024',
    'Oct\u00a020,\u00a02016', '20\u2003Oct\u20032016', '\ufeff2016-10-20', '2016-10-20\u00a0', '2016/10/20', '2016.10.20', '2016-10/20',
    '2016/1/2', '2016-1-2', '16-10-20', '10/20/2016', '20/10/2016', '03/04/2020', '04/04/2020', '13/13/2020', '10/20/16', '20.10.16',
    '03-04-69', '03-04-70', '03-04-00', '3/4/2020', '03/04/2020 13:45', '03/04/2020T13:45', '10/20/2016 7:05 PM', '10/20-2016',
    '1/2/3', '10/20/201', 'x2016-10-20', '2016-10-20x', '٢٠١٦-١٠-٢٠', '2016-10-20😀', 'Mai 5 2016', 'valueOf 5 2016', '5 valueOf 2016',
    '2016-10-20 13:45:00.123456', '2016-10-20T13:45:00.000+02:00', ' '.repeat(60) + '2016-10-20', '2016-10-20' + ' '.repeat(60),
  ]);
  for (const d of DATE_DAYS) for (const t of DATE_TIMES) texts.add(`${d}${t}`);
  for (const sep of ['/', '-', '.']) for (const [a, b] of [['10', '20'], ['20', '10'], ['3', '4'], ['04', '04'], ['31', '02'], ['02', '29'], ['29', '02'], ['12', '13'], ['00', '05']]) {
    for (const y of ['2016', '2024', '99', '05', '1900']) texts.add(`${a}${sep}${b}${sep}${y}`);
  }
  const out: ValueCase<DateOrder, number>[] = [];
  for (const text of texts) for (const setting of ORDERS) {
    const n = parseDate(text, setting);
    out.push({ text, setting, expected: n === undefined ? null : n });
  }
  return out;
}

/** Boolean-ish forms. */
export function boolCases(): ValueCase<'', boolean>[] {
  const words = ['yes', 'no', 'Y', 'n', 'TRUE', 'False', 't', 'f', '1', '0', 'x', 'X', 'on', 'OFF', 'checked', 'Unchecked', 'ja', 'nein', 'oui', 'non', 'si', 'tak', 'nie', 'maybe', '', '2', '01', 'yes!', 'y e s', 'ta\u212a', 'İ', 'true' + ' '.repeat(8), 'true' + ' '.repeat(9), ' '.repeat(8) + 'no'];
  const texts = new Set<string>();
  for (const w of words) for (const pad of ['', ' ', '\u00a0', '\t', '\ufeff']) texts.add(`${pad}${w}${pad}`);
  return [...texts].map((text) => {
    const b = parseBool(text);
    return { text, setting: '', expected: b === undefined ? null : b };
  });
}

/** Categorical text forms (normalizeText). */
export function textCases(): ValueCase<'', string>[] {
  const cores = [
    'SaaS', 'Software  As a Service', 'FinTech\tBank', 'a\u00a0b', 'a\u2003\u2003b', 'Straße', 'ÉCOLE', 'e\u0301cole', 'Ångström', 'A\u030angström',
    'İstanbul', 'ΟΔΟΣ', 'Σ', 'ΑΣ ΒΣ', 'ΣΑ', 'ǅ', 'ﬁ', 'Ⅻ', 'K', 'Ω', '😀 Smile', '𐐀', 'x\u200by', 'x\u001cy', 'x\u0085y', '', ' ', 'Ꟍ', 'ᲊ',
    '\ufeffBOM', 'a\ufeffb', 'Ǆemal', 'ΌΣΟΣ.', "Σ'", 'ΑΣ1',
  ];
  const texts = new Set<string>();
  for (const c of cores) for (const pad of ['', ' ', '\t', '\u00a0 ', '\n', '\u3000']) texts.add(`${pad}${c}${pad}`);
  return [...texts].map((text) => ({ text, setting: '', expected: normalizeText(text) }));
}

/** A small seeded generator (mulberry32, src/stats/split.ts), so generated cases are the same on every run and engine. */
export const seeded = mulberry32;

/** Random words over Greek capitals (Σ in every position), marks, apostrophes and spaces: the final-sigma rule. */
export function sigmaCases(count = 3000): ValueCase<'', string>[] {
  const alphabet = ['Σ', 'Σ', 'Σ', 'Α', 'Ο', 'σ', 'ς', ' ', "'", '.', '\u0301', '\u00ad', '1', 'a', 'ʰ', 'ª', 'Ⅻ', '-', '\u200d', 'İ'];
  const rnd = seeded(16);
  const out: ValueCase<'', string>[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const n = 1 + Math.floor(rnd() * 7);
    for (let k = 0; k < n; k++) text += alphabet[Math.floor(rnd() * alphabet.length)];
    out.push({ text, setting: '', expected: normalizeText(text) });
  }
  return out;
}
