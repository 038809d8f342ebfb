// The operator table, each operator defined once: its argument schema (rules/schema.ts generates the zod schema
// and the JSON Schema from it), how its argument becomes a canonical Plan leaf (kind of value read, argument,
// human text), and the comparison of each canonical operator. What is *not* here: when a leaf is unknown. That
// depends only on what it reads (src/plan/types.ts ReadKind), never on the operator. Pure.
import { formatCount } from '../values/index.js';
import type { PlanArgs, PlanOp, ReadKind } from '../plan/types.js';
import { BOOLEAN, NUMBER, STRING, type ArgOf, type ArgSchema } from './arg-schema.js';
import { checkPattern, compilePattern } from './regex.js';

/** What canonicalising an argument needs to know of its subject. */
export interface CanonContext {
  /** The subject's human text: the column name, or the derived value's text. */
  subject: string;
  /** The rules' case_sensitive (only matches and contains use it). */
  caseSensitive: boolean;
  /** A rules value as cell text is compared: normalised, then mapped through the column's synonyms. */
  text(value: string): string;
}

/** A canonical leaf, as the Plan holds it (without subject, columns and path). */
export type CanonLeaf = { [O in PlanOp]: { op: O; arg: PlanArgs[O]; text: string } }[PlanOp];

/** Why an argument cannot be used; `code` defaults to bad-<operator>. */
export interface OpProblem {
  problem: string;
  hint?: string;
}

/** An operator of the rules file. */
export interface RuleOperator<S extends ArgSchema = ArgSchema> {
  arg: S;
  /** Shown in the JSON Schema. */
  description: string;
  examples?: readonly unknown[];
  /** The canonical operator this argument becomes (before any check): decides what it reads. */
  op(arg: ArgOf<S>): PlanOp;
  /** The canonical leaf, or why the argument cannot be used. */
  canon(arg: ArgOf<S>, ctx: CanonContext): CanonLeaf | OpProblem;
}

const fmt = formatCount;
const define = <S extends ArgSchema>(o: RuleOperator<S>): RuleOperator<S> => o;
const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const NUMBER_OR_STRING = { type: 'union', of: [STRING, NUMBER] } as const;
const MEMBER_LIST = { type: 'list', items: NUMBER_OR_STRING, minItems: 1 } as const;

function distinct<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

function membership(negate: boolean, arg: (string | number)[], ctx: CanonContext): CanonLeaf | OpProblem {
  const nums = arg.filter((v) => typeof v === 'number').length;
  if (nums > 0 && nums < arg.length) return { problem: 'mix numbers and text in one list only by quoting the numbers' };
  const text = `${ctx.subject} ${negate ? 'not in' : 'in'} [${arg.map((v) => (typeof v === 'number' ? fmt(v) : v)).join(', ')}]`;
  if (nums > 0) return { op: negate ? 'num_not_in' : 'num_in', arg: { numbers: distinct(arg as number[]) }, text };
  return { op: negate ? 'not_in' : 'in', arg: { values: distinct(arg.map((v) => ctx.text(String(v)))) }, text };
}

const memberOp = (negate: boolean) => (arg: (string | number)[]): PlanOp =>
  arg.length > 0 && arg.every((v) => typeof v === 'number') ? (negate ? 'num_not_in' : 'num_in') : negate ? 'not_in' : 'in';

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', sign: string, description: string): RuleOperator<typeof NUMBER> {
  return define({
    arg: NUMBER,
    description,
    op: () => op,
    canon: (a, ctx) => ({ op, arg: { number: a }, text: `${ctx.subject} ${sign} ${fmt(a)}` }) as CanonLeaf,
  });
}

const DAYS = { type: 'number', min: 0 } as const;

function recency(op: 'within_days' | 'older_than_days', words: string, description: string): RuleOperator<typeof DAYS> {
  return define({
    arg: DAYS,
    description,
    op: () => op,
    canon: (n, ctx) => ({ op, arg: { days: n }, text: `${ctx.subject} ${words} ${fmt(n)} days` }),
  });
}

/**
 * The operators of the rules file, in the order the schema lists them. Adding one here makes it available to
 * conditions, bands and criteria (and its canonical form must be one of PLAN_OPERATORS).
 */
export const RULE_OPERATORS = {
  equals: define({
    arg: { type: 'union', of: [STRING, NUMBER, BOOLEAN] },
    description: 'Equal (text: case- and space-insensitive; numbers: numeric).',
    op: (a) => (typeof a === 'number' ? 'num_in' : typeof a === 'boolean' ? 'is' : 'in'),
    canon(a, ctx) {
      if (typeof a === 'number') return { op: 'num_in', arg: { numbers: [a] }, text: `${ctx.subject} = ${fmt(a)}` };
      if (typeof a === 'boolean') return { op: 'is', arg: { value: a }, text: `${ctx.subject} is ${yesNo(a)}` };
      return membership(false, [a], ctx);
    },
  }),
  in: define({
    arg: MEMBER_LIST,
    description: 'One of these values (case/space-insensitive, synonyms applied, any value of a multi-value cell).',
    op: memberOp(false),
    canon: (a, ctx) => membership(false, a, ctx),
  }),
  not_in: define({
    arg: MEMBER_LIST,
    description: 'None of these values.',
    op: memberOp(true),
    canon: (a, ctx) => membership(true, a, ctx),
  }),
  gt: compare('gt', '>', 'Number greater than.'),
  gte: compare('gte', '≥', 'Number greater than or equal to.'),
  lt: compare('lt', '<', 'Number less than.'),
  lte: compare('lte', '≤', 'Number less than or equal to.'),
  between: define({
    arg: { type: 'pair', items: NUMBER },
    description: '[min, max): at least min and below max, so adjacent bands do not overlap.',
    examples: [[100000, 5000000]],
    op: () => 'between',
    canon([a, b], ctx) {
      if (a >= b) return { problem: `between [${a}, ${b}] is empty: the first number must be below the second` };
      return { op: 'between', arg: { min: a, max: b }, text: `${ctx.subject} from ${fmt(a)} to under ${fmt(b)}` };
    },
  }),
  contains: define({
    arg: { type: 'union', of: [{ type: 'string', minLength: 1 }, { type: 'list', items: { type: 'string', minLength: 1 }, minItems: 1 }] },
    description: 'Text contains (any of) these, case-insensitive.',
    op: () => 'contains',
    canon(a, ctx) {
      const needles = typeof a === 'string' ? [a] : a;
      return {
        op: 'contains',
        arg: { needles: distinct(ctx.caseSensitive ? needles : needles.map((n) => n.toLowerCase())), caseSensitive: ctx.caseSensitive },
        text: `${ctx.subject} contains ${needles.map((n) => JSON.stringify(n)).join(' or ')}`,
      };
    },
  }),
  matches: define({
    arg: { type: 'string', minLength: 1 },
    description: 'Regular expression (RE2 syntax, run in linear time; case-insensitive unless case_sensitive: true).',
    examples: ['^(ceo|cfo|vp)\\b'],
    op: () => 'matches',
    canon(pattern, ctx) {
      const p = checkPattern(pattern, ctx.caseSensitive);
      if (p) return { problem: p.message, hint: p.hint };
      return {
        op: 'matches',
        arg: { pattern, caseSensitive: ctx.caseSensitive },
        text: `${ctx.subject} matches /${pattern}/${ctx.caseSensitive ? '' : 'i'}`,
      };
    },
  }),
  present: define({
    arg: BOOLEAN,
    description: 'true: the value is present (not empty or a placeholder).',
    op: () => 'present',
    canon: (a, ctx) => ({ op: 'present', arg: { present: a }, text: `${ctx.subject} is ${a ? 'present' : 'missing'}` }),
  }),
  missing: define({
    arg: BOOLEAN,
    description: 'true: the value is empty or a placeholder.',
    op: () => 'present',
    canon: (a, ctx) => ({ op: 'present', arg: { present: !a }, text: `${ctx.subject} is ${a ? 'missing' : 'present'}` }),
  }),
  is: define({
    arg: BOOLEAN,
    description: 'Boolean-ish value (yes/no, true/false, 1/0, x, y/n).',
    op: () => 'is',
    canon: (a, ctx) => ({ op: 'is', arg: { value: a }, text: `${ctx.subject} is ${yesNo(a)}` }),
  }),
  within_days: recency('within_days', 'within', 'A date at most this many days before --as-of.'),
  older_than_days: recency('older_than_days', 'older than', 'A date more than this many days before --as-of.'),
} satisfies Record<string, { arg: ArgSchema; description: string }>;

/** A rules operator key. */
export type OperatorKey = keyof typeof RULE_OPERATORS;

/** The operator keys, in table order, for "exactly one operator" checks. */
export const OPERATOR_KEYS = Object.keys(RULE_OPERATORS) as OperatorKey[];

/** The options beside an operator (not operators themselves), with their schema. */
export const OPERATOR_OPTIONS = {
  case_sensitive: { arg: BOOLEAN, description: 'Make "matches" and "contains" case-sensitive.', appliesTo: ['matches', 'contains'] as OperatorKey[] },
} as const;

/** The comparison a canonical operator makes on a value already read as its kind (see ReadKind). */
export interface ReadTests {
  /** The trimmed cell. */
  text: (raw: string) => boolean;
  /** The normalised, synonym-mapped text, and the values of a multi-value cell (null when it holds no separator). */
  multi: (text: string, values: readonly string[] | null) => boolean;
  number: (x: number) => boolean;
  /** The date in whole days since 1970-01-01, and the as-of day. */
  date: (day: number, asOf: number) => boolean;
  bool: (b: boolean) => boolean;
  presence: (present: boolean) => boolean;
}

/** A canonical operator: what it reads, and its comparison, made once per leaf from the leaf's argument. */
export interface PlanOperator<O extends PlanOp, R extends ReadKind> {
  reads: R;
  test(arg: PlanArgs[O]): ReadTests[R];
}

function anyIn(set: ReadonlySet<string>, text: string, values: readonly string[] | null): boolean {
  if (set.has(text)) return true;
  if (values !== null) for (let i = 0; i < values.length; i++) if (set.has(values[i]!)) return true;
  return false;
}

/** The canonical operators (see PlanArgs for what each means). */
export const PLAN_OPERATORS: { [O in PlanOp]: PlanOperator<O, ReadKind> } = {
  in: { reads: 'multi', test: ({ values }) => { const set = new Set(values); return (t: string, vs: readonly string[] | null) => anyIn(set, t, vs); } },
  not_in: { reads: 'multi', test: ({ values }) => { const set = new Set(values); return (t: string, vs: readonly string[] | null) => !anyIn(set, t, vs); } },
  num_in: { reads: 'number', test: ({ numbers }) => { const set = new Set(numbers); return (x: number) => set.has(x); } },
  num_not_in: { reads: 'number', test: ({ numbers }) => { const set = new Set(numbers); return (x: number) => !set.has(x); } },
  gt: { reads: 'number', test: ({ number: a }) => (x: number) => x > a },
  gte: { reads: 'number', test: ({ number: a }) => (x: number) => x >= a },
  lt: { reads: 'number', test: ({ number: a }) => (x: number) => x < a },
  lte: { reads: 'number', test: ({ number: a }) => (x: number) => x <= a },
  between: { reads: 'number', test: ({ min, max }) => (x: number) => x >= min && x < max },
  contains: {
    reads: 'text',
    test: ({ needles, caseSensitive }) => (raw: string) => {
      const hay = caseSensitive ? raw : raw.toLowerCase();
      for (let i = 0; i < needles.length; i++) if (hay.includes(needles[i]!)) return true;
      return false;
    },
  },
  matches: { reads: 'text', test: ({ pattern, caseSensitive }) => compilePattern(pattern, caseSensitive) },
  present: { reads: 'presence', test: ({ present }) => (p: boolean) => p === present },
  is: { reads: 'bool', test: ({ value }) => (b: boolean) => b === value },
  within_days: { reads: 'date', test: ({ days }) => (d: number, asOf: number) => asOf - d <= days },
  older_than_days: { reads: 'date', test: ({ days }) => (d: number, asOf: number) => asOf - d > days },
};
