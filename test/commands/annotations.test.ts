// --annotations github on validate and score: diagnostics and failed gates as workflow commands on stderr.
import { describe, expect, it } from 'vitest';
import { icp } from '../cli/harness.js';

describe('--annotations github', () => {
  it('validate: every error and warning at its file:line:col, stdout unchanged', () => {
    const plain = icp(['validate', '--rules', 'test/fixtures/validate/bad.yaml']);
    const r = icp(['validate', '--rules', 'test/fixtures/validate/bad.yaml', '--annotations', 'github']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(plain.stdout);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(lines.length).toBeGreaterThan(2);
    expect(lines).toContain('::error file=test/fixtures/validate/bad.yaml,line=12,col=5,title=icp unknown-key::unknown key "pionts" in criteria[0] (did you mean "points"?)');
  });

  it('score --min-coverage: one annotation per thin column, at its declaration in the rules file', () => {
    const r = icp(['score', 'test/fixtures/explain/leads.csv', '--rules', 'test/fixtures/explain/rules.yaml', '--as-of', '2026-11-01', '--min-coverage', '0.9', '--annotations', 'github', '-q']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^::error file=test\/fixtures\/explain\/rules\.yaml,line=\d+,col=\d+,title=icp score --min-coverage::column \w+ is usable in [\d.]+%25 of the rows of test\/fixtures\/explain\/leads\.csv, below --min-coverage 0\.9$/);
    expect(lines.some((l) => l.includes('column budget '))).toBe(true);
  });

  it('score without a failed gate writes no annotation', () => {
    const r = icp(['score', 'test/fixtures/explain/leads.csv', '--rules', 'test/fixtures/explain/rules.yaml', '--as-of', '2026-11-01', '--annotations', 'github', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('::');
  });
});
