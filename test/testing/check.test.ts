// Expectations against traces, table-driven: every kind of expectation, passing and failing.
import { describe, expect, it } from 'vitest';
import { checkLead, describeExpectation } from '../../src/testing/check.js';
import type { ExpectationData } from '../../src/testing/spec.js';
import { compile, rulesWith, scoreOne } from '../helpers.js';

const model = compile(
  rulesWith(
    `  - { id: industry, label: Target industry, group: fit, column: industry, in: [software], points: 15 }
  - id: size
    group: fit
    column: employees
    bands:
      ideal: { between: [50, 1000], points: 10 }
      avoid: { lt: 50, points: -5 }
  - { id: demo, label: Requested a demo, group: engagement, column: demo, is: true, points: 8 }`,
    `disqualifiers:
  - { id: student, reason: Student, column: title, contains: student }
matrix:
  rows: { group: fit, tiers: [{ name: A, min: 20 }, { name: B }] }
  columns: { group: engagement, tiers: [{ name: "1", min: 5 }, { name: "2" }] }`,
  ),
);
const hot = scoreOne(model, { id: 'L1', industry: 'Software', employees: '200', demo: 'yes', title: 'CTO' });
const dq = scoreOne(model, { id: 'L2', industry: 'Retail', employees: '', demo: 'no', title: 'Student' });

describe('checkLead', () => {
  const cases: [string, typeof hot, ExpectationData, string[]][] = [
    ['tier holds', hot, { tier: 'A' }, []],
    ['tier fails', hot, { tier: 'B' }, ['tier: B ≠ A']],
    ['one of several tiers', hot, { tier: ['B', 'A'] }, []],
    ['exact score in cents', hot, { score: 33 }, []],
    ['exact score off by a cent', hot, { score: 33.01 }, ['score: 33.01 ≠ 33']],
    ['score range', hot, { score: { min: 30, max: 33 } }, []],
    ['score below min', hot, { score: { min: 40 } }, ['score: ≥ 40 ≠ 33']],
    ['score above max', hot, { score: { max: 20 } }, ['score: ≤ 20 ≠ 33']],
    ['matrix cell', hot, { matrix: 'A1' }, []],
    ['matrix cell fails', hot, { matrix: 'B2' }, ['matrix: B2 ≠ A1']],
    ['not disqualified', hot, { disqualified: false }, []],
    ['disqualified expected', hot, { disqualified: true }, ['disqualified: disqualified ≠ not disqualified']],
    ['disqualified with the reason', dq, { disqualified: { reason: 'Student' }, tier: 'DQ' }, []],
    ['disqualified with another reason', dq, { disqualified: { reason: 'Competitor' } }, ['disqualified: disqualified: Competitor ≠ disqualified: Student']],
    ['a reason present', hot, { reasons: ['Target industry', 'Requested a demo'] }, []],
    ['a reason absent', dq, { reasons: ['Requested a demo'] }, ['reasons: a reason with "Requested a demo" ≠ (no reasons)']],
    ['criterion outcomes', dq, { criteria: { industry: 'not_matched', size: 'unknown', demo: 'not_matched' } }, []],
    ['criterion band and points', hot, { criteria: { size: { outcome: 'matched', band: 'ideal', points: 10 } } }, []],
    ['criterion points fail', hot, { criteria: { size: { points: 5 } } }, ['criteria.size.points: 5 ≠ 10']],
    ['criterion outcome fails', dq, { criteria: { size: 'matched' } }, ['criteria.size: matched ≠ unknown']],
  ];
  it.each(cases)('%s', (_name, trace, e, want) => {
    expect(checkLead(trace, e).map((f) => `${f.key}: ${f.expected} ≠ ${f.actual}`)).toEqual(want);
  });

  it('describes what a test expects in a few words', () => {
    expect(describeExpectation({ tier: ['A', 'B'], score: { min: 60 }, disqualified: false, criteria: { size: { band: 'ideal' }, demo: 'not_matched' } })).toBe(
      'tier A or B, score ≥ 60, not disqualified, size band ideal, demo not matched',
    );
  });
});
