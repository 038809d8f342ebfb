// `id: { line_number: true }`: an export without a unique id column; score, explain and validate use the line.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/rules/index.js';
import { icp } from './harness.js';

const RULES = `version: 1
id: { line_number: true }
groups: { fit: { weight: 1 } }
criteria:
  - { id: big, group: fit, column: size, gte: 100, points: 10 }
tiers: [{ name: A, min: 10 }, { name: B }]
`;
// The same name on two rows (no unique column), and a quoted line break: line numbers are physical.
const CSV = 'name,size\nAcme,500\nAcme,20\n"Two\nlines",300\nZed,1\n';

function files(): { rules: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), 'icp-lineid-'));
  const rules = join(dir, 'icp.yaml');
  const csv = join(dir, 'leads.csv');
  writeFileSync(rules, RULES);
  writeFileSync(csv, CSV);
  return { rules, csv };
}

describe('id: { line_number: true }', () => {
  it('compiles to a model without an id column', () => {
    const r = loadRules(RULES, 'icp.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.idColumn).toBeNull();
  });

  it('rejects anything but line_number: true, at the key', () => {
    const r = loadRules(RULES.replace('{ line_number: true }', '{ line_number: false }'), 'icp.yaml');
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line)).toEqual([2]);
    const num = loadRules(RULES.replace('{ line_number: true }', '5'), 'icp.yaml').diagnostics;
    expect(num.map((d) => [d.code, d.line, d.hint])).toEqual([['invalid-type', 2, 'name the id column, or write id: { line_number: true } when the export has none']]);
    const missing = loadRules(RULES.replace('id: { line_number: true }\n', ''), 'icp.yaml').diagnostics;
    expect(missing.map((d) => d.code)).toEqual(['missing-key']);
    const typo = loadRules(RULES.replace('line_number', 'line_numbr'), 'icp.yaml');
    expect(typo.diagnostics.some((d) => d.severity === 'error' && d.line === 2)).toBe(true);
  });

  it('score --format jsonl gives each lead its physical line as id', () => {
    const f = files();
    const r = icp(['score', f.csv, '--rules', f.rules, '--format', 'jsonl', '-q', '--as-of', '2026-11-01']);
    expect(r.code).toBe(0);
    const leads = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; line: number; score: number });
    expect(leads.map((l) => [l.id, l.line, l.score])).toEqual([['2', 2, 10], ['3', 3, 0], ['4', 4, 10], ['6', 6, 0]]);
  });

  it('explain finds a lead by its line, and says how ids are read when one is not found', () => {
    const f = files();
    const r = icp(['explain', '4', f.csv, '--rules', f.rules, '--format', 'json', '--as-of', '2026-11-01']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: '4', line: 4, score: 10 });
    const miss = icp(['explain', '5', f.csv, '--rules', f.rules, '--as-of', '2026-11-01']);
    expect(miss.code).toBe(2);
    expect(miss.stderr).toContain('searched by line number (the rules say id: { line_number: true })');
  });

  it('validate does not report repeated ids (a line number is unique), and scores nothing as missing', () => {
    const f = files();
    const r = icp(['validate', '--rules', f.rules, f.csv, '--strict', '--format', 'json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as { warnings: number; diagnostics: { code: string }[] };
    expect(v.diagnostics.map((d) => d.code)).toEqual([]);
  });
});
