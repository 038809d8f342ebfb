// Lints: every code from src/rules/lint.ts on a minimal rules file, and none on the templates.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadRules } from '../../src/rules/index.js';
import fc from 'fast-check';
import { editDistance } from '../../src/errors.js';
import { lintRules, NameIndex } from '../../src/rules/lint.js';
import { diagnosticAt } from '../../src/rules/load.js';

function lint(yaml: string) {
  const r = loadRules(yaml, 'test.yaml');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.model || !r.rules || errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  return lintRules(r.rules, r.model).map((i) => ({ ...i, at: diagnosticAt(r.source, i.path, i.code, i.message, i.hint, i.severity, i.at) }));
}
const codes = (yaml: string) => lint(yaml).map((i) => i.code);

const base = (body: string, head = '', tiers = '  - { name: A, min: 10 }\n  - { name: B }') => `version: 1
id: id
${head}
groups:
  fit: {}
  engagement: {}
criteria:
${body}
tiers:
${tiers}
`;
const two = '  - { id: a, group: fit, column: x, is: true, points: 10 }\n  - { id: b, group: engagement, column: y, is: true, points: 10 }';

describe('lintRules', () => {
  it('nothing to say about a plain file', () => {
    expect(lint(base(two))).toEqual([]);
  });

  it('weighted average: weights that do not add up to 1 are normalised, and it says so', () => {
    const yaml = base(two, 'total: { method: weighted_average }').replace('fit: {}', 'fit: { weight: 3 }');
    const issues = lint(yaml);
    expect(issues.map((i) => i.code)).toEqual(['weights-normalised']);
    expect(issues[0]!.message).toBe('with total.method weighted_average the group weights add up to 4, not 1; they are normalised to fit 0.75, engagement 0.25');
    expect(issues[0]!.at).toMatchObject({ line: 4, col: 1 });
  });

  it('weighted average: 0.3 + 0.25 + 0.25 + 0.2 counts as 1', () => {
    const yaml = `version: 1
id: id
total: { method: weighted_average }
groups: { a: { weight: 0.3 }, b: { weight: 0.25 }, c: { weight: 0.25 }, d: { weight: 0.2 } }
criteria:
  - { id: a, group: a, column: x, is: true, points: 1 }
  - { id: b, group: b, column: x, is: true, points: 1 }
  - { id: c, group: c, column: x, is: true, points: 1 }
  - { id: d, group: d, column: x, is: true, points: 1 }
tiers: [{ name: A, min: 50 }, { name: B }]
`;
    expect(codes(yaml)).toEqual([]);
  });

  it('weighted average: a tier above 100 is unreachable', () => {
    const yaml = base(two, 'total: { method: weighted_average }', '  - { name: A, min: 101 }\n  - { name: B }').replace('fit: {}', 'fit: { weight: 0.5 }').replace('engagement: {}', 'engagement: { weight: 0.5 }');
    expect(codes(yaml)).toEqual(['unreachable-tier']);
  });

  it('a tier every lead reaches hides the tiers after it', () => {
    const issues = lint(base(two, '', '  - { name: A, min: 15 }\n  - { name: B, min: 0 }\n  - { name: C }'));
    expect(issues.map((i) => i.code)).toEqual(['shadowed-tier']);
    expect(issues[0]!.message).toMatch(/tier "C" is never reached: the total is at least 0, which already reaches tier "B" \(min 0\)/);
    expect(issues[0]!.path).toEqual(['tiers', 2, 'name']);
  });

  it('negative points lower the floor: no shadowing', () => {
    const body = `${two}\n  - { id: c, group: fit, column: z, is: true, points: -5 }`;
    expect(codes(base(body, '', '  - { name: A, min: 15 }\n  - { name: B, min: 0 }\n  - { name: C }'))).toEqual([]);
  });

  it('a group with weight 0', () => {
    expect(codes(base(two).replace('fit: {}', 'fit: { weight: 0 }'))).toEqual(['zero-weight-group']);
  });

  it('criteria that always give 0', () => {
    const body = `${two}
  - { id: c, group: fit, column: z, is: true, points: 0 }
  - { id: d, group: fit, column: n, points_per: 0 }
  - id: e
    group: fit
    column: n
    bands: { ideal: { gte: 5, points: 0 }, avoid: { lt: 5, points: 0 } }
  - { id: f, group: fit, column: z, is: true, points: 5, weight: 0 }`;
    expect(codes(base(body))).toEqual(['zero-points', 'zero-points', 'zero-points', 'zero-points']);
  });

  it('a column name next to a declared one is probably a typo', () => {
    const issues = lint(base(two.replace('column: x', 'column: industy'), 'columns:\n  industry: ["Industry"]\n  y: ["Y"]'));
    expect(issues.map((i) => [i.code, i.path])).toEqual([['column-typo', ['criteria', 0, 'column']]]);
    expect(issues[0]!.message).toBe('"industy" is not a declared column, so it is looked up as a header name; did you mean the declared column "industry"?');
    expect(issues[0]!.at).toMatchObject({ line: 10, col: 34 });
  });

  it('header names far from any declared column, and declared columns no rule reads, are fine', () => {
    expect(codes(base(two, 'columns:\n  x: ["X"]\n  phone: ["Phone"]'))).toEqual([]);
    const yaml = base(two, 'columns:\n  last: ["Last"]').replace('engagement: {}', 'engagement: { decay: { date: last, half_life_days: 30 } }') + 'disqualifiers:\n  - { id: dq, reason: r, column: "Company Email", contains: rival }\n';
    expect(codes(yaml)).toEqual([]);
  });

  it('matrix tiers beyond a group\'s maximum', () => {
    const matrix = 'matrix:\n  rows: { group: fit, tiers: [{ name: A, min: 11 }, { name: B }] }\n  columns: { group: engagement, tiers: [{ name: "1", min: 5 }, { name: "2" }] }\n';
    expect(codes(base(two) + matrix)).toEqual(['unreachable-matrix-tier']);
  });

  it('a tier named like the disqualified tier', () => {
    expect(codes(base(two, '', '  - { name: DQ, min: 10 }\n  - { name: B }'))).toEqual(['dq-tier-name']);
    expect(codes(base(two, 'disqualified_tier: B'))).toEqual(['dq-tier-name']);
  });

  it('finds typos among 5,000 declared columns for 5,000 near-miss names without comparing every pair', () => {
    const n = 5000;
    const names = Array.from({ length: n }, (_, i) => `column_${i.toString(36).padStart(3, '0')}_value`);
    const declared = names.map((c) => `  ${c}: ["${c.toUpperCase()} header"]`).join('\n');
    // Each criterion names a declared column with one letter dropped ("colum_…"), so each is a typo of exactly one.
    const body = names.map((c, i) => `  - { id: c${i}, group: fit, column: ${c.replace('column', 'colum')}, is: true, points: 1 }`).join('\n');
    const issues = lint(base(body, `columns:\n${declared}`));
    expect(issues.length).toBe(n);
    expect(issues.every((x) => x.code === 'column-typo')).toBe(true);
    expect(issues[4321]!.message).toContain(`did you mean the declared column "${names[4321]}"?`);
  });

  it('the index agrees with comparing every pair', () => {
    // The rule as first written: same but for case, or 1 edit in names of 4+ characters, 2 in names of 7+.
    const brute = (name: string, declared: string[]): string | undefined => {
      let best: string | undefined;
      let bestD = Infinity;
      for (const d of declared) {
        if (d === name) return undefined;
        const dist = editDistance(name.toLowerCase(), d.toLowerCase());
        const short = Math.min(name.length, d.length);
        if ((dist === 0 || (dist === 1 && short >= 4) || (dist === 2 && short >= 7)) && dist < bestD) [best, bestD] = [d, dist];
      }
      return best;
    };
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '_', 'é'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 30 }), word, (declared, name) => {
        expect(new NameIndex(declared).near(name)).toBe(brute(name, declared));
      }),
      { numRuns: 3000 },
    );
  });

  it('the templates are lint-free', () => {
    for (const t of ['b2b-saas', 'agency', 'bant']) expect(codes(readFileSync(`rules/${t}.yaml`, 'utf8'))).toEqual([]);
  });
});
