// icp score --engine duckdb: byte-identical output, summary and rejects to the default engine.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDuckDB } from '../../src/sql/duckdb-run.js';
import { icp } from '../cli/harness.js';
import { asOfColumnLeads, parityLeads } from './fixtures.js';
import { writeFixture } from './parity-harness.js';

/** Run icp score twice (default engine, then DuckDB) with the same arguments; outputs to files in `dir`. */
function both(dir: string, args: string[]): { js: Record<string, string>; duck: Record<string, string> } {
  const run = (engine: string[]) => {
    const tag = engine.length ? 'duck' : 'js';
    const out = join(dir, `${tag}.csv`);
    const rejects = join(dir, `${tag}.rejects.csv`);
    const r = icp(['score', ...args, '-o', out, '--rejects', rejects, '--summary', 'json', ...engine]);
    return { code: String(r.code), stdout: r.stdout, stderr: r.stderr, out: readFileSync(out, 'utf8'), rejects: readFileSync(rejects, 'utf8') };
  };
  return { js: run([]), duck: run(['--engine', 'duckdb']) };
}

describe('icp score --engine duckdb', () => {
  it.each(['b2b-saas', 'bant', 'agency-example'])('writes what the default engine writes: %s', (name) => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-engine-'));
    const args =
      name === 'agency-example'
        ? ['examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01', '--excel-safe', '--date-order', 'MDY']
        : ['examples/leads.csv', '--rules', `rules/${name}.yaml`, '--as-of', '2026-11-01'];
    const { js, duck } = both(dir, args);
    expect(js.code).toBe('0');
    expect(duck).toEqual(js);
  });

  it('keeps rejects, line numbers and the nothing-lost count on a hostile export (semicolons, CRLF, ragged rows)', () => {
    const f = parityLeads(600, 3);
    const lines = f.csv.trimEnd().split('\n');
    // Ragged rows, a quoted newline and CRLF line ends, the delimiter a semicolon.
    const hostile = lines.map((l, i) => (i > 0 && i % 97 === 0 ? `${l},extra` : i > 0 && i % 89 === 0 ? l.split(',').slice(0, 3).join(',') : l));
    hostile.splice(50, 0, `L-x,"two\nlines",10,,,,,,,,,,,,,`);
    const text = hostile.map((l) => l.replace(/,/g, ';')).join('\r\n') + '\r\n';
    const paths = writeFixture({ ...f, csv: text });
    const { js, duck } = both(paths.dir, [paths.csv, '--rules', paths.rules, '--as-of', f.asOf]);
    expect(js.code).toBe('0');
    expect(JSON.parse(js.stdout).rowsRejected).toBeGreaterThan(5);
    expect(duck).toEqual(js);
  });

  it('scores 3,000 generated leads byte-identically, summary included', () => {
    const f = parityLeads(3000, 11);
    const paths = writeFixture(f);
    const { js, duck } = both(paths.dir, [paths.csv, '--rules', paths.rules, '--as-of', f.asOf]);
    expect(duck).toEqual(js);
  });

  it('warns of a last record without a line break as the default engine does (the run session reads for both)', () => {
    const f = parityLeads(300, 5);
    const paths = writeFixture({ ...f, csv: f.csv.replace(/\r?\n$/, '') });
    const { js, duck } = both(paths.dir, [paths.csv, '--rules', paths.rules, '--as-of', f.asOf]);
    expect(JSON.parse(js.stdout).warnings.join('\n')).toMatch(/does not end with a line break/);
    expect(duck).toEqual(js);
  });

  it.each([
    ['a rules column (DMY)', 'created'],
    ['a header the rules do not use', 'Signup'],
  ])('--as-of-column on %s: the same output and summary, rows without an as-of date counted', (_what, column) => {
    const f = asOfColumnLeads(1500, 5, column);
    const paths = writeFixture(f);
    const { js, duck } = both(paths.dir, [paths.csv, '--rules', paths.rules, '--as-of-column', column]);
    expect(js.code, js.stderr).toBe('0');
    expect(JSON.parse(js.stdout).asOfColumn.rowsWithout).toBeGreaterThan(100);
    expect(duck).toEqual(js);
  });

  it('refuses --format jsonl (exit 2) and names the way out', () => {
    const r = icp(['score', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--engine', 'duckdb', '--format', 'jsonl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--engine duckdb writes CSV only');
  });

  it('says how to install DuckDB when the package cannot be loaded', async () => {
    await expect(loadDuckDB('@duckdb/no-such-package')).rejects.toThrow(/needs the package @duckdb\/no-such-package/);
    await expect(loadDuckDB('@duckdb/no-such-package')).rejects.toMatchObject({ hint: 'install it next to icp: npm install @duckdb/no-such-package' });
  });
});

