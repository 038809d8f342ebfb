// Rules validation: every mistake is an error at file:line:col with a message and, where possible, a fix.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { diagnose, rulesWith } from '../helpers.js';
import { loadRules } from '../../src/rules/index.js';

const errs = (yaml: string) =>
  diagnose(yaml)
    .filter((d) => d.severity === 'error')
    .map((d) => ({ at: `${d.line}:${d.col}`, code: d.code, message: d.message, hint: d.hint }));
const warns = (yaml: string) => diagnose(yaml).filter((d) => d.severity === 'warning').map((d) => d.code);

describe('rules validation errors', () => {
  it('accepts a minimal valid file', () => {
    expect(errs(rulesWith('  - { id: a, group: fit, column: x, is: true, points: 1 }'))).toEqual([]);
  });

  it('reports YAML syntax errors with position', () => {
    const e = errs('version: 1\nid: [unclosed\n');
    expect(e.length).toBeGreaterThan(0);
    expect(e[0]!.code).toMatch(/^yaml-/);
    expect(e[0]!.at).toMatch(/^\d+:\d+$/);
  });

  it('reports duplicate keys', () => {
    const e = errs('version: 1\nid: a\nid: b\n');
    expect(e[0]).toMatchObject({ at: '3:1', code: 'yaml-duplicate-key' });
  });

  it('empty file', () => {
    expect(errs('')[0]).toMatchObject({ code: 'empty-rules' });
  });

  const cases: [string, string, string, RegExp, RegExp?][] = [
    ['misspelt key with suggestion', '  - { id: a, group: fit, column: x, is: true, pionts: 1 }', '7:47', /unknown key "pionts" in criteria\[0\]/, /did you mean "points"/],
    ['unknown operator', '  - { id: a, group: fit, column: x, greater: 5, points: 1 }', '7:37', /unknown key "greater"/, /allowed keys|did you mean/],
    ['wrong type', '  - { id: a, group: fit, column: x, gte: "ten", points: 1 }', '7:42', /criteria\[0\]\.gte: expected a number, found the text "ten"/],
    ['unknown group', '  - { id: a, group: fitt, column: x, is: true, points: 1 }', '7:21', /names group "fitt", which is not defined/, /did you mean "fit"/],
    ['two forms', '  - { id: a, group: fit, column: x, is: true, points: 1, points_per: 2 }', '7:5', /has points and points_per; use exactly one/],
    ['no operator', '  - { id: a, group: fit, column: x, points: 1 }', '7:5', /no operator/],
    ['two operators', '  - { id: a, group: fit, column: x, gte: 1, lt: 5, points: 1 }', '7:45', /one condition may hold one operator, found gte and lt/, /all:/],
    ['bad regex', '  - { id: a, group: fit, column: x, matches: "(unclosed", points: 1 }', '7:46', /invalid regular expression: missing closing \)/, /RE2 syntax/],
    ['back-reference', '  - { id: a, group: fit, column: x, matches: "(ab)\\\\1", points: 1 }', '7:46', /linear time .*no back-references such as "\\1"/, /\(ab\)\(ab\)/],
    ['lookahead', '  - { id: a, group: fit, column: x, matches: "vp(?! sales)", points: 1 }', '7:46', /no lookahead such as "\(\?!…\)"/, /not: \{ matches/],
    ['lookbehind', '  - { id: a, group: fit, column: x, matches: "(?<=@)gmail", points: 1 }', '7:46', /no lookbehind such as "\(\?<=…\)"/, /all: \[/],
    ['JavaScript code point escape', '  - { id: a, group: fit, column: x, matches: "caf\\\\u00e9", points: 1 }', '7:46', /invalid escape sequence/, /\\x\{00e9\}/],
    ['empty between', '  - { id: a, group: fit, column: x, between: [10, 5], points: 1 }', '7:46', /between \[10, 5\] is empty/],
    ['duplicate id', '  - { id: a, group: fit, column: x, is: true, points: 1 }\n  - { id: a, group: fit, column: y, is: true, points: 1 }', '8:11', /id "a" is used twice/],
    ['invalid id', '  - { id: "1a", group: fit, column: x, is: true, points: 1 }', '7:11', /id starts with a letter/],
    ['derived text operator', '  - { id: a, group: fit, value: { count: t }, contains: x, points: 1 }', '7:57', /derived value is a number/],
    ['two derived functions', '  - { id: a, group: fit, value: { count: t, days_since: d }, gte: 1, points: 1 }', '7:33', /exactly one function/],
    ['unknown policy typo', '  - { id: a, group: fit, column: x, is: true, points: 1, unknown: neutrall }', '7:67', /expected one of "zero", "neutral", "penalty"/, /did you mean "neutral"/],
    ['neutral without a maximum', '  - { id: a, group: fit, column: x, points_per: 1, unknown: neutral }', '7:61', /neutral policy but has no maximum/, /cap/],
    ['operator beside bands', '  - { id: a, group: fit, column: x, gte: 1, bands: [{ gte: 1, points: 1 }] }', '7:37', /cannot stand beside bands/],
  ];
  it.each(cases)('%s', (_n, criteria, at, message, hint) => {
    const e = errs(rulesWith(criteria));
    expect(e.length, JSON.stringify(e)).toBeGreaterThan(0);
    const hit = e.find((d) => message.test(d.message));
    expect(hit, JSON.stringify(e)).toBeDefined();
    expect(hit!.at).toBe(at);
    if (hint) expect(hit!.hint ?? '').toMatch(hint);
  });

  it('overlapping bands', () => {
    const e = errs(rulesWith(`  - id: b
    group: fit
    column: x
    bands:
      ideal: { gte: 100, points: 10 }
      acceptable: { between: [10, 101], points: 5 }`));
    expect(e).toEqual([expect.objectContaining({ code: 'band-overlap', at: '11:14' })]);
    expect(e[0]!.message).toBe('band "ideal" overlaps band "acceptable" (values from 100 included are in both)');
  });

  it('overlapping categorical bands', () => {
    const e = errs(rulesWith(`  - id: b
    group: fit
    column: x
    bands: [{ in: [a, b], points: 2 }, { in: [B], points: 1 }]`));
    expect(e[0]).toMatchObject({ code: 'band-overlap' });
  });

  it('a gap between bands is a warning', () => {
    const w = warns(rulesWith(`  - id: b
    group: fit
    column: x
    bands: [{ gte: 100, points: 2 }, { lt: 50, points: 1 }]`));
    expect(w).toContain('band-gap');
  });

  it('tiers out of order, missing min, min on the last tier', () => {
    const base = 'version: 1\nid: id\ngroups: { fit: {} }\ncriteria: [{ id: a, group: fit, column: x, is: true, points: 1 }]\n';
    expect(errs(`${base}tiers: [{ name: A, min: 10 }, { name: B, min: 20 }, { name: C }]`).map((d) => d.code)).toEqual(['tiers-order']);
    expect(errs(`${base}tiers: [{ name: A }, { name: B }]`).map((d) => d.code)).toEqual(['tier-no-min']);
    expect(errs(`${base}tiers: [{ name: A, min: 10 }, { name: B, min: 0 }]`).map((d) => d.code)).toEqual(['last-tier-min']);
    expect(errs(base).map((d) => d.code)).toEqual(['no-tiers']);
  });

  it('missing required key names the parent', () => {
    const e = errs('version: 1\ngroups: { fit: {} }\ncriteria: [{ id: a, group: fit, column: x, is: true, points: 1 }]\ntiers: [{ name: A }]\n');
    expect(e[0]).toMatchObject({ code: 'missing-key', at: '1:1' });
    expect(e[0]!.message).toMatch(/missing the required key "id"/);
  });

  it('collects every error of a stage at once: schema errors, then semantic ones', () => {
    const schema = errs(rulesWith('  - { id: a, group: fit, column: x, is: 3, points: 1 }\n  - { id: b, group: fit, column: x, gte: "x", pionts: 1 }'));
    expect(schema.map((d) => d.at)).toEqual(['7:41', '8:42', '8:47']);
    const semantic = errs(rulesWith('  - { id: a, group: nope, column: x, is: true, points: 1 }\n  - { id: b, group: fit, column: x, gte: 1, lt: 2, points: 1 }'));
    expect(semantic.map((d) => d.code)).toEqual(['unknown-group', 'several-operators']);
  });

  it('warns about unreachable tiers and unused groups', () => {
    const w = warns(`version: 1
id: id
groups: { fit: {}, spare: {} }
criteria: [{ id: a, group: fit, column: x, is: true, points: 5 }]
tiers: [{ name: A, min: 50 }, { name: B }]
`);
    expect(w).toEqual(expect.arrayContaining(['unreachable-tier', 'unused-group']));
  });
});

describe('bundled templates', () => {
  const dir = new URL('../../rules/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'));
  it('there are templates', () => expect(files.length).toBeGreaterThanOrEqual(3));
  it.each(files)('%s compiles without errors or warnings', (f) => {
    const d = diagnose(readFileSync(new URL(f, dir), 'utf8'));
    expect(d).toEqual([]);
  });
});

describe('compiled criteria', () => {
  it('all have the same properties in the same order, whatever their form (one shape for the evaluator)', () => {
    const { model } = loadRules(readFileSync(new URL('../../bench/rules.yaml', import.meta.url), 'utf8'), 'bench/rules.yaml');
    const kinds = new Set(model!.criteria.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['points', 'bands', 'per']));
    const shapes = new Set(model!.criteria.map((c) => Object.keys(c).join(',')));
    expect([...shapes]).toHaveLength(1);
  });
});

describe('every error in one run', () => {
  const file = `version: 1
id: id
groups:
  fit: {}
  engagement: { weight: "heavy" }
criteria:
  - { id: a, group: fit, column: x, gte: "ten", points: 1 }
  - { id: b, group: fitt, column: x, is: true, points: 1 }
  - { id: c, group: fit, column: y, matches: "(?!x)y", points: 1 }
  - id: d
    group: engagement
    column: z
    bands:
      ideal: { gte: 100, points: 10 }
      acceptable: { between: [10, 101], points: 5 }
  - { id: e, group: fit, column: x, is: true, pionts: 1 }
tiers:
  - { name: A, min: 10 }
  - { name: B }
`;
  it('reports schema errors and the semantic errors of the parts that are valid, in document order', () => {
    expect(errs(file).map((e) => `${e.at} ${e.code}`)).toEqual([
      '5:25 invalid-type',
      '7:42 invalid-type',
      '8:21 unknown-group',
      '9:46 bad-matches',
      '14:14 band-overlap',
      '16:47 unknown-key',
    ]);
  });

  it('maps the positions of the later criteria past the ones left out', () => {
    const e = errs(file.replace('  - { id: a, group: fit, column: x, gte: "ten", points: 1 }\n', '  - { id: a, group: fit, column: x, gte: "ten", points: 1 }\n  - { id: a2, group: fit, column: x, gte: [1], points: 1 }\n'));
    expect(e.find((d) => d.code === 'unknown-group')).toMatchObject({ at: '9:21', message: 'criterion "b" names group "fitt", which is not defined' });
  });

  it('adds nothing that fixing the schema errors would not also show', () => {
    const fixed = errs(file.replace('"heavy"', '2').replace('"ten"', '10').replace('pionts', 'points'));
    expect(fixed.map((e) => `${e.at} ${e.code}`)).toEqual(['8:21 unknown-group', '9:46 bad-matches', '14:14 band-overlap']);
  });

  // One schema error (the `BAD` value) and one semantic error elsewhere; `fix` is what the schema error should be.
  const rules = (criteria: string, rest = 'tiers:\n  - { name: A, min: 10 }\n  - { name: B }\n', groups = '  fit: {}\n') =>
    `version: 1\nid: id\ngroups:\n${groups}criteria:\n${criteria}${rest}`;
  const bad = '  - { id: a, group: fit, column: x, gte: 1, points: BAD }\n';
  const ok = '  - { id: b, group: fit, column: y, gte: 1, points: 5 }\n';
  const oneOfEach: [name: string, file: string, fix: string, semantic: string][] = [
    ['an unknown group in another criterion', rules(bad + ok.replace('group: fit', 'group: nope')), '10', '7:21 unknown-group'],
    ['overlapping bands in another criterion', rules(bad + '  - id: b\n    group: fit\n    column: y\n    bands:\n      - { label: l, between: [0, 10], points: 1 }\n      - { label: m, between: [5, 20], points: 2 }\n'), '10', '12:9 band-overlap'],
    ['a pattern RE2 cannot run, in a disqualifier, when the only criterion has the schema error', rules(bad, 'disqualifiers:\n  - { id: d, reason: r, column: y, matches: "(?=a)" }\ntiers: [{ name: A }]\n'), '10', '8:45 bad-matches'],
    ['tiers out of order', rules(bad + ok, 'tiers:\n  - { name: A, min: 10 }\n  - { name: B, min: 20 }\n  - { name: C }\n'), '10', '10:21 tiers-order'],
    ['a tier named twice, beside a tier with a schema error', rules(ok, 'tiers:\n  - { name: A, min: BAD }\n  - { name: B, min: 20 }\n  - { name: B }\n'), '30', '10:13 duplicate-tier'],
    ['a cap below its floor in another group', rules(ok, 'tiers: [{ name: A }]\n', '  fit: { weight: BAD }\n  eng: { cap: 1, floor: 5 }\n'), '1', '5:15 cap-below-floor'],
    ['points beyond the range a score holds', rules(bad + ok.replace('points: 5', 'points: 1e13')), '10', '7:53 points-out-of-range'],
  ];
  it.each(oneOfEach)('reports a schema error and %s in one pass, each at its place', (_name, file, fix, semantic) => {
    const broken = errs(file.replace('BAD', '"ten"')).map((e) => `${e.at} ${e.code}`);
    expect(broken).toHaveLength(2);
    expect(broken.filter((e) => e.endsWith('invalid-type'))).toHaveLength(1);
    expect(broken).toContain(semantic);
    // The same semantic error, at the same place, once the schema error is fixed.
    expect(errs(file.replace('BAD', fix)).map((e) => `${e.at} ${e.code}`)).toEqual([semantic]);
  });

  it('leaves out the errors that the parts left out could cause', () => {
    // The last tier has a schema error: "B has a min but is the last tier" would be about a file without it.
    const lastTier = rules(ok, 'tiers:\n  - { name: A, min: 30 }\n  - { name: B, min: 20 }\n  - { name: C, lable: x }\n');
    expect(errs(lastTier).map((e) => e.code)).toEqual(['unknown-key']);
    // A misspelt "tiers:" is left out: "neither tiers nor a matrix" is not said.
    expect(errs(rules(ok, 'tier:\n  - { name: A }\n')).map((e) => e.code)).toEqual(['unknown-key']);
    // A group's only criterion has the schema error: the group may not be unbounded in the whole file.
    const average = rules(bad + '  - { id: b, group: eng, column: y, points_per: 1, cap: 5 }\n', 'total: { method: weighted_average }\ntiers: [{ name: A }]\n', '  fit: {}\n  eng: {}\n');
    expect(errs(average.replace('BAD', '"ten"')).map((e) => e.code)).toEqual(['invalid-type']);
    expect(errs(average.replace('BAD', '10')).map((e) => e.code)).toEqual([]);
  });

  it('stops at the schema errors when the file has no frame to check parts in', () => {
    expect(errs('version: 1\nid: id\ngroups: [fit]\ncriteria: []\n').map((e) => e.code)).not.toContain('unknown-group');
  });

  it('keeps the source line of each error for the printer', () => {
    const d = diagnose(file).find((x) => x.code === 'unknown-group')!;
    expect(d.excerpt).toBe('  - { id: b, group: fitt, column: x, is: true, points: 1 }');
  });
});
