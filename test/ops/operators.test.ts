// The operator table: each rules operator's canonical form, each canonical operator's comparison, and the one
// rule of unknown values (by what a leaf reads, never per operator), on every canonical operator.
import { describe, expect, it } from 'vitest';
import { lowerPlan } from '../../src/engine/lower.js';
import { bindModel } from '../../src/engine/bind.js';
import { FALSE, TRUE, UNKNOWN } from '../../src/ops/truth.js';
import { OPERATOR_KEYS, PLAN_OPERATORS, RULE_OPERATORS, type CanonContext, type OperatorKey } from '../../src/ops/operators.js';
import { decayDays, decayFactor } from '../../src/ops/decay.js';
import { round2, toCents } from '../../src/ops/round.js';
import type { PlanOp } from '../../src/plan/types.js';
import { compile, rulesWith } from '../helpers.js';

const ctx = (caseSensitive = false): CanonContext => ({
  subject: 'x',
  caseSensitive,
  text: (v) => (v.trim().toLowerCase() === 'saas' ? 'software' : v.trim().toLowerCase()),
});
const canon = (key: OperatorKey, arg: unknown, cs = false) => (RULE_OPERATORS[key] as (typeof RULE_OPERATORS)['equals']).canon(arg as never, ctx(cs));

describe('rules operators → canonical leaves', () => {
  it.each([
    ['equals', 'SaaS', { op: 'in', arg: { values: ['software'] }, text: 'x in [SaaS]' }],
    ['equals', 3, { op: 'num_in', arg: { numbers: [3] }, text: 'x = 3' }],
    ['equals', true, { op: 'is', arg: { value: true }, text: 'x is yes' }],
    ['in', ['SaaS', 'Fintech', 'saas'], { op: 'in', arg: { values: ['software', 'fintech'] }, text: 'x in [SaaS, Fintech, saas]' }],
    ['in', [1000, 2], { op: 'num_in', arg: { numbers: [1000, 2] }, text: 'x in [1,000, 2]' }],
    ['not_in', ['Russia'], { op: 'not_in', arg: { values: ['russia'] }, text: 'x not in [Russia]' }],
    ['not_in', [1], { op: 'num_not_in', arg: { numbers: [1] }, text: 'x not in [1]' }],
    ['gt', 10, { op: 'gt', arg: { number: 10 }, text: 'x > 10' }],
    ['gte', 5000000, { op: 'gte', arg: { number: 5000000 }, text: 'x ≥ 5,000,000' }],
    ['lt', 1.5, { op: 'lt', arg: { number: 1.5 }, text: 'x < 1.5' }],
    ['lte', -2, { op: 'lte', arg: { number: -2 }, text: 'x ≤ -2' }],
    ['between', [50, 1000], { op: 'between', arg: { min: 50, max: 1000 }, text: 'x from 50 to under 1,000' }],
    ['contains', 'SSO', { op: 'contains', arg: { needles: ['sso'], caseSensitive: false }, text: 'x contains "SSO"' }],
    ['contains', ['a', 'A'], { op: 'contains', arg: { needles: ['a'], caseSensitive: false }, text: 'x contains "a" or "A"' }],
    ['matches', '^vp', { op: 'matches', arg: { pattern: '^vp', caseSensitive: false }, text: 'x matches /^vp/i' }],
    ['present', true, { op: 'present', arg: { present: true }, text: 'x is present' }],
    ['present', false, { op: 'present', arg: { present: false }, text: 'x is missing' }],
    ['missing', true, { op: 'present', arg: { present: false }, text: 'x is missing' }],
    ['missing', false, { op: 'present', arg: { present: true }, text: 'x is present' }],
    ['is', false, { op: 'is', arg: { value: false }, text: 'x is no' }],
    ['within_days', 30, { op: 'within_days', arg: { days: 30 }, text: 'x within 30 days' }],
    ['older_than_days', 365, { op: 'older_than_days', arg: { days: 365 }, text: 'x older than 365 days' }],
  ] as const)('%s %j', (key, arg, leaf) => {
    expect(canon(key, arg)).toEqual(leaf);
    expect(RULE_OPERATORS[key].op(arg as never)).toBe(leaf.op);
  });

  it('keeps the needles of a case-sensitive contains as written', () => {
    expect(canon('contains', ['SSO', 'Saml'], true)).toMatchObject({ arg: { needles: ['SSO', 'Saml'], caseSensitive: true } });
    expect(canon('matches', 'VP', true)).toMatchObject({ arg: { pattern: 'VP', caseSensitive: true }, text: 'x matches /VP/' });
  });

  it.each([
    ['in', ['a', 1], 'mix numbers and text in one list only by quoting the numbers'],
    ['between', [5, 5], 'between [5, 5] is empty: the first number must be below the second'],
    ['matches', '(a)\\1', /back-references/],
  ] as const)('refuses %s %j', (key, arg, problem) => {
    const r = canon(key, arg);
    expect(r).toHaveProperty('problem');
    expect((r as { problem: string }).problem).toMatch(problem);
  });

  it('has every rules operator and maps each onto a canonical operator', () => {
    expect(OPERATOR_KEYS).toEqual(Object.keys(RULE_OPERATORS));
    expect(OPERATOR_KEYS).toHaveLength(15);
    expect(Object.keys(PLAN_OPERATORS).sort()).toEqual(
      ['in', 'not_in', 'num_in', 'num_not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'contains', 'matches', 'present', 'is', 'within_days', 'older_than_days'].sort(),
    );
  });
});

describe('canonical comparisons', () => {
  const test = <O extends PlanOp>(op: O, arg: unknown) => (PLAN_OPERATORS[op].test as (a: unknown) => (...v: unknown[]) => boolean)(arg);
  it.each([
    ['in', { values: ['a', 'b'] }, ['b', null], true],
    ['in', { values: ['a', 'b'] }, ['a; c', ['a', 'c']], true],
    ['in', { values: ['a', 'b'] }, ['c', ['c', 'd']], false],
    ['not_in', { values: ['a'] }, ['c; a', ['c', 'a']], false],
    ['not_in', { values: ['a'] }, ['c', null], true],
    ['num_in', { numbers: [1, 2] }, [2], true],
    ['num_in', { numbers: [0] }, [-0], true],
    ['num_not_in', { numbers: [1, 2] }, [3], true],
    ['gt', { number: 10 }, [10], false],
    ['gte', { number: 10 }, [10], true],
    ['lt', { number: 10 }, [10], false],
    ['lte', { number: 10 }, [10], true],
    ['between', { min: 1, max: 2 }, [1], true],
    ['between', { min: 1, max: 2 }, [2], false],
    ['contains', { needles: ['sso'], caseSensitive: false }, ['Needs SSO'], true],
    ['contains', { needles: ['SSO'], caseSensitive: true }, ['needs sso'], false],
    ['matches', { pattern: '^vp\\b', caseSensitive: false }, ['VP Sales'], true],
    ['matches', { pattern: '^vp\\b', caseSensitive: true }, ['VP Sales'], false],
    ['present', { present: true }, [true], true],
    ['present', { present: false }, [true], false],
    ['is', { value: true }, [true], true],
    ['is', { value: false }, [true], false],
    ['within_days', { days: 30 }, [100, 130], true],
    ['within_days', { days: 30 }, [100, 131], false],
    ['within_days', { days: 30 }, [200, 130], true],
    ['older_than_days', { days: 30 }, [100, 130], false],
    ['older_than_days', { days: 30 }, [100, 131], true],
  ] as const)('%s %j on %j → %s', (op, arg, values, want) => {
    expect(test(op, arg)(...values)).toBe(want);
  });
});

describe('a leaf is unknown exactly when its value does not read as the kind it needs', () => {
  // One criterion per canonical operator, all in one model; each row's cell is missing, unreadable or readable.
  const ops: [op: string, rule: string, readable: string][] = [
    ['in', 'in: [a]', 'a'],
    ['not_in', 'not_in: [a]', 'b'],
    ['num_in', 'in: [1]', '1'],
    ['num_not_in', 'not_in: [1]', '2'],
    ['gt', 'gt: 1', '2'],
    ['gte', 'gte: 1', '2'],
    ['lt', 'lt: 1', '0'],
    ['lte', 'lte: 1', '0'],
    ['between', 'between: [1, 3]', '2'],
    ['contains', 'contains: a', 'a'],
    ['matches', 'matches: a', 'a'],
    ['present', 'present: true', 'a'],
    ['is', 'is: true', 'yes'],
    ['within_days', 'within_days: 30', '2026-10-20'],
    ['older_than_days', 'older_than_days: 3', '2026-10-20'],
  ];
  const model = compile(rulesWith(ops.map(([op, rule]) => `  - { id: c_${op}, group: fit, column: ${op}, ${rule}, points: 1 }`).join('\n')));
  const header = ['id', ...ops.map(([op]) => op)];
  const { bound } = bindModel(model, header, Date.UTC(2026, 10, 1) / 86400000);
  const outcomes = (cells: string[]) => {
    const row = bound!.row;
    row.load(['L1', ...cells]);
    return Object.fromEntries(model.criteria.map((c) => [c.id.slice(2), c.cond!.fn(row)]));
  };
  it('every canonical operator is in the model', () => {
    expect(new Set(model.plan.criteria.map((c) => (c.condition as { op: string }).op))).toEqual(new Set(Object.keys(PLAN_OPERATORS)));
  });
  it('missing (empty or a placeholder): unknown, except for presence', () => {
    for (const cell of ['', 'N/A']) {
      const o = outcomes(ops.map(() => cell));
      for (const [op] of ops) expect([op, o[op]]).toEqual([op, op === 'present' ? FALSE : UNKNOWN]);
    }
  });
  it('present but not readable as the kind: unknown for number, date and bool readings only', () => {
    const o = outcomes(ops.map(() => 'zzz'));
    const reads = Object.fromEntries(model.plan.criteria.map((c) => [c.id.slice(2), (c.condition as { reads: string }).reads]));
    for (const [op] of ops) {
      const unknown = ['number', 'date', 'bool'].includes(reads[op]!);
      expect([op, o[op] === UNKNOWN]).toEqual([op, unknown]);
    }
  });
  it('readable: never unknown, and here always true', () => {
    const o = outcomes(ops.map(([, , v]) => v));
    for (const [op] of ops) expect([op, o[op]]).toEqual([op, TRUE]);
  });
  it('lowers again from the Plan alone, as a worker does, to the same outcomes', () => {
    const again = lowerPlan(JSON.parse(JSON.stringify(model.plan)));
    const b2 = bindModel(again, header, Date.UTC(2026, 10, 1) / 86400000).bound!;
    for (const cells of [ops.map(() => ''), ops.map(() => 'zzz'), ops.map(([, , v]) => v)]) {
      b2.row.load(['L1', ...cells]);
      expect(Object.fromEntries(again.criteria.map((c) => [c.id, c.cond!.fn(b2.row)]))).toEqual(
        Object.fromEntries(model.criteria.map((c, i) => [c.id, (bound!.row.load(['L1', ...cells]), model.criteria[i]!.cond!.fn(bound!.row))])),
      );
    }
  });
});

describe('named steps', () => {
  it.each([
    [0.125, 13],
    [-0.125, -13],
    [0.005, 1],
    [-0.005, -1],
    [1.005, 100], // 1.005 is 1.00499999… as a double
    [72.5, 7250],
    [0, 0],
  ])('toCents(%s) = %s (halves away from zero)', (x, c) => {
    expect(toCents(x)).toBe(c);
  });
  it('round2 rounds as cents do', () => {
    expect(round2(-0.125)).toBe(-0.13);
    expect(round2(33.333333)).toBe(33.33);
  });
  it.each([
    [0, 30, 1],
    [30, 30, 0.5],
    [60, 30, 0.25],
  ])('decayFactor(%s days, half-life %s) = %s', (days, h, f) => {
    expect(decayFactor(days, h)).toBeCloseTo(f, 15);
  });
  it('decay days are never negative', () => {
    expect(decayDays(100, 90)).toBe(10);
    expect(decayDays(100, 120)).toBe(0);
  });
});
