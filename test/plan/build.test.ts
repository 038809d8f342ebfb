// The Plan: plain JSON-safe data built from the rules, canonical leaves, derived values defined once, bounds.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/index.js';
import { criterionRange, groupRange, totalRange } from '../../src/plan/bounds.js';
import type { Plan, PlanCondition } from '../../src/plan/types.js';
import { ROOT } from '../cli/harness.js';
import { compile, rulesWith } from '../helpers.js';

const planOf = (yaml: string): Plan => compile(yaml).plan;

/** Every value in `x` is JSON data: no undefined, functions, Maps, Sets, NaN or infinities. */
function jsonIssues(x: unknown, at = '$'): string[] {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return [];
  if (typeof x === 'number') return Number.isFinite(x) ? [] : [`${at}: ${x}`];
  if (Array.isArray(x)) return x.flatMap((v, i) => jsonIssues(v, `${at}[${i}]`));
  if (typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.entries(x as object).flatMap(([k, v]) => jsonIssues(v, `${at}.${k}`));
  }
  return [`${at}: ${typeof x} ${Object.prototype.toString.call(x)}`];
}

const RULES_FILES = [
  ...readdirSync(join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => join(ROOT, 'rules', f)),
  join(ROOT, 'bench', 'rules.yaml'),
  ...['score', 'explain', 'validate'].flatMap((d) => readdirSync(join(ROOT, 'test', 'fixtures', d)).filter((f) => f.endsWith('.yaml') && !f.startsWith('bad')).map((f) => join(ROOT, 'test', 'fixtures', d, f))),
];

describe('the Plan is plain data', () => {
  it.each(RULES_FILES.map((f) => [f.slice(ROOT.length)]))('%s', (file) => {
    const r = loadRules(readFileSync(join(ROOT, file), 'utf8'), file);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = r.model!.plan;
    expect(jsonIssues(plan)).toEqual([]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    // Every list element carries its own index.
    for (const list of [plan.columns, plan.derived, plan.groups, plan.criteria, plan.disqualifiers]) list.forEach((x, i) => expect(x.index).toBe(i));
  });

  it('unbounded is null, never Infinity', () => {
    const p = planOf(rulesWith('  - { id: c, group: fit, column: visits, points_per: 2 }\n  - { id: d, group: engagement, column: x, points_per: -1 }'));
    expect(p.criteria[0]).toMatchObject({ maxPoints: null, minPoints: 0 });
    expect(p.criteria[1]).toMatchObject({ maxPoints: 0, minPoints: null });
    expect(p.groups.map((g) => [g.max, g.min])).toEqual([[null, 0], [0, null]]);
    expect(p.total.range).toEqual({ min: null, max: null });
    expect(p.tiers.at(-1)!.min).toBeNull();
  });
});

describe('building', () => {
  it('normalises columns: synonyms as sorted normalised pairs, kinds in a fixed order, rules-wide read settings', () => {
    const p = planOf(`version: 1
id: id
decimal: comma
columns:
  industry: { aliases: [Industry], separator: ["|", ";"], synonyms: { Software: [SaaS, "Computer  Software"], fintech: [FinTech] } }
  created: { aliases: [Created], date_order: DMY }
groups: { fit: {} }
criteria:
  - { id: a, group: fit, column: industry, in: [software], points: 1 }
  - { id: b, group: fit, column: created, within_days: 30, points: 1 }
  - { id: c, group: fit, value: { count: industry }, gte: 2, points: 1 }
tiers: [{ name: A, min: 1 }, { name: B }]
`);
    const industry = p.columns.find((c) => c.name === 'industry')!;
    expect(industry).toMatchObject({
      aliases: ['Industry'],
      separators: ['|', ';'],
      synonyms: [['computer software', 'software'], ['fintech', 'fintech'], ['saas', 'software']],
      kinds: ['text'],
      decimal: 'comma',
      dateOrder: 'auto',
      used: true,
      required: true,
    });
    expect(p.columns.find((c) => c.name === 'created')).toMatchObject({ kinds: ['date'], dateOrder: 'DMY', decimal: 'comma' });
    expect(p.columns[p.idColumn!]).toMatchObject({ name: 'id', kinds: ['text'], required: true });
  });

  it('canonicalises leaves: equals becomes in / num_in / is, missing becomes present, values normalised and synonym-mapped', () => {
    const p = planOf(`version: 1
id: id
columns:
  industry: { aliases: [industry], synonyms: { software: [SaaS] } }
groups: { fit: {} }
criteria:
  - { id: a, group: fit, column: industry, equals: "  SaaS ", points: 1 }
  - { id: b, group: fit, column: sites, equals: 3, points: 1 }
  - { id: c, group: fit, column: webinar, equals: true, points: 1 }
  - { id: d, group: fit, column: phone, missing: true, points: 1 }
tiers: [{ name: A, min: 1 }, { name: B }]
`);
    const leaf = (i: number) => p.criteria[i]!.condition as PlanCondition & { type: 'leaf' };
    expect(leaf(0)).toMatchObject({ op: 'in', reads: 'multi', arg: { values: ['software'] }, text: 'industry in [  SaaS ]', path: ['criteria', 0, 'equals'] });
    expect(leaf(1)).toMatchObject({ op: 'num_in', reads: 'number', arg: { numbers: [3] }, text: 'sites = 3' });
    expect(leaf(2)).toMatchObject({ op: 'is', reads: 'bool', arg: { value: true }, text: 'webinar is yes' });
    expect(leaf(3)).toMatchObject({ op: 'present', reads: 'presence', arg: { present: false }, text: 'phone is missing' });
    expect(p.columns.find((c) => c.name === 'phone')!.kinds).toEqual([]);
    expect(p.columns.find((c) => c.name === 'sites')!.kinds).toEqual(['number']);
  });

  it('defines each derived value once, however many conditions read it', () => {
    const p = planOf(
      rulesWith(`  - { id: a, group: fit, value: { ratio: [arr, employees] }, gte: 1000, points: 1 }
  - id: b
    group: fit
    value: { ratio: [arr, employees] }
    bands: { ideal: { gte: 5000, points: 3 }, acceptable: { between: [100, 5000], points: 1 } }
  - { id: c, group: fit, value: { days_since: created }, lte: 30, points: 1 }`),
    );
    expect(p.derived).toEqual([
      { index: 0, fn: 'ratio', args: [1, 2], text: 'arr / employees', path: ['criteria', 0, 'value', 'ratio'] },
      { index: 1, fn: 'days_since', args: [3], text: 'days since created', path: ['criteria', 2, 'value', 'days_since'] },
    ]);
    expect(p.criteria[1]!.bands.map((b) => (b.condition as { subject: unknown }).subject)).toEqual([
      { type: 'derived', derived: 0 },
      { type: 'derived', derived: 0 },
    ]);
    expect(p.columns.map((c) => [c.name, c.kinds])).toEqual([
      ['id', ['text']],
      ['arr', ['number']],
      ['employees', ['number']],
      ['created', ['date']],
    ]);
  });

  it('keeps Kleene combinations with their texts and columns', () => {
    const p = planOf(rulesWith('  - { id: a, group: fit, all: [{ column: x, gte: 1 }, { not: { column: y, in: [b] } }], points: 1 }'));
    const c = p.criteria[0]!.condition!;
    expect(c).toMatchObject({ type: 'all', text: '(x ≥ 1) and (not (y in [b]))', columns: [1, 2], path: ['criteria', 0, 'all'] });
    expect((c as { of: PlanCondition[] }).of[1]).toMatchObject({ type: 'not', text: 'not (y in [b])', path: ['criteria', 0, 'all', 1, 'not'] });
  });

  it('resolves the unknown policy to the points it gives', () => {
    const p = planOf(`version: 1
id: id
unknown: { policy: neutral, share: 0.25 }
groups: { fit: {}, bant: { unknown: penalty } }
criteria:
  - { id: a, group: fit, column: x, in: [y], points: 20, weight: 2, cap: 30 }
  - { id: b, group: bant, column: x, in: [y], points: 20 }
  - { id: c, group: fit, column: x, in: [y], points: 20, unknown: zero }
tiers: [{ name: A, min: 1 }, { name: B }]
`);
    expect(p.criteria.map((c) => [c.unknown, c.unknownPoints, c.maxPoints, c.minPoints])).toEqual([
      [{ policy: 'neutral', share: 0.25 }, 7.5, 30, 0],
      [{ policy: 'penalty', points: -5 }, -5, 20, -5],
      [{ policy: 'zero' }, 0, 20, 0],
    ]);
  });

  it('weighted average: multipliers from the group maxima, 0 for a group without criteria, the total 0–100', () => {
    const p = planOf(`version: 1
id: id
total: { method: weighted_average }
groups: { fit: { weight: 3 }, engagement: { weight: 1, cap: 10 }, empty: { weight: 5 } }
criteria:
  - { id: a, group: fit, column: x, in: [y], points: 20 }
  - { id: b, group: fit, column: z, in: [y], points: 30 }
  - { id: c, group: engagement, column: v, points_per: 2 }
tiers: [{ name: A, min: 50 }, { name: B }]
`);
    expect(p.groups.map((g) => [g.id, g.max, g.multiplier])).toEqual([
      ['fit', 50, (3 / 4) * (100 / 50)],
      ['engagement', 10, (1 / 4) * (100 / 10)],
      ['empty', 0, 0],
    ]);
    expect(p.total.range.max).toBeCloseTo(100, 12);
    expect(p.total.range.min).toBe(0);
  });
});

describe('bounds', () => {
  const crit = (o: Partial<Parameters<typeof criterionRange>[0]>) => criterionRange({ kind: 'points', points: 0, bandPoints: [], weight: 1, cap: null, floor: null, penalty: null, ...o });
  it.each([
    ['points', { points: 10, weight: 2 }, { min: 0, max: 20 }],
    ['negative points', { points: -10 }, { min: -10, max: 0 }],
    ['points capped after weight', { points: 10, weight: 3, cap: 25 }, { min: 0, max: 25 }],
    ['bands', { kind: 'bands' as const, bandPoints: [15, 5, -10] }, { min: -10, max: 15 }],
    ['bands floored', { kind: 'bands' as const, bandPoints: [15, -10], floor: -4 }, { min: -4, max: 15 }],
    ['per, unbounded above', { kind: 'per' as const, points: 2 }, { min: 0, max: Infinity }],
    ['per, capped', { kind: 'per' as const, points: 2, cap: 12 }, { min: 0, max: 12 }],
    ['per, negative', { kind: 'per' as const, points: -1 }, { min: -Infinity, max: 0 }],
    ['penalty widens', { points: 10, penalty: -5 }, { min: -5, max: 10 }],
  ])('criterion: %s', (_, o, r) => {
    expect(crit(o)).toEqual(r);
  });
  it.each([
    ['sum of maxima and minima', [{ min: -5, max: 10 }, { min: 0, max: 20 }], null, null, { min: -5, max: 30 }],
    ['cap', [{ min: 0, max: 20 }, { min: 0, max: 20 }], 25, null, { min: 0, max: 25 }],
    ['floor', [{ min: -30, max: 10 }], null, -10, { min: -10, max: 10 }],
    ['floor above what criteria give: the floor', [{ min: 0, max: 3 }], null, 5, { min: 5, max: 5 }],
    ['unbounded', [{ min: 0, max: Infinity }], null, null, { min: 0, max: Infinity }],
    ['unbounded, capped', [{ min: -Infinity, max: Infinity }], 40, -40, { min: -40, max: 40 }],
  ] as const)('group: %s', (_, cs, cap, floor, r) => {
    expect(groupRange(cs, cap, floor)).toEqual(r);
  });
  it('total: ranges times multipliers; a multiplier of 0 adds nothing, even unbounded', () => {
    expect(totalRange([{ range: { min: -5, max: 30 }, multiplier: 2 }, { range: { min: 0, max: Infinity }, multiplier: 0 }])).toEqual({ min: -10, max: 60 });
  });
});
