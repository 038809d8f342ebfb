// Every hostile or foreign export in test/fixtures/dialects, scored end to end: golden scored output,
// reject report, summary and exit code; and the books always balance (read = written + rejected).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, golden, icp } from './harness.js';

const DIR = join(FIXTURES, 'dialects');
const RULES = 'test/fixtures/score-dialects/rules.yaml';
const files = readdirSync(DIR).filter((f) => /\.(csv|tsv)$/.test(f)).sort();

describe('icp score on every dialect fixture', () => {
  it.each(files)('%s', (file) => {
    const rejects = join(mkdtempSync(join(tmpdir(), 'icp-')), 'rejects.csv');
    const r = icp(['score', `test/fixtures/dialects/${file}`, '--rules', RULES, '--as-of', '2026-11-01', '--summary', 'json', '--rejects', rejects]);
    golden(`dialects/${file}.out`, r.stdout);
    golden(`dialects/${file}.err`, r.stderr);
    golden(`dialects/${file}.code`, `${r.code}\n`);
    golden(`dialects/${file}.rejects`, existsSync(rejects) ? readFileSync(rejects, 'utf8') : '(no reject report)\n');
    if (r.code === 0) {
      const s = JSON.parse(r.stderr);
      expect(s.rowsRead).toBe(s.rowsWritten + s.rowsRejected);
      expect(r.stdout.split('\n').filter(Boolean).length - 1).toBeGreaterThanOrEqual(s.rowsWritten);
    } else {
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('windows-1252 reads with --encoding, and the output is UTF-8', () => {
    const r = icp(['score', 'test/fixtures/dialects/windows-1252.csv', '--rules', RULES, '--as-of', '2026-11-01', '-q', '--encoding', 'windows-1252']);
    expect(r.code).toBe(0);
    golden('dialects/windows-1252.csv.as-cp1252.out', r.stdout);
  });
});
