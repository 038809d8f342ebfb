// The DuckDB dialect (written against DuckDB 1.5): RE2 regular expressions, lists with lambdas, macros.
import { SqlUnsupported, doubleText, quoteIdent, standardLogic, type Dialect, type HelperFunction, type Sql } from '../dialect.js';

/** A DuckDB text literal: quotes doubled; control characters through chr() so the text stays one line. */
function str(s: string): Sql {
  if (!/[\u0000-\u001f\u007f]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  const parts: string[] = [];
  let lit = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 32 || c === 127) {
      if (lit) parts.push(`'${lit.replace(/'/g, "''")}'`);
      lit = '';
      parts.push(`chr(${c})`);
    } else lit += ch;
  }
  if (lit) parts.push(`'${lit.replace(/'/g, "''")}'`);
  return `(${parts.join(' || ')})`;
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
  toDouble: (e) => `list_transform([TRY_CAST(${e} AS DOUBLE)], lambda icp_d: CASE WHEN isfinite(icp_d) THEN icp_d END)[1]`,

  // DuckDB lower-cases code point by code point (utf8proc); readers.ts adds what JavaScript does besides.
  lower: (e) => `lower(${e})`,
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
  preamble: () => '',
};
