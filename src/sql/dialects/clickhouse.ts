// The ClickHouse dialect, written against ClickHouse 18.16 (Debian's; also read against the 21.x–24.x docs): RE2
// regular expressions, arrays with lambdas. 18.16 has no CREATE FUNCTION (21.10 added it), so helpers are inlined.
import { ARRAY_MESSAGE, SqlUnsupported, doubleText, type Dialect, type Sql } from '../dialect.js';
import { emit, normalize, parseRe2, type Ranges, type RegexSyntax } from './regex.js';

/** A ClickHouse string literal: backslash escapes (ClickHouse reads them in every literal), control bytes as \xHH. */
function str(s: string): Sql {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (c < 32 || c === 127) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}

/**
 * A Float64 from a literal: ClickHouse parses number literals with strtod (correctly rounded; checked on 2,000
 * values), but its string-to-float conversion is not (see toDouble). Subnormal literals are a syntax error there.
 */
function num(n: number): Sql {
  if (!Number.isFinite(n)) throw new SqlUnsupported('non-finite-number', `${n} is not a finite number`);
  if (Object.is(n, -0)) return `toFloat64('-0')`;
  if (n !== 0 && Math.abs(n) < 2.2250738585072014e-308) {
    throw new SqlUnsupported('subnormal-number', `ClickHouse 18.16 cannot write the number ${n} (below 2.2e-308) as a literal`);
  }
  return `toFloat64(${Number.isInteger(n) && Math.abs(n) < 2 ** 53 ? String(n) : doubleText(n)})`;
}

const hex = (cp: number) => cp.toString(16).toUpperCase();

/** One code point in an RE2 pattern (inside a class when `cls`). */
function re2Char(cp: number, cls: boolean): string {
  if (cp > 0x20 && cp < 0x7f) {
    const c = String.fromCharCode(cp);
    if (/[A-Za-z0-9]/.test(c)) return c;
    return (cls ? /[\\\]\[^-]/ : /[\\^$.|?*+()[\]{}]/).test(c) ? `\\${c}` : c;
  }
  return `\\x{${hex(cp)}}`;
}

const RE2_SYNTAX: RegexSyntax = {
  name: 'ClickHouse',
  maxRepeat: 1000,
  set(ranges) {
    const pos = normalize(ranges);
    if (pos.length === 1 && pos[0]![0] === pos[0]![1]) return re2Char(pos[0]![0], false);
    if (pos.length === 0) return '[^\\x00-\\x{10FFFF}]';
    const neg: Ranges = [];
    let next = 0;
    for (const [a, b] of pos) {
      if (a > next) neg.push([next, a - 1]);
      next = b + 1;
    }
    if (next <= 0x10ffff) neg.push([next, 0x10ffff]);
    if (neg.length === 0) return '[\\x00-\\x{10FFFF}]';
    const body = (r: Ranges) => r.map(([a, b]) => (a === b ? re2Char(a, true) : `${re2Char(a, true)}-${re2Char(b, true)}`)).join('');
    return neg.length < pos.length ? `[^${body(neg)}]` : `[${body(pos)}]`;
  },
  assert(what) {
    return { bot: '^', eot: '$', bol: '(?m:^)', eol: '(?m:$)', word: '\\b', notword: '\\B' }[what];
  },
};

const translated = new Map<string, string>();
/**
 * An RE2 pattern rewritten for ClickHouse 18.16's older RE2: the same meaning, with case folding, classes and `.`
 * spelled out as code points (so its 2018 Unicode tables do not decide), named groups dropped.
 */
function pat(pattern: string, caseSensitive = true, what = 'a regular expression', onlyGroup?: number): Sql {
  const key = `${caseSensitive ? 'c' : 'i'}${onlyGroup ?? ''}\u0000${pattern}`;
  let out = translated.get(key);
  if (out === undefined) {
    out = str(emit(parseRe2(pattern, caseSensitive, what), RE2_SYNTAX, what, onlyGroup));
    translated.set(key, out);
  }
  return out;
}

/**
 * `body(x)` with x bound to value once per row: a one-element array mapped by a lambda. (18.16's lambdas see a
 * table's column only when the statement also reads it outside a lambda; the lowering selects every input column.)
 */
const letIn = (value: Sql, param: string, body: (x: Sql) => Sql): Sql => `arrayMap(${param} -> ${body(param)}, [${value}])[1]`;

/** Kleene truth as a number: 0 false, 1 unknown, 2 true (ClickHouse 18.16's AND/OR are not Kleene on NULL). */
const k3 = (e: Sql) => `ifNull(toUInt8(${e}) * 2, 1)`;
const fromK3 = (e: Sql) => letIn(e, 'icp_k', (k) => `if(${k} = 1, NULL, ${k} = 2)`);
const fold2 = (fn: string, parts: Sql[]) => parts.map(k3).reduce((a, b) => `${fn}(${a}, ${b})`);

// Lower-casing as JavaScript does, whatever ClickHouse's own tables say: every code point whose toLowerCase is one
// other code point is mapped through transform(); U+0130 becomes i + U+0307; a final Σ becomes ς (Unicode's
// Final_Sigma context, as the DuckDB dialect writes it); lowerUTF8 then does ASCII. 18.16's lowerUTF8 alone misses
// 601 of them (Cherokee, Georgian, letters added since its Unicode tables, and any whose UTF-8 length changes).
let lowerTable: [string, string] | undefined;
function lowerArrays(): [string, string] {
  if (lowerTable) return lowerTable;
  const from: string[] = [];
  const to: string[] = [];
  for (let cp = 0x80; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    const l = c.toLowerCase();
    // Σ is left to the final-sigma rule below (σ or ς by context).
    if (l !== c && [...l].length === 1 && cp !== 0x3a3) (from.push(str(c)), to.push(str(l)));
  }
  lowerTable = [`[${from.join(',')}]`, `[${to.join(',')}]`];
  return lowerTable;
}
const CASED = String.raw`\p{Lu}\p{Ll}\p{Lt}\x{AA}\x{BA}\x{2160}-\x{217F}\x{24B6}-\x{24E9}`;
const IGNORABLE = String.raw`\p{Mn}\p{Me}\p{Cf}\p{Lm}\p{Sk}'.:\x{B7}\x{387}\x{55F}\x{5F4}\x{2018}\x{2019}\x{2024}\x{2027}\x{FE13}\x{FE52}\x{FE55}\x{FF07}\x{FF0E}\x{FF1A}`;
const FINAL_SIGMA = `([${CASED}][${IGNORABLE}]*)Σ([${IGNORABLE}]*)([^${CASED}${IGNORABLE}]|$)`;

function lower(e: Sql): Sql {
  const [from, to] = lowerArrays();
  return letIn(e, 'icp_lw', (x) => {
    const mapped = `arrayStringConcat(arrayMap(icp_lc -> transform(icp_lc, ${from}, ${to}, icp_lc), extractAll(ifNull(${x}, ''), '(?s).')), '')`;
    const sigma = `replaceRegexpAll(replaceAll(${mapped}, 'İ', ${str('i\u0307')}), ${str(FINAL_SIGMA)}, ${str('\\1ς\\2\\3')})`;
    return `if(isNull(${x}), NULL, lowerUTF8(if(match(ifNull(${x}, ''), '[^\\\\x00-\\\\x7F]'), ${sigma}, ifNull(${x}, ''))))`;
  });
}

// 18.16 has no Unicode normalisation (normalizeUTF8NFC came in 21.11). Text NFC would change makes the query fail
// (NOT_NFC_MESSAGE) instead of scoring differently: a code point that is never in NFC, or one that may compose with the one
// before it (every non-first code point of a canonical decomposition: combining accents, Hangul vowels and finals).
let notNfc: string | undefined;
function notNfcClass(): string {
  if (notNfc) return notNfc;
  const r: Ranges = [];
  for (let cp = 0x80; cp < 0x30000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (c.normalize('NFC') !== c) r.push([cp, cp]);
    const d = [...c.normalize('NFD')];
    for (const t of d.slice(1)) r.push([t.codePointAt(0)!, t.codePointAt(0)!]);
  }
  // U+0307 after i stays as it is (no precomposed i with a dot above): JavaScript lower-cases İ to exactly that.
  notNfc = `${RE2_SYNTAX.set(r.filter(([a]) => a !== 0x307))}|(?:^|[^i])\\x{307}`;
  return notNfc;
}

/** The error a text cell NFC would change stops the query with (its text follows). */
const NOT_NFC_MESSAGE = 'icp: this text is not in Unicode NFC, which ClickHouse 18.16 cannot normalise (normalise the data to NFC before loading it): ';

/** Whole-number lengths and positions as ClickHouse's substringUTF8 wants them: constants only. */
const CONST_INT = /^\d+$/;

/** The powers of ten a double holds exactly, 10^0 … 10^22, as literals (strtod). */
const POW10 = `[${Array.from({ length: 23 }, (_, i) => `1e${i}`).join(', ')}]`;

/**
 * Text in JavaScript Number() syntax → the same double. ClickHouse's toFloat64(String) is not correctly rounded
 * (measured: 1 in 15 texts with an exponent, 1 in ~4,000 plain decimals such as 1069.8609060, and subnormals read
 * as 0), so the digits are read as an integer and scaled by an exact power of ten in one rounding (Clinger's fast
 * path) when they have at most 15 significant digits and the scale is within 10^±22 — every number a CRM writes.
 * Others (16+ significant digits, larger exponents) fall back to toFloat64, which may differ in the last bit.
 */
function toDouble(e: Sql): Sql {
  return letIn(`ifNull(${e}, '')`, 'icp_t', (t) =>
    letIn(`replaceRegexpOne(concat(extract(${t}, '^([0-9]*)'), extract(${t}, '^[0-9]*\\\\.([0-9]*)')), '^0+', '')`, 'icp_dg', (dg0) =>
      letIn(`replaceRegexpOne(${dg0}, '0+$', '')`, 'icp_dgs', (dg) =>
        letIn(
          `toInt64OrZero(extract(${t}, '[eE]([-+]?[0-9]{1,6})$')) - toInt64(lengthUTF8(extract(${t}, '^[0-9]*\\\\.([0-9]*)'))) + toInt64(lengthUTF8(${dg0}) - lengthUTF8(${dg}))`,
          'icp_k',
          (k) =>
            letIn(
              `if(${dg} = '', toFloat64(0), if(lengthUTF8(${dg}) <= 15 AND ${k} >= -22 AND ${k} <= 22 AND NOT match(${t}, '[eE][-+]?[0-9]{7}'), ` +
                `if(${k} >= 0, toFloat64(toUInt64OrZero(${dg})) * ${POW10}[${k} + 1], toFloat64(toUInt64OrZero(${dg})) / ${POW10}[1 - ${k}]), ifNull(toFloat64OrNull(${t}), toFloat64(0))))`,
              'icp_v',
              (v) => `if(isNull(${e}) OR NOT isFinite(${v}), CAST(NULL AS Nullable(Float64)), ${v})`,
            ),
        ),
      ),
    ),
  );
}

/** The session settings the statement needs (printed as SET statements before it). */
export const CH_SETTINGS: readonly [string, string][] = [
  ['max_query_size', '268435456'],
  ['max_ast_elements', '100000000'],
  ['max_expanded_ast_elements', '100000000'],
];

/** The ClickHouse dialect. */
export const clickhouse: Dialect = {
  name: 'clickhouse',
  functions: 'inline',
  ident: (name) => '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`',
  str,
  num,
  nullOf: (type) => `CAST(NULL AS Nullable(${type === 'double' ? 'Float64' : type === 'text' ? 'String' : 'UInt8'}))`,
  bool: (b) => (b ? 'toUInt8(1)' : 'toUInt8(0)'),

  // Dates as YYYY-MM-DD, DateTime as 'YYYY-MM-DD HH:MM:SS'; 18.16 has no Bool type, so flags are 1/0 (which icp
  // reads as true/false).
  // An array: a failed UInt8 parse of ARRAY_MESSAGE. Every part is a constant (computed once), '0' for other types.
  textOf: (e) => `if(toUInt8(if(startsWith(toTypeName(${e}), 'Array'), ${str(ARRAY_MESSAGE.replace(/: $/, ''))}, '0')) = 0, toString(${e}), toString(${e}))`,
  toDouble,
  // A number type's value through its text (toString of a Float64 is its shortest form), read by toDouble, which
  // is exact where toFloat64(String) is not. if() computes both branches: a String column's typed branch reads ''
  // (a constant, computed once). Dates and times need nothing: their text is YYYY-MM-DD[ hh:mm:ss], which icp reads
  // in every date order.
  typed: (col, kind) => {
    if (kind !== 'number') return undefined;
    const when = `match(toTypeName(${col}), ${str(String.raw`^(Nullable\()?(U?Int(8|16|32|64)|Float(32|64)|Decimal)`)})`;
    const value = letIn(`if(${when}, toString(${col}), '')`, 'icp_tn', (t) =>
      `if(match(ifNull(${t}, ''), '^-?[0-9]'), if(startsWith(ifNull(${t}, ''), '-'), -${toDouble(`substring(${t}, 2)`)}, ${toDouble(t)}), CAST(NULL AS Nullable(Float64)))`,
    );
    return { when, value };
  },

  lower,
  // 18.16's throwIf takes no message: the error is a failed number parse whose text says what is wrong ("Cannot
  // parse string 'icp: … not in Unicode NFC …' as UInt8"), naming the cell.
  nfc: (e) =>
    letIn(e, 'icp_nf', (x) =>
      `if(toUInt8(if(match(ifNull(${x}, ''), ${str(notNfcClass())}), concat(${str(NOT_NFC_MESSAGE)}, ifNull(${x}, '')), '0')) = 0, ${x}, ${x})`,
    ),
  length: (e) => `toInt64(lengthUTF8(${e}))`,
  substr: (e, start, len) => {
    if (CONST_INT.test(start) && (len === undefined || CONST_INT.test(len))) {
      return `substringUTF8(${e}, ${start}, ${len ?? '4294967295'})`;
    }
    // substringUTF8 takes only constants in 18.16: slice the array of code points instead.
    const chars = `extractAll(ifNull(${e}, ''), '(?s).')`;
    const from = `toInt64(greatest(${start}, 1))`;
    const slice = len === undefined ? `arraySlice(${chars}, ${from})` : `arraySlice(${chars}, ${from}, toInt64(greatest(${len}, 0)))`;
    return `if(isNull(${e}), NULL, arrayStringConcat(${slice}, ''))`;
  },
  concat: (parts) => (parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`),
  replace: (e, from, to) => `replaceAll(${e}, ${from}, ${to})`,
  containsText: (hay, needle) => `(position(${hay}, ${needle}) > 0)`,

  reMatch: (e, p) => `match(${e}, ${pat(p)})`,
  reReplace: (e, p, r) => `replaceRegexpAll(${e}, ${pat(p)}, ${str(r.replace(/\\/g, '\\\\'))})`,
  // extract() returns the first capturing group: the others are made non-capturing.
  reExtract: (e, p, g) => `extract(${e}, ${pat(p, true, 'a regular expression', g)})`,
  userMatch: (e, p, caseSensitive) => `match(${e}, ${pat(p, caseSensitive, `the pattern /${p}/`)})`,

  // Arrays cannot be NULL in ClickHouse: a NULL text splits as ''.
  split: (e, sep) => `splitByString(${str(sep)}, ifNull(${e}, ''))`,
  listMap: (list, param, body) => `arrayMap(${param} -> ${body(param)}, ${list})`,
  listFilter: (list, param, pred) => `arrayFilter(${param} -> ifNull(${pred(param)}, 0), ${list})`,
  listFlatten: (list) => `arrayReduce('groupArrayArray', ${list})`,
  listLength: (list) => `toFloat64(length(${list}))`,
  // An empty list of the same type (18.16's if() finds no common type with [] ); if() computes both branches anyway.
  listIf: (cond, list) => letIn(list, 'icp_li', (l) => `if(${cond}, ${l}, arrayFilter(icp_le -> 0, ${l}))`),
  listHasAny: (list, values) => (values.length ? `hasAny(${list}, [${values.map(str).join(', ')}])` : 'toUInt8(0)'),
  inTexts: (e, values) => (values.length ? `if(isNull(${e}), NULL, has([${values.map(str).join(', ')}], ${e}))` : `if(isNull(${e}), NULL, toUInt8(0))`),
  inNumbers: (e, values) => (values.length ? `if(isNull(${e}), NULL, has([${values.map(num).join(', ')}], ${e}))` : `if(isNull(${e}), NULL, toUInt8(0))`),

  floor: (e) => `floor(${e})`,
  trunc: (e) => `trunc(${e})`,
  roundHalfAway: (e) => letIn(e, 'icp_x', (x) => `if(abs(${x} - trunc(${x})) >= 0.5, trunc(${x}) + if(${x} < 0, -1, 1), trunc(${x}))`),
  pow2: (k) => `pow(2, ${k})`,
  intText: (e) => `toString(toInt64(${e}))`,

  // now() is a Unix time whatever the server's time zone: its whole days are UTC days.
  today: () => `toFloat64(intDiv(toUInt32(now()), 86400))`,

  and: (parts) => (parts.length === 1 ? parts[0]! : fromK3(fold2('least', parts))),
  or: (parts) => (parts.length === 1 ? parts[0]! : fromK3(fold2('greatest', parts))),
  not: (e) => `(NOT ${e})`,

  defineFunction: () => {
    throw new Error('clickhouse dialect: helpers are inlined (ClickHouse 18.16 has no CREATE FUNCTION)');
  },
  callFunction: (name) => {
    throw new Error(`clickhouse dialect: ${name} should have been inlined`);
  },
  let: letIn,
  // The inlined helpers make a statement of 10^5–10^6 AST elements: past 18.16's defaults (50,000 elements,
  // 256 KiB of text). The settings hold for the session (clickhouse-client --multiquery runs them first).
  preamble: () => CH_SETTINGS.map(([k, v]) => `SET ${k} = ${v};`).join('\n'),
};
