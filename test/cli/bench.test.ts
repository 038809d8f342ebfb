// The benchmark measures what it claims: its rules file compiles without a warning, uses every operator, derived
// value and criterion form, and scores a sample of its generated data with every group, tier and disqualifier hit.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { OPERATOR_KEYS } from '../../src/ops/operators.js';
import { icp, ROOT } from './harness.js';

/** Every mapping key anywhere in a parsed YAML value. */
function keys(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) keys(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      keys(x, out);
    }
  }
  return out;
}

describe('npm run bench', () => {
  const rulesPath = join(ROOT, 'bench', 'rules.yaml');

  it('bench/rules.yaml uses every operator, derived value and criterion form', () => {
    const used = keys(parse(readFileSync(rulesPath, 'utf8')));
    const wanted = [
      ...OPERATOR_KEYS,
      ...['ratio', 'difference', 'days_between', 'days_since', 'count'],
      ...['all', 'any', 'not', 'bands', 'ideal', 'acceptable', 'avoid', 'points_per', 'decay', 'half_life_days'],
      ...['cap', 'floor', 'weight', 'unknown', 'synonyms', 'separator', 'disqualifiers', 'tiers', 'matrix'],
    ];
    expect(wanted.filter((k) => !used.has(k))).toEqual([]);
  });

  it('bench/rules.yaml validates with no warnings', () => {
    const r = icp(['validate', '--rules', rulesPath]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/warning/);
  });

  it('scores 3,000 generated leads with nothing rejected and every tier and disqualifier reached', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-bench-'));
    const csv = join(dir, 'leads.csv');
    const gen = spawnSync(process.execPath, ['scripts/bench-data.mjs', '3000', csv], { cwd: ROOT, encoding: 'utf8' });
    expect(gen.status).toBe(0);
    const r = icp(['score', csv, '--rules', rulesPath, '--as-of', '2026-11-01', '--summary', 'json', '--strict', '-o', join(dir, 'out.csv')]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.rowsWritten).toBe(3000);
    expect(s.rowsRejected).toBe(0);
    for (const t of s.tiers) expect(t.count, `tier ${t.name}`).toBeGreaterThan(0);
    for (const d of s.disqualified) expect(d.count, `disqualifier ${d.id}`).toBeGreaterThan(0);
    for (const c of s.coverage) expect(c.share, `column ${c.column}`).toBeGreaterThan(0.3);
    // Generated twice, the data is the same bytes (fixed seed).
    const again = join(dir, 'again.csv');
    spawnSync(process.execPath, ['scripts/bench-data.mjs', '3000', again], { cwd: ROOT });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(csv, 'utf8'));
  });
});
