// Static checks that need no data, table-driven: what no lead can reach or use, and nothing reported when it can.
import { describe, expect, it } from 'vitest';
import { implies, reachOf } from '../../src/plan/static-checks.js';
import { compile, diagnose, rulesWith } from '../helpers.js';

const codes = (yaml: string, only = /capped-off|dead-|redundant-disqualifier|unreachable-matrix-cell/) =>
  diagnose(yaml)
    .filter((d) => only.test(d.code))
    .map((d) => `${d.line}:${d.col} ${d.code}: ${d.message}`);

describe('static checks', () => {
  const cases: [string, string, string, string[]][] = [
    ['a criterion capped at 0 never counts', '  - { id: a, group: fit, column: x, is: true, points: 5, cap: 0 }', '', ['7:63 capped-off: criterion "a" has cap 0, so its positive points never count']],
    [
      'a criterion that matches only disqualified leads',
      '  - { id: cust, group: fit, column: stage, in: [customer], points: 10 }',
      'disqualifiers:\n  - { id: existing, reason: Already a customer, column: stage, in: [customer, evangelist] }',
      ['7:5 dead-criterion: criterion "cust" matches only leads that disqualifier "existing" rules out, so its points never reach a tier'],
    ],
    [
      'a band within a disqualified range',
      '  - id: size\n    group: fit\n    column: employees\n    bands:\n      ideal: { gte: 50, points: 10 }\n      avoid: { lt: 5, points: 3 }',
      'disqualifiers:\n  - { id: tiny, reason: Too small, column: employees, lt: 10 }',
      ['12:14 dead-band: band "avoid" of criterion "size" matches only leads that disqualifier "tiny" rules out'],
    ],
    [
      'a disqualifier within another',
      '  - { id: a, group: fit, column: x, is: true, points: 5 }',
      'disqualifiers:\n  - { id: rivals, reason: Competitor, column: email, contains: ["@rival.com", "@other.io"] }\n  - { id: rival, reason: Rival, column: email, contains: "@rival.com" }',
      ['14:5 redundant-disqualifier: every lead disqualifier "rival" rules out, "rivals" already does'],
    ],
    [
      'overlapping but not contained: nothing',
      '  - { id: mid, group: fit, column: employees, between: [5, 50], points: 5 }',
      'disqualifiers:\n  - { id: tiny, reason: Too small, column: employees, lt: 10 }',
      [],
    ],
    [
      'another column: nothing',
      '  - { id: cust, group: fit, column: stage, in: [customer], points: 10 }',
      'disqualifiers:\n  - { id: existing, reason: Already a customer, column: status, in: [customer] }',
      [],
    ],
  ];
  it.each(cases)('%s', (_name, criteria, extra, want) => {
    expect(codes(rulesWith(criteria, extra))).toEqual(want);
  });

  it('a group capped at 0: its criteria never add to it', () => {
    const yaml = rulesWith('  - { id: a, group: fit, column: x, is: true, points: 5 }').replace('  fit: {}', '  fit: { cap: 0 }');
    expect(codes(yaml)).toEqual(['7:5 capped-off: criterion "a" never adds to group "fit": the other criteria give at least 0, which already reaches its cap of 0']);
  });

  it('matrix cells no lead can reach: one group on both axes', () => {
    const yaml = rulesWith('  - { id: a, group: fit, column: x, is: true, points: 30 }', 'matrix:\n  rows: { group: fit, tiers: [{ name: H, min: 20 }, { name: L }] }\n  columns: { group: fit, tiers: [{ name: "1", min: 10 }, { name: "2" }] }');
    expect(codes(yaml)).toEqual([expect.stringMatching(/unreachable-matrix-cell: 1 matrix cell no lead can reach: H2$/)]);
  });

  it('the reachable range of the total and of each group', () => {
    const m = compile(rulesWith('  - { id: a, group: fit, column: x, is: true, points: 30 }\n  - { id: b, group: engagement, column: y, is: true, points: -5 }'));
    expect(reachOf(m.plan)).toEqual({
      total: { min: -5, max: 30 },
      groups: [
        { id: 'fit', min: 0, max: 30, weight: 1, multiplier: 1 },
        { id: 'engagement', min: -5, max: 0, weight: 1, multiplier: 1 },
      ],
    });
  });

  it('implication of conditions: lists, intervals, all/any', () => {
    const m = compile(
      rulesWith(`  - { id: p, group: fit, column: s, in: [a], points: 1 }
  - { id: q, group: fit, column: s, in: [a, b], points: 1 }
  - { id: r, group: fit, all: [{ column: s, in: [a] }, { column: n, gte: 3 }], points: 1 }
  - { id: t, group: fit, any: [{ column: n, gte: 10 }, { column: n, lt: 0 }], points: 1 }
  - { id: u, group: fit, column: n, gte: 5, points: 1 }`),
    );
    const cond = (id: string) => m.plan.criteria.find((c) => c.id === id)!.condition!;
    expect(implies(cond('p'), cond('q'))).toBe(true);
    expect(implies(cond('q'), cond('p'))).toBe(false);
    expect(implies(cond('r'), cond('q'))).toBe(true);
    expect(implies(cond('u'), cond('t'))).toBe(false);
    expect(implies(cond('t'), cond('u'))).toBe(false);
  });
});
