// The PostgreSQL dialect (written against PostgreSQL 15; needs 13+ for normalize(), a UTF8 database and ICU).
// Regular expressions are translated from RE2 to PostgreSQL's own (ARE) through exact code-point sets.
import { ARRAY_MESSAGE, SqlUnsupported, chrConcatLiteral, doubleText, quoteIdent, standardLogic, type Dialect, type HelperFunction, type Sql } from '../dialect.js';
import { complement, emit, normalize, parseRe2, type Ranges, type RegexSyntax } from './regex.js';

/**
 * A text literal: quotes doubled (standard_conforming_strings, on since 9.1); control characters and the line
 * separators U+0085, U+2028, U+2029 through chr(), so the text stays one line for every tool.
 */
function str(s: string): Sql {
  if (s.includes('\u0000')) throw new SqlUnsupported('nul-character', 'PostgreSQL text cannot hold the character U+0000');
  return chrConcatLiteral(s, (c) => c < 32 || c === 127 || c === 0x85 || c === 0x2028 || c === 0x2029);
}

/** Whole numbers below 2^53 from integer literals; anything else from its shortest text (strtod: correctly rounded). */
function num(n: number): Sql {
  if (!Number.isFinite(n)) throw new SqlUnsupported('non-finite-number', `${n} is not a finite number`);
  if (Number.isInteger(n) && !Object.is(n, -0) && Math.abs(n) < 2 ** 53) return `CAST(${n} AS float8)`;
  return `CAST('${doubleText(n)}' AS float8)`;
}

const hex = (cp: number, w: number) => cp.toString(16).toUpperCase().padStart(w, '0');

/** One code point in an ARE pattern (inside a bracket expression when `bracket`). */
function areChar(cp: number, bracket: boolean): string {
  if (cp > 0x20 && cp < 0x7f) {
    const c = String.fromCharCode(cp);
    if (/[A-Za-z0-9]/.test(c)) return c;
    return (bracket ? /[\\\]\[^-]/ : /[\\^$.|?*+()[\]{}]/).test(c) ? `\\${c}` : c;
  }
  return cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

// PostgreSQL text never holds U+0000, so sets leave it out (a bracket may not name it either).
const NO_NUL = (r: Ranges): Ranges => normalize(r.map(([a, b]): [number, number] => [Math.max(a, 1), b]));

const ARE: RegexSyntax = {
  name: 'PostgreSQL',
  maxRepeat: 255,
  set(ranges) {
    const pos = NO_NUL(ranges);
    const neg = NO_NUL(complement(pos));
    if (pos.length === 1 && pos[0]![0] === pos[0]![1]) return areChar(pos[0]![0], false);
    const body = (r: Ranges) => r.map(([a, b]) => (a === b ? areChar(a, true) : `${areChar(a, true)}-${areChar(b, true)}`)).join('');
    if (pos.length === 0) return '[^\\u0001-\\U0010FFFF]';
    if (neg.length === 0) return '[\\u0001-\\U0010FFFF]';
    return neg.length < pos.length ? `[^${body(neg)}]` : `[${body(pos)}]`;
  },
  assert(what) {
    // RE2's \b is ASCII: a word character is [0-9A-Za-z_], whatever the database's locale says.
    const w = '[0-9A-Za-z_]';
    switch (what) {
      case 'bot':
        return '^';
      case 'eot':
        return '$';
      case 'bol':
        return '(?:^|(?<=\\n))';
      case 'eol':
        return '(?:$|(?=\\n))';
      case 'word':
        return `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
      case 'notword':
        return `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
    }
  },
};

const translated = new Map<string, string>();
/** An RE2 pattern as an ARE pattern literal meaning the same (cached: the readers repeat their patterns). */
function are(pattern: string, caseSensitive = true, what = 'a regular expression', onlyGroup?: number): Sql {
  const key = `${caseSensitive ? 'c' : 'i'}${onlyGroup ?? ''}\u0000${pattern}`;
  let out = translated.get(key);
  if (out === undefined) {
    out = str(emit(parseRe2(pattern, caseSensitive, what), ARE, what, onlyGroup));
    translated.set(key, out);
  }
  return out;
}

/**
 * Where PostgreSQL's ICU lower() (Debian's PostgreSQL 15 links ICU 72: Unicode 15) differs from JavaScript's
 * toLowerCase (Unicode 16), found by lower-casing every code point in both (test/sql/readers-postgres.test.ts
 * repeats the check): the letters Unicode 16 added, mapped one to one with translate() first; and the
 * noncharacters U+1FFFE … U+10FFFF, which PostgreSQL's conversion to ICU drops: a text holding one is lower-cased
 * piece by piece around them (they are neither cased nor case-ignorable, so no final sigma looks across them).
 */
const LOWER_PAIRS: [number, number][] = [
  [0x1c89, 0x1c8a], [0xa7cb, 0x264], [0xa7cc, 0xa7cd], [0xa7ce, 0xa7cf], [0xa7d2, 0xa7d3], [0xa7d4, 0xa7d5], [0xa7da, 0xa7db], [0xa7dc, 0x19b],
  ...Array.from({ length: 0x16 }, (_, i): [number, number] => [0x10d50 + i, 0x10d70 + i]),
  ...Array.from({ length: 0x19 }, (_, i): [number, number] => [0x16ea0 + i, 0x16ebb + i]),
];
const LOWER_FROM = str(LOWER_PAIRS.map(([a]) => String.fromCodePoint(a)).join(''));
const LOWER_TO = str(LOWER_PAIRS.map(([, b]) => String.fromCodePoint(b)).join(''));
const NONCHARS = Array.from({ length: 16 }, (_, i) => `\\U${hex((i + 1) * 0x10000 + 0xfffe, 8)}-\\U${hex((i + 1) * 0x10000 + 0xffff, 8)}`).join('');

function lower(e: Sql): Sql {
  const icu = (x: Sql) => `lower(translate(${x}, ${LOWER_FROM}, ${LOWER_TO}) COLLATE "und-x-icu")`;
  // ASCII text (most cells) lower-cases as A–Z → a–z, without ICU's conversions (and without a COLLATE, which would
  // clash with the ICU branch's).
  return letIn(e, 'icp_lc', (x) =>
    `CASE WHEN octet_length(${x}) = length(${x}) THEN translate(${x}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') WHEN ${x} ~ '[${NONCHARS}]' THEN (SELECT string_agg(CASE WHEN icp_lc_m[1] ~ '^[${NONCHARS}]$' THEN icp_lc_m[1] ELSE ${icu('icp_lc_m[1]')} END, '' ORDER BY icp_lc_o) ` +
      `FROM regexp_matches(${x}, '[${NONCHARS}]|[^${NONCHARS}]+', 'g') WITH ORDINALITY AS icp_lc_t(icp_lc_m, icp_lc_o)) ELSE ${icu(x)} END`,
  );
}

// Helper parameters by name → type. LOCAL ADAPTER: HelperFunction carries no parameter types (DuckDB macros need
// none; PostgreSQL functions do), so the types of the readers' parameter names are listed here.
const PARAM_TYPES: Record<string, string> = {
  s: 'text',
  raw: 'text',
  decimal_mode: 'text',
  date_order: 'text',
  text: 'text',
  y: 'float8',
  m: 'float8',
  d: 'float8',
  x: 'float8',
};
const RETURNS: Record<HelperFunction['returns'], string> = { double: 'float8', text: 'text', boolean: 'boolean', 'text-list': 'text[]' };

function defineFunction(f: HelperFunction): Sql {
  const params = f.params.map((p) => {
    const t = PARAM_TYPES[p];
    if (!t) throw new Error(`postgres dialect: no type for parameter ${p} of ${f.name} (add it to PARAM_TYPES)`);
    return `${p} ${t}`;
  });
  if (f.body.includes('$icp$')) throw new Error(`postgres dialect: the body of ${f.name} holds the quote $icp$`);
  return `CREATE OR REPLACE FUNCTION ${f.name}(${params.join(', ')}) RETURNS ${RETURNS[f.returns]} LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $icp$ SELECT ${f.body} $icp$;`;
}

// listMap results, so listFlatten can flatten a list of lists (PostgreSQL arrays must be rectangular, so a list of
// lists never exists as a value): LOCAL ADAPTER for listFlatten(listMap(list, x, body)), the only form the
// lowering writes.
const mapped = new Map<Sql, { list: Sql; param: string; body: (x: Sql) => Sql }>();

/**
 * `(SELECT body FROM (SELECT value AS param OFFSET 0))`: value computed once per row, named inside body. OFFSET 0
 * keeps the planner from pulling the inner SELECT up, which would write `value` into body at each use: nested lets
 * would then grow exponentially (a reader took 43 s to plan without it).
 */
function letIn(value: Sql, param: string, body: (x: Sql) => Sql): Sql {
  const b = body(param);
  // Parameter names are fresh words (icp_rs12), never inside a literal: replacing the word is substitution.
  const word = new RegExp(`\\b${param}\\b`, 'g');
  const uses = b.match(word)?.length ?? 0;
  if (cheap(value, uses)) return b.replace(word, () => `(${value})`);
  return `(SELECT ${b} FROM (SELECT ${value} AS ${param} OFFSET 0) AS ${param}_)`;
}

/**
 * A value cheaper to compute at each use than to bind: a let is a subplan, rescanned per row (2–5 µs), where a
 * column, a literal, arithmetic or a short string function costs a few operator calls (~50 ns each). Not:
 * subqueries, regular expressions, lower-casing, normalisation. The bound on length × uses keeps copies small.
 */
function cheap(value: Sql, uses: number): boolean {
  return value.length * uses <= 800 && !/SELECT|~|regexp|lower\(|normalize|translate/i.test(value);
}

/** A list's elements in order, as `body(x)` over rows of unnest; NULL for a NULL list. */
function overList(list: Sql, param: string, select: (list: Sql, x: Sql, ord: Sql) => Sql): Sql {
  return letIn(list, `${param}_l`, (l) => `CASE WHEN ${l} IS NULL THEN NULL ELSE ARRAY(${select(l, param, `${param}_o`)}) END`);
}

/** The array types textOf refuses (an oid comparison per row; the text of a type name would be a catalog lookup). */
const ARRAY_TYPES = ['text', 'varchar', 'bpchar', 'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'date', 'timestamp', 'timestamptz', 'bool', 'json', 'jsonb']
  .map((t) => `'${t}[]'`)
  .join(', ');

/** The PostgreSQL dialect. */
export const postgres: Dialect = {
  name: 'postgres',
  // Inlined, not CREATE FUNCTION: a SQL function whose body holds a subquery (every let) is never inlined by the
  // planner, and one called from another is planned again on every call: icp_num took 3.6 ms a value as functions
  // against 0.055 ms inlined (500 and 2,000 values, PostgreSQL 15 here).
  functions: 'inline',
  ident: quoteIdent,
  str,
  num,
  nullOf: (type) => `CAST(NULL AS ${type === 'double' ? 'float8' : type === 'text' ? 'text' : 'boolean'})`,
  bool: (b) => (b ? 'TRUE' : 'FALSE'),

  // As COPY and psql write a value to a CSV (dates in the session's DateStyle, ISO by default).
  // An array: a failed integer parse of ARRAY_MESSAGE and the value (not a constant, so never folded at plan time).
  textOf: (e) =>
    `CASE WHEN pg_typeof(${e}) = ANY(ARRAY[${ARRAY_TYPES}]::regtype[]) THEN CAST(CAST(${str(ARRAY_MESSAGE)} || CAST(${e} AS text) AS integer) AS text) ELSE CAST(${e} AS text) END`,
  // By the column's type (pg_typeof, stable): through its text, so each branch is valid SQL for a column of any type.
  // numeric → float8 is the correctly rounded double of the decimal, as icp's Number(); NaN and ±Infinity are not
  // numbers to icp. A timestamptz counts by its date in UTC, whatever the session's TimeZone (its text is in it).
  typed: (col, kind) =>
    kind === 'number'
      ? {
          when: `(pg_typeof(${col}) = ANY(ARRAY['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']::regtype[]))`,
          value: `CASE WHEN CAST(${col} AS text) IN ('NaN', 'Infinity', '-Infinity') THEN CAST(NULL AS float8) ELSE CAST(CAST(${col} AS text) AS float8) END`,
        }
      : {
          when: `(pg_typeof(${col}) = ANY(ARRAY['date', 'timestamp', 'timestamptz']::regtype[]))`,
          value:
            `CAST(CASE WHEN pg_typeof(${col}) = 'timestamptz'::regtype THEN CAST(CAST(CAST(${col} AS text) AS timestamptz) AT TIME ZONE 'UTC' AS date) ` +
            `ELSE CAST(CAST(${col} AS text) AS date) END - DATE '1970-01-01' AS float8)`,
        },
  // float8in is strtod (correctly rounded) but raises an error where JavaScript gives Infinity or 0: beyond
  // ±1.8e308, or below 2.5e-324. Texts without an exponent and under 300 characters can do neither.
  toDouble: (e) =>
    letIn(e, 'icp_t', (t) => `CASE WHEN ${t} IS NULL THEN NULL WHEN length(${t}) < 300 AND strpos(${t}, 'e') = 0 AND strpos(${t}, 'E') = 0 THEN CAST(${t} AS float8) ELSE icp_pg_double(${t}) END`),

  // ICU's root-locale lower() is JavaScript's algorithm (U+0130 → i + U+0307, final sigma), whatever the database's
  // own locale (a C-locale database lower-cases only ASCII). Needs PostgreSQL built with ICU (Debian's is).
  lower,
  nfc: (e) => `normalize(${e}, NFC)`,
  length: (e) => `length(${e})`,
  substr: (e, start, len) =>
    len === undefined
      ? `substr(${e}, CAST(${start} AS integer))`
      : `substr(${e}, CAST(${start} AS integer), greatest(CAST(${len} AS integer), 0))`,
  concat: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`),
  replace: (e, from, to) => `replace(${e}, ${from}, ${to})`,
  containsText: (hay, needle) => `(strpos(${hay}, ${needle}) > 0)`,
  trimChars: (e, chars, side) => `${side === 'both' ? 'btrim' : side === 'start' ? 'ltrim' : 'rtrim'}(${e}, ${str(chars)})`,

  reMatch: (e, p) => `(${e} ~ ${are(p)})`,
  reReplace: (e, p, r) => `regexp_replace(${e}, ${are(p)}, ${str(r.replace(/\\/g, '\\\\'))}, 'g')`,
  // substring(… FROM pattern) returns the pattern's one capturing group (NULL when there is no match or the group
  // took no part); left(e, 0) is '' for a text and NULL for NULL.
  // regexp_match gives every group of the first match (NULL without a match; a NULL element for a group that took
  // no part), with the pattern reMatch uses: one compiled pattern per form. PostgreSQL caches only 32 compiled
  // patterns, and one per group overflowed it on every row (recompiling was a quarter of the statement's time).
  reExtract: (e, p, g) => `coalesce((regexp_match(${e}, ${are(p)}))[${g}], left(${e}, 0))`,
  reGroups: (e, p, count, param, body) =>
    letIn(`regexp_match(${e}, ${are(p)})`, param, (m) =>
      body(`(${m} IS NOT NULL)`, Array.from({ length: count }, (_, k) => `coalesce(${m}[${k + 1}], left(${e}, 0))`)),
    ),
  userMatch: (e, p, caseSensitive) => `(${e} ~ ${are(p, caseSensitive, `the pattern /${p}/`)})`,

  split: (e, sep) => `CASE WHEN ${e} = '' THEN ARRAY['']::text[] ELSE string_to_array(${e}, ${str(sep)}) END`,
  listMap: (list, param, body) => {
    const sql = overList(list, param, (l, x, o) => `SELECT ${body(x)} FROM unnest(${l}) WITH ORDINALITY AS ${param}_t(${x}, ${o}) ORDER BY ${o}`);
    mapped.set(sql, { list, param, body });
    return sql;
  },
  listFilter: (list, param, pred) =>
    overList(list, param, (l, x, o) => `SELECT ${x} FROM unnest(${l}) WITH ORDINALITY AS ${param}_t(${x}, ${o}) WHERE ${pred(x)} ORDER BY ${o}`),
  listFlatten: (list) => {
    const m = mapped.get(list);
    if (!m) throw new SqlUnsupported('list-flatten', 'PostgreSQL arrays are rectangular: only a mapped list of lists can be flattened');
    const { param } = m;
    return overList(
      m.list,
      param,
      (l, x, o) =>
        `SELECT ${param}_y FROM unnest(${l}) WITH ORDINALITY AS ${param}_t(${x}, ${o}), unnest(${m.body(x)}) WITH ORDINALITY AS ${param}_u(${param}_y, ${param}_p) ORDER BY ${o}, ${param}_p`,
    );
  },
  listLength: (list) => `CAST(cardinality(${list}) AS float8)`,
  listHasAny: (list, values) => `(${list} && ARRAY[${values.map(str).join(', ')}]::text[])`,
  inTexts: (e, values) => `(${e} = ANY(ARRAY[${values.map(str).join(', ')}]::text[]))`,
  inNumbers: (e, values) => `(${e} = ANY(ARRAY[${values.map(num).join(', ')}]::float8[]))`,

  floor: (e) => `floor(${e})`,
  trunc: (e) => `trunc(${e})`,
  // PostgreSQL's round(float8) is rint(): halves to even. Halves away from zero, from the exact fraction x − trunc(x).
  roundHalfAway: (e) =>
    letIn(e, 'icp_x', (x) => `CASE WHEN abs(${x} - trunc(${x})) >= ${num(0.5)} THEN trunc(${x}) + sign(${x}) ELSE trunc(${x}) END`),
  pow2: (k) => `power(CAST(2 AS float8), ${k})`,
  intText: (e) => `CAST(CAST(${e} AS bigint) AS text)`,

  today: () => `CAST(CAST(now() AT TIME ZONE 'UTC' AS date) - DATE '1970-01-01' AS float8)`,

  ...standardLogic,

  defineFunction,
  callFunction: (name, args) => `${name}(${args.join(', ')})`,
  let: letIn,
  preamble: () => `${PG_PREAMBLE}\n${PG_DOUBLE}`,
  // As in letIn: a fence, so the planner keeps each projection level a subquery instead of copying its values out.
  levelFence: 'OFFSET 0',
};

/**
 * JIT off for the session: LLVM compiled this statement's expressions for 16–26 s of CPU before the first row,
 * where 10,000 parity leads take 1.3 s without it; the time goes to regular expressions and subplans, which
 * JIT does not speed up.
 */
const PG_PREAMBLE = 'SET jit = off;';

// The 64 leading digits of the smallest decimal that overflows to Infinity (2^1024 − 2^970), and of the largest
// that underflows to 0 (2^−1075, rounding to even), for texts whose leading digit is at 10^308 and 10^−324.
const OVER = '1797693134862315807937289714053034150799341327100378269361737789';
const UNDER = '2470328229206232720882843964341106861825299013071623822127928412';

/**
 * icp_pg_double(t): a text in JavaScript Number() syntax (digits, optional .digits, optional exponent) → the same
 * double as Number(t): NULL where that is ±Infinity, 0 where it underflows, strtod otherwise.
 */
const PG_DOUBLE = `CREATE OR REPLACE FUNCTION icp_pg_double(t text) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $icp$
SELECT CASE WHEN digits = '' THEN CAST(0 AS float8)
  WHEN lead > 308 OR (lead = 308 AND rpad(digits, 64, '0') COLLATE "C" > '${OVER}') THEN NULL
  WHEN lead < -324 OR (lead = -324 AND rpad(digits, 64, '0') COLLATE "C" <= '${UNDER}') THEN CAST(0 AS float8)
  ELSE CAST(t AS float8) END
FROM (SELECT ltrim(ip || fp, '0') AS digits,
        ex + CASE WHEN ltrim(ip, '0') <> '' THEN length(ltrim(ip, '0')) - 1 ELSE -(length(fp) - length(ltrim(fp, '0'))) - 1 END AS lead
      FROM (SELECT coalesce(substring(t FROM '^([0-9]*)'), '') AS ip, coalesce(substring(t FROM '^[0-9]*\\.([0-9]*)'), '') AS fp,
              coalesce(CAST(substring(t FROM '[eE]([-+]?[0-9]+)$') AS numeric), 0) AS ex) AS parts) AS n
$icp$;`;
