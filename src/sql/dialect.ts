// What differs between SQL engines, and nothing else: the lowering (lower.ts) and the value readers (readers.ts)
// build every expression through this interface, so a dialect is one small file in src/sql/dialects/.
//
// Conventions every dialect keeps (the lowering relies on them):
// - Every number is a 64-bit IEEE double (DuckDB DOUBLE, PostgreSQL double precision, ClickHouse Float64): points,
//   cents (whole numbers held in doubles, as in icp's JavaScript), day numbers (days since 1970-01-01). +, −, ×
//   and ÷ of doubles are correctly rounded in every engine, so the same operations in the same order give the same
//   bits as JavaScript. Never let a literal become an exact DECIMAL (DuckDB and PostgreSQL read `0.5` so).
// - Truth is SQL BOOLEAN with NULL as UNKNOWN: AND / OR / NOT on booleans are Kleene logic, which is icp's
//   three-valued all / any / not. A dialect whose engine differs overrides and() / or() / not().
// - Text is Unicode; lengths and positions count code points.
// - Regular expressions given to re*() are written by icp in a small RE2 subset: literals, `.`, classes `[...]`
//   with ranges and `\x{HHHH}` code points, `\d` (ASCII digits only), groups `(...)` and `(?:...)`, `|`, the
//   quantifiers `* + ? {m,n}`, anchors `^ $`. They never use `\s`, `\w` or `\b` (whose meaning differs between
//   engines) and no flags. A dialect whose engine is not RE2 translates them (e.g. `\x{A0}` → `\u00A0`).
// - A user's `matches` pattern is RE2 (icp checks it compiles under RE2); userRegex() makes it engine-ready or
//   refuses it.

/** A rule or value form an engine cannot express: `icp sql` refuses it (exit 2), naming the rule. */
export class SqlUnsupported extends Error {
  override readonly name = 'SqlUnsupported';
  /**
   * @param feature a short name of what is missing, e.g. 'regex-lookahead'
   * @param message why, in words a user understands, e.g. 'PostgreSQL regular expressions have no (?U) flag'
   */
  constructor(
    readonly feature: string,
    message: string,
  ) {
    super(message);
  }
}

/** A SQL expression as text. */
export type Sql = string;

/** A helper function of the prelude: its name, parameter names and body (an expression over the parameters). */
export interface HelperFunction {
  /** Name, `icp_` prefixed, e.g. 'icp_num'. */
  name: string;
  params: string[];
  /** The body with each parameter referenced by its name (as `ident(param)` of the dialect). */
  body: Sql;
  /** What it returns (for engines that declare it): every helper returns one of these. */
  returns: 'double' | 'text' | 'boolean' | 'text-list';
}

/** An SQL engine's spelling of what icp needs. Every method returns SQL text; none executes anything. */
export interface Dialect {
  /** The name given to `icp sql --dialect`, e.g. 'duckdb'. */
  readonly name: string;
  /**
   * How helper functions exist. 'macro': the prelude defines them once (CREATE MACRO / CREATE FUNCTION) and
   * expressions call them by name. 'inline': the engine has no user functions (ClickHouse before 21.10); every
   * call is replaced by the body with its arguments substituted, and the prelude is empty.
   */
  readonly functions: 'macro' | 'inline';

  // Literals and names.
  /** A quoted identifier (any text, quotes doubled or escaped). */
  ident(name: string): Sql;
  /** A text literal holding exactly `s` (any Unicode; quotes, backslashes, control characters escaped). */
  str(s: string): Sql;
  /** A DOUBLE literal of exactly this finite JavaScript number (-0 included); never an exact decimal. */
  num(n: number): Sql;
  /** The NULL of a type. */
  nullOf(type: 'double' | 'text' | 'boolean'): Sql;
  /** TRUE or FALSE. */
  bool(b: boolean): Sql;

  // Types.
  /**
   * Any column value as text, the way a CSV would hold it: text unchanged; DATE as YYYY-MM-DD; TIMESTAMP as
   * 'YYYY-MM-DD HH:MM:SS'; numbers as the engine prints them (icp reads 1250000.0 and 1.25e+20); booleans as
   * 'true'/'false'. NULL stays NULL (the lowering reads it as missing). An array column is not a list icp reads:
   * the query stops with ARRAY_MESSAGE (never a score from the array's printed form).
   */
  textOf(e: Sql): Sql;
  /**
   * A table column `col` read by its SQL type: `when` is TRUE when the column's type is a number type (kind
   * 'number') or a date/time type (kind 'date'), tested from the column's type (the same for every row), and
   * `value` is then the double, or the day number (days since 1970-01-01; a time of day dropped). Every other
   * column is read from its text (textOf). Both expressions must be valid SQL whatever the column's type.
   * Undefined (the method, or its result for a kind): read from its text.
   */
  typed?(col: Sql, kind: 'number' | 'date'): { when: Sql; value: Sql } | undefined;
  /**
   * Text in JavaScript Number() syntax as icp's readers produce it (digits, optional `.digits`, optional
   * exponent `e[+-]digits`; never signs, spaces or separators) → the correctly rounded double; NULL when the
   * result is not finite.
   */
  toDouble(e: Sql): Sql;

  // Text (code points).
  /** Lower-cased as JavaScript's toLowerCase does (as far as the engine can; see the dialect file). */
  lower(e: Sql): Sql;
  /** Unicode NFC, or `e` unchanged when the engine has no normalisation (the dialect file says so). */
  nfc(e: Sql): Sql;
  /** Length in code points. */
  length(e: Sql): Sql;
  /** Code points from `start` (1-based) on, `len` of them when given. */
  substr(e: Sql, start: Sql, len?: Sql): Sql;
  /** Concatenation (NULL when any part is NULL). */
  concat(parts: Sql[]): Sql;
  /** Every occurrence of the literal `from` replaced by `to`. */
  replace(e: Sql, from: Sql, to: Sql): Sql;
  /** TRUE when `needle` occurs in `hay` (both text, literal). */
  containsText(hay: Sql, needle: Sql): Sql;
  /**
   * `e` without the characters of `chars` at its start, end or both, when the engine has a trim by a set of
   * characters (PostgreSQL's btrim): cheaper than a regular expression. Undefined: the readers use reReplace.
   */
  trimChars?(e: Sql, chars: string, side: 'both' | 'start' | 'end'): Sql;

  // Regular expressions (icp's subset, see the header).
  /** TRUE when the pattern matches somewhere in `e` (unanchored). */
  reMatch(e: Sql, pattern: string): Sql;
  /** Every match replaced by `replacement` (which is literal text: no group references). */
  reReplace(e: Sql, pattern: string, replacement: string): Sql;
  /** The text of capture group `group` (1-based) of the first match, '' when no match. */
  reExtract(e: Sql, pattern: string, group: number): Sql;
  /**
   * The first match bound once: body(matched, groups), `matched` TRUE when the pattern matches `e` (a non-NULL
   * text), groups[k] the text of group k + 1 as reExtract gives it. `param` is a fresh name. Undefined: the readers
   * write reMatch and one reExtract per group.
   */
  reGroups?(e: Sql, pattern: string, count: number, param: string, body: (matched: Sql, groups: Sql[]) => Sql): Sql;
  /**
   * A user's `matches` pattern (RE2, as written in the rules) and case sensitivity → TRUE when it matches
   * somewhere in `e`. Throws SqlUnsupported when the engine cannot run it with RE2's meaning.
   */
  userMatch(e: Sql, pattern: string, caseSensitive: boolean): Sql;

  // Lists of text (multi-value cells).
  /** `e` split on the literal separator `sep` (a text list; "a;;b" gives 'a', '', 'b'). */
  split(e: Sql, sep: string): Sql;
  /** Each element x of the list as `body(x)`. `param` is a fresh name the body may reference. */
  listMap(list: Sql, param: string, body: (x: Sql) => Sql): Sql;
  /** The list's elements for which `pred(x)` is TRUE. */
  listFilter(list: Sql, param: string, pred: (x: Sql) => Sql): Sql;
  /** A list of lists → one list, in order. */
  listFlatten(list: Sql): Sql;
  /** Number of elements (a double). */
  listLength(list: Sql): Sql;
  /**
   * The list when `cond` (never NULL) is TRUE, else no list; undefined: `CASE WHEN cond THEN list END` (a NULL
   * list). Engines whose arrays cannot be NULL (ClickHouse) give an empty one.
   */
  listIf?(cond: Sql, list: Sql): Sql;
  /**
   * TRUE when some element of the list is one of the literal values. Never a long IN (...) list: engines plan
   * those as joins or hash tables built per row; use the engine's array/list membership.
   */
  listHasAny(list: Sql, values: string[]): Sql;
  /** TRUE when the text `e` is one of the literal values (list/array membership, not IN). NULL when e is NULL. */
  inTexts(e: Sql, values: string[]): Sql;
  /** TRUE when the double `e` equals one of the numbers (exact comparison). NULL when e is NULL. */
  inNumbers(e: Sql, values: number[]): Sql;

  // Numbers (doubles).
  /** Largest whole number ≤ x. */
  floor(e: Sql): Sql;
  /** Toward zero. */
  trunc(e: Sql): Sql;
  /** Nearest whole number, halves away from zero (C's round(); PostgreSQL's round(double) is half-even!). */
  roundHalfAway(e: Sql): Sql;
  /** 2^k exactly, for a whole-number double k in [-1074, 1023]. */
  pow2(k: Sql): Sql;
  /** A whole-number double as decimal text without a fraction or exponent: 7250 → '7250', -5 → '-5'. */
  intText(e: Sql): Sql;

  // Dates.
  /** Today (UTC) as a day number (double), when --as-of is not given. */
  today(): Sql;

  // Logic (Kleene; override only when the engine's AND/OR/NOT on NULL differ).
  and(parts: Sql[]): Sql;
  or(parts: Sql[]): Sql;
  not(e: Sql): Sql;

  // Functions and statements.
  /** The prelude statement defining one helper (with its terminating ';'), for 'macro' dialects. */
  defineFunction(f: HelperFunction): Sql;
  /** A call of a helper defined in the prelude, for 'macro' dialects. */
  callFunction(name: string, args: Sql[]): Sql;
  /**
   * `body(x)` with x standing for `value`, computed once per row (SQL has no let: without it a value used several
   * times is computed several times, and nested helpers grow exponentially). `param` is a fresh name.
   */
  let(value: Sql, param: string, body: (x: Sql) => Sql): Sql;
  /**
   * The select-list text for "every column of the table below but these" (DuckDB: * EXCLUDE (…)), or undefined
   * when the engine has no such form: the lowering then needs the table's columns (icp sql --input).
   */
  selectAllExcept?(names: string[]): Sql | undefined;
  /** Extra text put before the prelude (comments, SET statements), or ''. */
  preamble(): Sql;
  /**
   * Text ending each projection level's subquery so the planner keeps the levels apart (PostgreSQL: OFFSET 0), or
   * undefined. Without it PostgreSQL pulls every level up into one and writes each named value out at each use: the
   * plan grows exponentially with the levels (the operator matrix did not plan in 100 s; 0.5 s fenced).
   */
  readonly levelFence?: Sql;
}

/** The error an array column stops the query with (its printed value follows). */
export const ARRAY_MESSAGE = "icp: an array column is not read as a list; store the column as text, its values joined by the rules' separator: ";

/** Kleene AND / OR / NOT as standard SQL writes them: what most dialects use. */
export const standardLogic: Pick<Dialect, 'and' | 'or' | 'not'> = {
  and: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})`),
  or: (parts) => (parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`),
  not: (e) => `(NOT ${e})`,
};

/** Standard SQL identifier quoting: "name", with " doubled. */
export function quoteIdent(name: string): Sql {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A text literal for engines that double quotes and write other characters with chr(): `'…' || chr(10) || '…'`
 * for each code point `viaChr` picks (control characters, so the statement stays one line).
 */
export function chrConcatLiteral(s: string, viaChr: (cp: number) => boolean): Sql {
  const quoted = (t: string) => `'${t.replace(/'/g, "''")}'`;
  const parts: string[] = [];
  let lit = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (viaChr(c)) {
      if (lit) parts.push(quoted(lit));
      lit = '';
      parts.push(`chr(${c})`);
    } else lit += ch;
  }
  if (parts.length === 0) return quoted(lit);
  if (lit) parts.push(quoted(lit));
  return `(${parts.join(' || ')})`;
}

/**
 * The shortest decimal text of a finite double that reads back as the same double (JavaScript's own), with an
 * exponent written as engines parse it ('1e+21' → '1e21'): for dialects that cast text to double.
 */
export function doubleText(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  if (Object.is(n, -0)) return '-0';
  return String(n).replace('e+', 'e');
}
