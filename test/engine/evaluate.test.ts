// Table-driven evaluator tests: every criterion kind, combinator, cap, decay, unknown policy, disqualifier and tier.
import { describe, expect, it } from 'vitest';
import { compile, rulesWith, scoreOne } from '../helpers.js';
import fc from 'fast-check';
import { newEvaluation } from '../../src/engine/evaluate.js';
import { formatCents, topReasons } from '../../src/engine/format.js';

type Case = [name: string, criterion: string, record: Record<string, string>, points: number, outcome: 'matched' | 'not_matched' | 'unknown'];

/** One criterion in group fit; the record always has an id. */
function run(criterion: string, record: Record<string, string>, extra = '') {
  const m = compile(rulesWith(criterion, extra));
  return scoreOne(m, { id: 'L1', ...record });
}

const crit = (body: string) => `  - { id: c, group: fit, ${body} }`;

describe('criterion kinds', () => {
  const cases: Case[] = [
    // categorical: case/space-insensitive, synonyms, multi-value cells
    ['in: exact', crit('column: industry, in: [SaaS, Fintech], points: 10'), { industry: 'SaaS' }, 10, 'matched'],
    ['in: case and spaces', crit('column: industry, in: [SaaS], points: 10'), { industry: '  saas ' }, 10, 'matched'],
    ['in: inner spaces collapse', crit('column: industry, in: [financial services], points: 10'), { industry: 'Financial   Services' }, 10, 'matched'],
    ['in: no match', crit('column: industry, in: [SaaS], points: 10'), { industry: 'Retail' }, 0, 'not_matched'],
    ['in: multi-value cell', crit('column: industry, in: [fintech], points: 10'), { industry: 'SaaS; Fintech' }, 10, 'matched'],
    ['in: empty is unknown', crit('column: industry, in: [SaaS], points: 10'), { industry: '' }, 0, 'unknown'],
    ['in: placeholder is unknown', crit('column: industry, in: [SaaS], points: 10'), { industry: 'N/A' }, 0, 'unknown'],
    ['not_in', crit('column: country, not_in: [Russia], points: 3'), { country: 'Poland' }, 3, 'matched'],
    ['not_in: listed', crit('column: country, not_in: [Russia], points: 3'), { country: 'russia' }, 0, 'not_matched'],
    ['in: numbers compare numerically', crit('column: sites, in: [1, 2], points: 4'), { sites: '2.0' }, 4, 'matched'],
    ['equals text', crit('column: stage, equals: MQL, points: 5'), { stage: 'mql' }, 5, 'matched'],
    ['equals number', crit('column: sites, equals: 3, points: 5'), { sites: '3' }, 5, 'matched'],
    // numeric ranges
    ['gte: human number', crit('column: revenue, gte: 5000000, points: 10'), { revenue: '$5M' }, 10, 'matched'],
    ['gte: thousands separators', crit('column: revenue, gte: 1000000, points: 10'), { revenue: '1,250,000' }, 10, 'matched'],
    ['gte: below', crit('column: revenue, gte: 5000000, points: 10'), { revenue: '4,999,999' }, 0, 'not_matched'],
    ['gt: boundary excluded', crit('column: n, gt: 10, points: 1'), { n: '10' }, 0, 'not_matched'],
    ['lt', crit('column: n, lt: 10, points: 1'), { n: '9.5' }, 1, 'matched'],
    ['lte: boundary included', crit('column: n, lte: 10, points: 1'), { n: '10' }, 1, 'matched'],
    ['between: min included', crit('column: n, between: [50, 100], points: 2'), { n: '50' }, 2, 'matched'],
    ['between: max excluded', crit('column: n, between: [50, 100], points: 2'), { n: '100' }, 0, 'not_matched'],
    ['numeric: a range is unknown, not zero', crit('column: n, gte: 10, points: 2'), { n: '50-100' }, 0, 'unknown'],
    ['numeric: text is unknown', crit('column: n, lt: 10, points: 2'), { n: 'many' }, 0, 'unknown'],
    // text
    ['contains', crit('column: notes, contains: pricing, points: 3'), { notes: 'Wants PRICING asap' }, 3, 'matched'],
    ['contains: any of', crit('column: notes, contains: [sso, saml], points: 3'), { notes: 'asked about SAML' }, 3, 'matched'],
    ['contains: case sensitive', crit('column: notes, contains: SSO, case_sensitive: true, points: 3'), { notes: 'sso' }, 0, 'not_matched'],
    ['matches', crit('column: title, matches: "^(vp|head) ", points: 7'), { title: 'VP Sales' }, 7, 'matched'],
    ['matches: no', crit('column: title, matches: "^(vp|head) ", points: 7'), { title: 'Sales VP' }, 0, 'not_matched'],
    // presence
    ['present', crit('column: phone, present: true, points: 2'), { phone: '+48 600 000 000' }, 2, 'matched'],
    ['present: placeholder is absent', crit('column: phone, present: true, points: 2'), { phone: 'n/a' }, 0, 'not_matched'],
    ['missing', crit('column: phone, missing: true, points: -2'), { phone: '' }, -2, 'matched'],
    // boolean-ish
    ['is: yes', crit('column: webinar, is: true, points: 8'), { webinar: 'Yes' }, 8, 'matched'],
    ['is: x', crit('column: webinar, is: true, points: 8'), { webinar: 'x' }, 8, 'matched'],
    ['is: 0', crit('column: webinar, is: true, points: 8'), { webinar: '0' }, 0, 'not_matched'],
    ['is: false wanted', crit('column: optout, is: false, points: 1'), { optout: 'no' }, 1, 'matched'],
    ['is: garbage is unknown', crit('column: webinar, is: true, points: 8'), { webinar: 'maybe' }, 0, 'unknown'],
    // date recency relative to --as-of 2026-11-01
    ['within_days: inside', crit('column: last, within_days: 30, points: 5'), { last: '2026-10-15' }, 5, 'matched'],
    ['within_days: edge', crit('column: last, within_days: 30, points: 5'), { last: '2026-10-02' }, 5, 'matched'],
    ['within_days: outside', crit('column: last, within_days: 30, points: 5'), { last: '2026-10-01' }, 0, 'not_matched'],
    ['within_days: US date', crit('column: last, within_days: 30, points: 5'), { last: '10/20/2026' }, 5, 'matched'],
    ['within_days: European date', crit('column: last, within_days: 30, points: 5'), { last: '20.10.2026' }, 5, 'matched'],
    ['older_than_days', crit('column: created, older_than_days: 365, points: 4'), { created: '2024-01-01' }, 4, 'matched'],
    ['date: garbage is unknown', crit('column: last, within_days: 30, points: 5'), { last: 'yesterday' }, 0, 'unknown'],
    // derived values
    ['ratio', crit('value: { ratio: [won, total] }, gte: 0.5, points: 6'), { won: '3', total: '4' }, 6, 'matched'],
    ['ratio: divide by zero is unknown', crit('value: { ratio: [won, total] }, gte: 0.5, points: 6'), { won: '3', total: '0' }, 0, 'unknown'],
    ['difference', crit('value: { difference: [this_year, last_year] }, gt: 0, points: 4'), { this_year: '12', last_year: '9' }, 4, 'matched'],
    ['days_between', crit('value: { days_between: [opened, closed] }, lt: 30, points: 5'), { opened: '2026-01-01', closed: '2026-01-21' }, 5, 'matched'],
    ['days_since', crit('value: { days_since: last }, lte: 7, points: 5'), { last: '2026-10-28' }, 5, 'matched'],
    ['count', crit('value: { count: tags }, gte: 2, points: 3'), { tags: 'a; b; c' }, 3, 'matched'],
    ['count: empty is unknown', crit('value: { count: tags }, gte: 2, points: 3'), { tags: '' }, 0, 'unknown'],
    // points_per
    ['points_per', crit('column: visits, points_per: 2, cap: 10'), { visits: '3' }, 6, 'matched'],
    ['points_per: capped', crit('column: visits, points_per: 2, cap: 10'), { visits: '30' }, 10, 'matched'],
    ['points_per: unknown', crit('column: visits, points_per: 2, cap: 10'), { visits: '' }, 0, 'unknown'],
    // negative points and weights
    ['negative points', crit('column: title, matches: student, points: -15'), { title: 'Student' }, -15, 'matched'],
    ['criterion weight', crit('column: stage, in: [sql], points: 10, weight: 0.5'), { stage: 'SQL' }, 5, 'matched'],
    ['criterion floor', crit('column: n, points_per: -5, floor: -8'), { n: '3' }, -8, 'matched'],
  ];
  it.each(cases)('%s', (_name, criterion, record, points, outcome) => {
    const t = run(criterion, record);
    const c = t.criteria[0]!;
    expect(c.outcome).toBe(outcome);
    expect(c.points).toBe(points);
    expect(t.score).toBe(points);
  });
});

describe('combinators (three-valued logic)', () => {
  const cases: [string, string, Record<string, string>, 'matched' | 'not_matched' | 'unknown'][] = [
    ['all: both true', 'all: [{ column: a, is: true }, { column: b, is: true }]', { a: 'y', b: 'y' }, 'matched'],
    ['all: one false', 'all: [{ column: a, is: true }, { column: b, is: true }]', { a: 'y', b: 'n' }, 'not_matched'],
    ['all: false beats unknown', 'all: [{ column: a, is: true }, { column: b, is: true }]', { a: '', b: 'n' }, 'not_matched'],
    ['all: unknown', 'all: [{ column: a, is: true }, { column: b, is: true }]', { a: '', b: 'y' }, 'unknown'],
    ['any: one true', 'any: [{ column: a, is: true }, { column: b, is: true }]', { a: 'n', b: 'y' }, 'matched'],
    ['any: true beats unknown', 'any: [{ column: a, is: true }, { column: b, is: true }]', { a: '', b: 'y' }, 'matched'],
    ['any: unknown', 'any: [{ column: a, is: true }, { column: b, is: true }]', { a: '', b: 'n' }, 'unknown'],
    ['any: none', 'any: [{ column: a, is: true }, { column: b, is: true }]', { a: 'n', b: 'n' }, 'not_matched'],
    ['not: flips', 'column: a, not: { is: true }', { a: 'n' }, 'matched'],
    ['not: unknown stays unknown', 'column: a, not: { is: true }', { a: '' }, 'unknown'],
    ['nested with inherited column', 'column: title, any: [{ matches: "^vp" }, { all: [{ contains: head }, { not: { contains: assistant } }] }]', { title: 'Head of Sales' }, 'matched'],
  ];
  it.each(cases)('%s', (_n, cond, record, outcome) => {
    const t = run(`  - { id: c, group: fit, points: 5, ${cond} }`, record);
    expect(t.criteria[0]!.outcome).toBe(outcome);
    expect(t.score).toBe(outcome === 'matched' ? 5 : 0);
  });
});

describe('bands', () => {
  const agency = `  - id: budget
    group: fit
    column: budget
    bands:
      ideal: { gte: 5000000, points: 20 }
      acceptable: { between: [100000, 5000000], points: 10 }
      avoid: { lt: 100000, points: -10 }`;
  it.each([
    ['5 000 000', 20, 'ideal'],
    ['5000000', 20, 'ideal'],
    ['4999999', 10, 'acceptable'],
    ['100000', 10, 'acceptable'],
    ['99999', -10, 'avoid'],
    ['$2.5M', 10, 'acceptable'],
  ] as const)('budget %s → %d (%s)', (budget, points, band) => {
    const t = run(agency, { budget });
    expect(t.criteria[0]!.band).toBe(band);
    expect(t.score).toBe(points);
  });
  it('unknown budget follows the policy', () => {
    const t = run(agency.replace('    bands:', '    unknown: neutral\n    bands:'), { budget: 'ask' });
    expect(t.criteria[0]!.outcome).toBe('unknown');
    expect(t.criteria[0]!.unknown_policy).toBe('neutral (0.5 of max)');
    expect(t.score).toBe(10);
  });
  it('a value in no band scores 0 and is not unknown', () => {
    const t = run(crit('column: n, bands: [{ gte: 10, points: 5 }]'), { n: '3' });
    expect(t.criteria[0]!.outcome).toBe('not_matched');
    expect(t.criteria[0]!.band).toBeNull();
  });
  it('list bands with categorical values', () => {
    const t = run(crit('column: role, bands: [{ label: dm, in: [decision maker], points: 10 }, { label: inf, in: [influencer], points: 5 }]'), { role: 'Influencer' });
    expect(t.criteria[0]!.band).toBe('inf');
    expect(t.score).toBe(5);
  });
});

describe('unknown-value policies', () => {
  it.each([
    ['zero', 'unknown: zero', 0],
    ['neutral', 'unknown: neutral', 5],
    ['neutral share', 'unknown: { policy: neutral, share: 0.25 }', 2.5],
    ['penalty', 'unknown: penalty', -5],
    ['penalty points', 'unknown: { policy: penalty, points: -3 }', -3],
  ] as const)('%s', (_n, policy, points) => {
    const t = run(crit(`column: n, gte: 1, points: 10, ${policy}`), { n: '' });
    expect(t.criteria[0]!.outcome).toBe('unknown');
    expect(t.score).toBe(points);
  });
  it('group default applies, criterion overrides', () => {
    const yaml = `version: 1
id: id
unknown: penalty
groups:
  fit: { unknown: neutral }
  other: {}
criteria:
  - { id: a, group: fit, column: n, gte: 1, points: 10 }
  - { id: b, group: fit, column: n, gte: 1, points: 10, unknown: zero }
  - { id: c, group: other, column: n, gte: 1, points: 10 }
tiers: [{ name: A }]
`;
    const t = scoreOne(compile(yaml), { id: '1', n: 'unknown' });
    expect(t.criteria.map((c) => c.points)).toEqual([5, 0, -5]);
    expect(t.score).toBe(0);
  });
});

describe('decay', () => {
  const yaml = (hl: number) => `version: 1
id: id
groups:
  engagement: { decay: { date: last, half_life_days: ${hl} } }
criteria:
  - { id: webinar, group: engagement, column: webinar, is: true, points: 16 }
  - { id: fresh, group: engagement, column: last, within_days: 1000, points: 4, decay: false }
tiers: [{ name: A }]
`;
  it.each([
    ['2026-11-01', 16],
    ['2026-10-02', 8],
    ['2026-09-02', 4],
    ['2026-12-01', 16], // a future date does not boost
  ] as const)('last activity %s → webinar %d', (last, points) => {
    const t = scoreOne(compile(yaml(30)), { id: '1', webinar: 'yes', last });
    expect(t.criteria[0]!.points).toBe(points);
    expect(t.criteria[1]!.points).toBe(4);
    expect(t.criteria[1]!.decay).toBeNull();
  });
  it('records days and factor', () => {
    const t = scoreOne(compile(yaml(30)), { id: '1', webinar: 'yes', last: '2026-10-17' });
    expect(t.criteria[0]!.decay).toEqual({ days: 15, half_life_days: 30, factor: 0.707107 });
    expect(t.criteria[0]!.points).toBe(11.31);
  });
  it('unknown decay date makes the criterion unknown', () => {
    const t = scoreOne(compile(yaml(30)), { id: '1', webinar: 'yes', last: '' });
    expect(t.criteria[0]!.outcome).toBe('unknown');
    expect(t.criteria[0]!.points).toBe(0);
  });
});

describe('groups, weights and caps', () => {
  const yaml = `version: 1
id: id
groups:
  fit: { weight: 2, cap: 25 }
  engagement: { weight: 0.5, floor: -4 }
criteria:
  - { id: a, group: fit, column: a, is: true, points: 20 }
  - { id: b, group: fit, column: b, is: true, points: 15 }
  - { id: c, group: engagement, column: c, is: true, points: -10 }
tiers: [{ name: A, min: 40 }, { name: B }]
`;
  it('caps a group, weights it, and contributions add up to the score', () => {
    const t = scoreOne(compile(yaml), { id: '1', a: 'y', b: 'y', c: 'y' });
    const fit = t.groups[0]!;
    expect(fit).toMatchObject({ raw: 35, adjustment: -10, subtotal: 25, contribution: 50 });
    const eng = t.groups[1]!;
    expect(eng).toMatchObject({ raw: -10, adjustment: 6, subtotal: -4, contribution: -2 });
    expect(t.score).toBe(48);
    expect(t.tier).toBe('A');
    const sum = t.criteria.reduce((s, c) => s + c.contribution, 0) + t.groups.reduce((s, g) => s + g.adjustment_contribution, 0);
    expect(Math.round(sum * 100) / 100).toBe(t.score);
  });
  it('weighted_average scales each group to 0–100', () => {
    const t = scoreOne(
      compile(`version: 1
id: id
total: { method: weighted_average }
groups:
  budget: { weight: 3 }
  need: { weight: 1 }
criteria:
  - { id: b, group: budget, column: b, is: true, points: 10 }
  - { id: n1, group: need, column: n1, is: true, points: 5 }
  - { id: n2, group: need, column: n2, is: true, points: 15 }
tiers: [{ name: A }]
`),
      { id: '1', b: 'yes', n1: 'yes', n2: 'no' },
    );
    // budget 100% × 0.75 + need 25% × 0.25 = 81.25
    expect(t.score).toBe(81.25);
    expect(t.groups.map((g) => g.contribution)).toEqual([75, 6.25]);
  });
});

describe('points_per on values whose points a score cannot hold (beyondPoints)', () => {
  type Beyond = [name: string, criterion: string, record: Record<string, string>, points: number, outcome: 'matched' | 'unknown', capped: boolean];
  const per = (extra: string) => crit(`column: n, points_per: 10${extra}`);
  const cases: Beyond[] = [
    ['1e308, uncapped: unknown, not NaN', per(''), { n: '1e308' }, 0, 'unknown', false],
    ['1e300, uncapped: unknown, not 1e+301', per(''), { n: '1e300' }, 0, 'unknown', false],
    ['-1e308, uncapped: unknown', per(''), { n: '-1e308' }, 0, 'unknown', false],
    ['at the bound: 1e11 × 10 = 1e12 points, exact', per(''), { n: '1e11' }, 1e12, 'matched', false],
    ['just past the bound: unknown', per(''), { n: '100000000001' }, 0, 'unknown', false],
    ['a cap applies first: cap 100 on 1e308 gives 100', per(', cap: 100'), { n: '1e308' }, 100, 'matched', true],
    ['a cap applies first: cap 100 on 1e300', per(', cap: 100'), { n: '1e300' }, 100, 'matched', true],
    ['a cap does not bound the negative side', per(', cap: 100'), { n: '-1e308' }, 0, 'unknown', false],
    ['a floor bounds the negative side', per(', cap: 100, floor: -5'), { n: '-1e308' }, -5, 'matched', true],
    ['negative points_per: a huge value meets the floor', crit('column: n, points_per: -2, floor: -30'), { n: '1e308' }, -30, 'matched', true],
    ['negative points_per: a huge negative value meets the cap', crit('column: n, points_per: -2, cap: 30'), { n: '-1e308' }, 30, 'matched', true],
    ['the unknown policy applies: penalty', per(', unknown: { policy: penalty, points: -7 }'), { n: '1e308' }, -7, 'unknown', false],
    ['the unknown policy applies: neutral share of the cap', per(', cap: 40, unknown: neutral'), { n: '-1e308' }, 20, 'unknown', false],
    ['a floor of 0 on -1e308 gives 0', per(', cap: 40, floor: 0'), { n: '-1e308' }, 0, 'matched', true],
    ['the weight narrows the bound: 6e10 × 10 × 2 > 1e12', per(', weight: 2'), { n: '6e10' }, 0, 'unknown', false],
    ['within the weighted bound: 4e10 × 10 × 2 = 8e11', per(', weight: 2'), { n: '4e10' }, 8e11, 'matched', false],
    ['weight 0 gives 0 whatever the value', per(', weight: 0'), { n: '1e308' }, 0, 'matched', false],
  ];
  it.each(cases)('%s', (_name, criterion, record, points, outcome, capped) => {
    const t = run(criterion, record);
    const c = t.criteria[0]!;
    expect(c.outcome).toBe(outcome);
    expect(c.points).toBe(points);
    expect(c.capped).toBe(capped);
    expect(t.score).toBe(points);
    expect(Number.isFinite(t.score)).toBe(true);
  });

  const model = (groups: string, criteria: string, total = '') => `version: 1
id: id
${total}groups:
${groups}
criteria:
${criteria}
tiers: [{ name: A, min: 50 }, { name: B }]
`;
  it('the group weight narrows the bound too: contributions stay within ±1e12', () => {
    const m = compile(model('  fit: { weight: 10 }', '  - { id: rev, group: fit, column: rev, points_per: 1 }\n  - { id: won, group: fit, column: won, is: true, points: 5 }'));
    expect(scoreOne(m, { id: '1', rev: '1e11', won: 'yes' }).score).toBe(1e12 + 50);
    const t = scoreOne(m, { id: '2', rev: '2e11', won: 'yes' });
    expect(t.criteria.map((c) => c.outcome)).toEqual(['unknown', 'matched']);
    expect(t.score).toBe(50);
  });
  it('a group cap caps the rest: the beyond criterion is unknown, its group capped as usual', () => {
    const m = compile(model('  fit: { cap: 30 }', '  - { id: rev, group: fit, column: rev, points_per: 10 }\n  - { id: won, group: fit, column: won, is: true, points: 20 }'));
    const t = scoreOne(m, { id: '1', rev: '1e308', won: 'yes' });
    expect(t.criteria.map((c) => c.outcome)).toEqual(['unknown', 'matched']);
    expect(t.groups[0]).toMatchObject({ raw: 20, adjustment: 0, subtotal: 20 });
    expect(scoreOne(m, { id: '2', rev: '2', won: 'yes' }).groups[0]).toMatchObject({ raw: 40, adjustment: -10, subtotal: 30 });
  });
  it('weighted average: a capped criterion on 1e308 is its group at 100 %', () => {
    const m = compile(
      model('  fit: { weight: 3 }\n  need: { weight: 1 }', '  - { id: rev, group: fit, column: rev, points_per: 10, cap: 40 }\n  - { id: n, group: need, column: n, is: true, points: 5 }', 'total: { method: weighted_average }\n'),
    );
    const t = scoreOne(m, { id: '1', rev: '1e308', n: 'no' });
    expect(t.groups.map((g) => g.contribution)).toEqual([75, 0]);
    expect(t.score).toBe(75);
    expect(scoreOne(m, { id: '2', rev: '-1e308', n: 'yes' }).score).toBe(25);
  });
  it('decay: a beyond value meets its cap decayed or not; an unknown decay date still makes it unknown', () => {
    const m = compile(
      model('  engagement: { decay: { date: last, half_life_days: 30 } }', '  - { id: visits, group: engagement, column: visits, points_per: 2, cap: 60 }'),
    );
    expect(scoreOne(m, { id: '1', visits: '1e308', last: '2026-09-02' }).score).toBe(60);
    expect(scoreOne(m, { id: '2', visits: '3', last: '2026-10-02' }).score).toBe(3);
    expect(scoreOne(m, { id: '3', visits: '1e308', last: '' }).criteria[0]!.outcome).toBe('unknown');
  });
  it('a derived value that overflows (ratio 1e300 / 1e-300) is beyond: its cap', () => {
    const t = run(crit('value: { ratio: [a, b] }, points_per: 1, cap: 9'), { a: '1e300', b: '1e-300' });
    expect(t.criteria[0]!).toMatchObject({ outcome: 'matched', points: 9, capped: true });
  });
});

describe('disqualifiers and tiers', () => {
  const yaml = `version: 1
id: id
groups: { fit: {} }
criteria:
  - { id: size, group: fit, column: n, points_per: 1, cap: 100 }
disqualifiers:
  - { id: comp, reason: Competitor, column: email, matches: "@rival\\\\.com$" }
  - { id: student, reason: Student, column: title, contains: student }
tiers:
  - { name: A, min: 70 }
  - { name: B, min: 40 }
  - { name: C }
matrix:
  rows: { group: fit, tiers: [{ name: X, min: 50 }, { name: Y }] }
  columns: { group: fit, tiers: [{ name: "1", min: 80 }, { name: "2" }] }
`;
  const m = compile(yaml);
  it.each([
    ['100', 'A', 'X1'],
    ['70', 'A', 'X2'],
    ['69.99', 'B', 'X2'],
    ['40', 'B', 'Y2'],
    ['0', 'C', 'Y2'],
    ['-5', 'C', 'Y2'],
  ] as const)('score %s → tier %s, matrix %s', (n, tier, cell) => {
    const t = scoreOne(m, { id: '1', n, email: 'a@b.com', title: 'CEO' });
    expect(t.tier).toBe(tier);
    expect(t.matrix).toBe(cell);
    expect(t.disqualified).toBe(false);
  });
  it('a disqualified lead keeps its score but gets the DQ tier and every reason', () => {
    const t = scoreOne(m, { id: '1', n: '90', email: 'x@rival.com', title: 'PhD student' });
    expect(t.disqualified).toBe(true);
    expect(t.tier).toBe('DQ');
    expect(t.matrix).toBe('DQ');
    expect(t.score).toBe(90);
    expect(t.disqualified_reasons).toEqual(['Competitor', 'Student']);
  });
  it('an unknown disqualifier does not disqualify', () => {
    const t = scoreOne(m, { id: '1', n: '90', email: '', title: '' });
    expect(t.disqualified).toBe(false);
    expect(t.disqualifiers.map((d) => d.outcome)).toEqual(['unknown', 'unknown']);
  });
  it('next tier: gap and criteria that close it', () => {
    const t = scoreOne(m, { id: '1', n: '50', email: 'a@b.com', title: 'CEO' });
    expect(t.next_tier).toEqual({ name: 'A', min: 70, gap: 20, candidates: [{ id: 'size', label: 'size', gain: 50 }] });
  });
});

describe('reasons and rounding', () => {
  it('top reasons are the largest contributions, with signs', () => {
    const t = run(
      [
        crit('column: a, is: true, points: 3, label: Small'),
        '  - { id: d, group: fit, column: b, is: true, points: -12, label: Big minus }',
        '  - { id: e, group: fit, column: c, is: true, points: 7, label: Middle }',
        '  - { id: f, group: fit, column: x, is: true, points: 1, label: Tiny }',
      ].join('\n'),
      { a: 'y', b: 'y', c: 'y', x: 'y' },
    );
    expect(t.reasons).toBe('Big minus (-12); Middle (+7); Small (+3)');
  });
  it('top reasons: the n largest |contribution|, ties in criterion order, zeros left out (against a sort)', () => {
    const m = compile(rulesWith(Array.from({ length: 8 }, (_, i) => crit(`column: c${i}, is: true, points: 1, label: C${i}`).replace('id: c,', `id: c${i},`)).join('\n')));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 9 }), (cents, n) => {
        const e = newEvaluation(m);
        e.band.fill(-1); // no bands
        e.outcome.fill(1); // matched
        cents.forEach((c, i) => (e.contribution[i] = c * 100));
        const expected = cents
          .map((c, i) => ({ c, i }))
          .filter((x) => x.c !== 0)
          .sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.i - b.i)
          .slice(0, n)
          .map((x) => `C${x.i} (${x.c > 0 ? '+' : ''}${x.c})`)
          .join('; ');
        expect(topReasons(m, e, n)).toBe(expected);
      }),
    );
  });
  it('contributions add up exactly with awkward weights', () => {
    const yaml = `version: 1
id: id
groups: { g: { weight: 0.333 } }
criteria:
  - { id: a, group: g, column: a, points_per: 1.111 }
  - { id: b, group: g, column: b, points_per: 2.227 }
tiers: [{ name: A }]
`;
    const t = scoreOne(compile(yaml), { id: '1', a: '7', b: '3' });
    const sum = t.criteria.reduce((s, c) => s + Math.round(c.contribution * 100), 0);
    expect(sum).toBe(Math.round(t.score * 100));
  });
});

describe('formatCents', () => {
  it.each([
    [0, '0'], [300, '3'], [7250, '72.5'], [7205, '72.05'], [-5, '-0.05'], [-1234, '-12.34'], [-100, '-1'], [99, '0.99'], [10, '0.1'],
  ])('%d → %s', (c, s) => {
    expect(formatCents(c)).toBe(s);
    expect(Number(s)).toBe(c / 100);
  });
});
