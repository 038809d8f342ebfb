// icp's value readers (src/values/*) as SQL helper functions, written once over the Dialect's primitives.
// Each mirrors its JavaScript twin step by step; test/sql/value-cases.ts proves them equal on every engine.
import { CURRENCY, CURRENCY_END, FALSE_WORDS, MONTHS, MULTIPLIERS, TRUE_WORDS } from '../values/index.js';
import type { Dialect, HelperFunction, Sql } from './dialect.js';

/** JavaScript's white space (String.prototype.trim and \s): WhiteSpace and LineTerminator, as class members. */
const WS = String.raw`\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`;
/** The same white space as the characters themselves (for a dialect's trimChars). */
const WS_CHARS = WS.replace(/\\x\{([0-9A-F]+)\}-\\x\{([0-9A-F]+)\}|\\x\{([0-9A-F]+)\}/g, (_all, a?: string, b?: string, one?: string) => {
  const from = parseInt(a ?? one!, 16);
  const to = parseInt(b ?? one!, 16);
  return Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i)).join('');
});
/** JavaScript's `.` without the s flag: anything but a line terminator. */
const DOT = String.raw`[^\x{A}\x{D}\x{2028}\x{2029}]`;
/** Spaces and apostrophes that group thousands (number.ts parseCore). */
const GROUPING = String.raw`'\x{20}\x{A0}\x{202F}`;
/** The optional time of day after a date (date.ts TIME), with JavaScript's \s spelled out. */
const TIME = String.raw`(?:[T${WS}]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?[${WS}]*(?:[AaPp][Mm])?[${WS}]*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?`;
const YEAR_FIRST = String.raw`^(\d{4})([-/.])(\d{1,2})([-/.])(\d{1,2})${TIME}$`;
const YEAR_LAST = String.raw`^(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4}|\d{2})${TIME}$`;
const DAY_MONTHNAME = String.raw`^(\d{1,2})[${WS}\-/.]+([A-Za-z]{3,9})\.?[${WS}\-/.,]+(\d{4})${TIME}$`;
const MONTHNAME_DAY = String.raw`^([A-Za-z]{3,9})\.?[${WS}]+(\d{1,2})(?:st|nd|rd|th)?,?[${WS}]+(\d{4})${TIME}$`;
const SUFFIX = String.raw`^(${DOT}*\d)[${WS}]*([a-zA-Z]+)\.?$`;

/** A JavaScript regular expression's alternatives (…|…) as literal texts: the currency lists of number.ts. */
function alternatives(re: RegExp): string[] {
  const body = re.source.replace(/^\^/, '').replace(/\$$/, '').replace(/^\(\?:/, '').replace(/\)$/, '');
  return body.split('|').map((a) => a.replace(/\\(.)/g, '$1'));
}

/** A literal as a case-insensitive pattern in icp's subset (letters as [xX] classes, others escaped). */
function caseless(text: string): string {
  let out = '';
  for (const ch of text) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    if (lo !== up && lo.length === 1 && up.length === 1) out += `[${lo}${up}]`;
    else out += /[\\^$.|?*+()[\]{}/-]/.test(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/** The double whose IEEE high word is `hi` and low word 0 (fdlibm compares high words). */
function fromHighWord(hi: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  return view.getFloat64(0);
}

/** fdlibm e_exp.c's constants. */
const FDLIBM = {
  LN2_HI: 6.93147180369123816490e-1,
  LN2_LO: 1.90821492927058770002e-10,
  INV_LN2: 1.44269504088896338700e0,
  P1: 1.66666666666666019037e-1,
  P2: -2.77777777770155933842e-3,
  P3: 6.61375632143793436117e-5,
  P4: -1.65339022054652515390e-6,
  P5: 4.13813679705723846039e-8,
  UNDERFLOW: -7.45133219101941108420e2,
  HALF_LN2: fromHighWord(0x3fd62e43),
  THREE_HALF_LN2: fromHighWord(0x3ff0a2b2),
  TINY: fromHighWord(0x3e300000),
};

const CURRENCY_START_RE = `^(${alternatives(CURRENCY).map(caseless).join('|')})`;
const CURRENCY_END_RE = `(${alternatives(CURRENCY_END).map(caseless).join('|')})$`;

/** A helper: its name, parameters, return type and body builder (over the dialect and argument expressions). */
interface Helper {
  name: string;
  params: string[];
  returns: HelperFunction['returns'];
  build: (d: Dialect, call: Caller, args: Sql[]) => Sql;
}

/** Calls another helper (by name in a prelude, or inlined). */
type Caller = (name: string, args: Sql[]) => Sql;

// Let/lambda parameter names: unique within one Readers' output (so no inlined body captures another's name), and
// the same on every run (so `icp sql` prints the same text). The lowering names its own with another prefix.
let fresh = 0;
function v(stem: string): string {
  return `icp_r${stem}${++fresh}`;
}

function caseOf(d: Dialect, whens: [Sql, Sql][], otherwise?: Sql): Sql {
  return `CASE ${whens.map(([w, t]) => `WHEN ${w} THEN ${t}`).join(' ')}${otherwise === undefined ? '' : ` ELSE ${otherwise}`} END`;
}

/**
 * The first match of `pattern` in `e`: body(matched, [group 1, …, group n]), each group's text '' when there is no
 * match or it took no part. Through the dialect's reGroups (one match, bound once) when it has one.
 */
function groups(d: Dialect, e: Sql, pattern: string, n: number, body: (matched: Sql, groups: Sql[]) => Sql): Sql {
  if (d.reGroups) return d.reGroups(e, pattern, n, v('m'), body);
  return body(d.reMatch(e, pattern), Array.from({ length: n }, (_, k) => d.reExtract(e, pattern, k + 1)));
}

/** The dialect with let written out (the value repeated): for small values on the hot paths. */
function noLet(d: Dialect): Dialect {
  return { ...d, let: (value, _param, body) => body(`(${value})`) };
}

/** date.ts ymd over let-bound y, m, d: the day number of a valid date, else NULL. */
function ymdBody(d: Dialect, y: Sql, m: Sql, day: Sql): Sql {
  const leap = `((${d.floor(`${y} / 4`)} * 4 = ${y} AND ${d.floor(`${y} / 100`)} * 100 <> ${y}) OR ${d.floor(`${y} / 400`)} * 400 = ${y})`;
  const dim = caseOf(d, [[`${m} = 2`, `CASE WHEN ${leap} THEN 29 ELSE 28 END`], [`${m} IN (4, 6, 9, 11)`, '30']], '31');
  const valid = `${m} >= 1 AND ${m} <= 12 AND ${day} >= 1 AND ${y} >= 1 AND ${y} <= 9999 AND ${day} <= ${dim}`;
  const civil = d.let(`${y} - CASE WHEN ${m} <= 2 THEN ${d.num(1)} ELSE ${d.num(0)} END`, v('y'), (yy) =>
    d.let(d.floor(`${yy} / 400`), v('era'), (era) =>
      d.let(`${yy} - ${era} * 400`, v('yoe'), (yoe) => {
        const doy = `${d.floor(`(153 * (${m} + CASE WHEN ${m} > 2 THEN -3 ELSE 9 END) + 2) / 5`)} + ${day} - 1`;
        return `${era} * 146097 + (${yoe} * 365 + ${d.floor(`${yoe} / 4`)} - ${d.floor(`${yoe} / 100`)} + ${doy}) - 719468`;
      }),
    ),
  );
  return caseOf(d, [[valid, civil]], d.nullOf('double'));
}

const HELPERS: Helper[] = [
  {
    // exp(x) for x ≤ 0 exactly as V8's Math.exp computes it (fdlibm's __ieee754_exp, which V8 ports): the same
    // double operations in the same order, so decay factors agree to the last bit on every engine (an engine's own
    // exp() may not). The thresholds are fdlibm's high-word comparisons written as the doubles they stand for.
    name: 'icp_exp',
    params: ['x'],
    returns: 'double',
    build: (d, _c, [x]) => {
      const n = d.num;
      const ax = `abs(${x})`;
      const poly = (r: Sql) =>
        d.let(`${r} * ${r}`, v('t'), (t) =>
          `${r} - ${t} * (${n(FDLIBM.P1)} + ${t} * (${n(FDLIBM.P2)} + ${t} * (${n(FDLIBM.P3)} + ${t} * (${n(FDLIBM.P4)} + ${t} * ${n(FDLIBM.P5)}))))`,
        );
      // k ≠ 0: reduce x to hi − lo with x = k·ln2 + r, then scale by 2^k.
      const scaled = (k: Sql, hiExpr: Sql, loExpr: Sql) =>
        d.let(hiExpr, v('hi'), (hi) => d.let(loExpr, v('lo'), (lo) => d.let(`${hi} - ${lo}`, v('r'), (r) =>
          d.let(poly(r), v('c'), (c) =>
            d.let(`${n(1)} - ((${lo} - (${r} * ${c}) / (${n(2)} - ${c})) - ${hi})`, v('y'), (y) =>
              `CASE WHEN ${k} >= -1021 THEN ${y} * ${d.pow2(k)} ELSE ${y} * ${d.pow2(`${k} + 1000`)} * ${d.pow2(n(-1000))} END`,
            ),
          ),
        )));
      const near = `CASE WHEN ${x} < 0 THEN ${n(-1)} ELSE ${n(1)} END`;
      const nearHi = `CASE WHEN ${x} < 0 THEN ${x} + ${n(FDLIBM.LN2_HI)} ELSE ${x} - ${n(FDLIBM.LN2_HI)} END`;
      const nearLo = `CASE WHEN ${x} < 0 THEN ${n(-FDLIBM.LN2_LO)} ELSE ${n(FDLIBM.LN2_LO)} END`;
      const far = d.let(d.trunc(`${n(FDLIBM.INV_LN2)} * ${x} + CASE WHEN ${x} < 0 THEN ${n(-0.5)} ELSE ${n(0.5)} END`), v('k'), (k) =>
        scaled(k, `${x} - ${k} * ${n(FDLIBM.LN2_HI)}`, `${k} * ${n(FDLIBM.LN2_LO)}`),
      );
      return caseOf(d, [
        [`${x} < ${n(FDLIBM.UNDERFLOW)}`, n(0)],
        [`${ax} >= ${n(FDLIBM.HALF_LN2)} AND ${ax} < ${n(FDLIBM.THREE_HALF_LN2)}`, scaled(near, nearHi, nearLo)],
        [`${ax} >= ${n(FDLIBM.HALF_LN2)}`, far],
        [`${ax} < ${n(FDLIBM.TINY)}`, `${n(1)} + ${x}`],
      ], d.let(poly(x!), v('c'), (c) => `${n(1)} - ((${x} * ${c}) / (${c} - ${n(2)}) - ${x})`));
    },
  },
  {
    // formatCents: cents → shortest decimal text, 7250 → '72.5', -5 → '-0.05', 300 → '3'.
    name: 'icp_cents_text',
    params: ['c'],
    returns: 'text',
    build: (d, _c, [c]) =>
      d.let(`abs(${c})`, v('a'), (a) =>
        d.let(d.floor(`${a} / 100`), v('w'), (w) =>
          d.let(`${a} - ${w} * 100`, v('f'), (f) =>
            d.concat([
              `CASE WHEN ${c} < 0 THEN '-' ELSE '' END`,
              d.intText(w),
              caseOf(d, [
                [`${f} = 0`, `''`],
                [`${d.floor(`${f} / 10`)} * 10 = ${f}`, d.concat([`'.'`, d.intText(`${f} / 10`)])],
                [`${f} < 10`, d.concat([`'.0'`, d.intText(f)])],
              ], d.concat([`'.'`, d.intText(f)])),
            ]),
          ),
        ),
      ),
  },
  {
    // String.prototype.trim: JavaScript's white space at both ends.
    name: 'icp_trim',
    params: ['s'],
    returns: 'text',
    build: (d, _c, [s]) => d.trimChars?.(s!, WS_CHARS, 'both') ?? d.reReplace(s!, `^[${WS}]+|[${WS}]+$`, ''),
  },
  {
    name: 'icp_trim_start',
    params: ['s'],
    returns: 'text',
    build: (d, _c, [s]) => d.trimChars?.(s!, WS_CHARS, 'start') ?? d.reReplace(s!, `^[${WS}]+`, ''),
  },
  {
    name: 'icp_trim_end',
    params: ['s'],
    returns: 'text',
    build: (d, _c, [s]) => d.trimChars?.(s!, WS_CHARS, 'end') ?? d.reReplace(s!, `[${WS}]+$`, ''),
  },
  {
    // normalizeText: trim, lower-case, inner white space → one space, NFC.
    name: 'icp_norm',
    params: ['s'],
    returns: 'text',
    build: (d, c, [s]) => d.nfc(d.reReplace(d.lower(c('icp_trim', [s!])), `[${WS}]+`, ' ')),
  },
  {
    // parseBool: trimmed, lower-cased, one of the words; NULL otherwise (and over 12 characters).
    name: 'icp_bool',
    params: ['s'],
    returns: 'boolean',
    build: (d, c, [s]) =>
      d.let(d.lower(c('icp_trim', [s!])), v('b'), (b) =>
        caseOf(d, [
          [`${s} IS NULL OR ${d.length(s!)} > 12`, d.nullOf('boolean')],
          [d.inTexts(b, [...TRUE_WORDS]), d.bool(true)],
          [d.inTexts(b, [...FALSE_WORDS]), d.bool(false)],
        ], d.nullOf('boolean')),
      ),
  },
  {
    // daysFromCivil (Howard Hinnant) of a valid date, else NULL (date.ts ymd). All doubles, all exact.
    name: 'icp_ymd',
    params: ['y', 'm', 'd'],
    returns: 'double',
    build: (d, _c, args) =>
      d.let(args[0]!, v('yr'), (y) => d.let(args[1]!, v('mo'), (m) => d.let(args[2]!, v('dy'), (day) => ymdBody(d, y, m, day)))),
  },
  {
    // A month name or abbreviation → its number, else NULL.
    name: 'icp_month',
    params: ['s'],
    returns: 'double',
    build: (d, _c, [s]) =>
      // A searched CASE over a let, not CASE x WHEN …: ClickHouse 18.16 gives NULL for every x with a NULL ELSE.
      d.let(d.lower(s!), v('mo'), (mo) => caseOf(d, Object.entries(MONTHS).map(([k, n]): [Sql, Sql] => [`${mo} = ${d.str(k)}`, d.num(n)]), d.nullOf('double'))),
  },
  {
    // parseDate(s, order) → whole days since 1970-01-01, NULL when not a date.
    name: 'icp_day',
    params: ['raw', 'date_order'],
    returns: 'double',
    build: (d, c, [raw, order]) =>
      // ISO days, alone or with a plain time (most cells; date.ts isoPrefix), first and without lets.
      caseOf(d, [
        [`${raw} IS NULL`, d.nullOf('double')],
        [
          d.reMatch(raw!, String.raw`^\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?$`),
          ymdBody(noLet(d), d.toDouble(d.substr(raw!, '1', '4')), d.toDouble(d.substr(raw!, '6', '2')), d.toDouble(d.substr(raw!, '9', '2'))),
        ],
      ], d.let(c('icp_trim', [raw!]), v('s'), (s) => {
        const n = (e: Sql) => d.toDouble(e);
        const ymd = (y: Sql, m: Sql, day: Sql) => c('icp_ymd', [y, m, day]);
        const yearLast = (ga: Sql, gb: Sql, gy: Sql) =>
          d.let(n(ga), v('a'), (a) =>
            d.let(n(gb), v('b'), (b) =>
              d.let(
                d.let(gy, v('yt'), (yt) =>
                  d.let(n(yt), v('yn'), (yn) =>
                    caseOf(d, [[`${d.length(yt)} = 4`, yn], [`${yn} <= 69`, `2000 + ${yn}`]], `1900 + ${yn}`),
                  ),
                ),
                v('y'),
                (y) =>
                  caseOf(d, [
                    [`${order} = 'MDY'`, ymd(y, a, b)],
                    [`${order} = 'DMY'`, ymd(y, b, a)],
                    [`${order} = 'YMD'`, d.nullOf('double')],
                    [`${a} = ${b}`, ymd(y, a, b)],
                    [`${a} > 12 AND ${b} <= 12`, ymd(y, b, a)],
                    [`${b} > 12 AND ${a} <= 12`, ymd(y, a, b)],
                  ], d.nullOf('double')),
              ),
            ),
          );
        const digitsOnly = d.let(d.length(s), v('len'), (len) =>
          caseOf(d, [
            [`${len} = 8`, ymd(n(d.substr(s, '1', '4')), n(d.substr(s, '5', '2')), n(d.substr(s, '7')))],
            [`${len} = 9 OR ${len} = 10`, d.floor(`${n(s)} / 86400`)],
            [`${len} = 12 OR ${len} = 13`, d.floor(`${n(s)} / 86400000`)],
          ], d.nullOf('double')),
        );
        // Each form's groups are read from one match (groups()): a dialect that can bind a match reads it once.
        const dayMonth = groups(d, s, DAY_MONTHNAME, 3, (ok, [dd, mn, yy]) =>
          caseOf(d, [[ok, d.let(c('icp_month', [mn!]), v('mon'), (mon) => ymd(n(yy!), mon, n(dd!)))]], d.nullOf('double')),
        );
        const monthDay = groups(d, s, MONTHNAME_DAY, 3, (ok, [mn, dd, yy]) =>
          caseOf(d, [[ok, d.let(c('icp_month', [mn!]), v('mon'), (mon) => ymd(n(yy!), mon, n(dd!)))]], d.nullOf('double')),
        );
        const digitFirst = groups(d, s, YEAR_FIRST, 5, (ok1, [y, s1, m, s2, dd]) =>
          caseOf(d, [[`${ok1} AND ${s1} = ${s2}`, ymd(n(y!), n(m!), n(dd!))]], groups(d, s, YEAR_LAST, 5, (ok2, [a, t1, b, t2, yt]) =>
            caseOf(d, [
              [`${ok2} AND ${t1} = ${t2}`, yearLast(a!, b!, yt!)],
              [d.reMatch(s, '^[0-9]+$'), digitsOnly],
            ], dayMonth),
          )),
        );
        return caseOf(d, [
          [`${raw} IS NULL OR ${d.length(raw!)} > 64 OR ${d.length(s)} < 6`, d.nullOf('double')],
          [d.reMatch(s, '^[0-9]'), digitFirst],
        ], monthDay);
      })),
  },
  {
    // parseCore: the unsigned digits-and-separators core → number, NULL when malformed.
    name: 'icp_num_core',
    params: ['s', 'decimal_mode'],
    returns: 'double',
    build: (d, _c, [s, mode]) => {
      const count = (ch: string) => `(${d.length(s!)} - ${d.length(d.replace(s!, d.str(ch), d.str('')))})`;
      const body = d.let(count(','), v('commas'), (commas) =>
        d.let(count('.'), v('dots'), (dots) =>
          d.let(
            caseOf(d, [
              [`${mode} = 'dot'`, `CASE WHEN ${dots} > 0 THEN '.' ELSE '' END`],
              [`${mode} = 'comma'`, `CASE WHEN ${commas} > 0 THEN ',' ELSE '' END`],
              [`${commas} > 0 AND ${dots} > 0`, `CASE WHEN ${d.reMatch(s!, ',[^.]*$')} THEN ',' ELSE '.' END`],
              [`${commas} = 1 AND ${dots} = 0`, `CASE WHEN ${d.reMatch(s!, String.raw`,\d{3}$`)} AND NOT ${d.reMatch(s!, `[${GROUPING}]`)} THEN '' ELSE ',' END`],
              [`${dots} = 1 AND ${commas} = 0`, `'.'`],
            ], `''`),
            v('dec'),
            (dec) => {
              // The integer part and fraction at the one decimal separator (a second one is malformed).
              const split = (sep: string, sepCount: Sql) =>
                [
                  `${dec} = '${sep}' AND ${sepCount} > 1`,
                  d.nullOf('double'),
                ] as [Sql, Sql];
              const finish = (intPart: Sql, frac: Sql, thousands: string) => {
                const cls = `[${thousands === '.' ? '.' : ','}${GROUPING}]`;
                const valid = `(${d.reMatch(intPart, String.raw`^\d+$`)} OR ${d.reMatch(intPart, String.raw`^\d{1,3}(?:${cls}\d{3})+$`)})`;
                const digits = d.reReplace(intPart, cls, '');
                return caseOf(d, [[`${valid} AND (${frac} = '' OR ${d.reMatch(frac, String.raw`^\d+$`)})`, d.toDouble(`CASE WHEN ${frac} = '' THEN ${digits} ELSE ${d.concat([digits, "'.'", frac])} END`)]], d.nullOf('double'));
              };
              return caseOf(d, [
                split(',', commas),
                split('.', dots),
                [`${dec} = ','`, finish(d.reExtract(s!, '^([^,]*),', 1), d.reExtract(s!, ',(.*)$', 1), '.')],
                [`${dec} = '.'`, finish(d.reExtract(s!, String.raw`^([^.]*)\.`, 1), d.reExtract(s!, String.raw`\.(.*)$`, 1), ',')],
                [`${commas} > 0`, finish(s!, `''`, ',')],
              ], finish(s!, `''`, '.'));
            },
          ),
        ),
      );
      return caseOf(d, [
        [d.reMatch(s!, String.raw`^\d+(?:\.\d+)?[eE][+-]?\d+$`), d.toDouble(s!)],
        [`NOT ${d.reMatch(s!, String.raw`^\d(?:[\d.,${GROUPING}]*\d)?$`)}`, d.nullOf('double')],
      ], body);
    },
  },
  {
    // parseNumber(s, decimal) → number, NULL when not a number.
    name: 'icp_num',
    params: ['raw', 'decimal_mode'],
    returns: 'double',
    build: (d, c, [raw, mode]) =>
      // Plain numbers (most cells) first, without the let chain below: it costs DuckDB a lambda per step.
      caseOf(d, [
        [`${raw} IS NULL`, d.nullOf('double')],
        [`${d.reMatch(raw!, String.raw`^-?\d+(?:\.\d+)?$`)} AND (${mode} <> 'comma' OR NOT ${d.containsText(raw!, "'.'")}) AND ${d.length(raw!)} <= 64`, `CASE WHEN ${d.substr(raw!, '1', '1')} = '-' THEN -${d.toDouble(d.substr(raw!, '2'))} ELSE ${d.toDouble(raw!)} END`],
      ], d.let(c('icp_trim', [raw!]), v('s'), (s) => {
        const plain = `${d.reMatch(s, String.raw`^-?\d+(?:\.\d+)?$`)} AND (${mode} <> 'comma' OR NOT ${d.containsText(s, "'.'")})`;
        const fast = `CASE WHEN ${d.substr(s, '1', '1')} = '-' THEN -${d.toDouble(d.substr(s, '2'))} ELSE ${d.toDouble(s)} END`;
        return caseOf(d, [
          [`${raw} IS NULL OR ${d.length(raw!)} > 64 OR ${s} = ''`, d.nullOf('double')],
          [plain, fast],
        ], c('icp_num_slow', [s, mode!]));
      })),
  },
  {
    // parseNumber's slow path on a trimmed, non-empty text: parentheses, signs, currency, %, suffix words.
    name: 'icp_num_slow',
    params: ['s', 'decimal_mode'],
    returns: 'double',
    build: (d, c, [s, mode]) => {
      const signs = ['-', '−', '+'];
      const first = (e: Sql) => d.substr(e, '1', '1');
      return d.let(`(${first(s!)} = '(' AND ${d.substr(s!, d.length(s!), '1')} = ')')`, v('p'), (p) =>
        d.let(`CASE WHEN ${p} THEN ${c('icp_trim', [d.substr(s!, '2', `${d.length(s!)} - 2`)])} ELSE ${s} END`, v('s'), (s1) =>
          d.let(first(s1), v('c'), (c1) =>
            d.let(`CASE WHEN ${d.inTexts(c1, signs)} THEN ${c('icp_trim_start', [d.substr(s1, '2')])} ELSE ${s1} END`, v('s'), (s2) =>
              d.let(`(${p} OR (${d.inTexts(c1, signs)} AND ${c1} <> '+'))`, v('neg'), (neg1) =>
                d.let(d.reExtract(s2, CURRENCY_START_RE, 1), v('cur'), (cur) =>
                  d.let(`CASE WHEN ${cur} <> '' THEN ${c('icp_trim_start', [d.substr(s2, `${d.length(cur)} + 1`)])} ELSE ${s2} END`, v('s'), (s3a) =>
                    d.let(first(s3a), v('c'), (c3) =>
                      d.let(`(${cur} <> '' AND ${d.inTexts(c3, signs)})`, v('sg'), (sg3) =>
                        d.let(`CASE WHEN ${sg3} THEN ${c('icp_trim_start', [d.substr(s3a, '2')])} ELSE ${s3a} END`, v('s'), (s3) =>
                          d.let(d.reMatch(s3, '%$'), v('pct'), (pct) =>
                            d.let(`CASE WHEN ${pct} THEN '' ELSE ${d.reExtract(s3, CURRENCY_END_RE, 1)} END`, v('ce'), (ce) =>
                              d.let(
                                caseOf(d, [
                                  [pct, c('icp_trim_end', [d.substr(s3, '1', `${d.length(s3)} - 1`)])],
                                  [`${ce} <> '' AND ${d.length(s3)} > ${d.length(ce)}`, c('icp_trim_end', [d.substr(s3, '1', `${d.length(s3)} - ${d.length(ce)}`)])],
                                ], s3),
                                v('s'),
                                (s4) =>
                                  d.let(d.reExtract(s4, SUFFIX, 2), v('word'), (word) =>
                                    d.let(
                                      `CASE WHEN ${word} = '' THEN ${d.num(1)} ELSE ${d.let(d.lower(word), v('w'), (w) => caseOf(d, Object.entries(MULTIPLIERS).map(([k, m]): [Sql, Sql] => [`${w} = ${d.str(k)}`, d.num(m)]), d.nullOf('double')))} END`,
                                      v('mult'),
                                      (mult) =>
                                        d.let(`CASE WHEN ${word} = '' THEN ${s4} ELSE ${d.reExtract(s4, SUFFIX, 1)} END`, v('s'), (s5) =>
                                          caseOf(d, [
                                            [`(${d.inTexts(c1, ['-', '−'])} AND ${p}) OR (${sg3} AND ${neg1} AND ${c3} <> '+') OR ${mult} IS NULL OR NOT ${d.reMatch(s5, '^[0-9]')}`, d.nullOf('double')],
                                          ], d.let(c('icp_num_core', [s5, mode!]), v('n'), (n) =>
                                            d.let(`CASE WHEN ${mult} = 1 THEN ${n} ELSE ${d.roundHalfAway(`${n} * ${mult} * ${d.num(1e6)}`)} / ${d.num(1e6)} END`, v('x'), (x) =>
                                              `CASE WHEN ${neg1} OR (${sg3} AND ${c3} <> '+') THEN -${x} ELSE ${x} END`,
                                            ),
                                          )),
                                        ),
                                    ),
                                  ),
                              ),
                            ),
                          ),
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    },
  },
];

const BY_NAME = new Map(HELPERS.map((h) => [h.name, h]));

/** The helpers a set of helpers needs (itself included), in dependency order (callees first). */
function closure(d: Dialect, names: Iterable<string>): Helper[] {
  const out: Helper[] = [];
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const h = BY_NAME.get(name);
    if (!h) throw new Error(`unknown helper ${name}`);
    const called: string[] = [];
    h.build(d, (n, args) => {
      called.push(n);
      return `${n}(${args.join(', ')})`;
    }, h.params);
    for (const c of called) visit(c);
    out.push(h);
  };
  for (const n of names) visit(n);
  return out;
}

/** Names of the reader helpers, for callers outside this module. */
export type ReaderName = 'icp_trim' | 'icp_norm' | 'icp_bool' | 'icp_day' | 'icp_num' | 'icp_exp' | 'icp_cents_text';

/** Builds calls of the readers for one dialect, and the prelude defining the ones called. */
export class Readers {
  private readonly used = new Set<string>();

  constructor(readonly dialect: Dialect) {
    fresh = 0;
  }

  /** A call of a reader (or, for inlining dialects, its body). */
  call(name: ReaderName, args: Sql[]): Sql {
    this.used.add(name);
    return this.invoke(name, args);
  }

  private invoke(name: string, args: Sql[]): Sql {
    const d = this.dialect;
    if (d.functions === 'macro') return d.callFunction(name, args);
    return BY_NAME.get(name)!.build(d, (n, a) => this.invoke(n, a), args);
  }

  /** The prelude: one definition per helper called so far, callees first ('' for inlining dialects). */
  prelude(): Sql {
    const d = this.dialect;
    if (d.functions !== 'macro') return '';
    return closure(d, this.used)
      .map((h) =>
        d.defineFunction({
          name: h.name,
          params: h.params,
          returns: h.returns,
          body: h.build(d, (n, a) => d.callFunction(n, a), h.params),
        }),
      )
      .join('\n');
  }
}
