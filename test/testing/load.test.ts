// The tests file: every error at once at file:line:col, and names checked against the rules.
import { describe, expect, it } from 'vitest';
import { checkAgainstModel, parseTests } from '../../src/testing/load.js';
import { compile, rulesWith } from '../helpers.js';

const model = compile(rulesWith('  - { id: industry, group: fit, column: industry, in: [software], points: 15 }'));
const where = (ds: { line?: number; col?: number; code: string; message: string; hint?: string }[]) => ds.map((d) => `${d.line}:${d.col} ${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`);

describe('parseTests', () => {
  it('accepts a valid file', () => {
    const r = parseTests('version: 1\nfixture: l.csv\ntests:\n  - { name: a, id: L1, expect: { tier: A } }\n  - { name: b, lead: { industry: x }, expect: { score: { min: 1 } } }\n', 't.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.tests?.tests).toHaveLength(2);
  });

  it('reports every error of every test at once, with positions and hints', () => {
    const text = ['version: 1', 'tests:', '  - name: typo', '    id: L1', '    expcet: { tier: A }', '  - name: no lead', '    expect: { tier: A }', '  - name: nothing expected', '    lead: { a: 1 }', '    expect: {}', ''].join('\n');
    expect(where(parseTests(text, 't.yaml').diagnostics)).toEqual([
      '3:5 missing-key: tests[0] is missing the required key "expect" (add "expect: …")',
      '5:5 unknown-key: unknown key "expcet" in tests[0] (did you mean "expect"?)',
      '6:5 test-lead: test "no lead" must name a lead: give either id (a lead of the fixture) or lead (column values), not neither (e.g. id: L-10042, or lead: { industry: Fintech, employees: 250 })',
      '10:13 empty-expectation: test "nothing expected" expects nothing (add tier, score, matrix, disqualified, reasons or criteria)',
    ]);
  });

  it('an id needs a fixture', () => {
    const r = parseTests('version: 1\ntests:\n  - { name: a, id: L1, expect: { tier: A } }\n', 't.yaml');
    expect(where(r.diagnostics)).toEqual(['3:20 no-fixture: a test names a lead by id, but the file gives no fixture to find it in (add fixture: leads.csv (relative to this file), or write the lead inline with lead: { … })']);
  });

  it('YAML errors and an empty file are positioned errors', () => {
    expect(where(parseTests('', 't.yaml').diagnostics)[0]).toMatch(/^1:1 empty-tests/);
    expect(where(parseTests('version: 1\ntests: [\n', 't.yaml').diagnostics)[0]).toMatch(/^\d+:\d+ yaml-/);
  });

  it('names checked against the model: tiers, matrix, criteria, reasons', () => {
    const text = 'version: 1\ntests:\n  - { name: a, lead: { x: 1 }, expect: { tier: [A, Z], matrix: A1, criteria: { industri: matched }, disqualified: { reason: Nope } } }\n';
    const r = parseTests(text, 't.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(where(checkAgainstModel(r.cases!, model, r.source)).map((s) => s.replace(/^\d+:\d+ /, ''))).toEqual([
      'unknown-name: tier "Z" is not in the rules (the rules have: A, B, C, DQ)',
      'no-matrix: the rules define no matrix (remove matrix from this expectation)',
      'unknown-name: disqualifier reason "Nope" is not in the rules (the rules have: (none))',
      'unknown-name: criterion "industri" is not in the rules (did you mean "industry"?)',
    ]);
  });
});
