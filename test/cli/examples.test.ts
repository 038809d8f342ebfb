// The bundled example is real: its generator reproduces it byte for byte, and the README's command scores it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { icp, ROOT } from './harness.js';

describe('examples/', () => {
  it('scripts/generate-example.mjs reproduces examples/leads.csv', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'icp-ex-')), 'leads.csv');
    const r = spawnSync(process.execPath, ['scripts/generate-example.mjs', '400', out], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'examples/leads.csv'), 'utf8'));
  });

  it('scripts/generate-example.mjs refuses a row count that is not a whole number, writing nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'icp-ex-')), 'leads.csv');
    for (const bad of ['--help', '0', '2.5']) {
      const r = spawnSync(process.execPath, ['scripts/generate-example.mjs', bad, out], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('rows must be a whole number');
      expect(existsSync(out)).toBe(false);
    }
  });

  it.each(['b2b-saas', 'agency', 'bant'])('rules/%s.yaml scores the example export end to end', (name) => {
    const r = icp(['score', 'examples/leads.csv', '--rules', `rules/${name}.yaml`, '--as-of', '2026-11-01', '--summary', 'json', '-o', join(mkdtempSync(join(tmpdir(), 'icp-ex-')), 'out.csv')]);
    if (name === 'agency') {
      // The agency model reads account-level columns the lead export does not have: a clear exit 2.
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/column "ad_budget" not found in the input/);
      return;
    }
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.rowsRead).toBe(400);
    expect(s.rowsWritten).toBe(400);
  });
});
