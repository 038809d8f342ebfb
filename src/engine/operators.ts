// The operator table: each operator compiles to a closure over a Row. Fails closed: a value that does not
// parse as the operator's type is UNKNOWN, never a NaN comparison or a silent zero.
import { formatCount, normalizeText } from '../values/index.js';
import { FALSE, TRUE, UNKNOWN, type CondFn, type NumFn, type Truth, type ValueKind } from './model.js';
import type { OperatorKey } from '../rules/operator-keys.js';
import { checkPattern, compilePattern } from '../ops/regex.js';

/** What an operator is applied to: a column, or a derived number. */
export type Subject =
  | { kind: 'column'; col: number; name: string; synonyms: Map<string, string> }
  | { kind: 'derived'; fn: NumFn; text: string; columns: number[] };

export interface OperatorSpec {
  /** The value kind the operator reads (for coverage), or undefined when it only checks presence. */
  kind?: ValueKind;
  /** Needs a column (text operators) rather than a derived number. */
  columnOnly: boolean;
  /** Validate the argument; return an error message (with a hint on how to fix it) or undefined. */
  check(arg: unknown, caseSensitive: boolean): string | { message: string; hint: string } | undefined;
  compile(subject: Subject, arg: unknown, caseSensitive: boolean): { fn: CondFn; text: string };
}

const fmt = formatCount;

function numeric(test: (x: number, a: number, b: number) => boolean, text: (a: number, b: number) => string): OperatorSpec {
  return {
    kind: 'number',
    columnOnly: false,
    check: () => undefined,
    compile(subject, arg) {
      const [a, b] = Array.isArray(arg) ? (arg as [number, number]) : [arg as number, 0];
      const label = `${subjectText(subject)} ${text(a, b)}`;
      if (subject.kind === 'column') {
        const col = subject.col;
        return {
          fn: (row) => {
            const x = row.num(col);
            return x !== x ? UNKNOWN : test(x, a, b) ? TRUE : FALSE;
          },
          text: label,
        };
      }
      const f = subject.fn;
      return {
        fn: (row) => {
          const x = f(row);
          return x !== x ? UNKNOWN : test(x, a, b) ? TRUE : FALSE;
        },
        text: label,
      };
    },
  };
}

export function subjectText(s: Subject): string {
  return s.kind === 'column' ? s.name : s.text;
}

/** Map a rule value through the column's synonyms, as cell values are. */
function canon(subject: Subject, v: string): string {
  const n = normalizeText(v);
  return subject.kind === 'column' ? (subject.synonyms.get(n) ?? n) : n;
}

function membership(negate: boolean): OperatorSpec {
  return {
    kind: 'text',
    columnOnly: false,
    check: (arg) => {
      const list = arg as (string | number)[];
      const nums = list.filter((v) => typeof v === 'number').length;
      return nums > 0 && nums < list.length ? 'mix numbers and text in one list only by quoting the numbers' : undefined;
    },
    compile(subject, arg) {
      const list = arg as (string | number)[];
      const shown = list.map((v) => (typeof v === 'number' ? fmt(v) : v)).join(', ');
      const text = `${subjectText(subject)} ${negate ? 'not in' : 'in'} [${shown}]`;
      if (list.every((v) => typeof v === 'number')) {
        const set = new Set(list as number[]);
        const get: NumFn = subject.kind === 'column' ? ((c) => (row) => row.num(c))(subject.col) : subject.fn;
        return {
          fn: (row) => {
            const x = get(row);
            if (x !== x) return UNKNOWN;
            return set.has(x) !== negate ? TRUE : FALSE;
          },
          text,
        };
      }
      if (subject.kind !== 'column') throw new Error('unreachable: text membership on a derived value');
      const set = new Set(list.map((v) => canon(subject, String(v))));
      const col = subject.col;
      return {
        fn: (row) => {
          if (row.isMissing(col)) return UNKNOWN;
          // The whole cell, or any value of a multi-value cell.
          let hit = set.has(row.text(col));
          if (!hit && row.multi(col)) {
            const vs = row.values(col);
            for (let i = 0; i < vs.length && !hit; i++) hit = set.has(vs[i]!);
          }
          return hit !== negate ? TRUE : FALSE;
        },
        text,
      };
    },
  };
}

/** A date operator on the age in days of a column's date, measured from --as-of. */
function recency(test: (ageDays: number, n: number) => boolean, words: string): OperatorSpec {
  return {
    kind: 'date',
    columnOnly: true,
    check: () => undefined,
    compile(subject, arg) {
      const col = textOnly(subject);
      const n = arg as number;
      return {
        fn: (row) => {
          const d = row.day(col);
          return d !== d ? UNKNOWN : test(row.asOf - d, n) ? TRUE : FALSE;
        },
        text: `${subjectText(subject)} ${words} ${fmt(n)} days`,
      };
    },
  };
}

const textOnly = (s: Subject): number => {
  if (s.kind !== 'column') throw new Error('unreachable: text operator on a derived value');
  return s.col;
};

/** The operator registry. Adding an operator here makes it available to conditions, bands and criteria. */
export const OPERATORS: Record<OperatorKey, OperatorSpec> = {
  equals: {
    kind: 'text',
    columnOnly: false,
    check: () => undefined,
    compile(subject, arg) {
      if (typeof arg === 'number') return numeric((x, a) => x === a, (a) => `= ${fmt(a)}`).compile(subject, arg, false);
      if (typeof arg === 'boolean') return OPERATORS.is.compile(subject, arg, false);
      return membership(false).compile(subject, [arg as string], false);
    },
  },
  in: membership(false),
  not_in: membership(true),
  gt: numeric((x, a) => x > a, (a) => `> ${fmt(a)}`),
  gte: numeric((x, a) => x >= a, (a) => `≥ ${fmt(a)}`),
  lt: numeric((x, a) => x < a, (a) => `< ${fmt(a)}`),
  lte: numeric((x, a) => x <= a, (a) => `≤ ${fmt(a)}`),
  between: {
    ...numeric((x, a, b) => x >= a && x < b, (a, b) => `from ${fmt(a)} to under ${fmt(b)}`),
    check: (arg) => {
      const [a, b] = arg as [number, number];
      return a >= b ? `between [${a}, ${b}] is empty: the first number must be below the second` : undefined;
    },
  },
  contains: {
    kind: 'text',
    columnOnly: true,
    check: () => undefined,
    compile(subject, arg, caseSensitive) {
      const needles = (Array.isArray(arg) ? arg : [arg]) as string[];
      const col = textOnly(subject);
      const ns = caseSensitive ? needles : needles.map((n) => n.toLowerCase());
      return {
        fn: (row) => {
          if (row.isMissing(col)) return UNKNOWN;
          const raw = row.raw(col)!;
          const hay = caseSensitive ? raw : raw.toLowerCase();
          for (const n of ns) if (hay.includes(n)) return TRUE;
          return FALSE;
        },
        text: `${subjectText(subject)} contains ${needles.map((n) => JSON.stringify(n)).join(' or ')}`,
      };
    },
  },
  matches: {
    kind: 'text',
    columnOnly: true,
    check: (arg, caseSensitive) => checkPattern(arg as string, caseSensitive),
    compile(subject, arg, caseSensitive) {
      const test = compilePattern(arg as string, caseSensitive);
      const col = textOnly(subject);
      return {
        fn: (row) => (row.isMissing(col) ? UNKNOWN : test(row.raw(col)!) ? TRUE : FALSE),
        text: `${subjectText(subject)} matches /${arg as string}/${caseSensitive ? '' : 'i'}`,
      };
    },
  },
  present: {
    columnOnly: true,
    check: () => undefined,
    compile(subject, arg) {
      const col = textOnly(subject);
      const want = arg as boolean;
      return {
        fn: (row) => ((!row.isMissing(col)) === want ? TRUE : FALSE),
        text: `${subjectText(subject)} is ${want ? 'present' : 'missing'}`,
      };
    },
  },
  missing: {
    columnOnly: true,
    check: () => undefined,
    compile(subject, arg) {
      return OPERATORS.present.compile(subject, !(arg as boolean), false);
    },
  },
  is: {
    kind: 'bool',
    columnOnly: true,
    check: () => undefined,
    compile(subject, arg) {
      const col = textOnly(subject);
      const want = arg ? 1 : 0;
      return {
        fn: (row) => {
          const b = row.bool(col);
          return b < 0 ? UNKNOWN : b === want ? TRUE : FALSE;
        },
        text: `${subjectText(subject)} is ${arg ? 'yes' : 'no'}`,
      };
    },
  },
  within_days: recency((age, n) => age <= n, 'within'),
  older_than_days: recency((age, n) => age > n, 'older than'),
};

/** The value kind an operator reads with a given argument (equals/in depend on the argument's type). */
export function operatorKind(op: OperatorKey, arg: unknown): ValueKind | undefined {
  if (op === 'equals') return typeof arg === 'number' ? 'number' : typeof arg === 'boolean' ? 'bool' : 'text';
  if ((op === 'in' || op === 'not_in') && Array.isArray(arg) && arg.every((v) => typeof v === 'number')) return 'number';
  return OPERATORS[op].kind;
}

/** Combinators in three-valued (Kleene) logic. */
export function allOf(fns: CondFn[]): CondFn {
  return (row) => {
    let unknown = false;
    for (const f of fns) {
      const t = f(row);
      if (t === FALSE) return FALSE;
      if (t === UNKNOWN) unknown = true;
    }
    return unknown ? UNKNOWN : TRUE;
  };
}

export function anyOf(fns: CondFn[]): CondFn {
  return (row) => {
    let unknown = false;
    for (const f of fns) {
      const t = f(row);
      if (t === TRUE) return TRUE;
      if (t === UNKNOWN) unknown = true;
    }
    return unknown ? UNKNOWN : FALSE;
  };
}

export function notOf(fn: CondFn): CondFn {
  return (row) => {
    const t: Truth = fn(row);
    return t === UNKNOWN ? UNKNOWN : t === TRUE ? FALSE : TRUE;
  };
}
