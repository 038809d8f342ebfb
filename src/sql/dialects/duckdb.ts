// The DuckDB dialect (written against DuckDB 1.5): RE2 regular expressions, lists with lambdas, macros.
import { SqlUnsupported, chrConcatLiteral, doubleText, quoteIdent, standardLogic, type Dialect, type HelperFunction, type Sql } from '../dialect.js';

/** A DuckDB text literal: quotes doubled; control characters through chr() so the text stays one line. */
function str(s: string): Sql {
  return chrConcatLiteral(s, (c) => c < 32 || c === 127);
}

/**
 * Where DuckDB's lower() (utf8proc, Unicode 15) differs from JavaScript's toLowerCase (ICU, Unicode 16), found by
 * lower-casing every code point in both (test/sql/readers-duckdb.test.ts repeats the check): letters added in
 * Unicode 16, mapped one to one with translate(); U+0130 İ, which JavaScript maps to i + U+0307; and Σ, which
 * JavaScript writes as final ς at the end of a word (Unicode's Final_Sigma context).
 */
const LOWER_PAIRS: [number, number][] = [
  [0x1c89, 0x1c8a], [0xa7cb, 0x264], [0xa7cc, 0xa7cd], [0xa7ce, 0xa7cf], [0xa7d2, 0xa7d3], [0xa7d4, 0xa7d5], [0xa7da, 0xa7db], [0xa7dc, 0x19b],
  ...Array.from({ length: 0x16 }, (_, i): [number, number] => [0x10d50 + i, 0x10d70 + i]),
  ...Array.from({ length: 0x19 }, (_, i): [number, number] => [0x16ea0 + i, 0x16ebb + i]),
];
const LOWER_FROM = LOWER_PAIRS.map(([a]) => String.fromCodePoint(a)).join('');
const LOWER_TO = LOWER_PAIRS.map(([, b]) => String.fromCodePoint(b)).join('');
/** Cased letters that are not case-ignorable, and case-ignorable characters (Unicode's Final_Sigma definitions). */
const CASED = String.raw`\p{Lu}\p{Ll}\p{Lt}\x{AA}\x{BA}\x{2160}-\x{217F}\x{24B6}-\x{24E9}`;
const IGNORABLE = String.raw`\p{Mn}\p{Me}\p{Cf}\p{Lm}\p{Sk}'.:\x{B7}\x{387}\x{55F}\x{5F4}\x{2018}\x{2019}\x{2024}\x{2027}\x{FE13}\x{FE52}\x{FE55}\x{FF07}\x{FF0E}\x{FF1A}`;
const FINAL_SIGMA = `([${CASED}][${IGNORABLE}]*)Σ([${IGNORABLE}]*)([^${CASED}${IGNORABLE}]|$)`;

function lower(e: Sql): Sql {
  const fixed = `regexp_replace(replace(translate(${e}, ${str(LOWER_FROM)}, ${str(LOWER_TO)}), 'İ', ${str('i\u0307')}), ${str(FINAL_SIGMA)}, ${str('\\1ς\\2\\3')}, 'g')`;
  return `lower(CASE WHEN regexp_matches(${e}, ${str(`[Σİ${LOWER_FROM}]`)}) THEN ${fixed} ELSE ${e} END)`;
}

/** A regular expression pattern as a literal (RE2 syntax needs no translation in DuckDB). */
const pat = (p: string): Sql => str(p);

/** Whole numbers below 2^53 cast exactly from integer literals; anything else is parsed from its shortest text. */
function num(n: number): Sql {
  if (!Number.isFinite(n)) throw new SqlUnsupported('non-finite-number', `${n} is not a finite number`);
  if (Number.isInteger(n) && !Object.is(n, -0) && Math.abs(n) < 2 ** 53) return n < 0 ? `(${n})::DOUBLE` : `${n}::DOUBLE`;
  return `'${doubleText(n)}'::DOUBLE`;
}

/** The DuckDB dialect. */
export const duckdb: Dialect = {
  name: 'duckdb',
  functions: 'macro',
  ident: quoteIdent,
  str,
  num,
  nullOf: (type) => `CAST(NULL AS ${type === 'double' ? 'DOUBLE' : type === 'text' ? 'VARCHAR' : 'BOOLEAN'})`,
  bool: (b) => (b ? 'TRUE' : 'FALSE'),

  textOf: (e) => `CAST(${e} AS VARCHAR)`,
  // By the column's type (typeof), through its text so each branch binds for a column of any type.
  typed: (col, kind) => {
    const type = `typeof(${col})`;
    if (kind === 'number') {
      return {
        when: `(${type} IN ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'DOUBLE') OR ${type} LIKE 'DECIMAL%')`,
        value: `CASE WHEN isfinite(TRY_CAST(CAST(${col} AS VARCHAR) AS DOUBLE)) THEN TRY_CAST(CAST(${col} AS VARCHAR) AS DOUBLE) END`,
      };
    }
    return {
      when: `(${type} IN ('DATE', 'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE'))`,
      // A TIMESTAMP WITH TIME ZONE counts by its date in UTC (epoch), the others by the date they hold.
      value:
        `CASE WHEN ${type} = 'TIMESTAMP WITH TIME ZONE' THEN floor(epoch(TRY_CAST(CAST(${col} AS VARCHAR) AS TIMESTAMPTZ)) / 86400) ` +
        `ELSE CAST(CAST(TRY_CAST(CAST(${col} AS VARCHAR) AS TIMESTAMP) AS DATE) - DATE '1970-01-01' AS DOUBLE) END`,
    };
  },
  toDouble: (e) => `CASE WHEN isfinite(TRY_CAST(${e} AS DOUBLE)) THEN TRY_CAST(${e} AS DOUBLE) END`,

  lower,
  nfc: (e) => `nfc_normalize(${e})`,
  length: (e) => `length(${e})`,
  substr: (e, start, len) => (len === undefined ? `substring(${e}, ${start})` : `substring(${e}, ${start}, ${len})`),
  concat: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`),
  replace: (e, from, to) => `replace(${e}, ${from}, ${to})`,
  containsText: (hay, needle) => `contains(${hay}, ${needle})`,

  reMatch: (e, p) => `regexp_matches(${e}, ${pat(p)})`,
  reReplace: (e, p, r) => `regexp_replace(${e}, ${pat(p)}, ${str(r.replace(/\\/g, '\\\\'))}, 'g')`,
  reExtract: (e, p, g) => `regexp_extract(${e}, ${pat(p)}, ${g})`,
  // DuckDB's regular expressions are RE2 (the library itself), as icp's: the pattern runs unchanged.
  userMatch: (e, p, caseSensitive) => `regexp_matches(${e}, ${pat(p)}, ${caseSensitive ? "'c'" : "'i'"})`,

  split: (e, sep) => `string_split(${e}, ${str(sep)})`,
  listMap: (list, param, body) => `list_transform(${list}, lambda ${param}: ${body(param)})`,
  listFilter: (list, param, pred) => `list_filter(${list}, lambda ${param}: ${pred(param)})`,
  listFlatten: (list) => `flatten(${list})`,
  listLength: (list) => `CAST(len(${list}) AS DOUBLE)`,
  listHasAny: (list, values) => `list_has_any(${list}, [${values.map(str).join(', ')}]::VARCHAR[])`,
  inTexts: (e, values) => `list_contains([${values.map(str).join(', ')}]::VARCHAR[], ${e})`,
  inNumbers: (e, values) => `list_contains([${values.map(num).join(', ')}], ${e})`,

  floor: (e) => `floor(${e})`,
  trunc: (e) => `trunc(${e})`,
  // DuckDB's round(DOUBLE) is C's round(): halves away from zero.
  roundHalfAway: (e) => `round(${e})`,
  pow2: (k) => `pow(2::DOUBLE, ${k})`,
  intText: (e) => `CAST(CAST(${e} AS BIGINT) AS VARCHAR)`,

  // current_date follows the session's TimeZone; icp's today is UTC.
  today: () => `floor(epoch(get_current_timestamp()) / 86400)`,

  ...standardLogic,

  defineFunction: (f: HelperFunction) => `CREATE OR REPLACE MACRO ${f.name}(${f.params.join(', ')}) AS ${f.body};`,
  callFunction: (name, args) => `${name}(${args.join(', ')})`,
  let: (value, param, body) => `list_transform([${value}], lambda ${param}: ${body(param)})[1]`,
  selectAllExcept: (names) => `* EXCLUDE (${names.map(quoteIdent).join(', ')})`,
  preamble: () => '',
};
