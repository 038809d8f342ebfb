// Two models over the same leads: transitions, deltas, movers grouped by the criterion that moved them.
import { describe, expect, it } from 'vitest';
import { bindModel } from '../../src/engine/bind.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import type { Model } from '../../src/engine/model.js';
import { LeadsComparison, moveText, whyMoved } from '../../src/diff/compare.js';
import { compile } from '../helpers.js';

const rules = (acceptable: number, extra = '') => `version: 1
id: id
groups: { fit: {} }
criteria:
  - id: budget
    label: Budget
    group: fit
    column: budget
    bands:
      ideal: { gte: 50000, points: 20 }
      acceptable: { between: [10000, 50000], points: ${acceptable} }
  - { id: senior, label: Senior title, group: fit, column: title, contains: chief, points: 5 }
${extra}
disqualifiers:
  - { id: student, reason: Student, column: title, contains: student }
tiers:
  - { name: A, min: 20 }
  - { name: B, min: 10 }
  - { name: C }
`;
const header = ['id', 'budget', 'title'];
const leads = [
  ['L1', '20000', 'Chief of staff'], // 15 + 5 = 20 (A) → 8 + 5 = 13 (B)
  ['L2', '30000', 'Chief buyer'], // the same move
  ['L3', '60000', 'Engineer'], // 20 (A) both
  ['L4', '15000', 'Engineer'], // 15 (B) → 8 (C)
  ['L5', '', 'Student'], // DQ both
  ['L6', '1000', 'Engineer'], // 0 (C) both
];

function compare(base: Model, next: Model) {
  const bb = bindModel(base, header, 0).bound!;
  const bn = bindModel(next, header, 0).bound!;
  const cmp = new LeadsComparison(base, next, 5);
  const movers = [];
  for (const [i, f] of leads.entries()) {
    const eb = evaluate(bb, f, newEvaluation(base));
    const en = evaluate(bn, f, newEvaluation(next));
    const m = cmp.add(f[0]!, i + 2, eb, en);
    if (m) movers.push(m.id);
  }
  return { result: cmp.result(), movers };
}

describe('LeadsComparison', () => {
  it('counts transitions (disqualified included), tiers before and after, and score deltas', () => {
    const { result: r, movers } = compare(compile(rules(15)), compile(rules(8)));
    expect(movers).toEqual(['L1', 'L2', 'L4']);
    expect(r.transitions).toEqual({ A: { B: 2, A: 1 }, B: { C: 1 }, DQ: { DQ: 1 }, C: { C: 1 } });
    expect(r.tiersBefore).toEqual([{ tier: 'A', leads: 3 }, { tier: 'B', leads: 1 }, { tier: 'C', leads: 1 }, { tier: 'DQ', leads: 1 }]);
    expect(r.tiersAfter).toEqual([{ tier: 'A', leads: 1 }, { tier: 'B', leads: 2 }, { tier: 'C', leads: 2 }, { tier: 'DQ', leads: 1 }]);
    expect([r.leads, r.changedTier]).toEqual([6, 3]);
    expect(r.scoreDelta).toMatchObject({ mean: -3.5, min: -7, max: 0, up: 0, down: 3, same: 3 });
    expect(r.scoreDelta.distribution).toEqual([{ from: -10, to: -5, count: 3 }, { from: 0, to: 5, count: 3 }]);
    expect(r.largestDown.map((m) => m.id)).toEqual(['L1', 'L2', 'L4']);
  });

  it('groups movers by the criterion that moved them, in words', () => {
    const { result: r } = compare(compile(rules(15)), compile(rules(8)));
    expect(r.moverGroups.map((g) => g.text)).toEqual(['2 leads A→B because Budget: acceptable fell from +15 to +8', '1 lead B→C because Budget: acceptable fell from +15 to +8']);
    expect(r.moverGroups[0]!.examples).toEqual(['L1', 'L2']);
    expect(r.movers[0]!.criteria).toEqual([{ id: 'budget', label: 'Budget', before: 'acceptable', after: 'acceptable', pointsBefore: 15, pointsAfter: 8, delta: -7 }]);
  });

  it('criteria added and removed are movers too', () => {
    const base = compile(rules(15));
    const next = compile(rules(15, '  - { id: engineer, label: Engineer, group: fit, column: title, contains: engineer, points: 10 }'));
    const { result: r } = compare(base, next);
    expect(r.moverGroups.map((g) => g.text)).toEqual(['1 lead B→A because new criterion Engineer: matched (+10)', '1 lead C→B because new criterion Engineer: matched (+10)']);
    const back = compare(next, base).result;
    expect(moveText(back.movers[0]!.criteria[0]!)).toBe('Engineer removed (was matched, +10)');
  });

  it('keeps memory bounded: movers beyond the kept ones are counted, groups beyond the cap fall under other causes', () => {
    const base = compile(rules(15));
    const next = compile(rules(8));
    const bb = bindModel(base, header, 0).bound!;
    const bn = bindModel(next, header, 0).bound!;
    const cmp = new LeadsComparison(base, next, 5, { keepMovers: 1, maxGroups: 1, top: 1 });
    for (const [i, f] of leads.entries()) cmp.add(f[0]!, i + 2, evaluate(bb, f, newEvaluation(base)), evaluate(bn, f, newEvaluation(next)));
    const r = cmp.result();
    expect(r.movers.map((m) => m.id)).toEqual(['L1']);
    expect(r.moversNotShown).toBe(2);
    expect(r.moverGroups.map((g) => g.text)).toEqual(['2 leads A→B because Budget: acceptable fell from +15 to +8', '1 more lead changed tier for other causes']);
    expect(r.largestDown.map((m) => m.id)).toEqual(['L1']);
  });
});

describe('movers whose score did not change', () => {
  it('are put down to the tier thresholds', () => {
    const base = compile(rules(15));
    const next = compile(rules(15).replace('{ name: A, min: 20 }', '{ name: A, min: 21 }'));
    const { result: r } = compare(base, next);
    expect(r.moverGroups.map((g) => g.text)).toEqual(['3 leads A→B because the tier thresholds moved (their scores did not change)']);
    expect(whyMoved(r.movers[0]!)).toBe('the tier thresholds moved (the score did not change)');
  });
});
