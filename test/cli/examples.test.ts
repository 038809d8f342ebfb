// Every template in rules/ has an example export in examples/ that its generator reproduces byte for byte and
// that the template scores end to end: no column missing, nothing rejected, every tier reached. The example
// leads carry an outcome (Converted) that the b2b-saas model's score clearly ranks.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { loadRules } from '../../src/rules/index.js';
import { icp, ROOT } from './harness.js';

const TEMPLATES = readdirSync(join(ROOT, 'rules')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).map((f) => f.slice(0, -5)).sort();
/** The example of each template: examples/<template>.csv, except b2b-saas's, the README's examples/leads.csv. */
const exampleOf = (t: string): string => (t === 'b2b-saas' ? 'leads' : t);
const tmp = (): string => mkdtempSync(join(tmpdir(), 'icp-ex-'));

interface Generator {
  file: string;
  defaultRows: number;
  generate(rows: number): string;
}
const generator = async (name: string): Promise<Generator> => (await import(pathToFileURL(join(ROOT, 'scripts/examples', `${name}.mjs`)).href)) as Generator;

describe('examples/', () => {
  it('every template has an example', () => {
    expect(TEMPLATES).toEqual(['agency', 'b2b-saas', 'bant']);
    for (const t of TEMPLATES) expect(existsSync(join(ROOT, 'examples', `${exampleOf(t)}.csv`))).toBe(true);
  });

  it.each(TEMPLATES.map(exampleOf))('scripts/examples/%s.mjs reproduces its example byte for byte', async (name) => {
    const g = await generator(name);
    expect(g.file).toBe(`examples/${name}.csv`);
    expect(g.generate(g.defaultRows)).toBe(readFileSync(join(ROOT, g.file), 'utf8'));
  });

  it('scripts/generate-example.mjs writes one example where asked, and refuses bad arguments, writing nothing', () => {
    const out = join(tmp(), 'bant.csv');
    const ok = spawnSync(process.execPath, ['scripts/generate-example.mjs', 'bant', '200', out], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'examples/bant.csv'), 'utf8'));
    const bad = join(tmp(), 'x.csv');
    for (const [args, message] of [[['leads', '0', bad], 'rows must be a whole number'], [['leads', '2.5', bad], 'rows must be a whole number'], [['--help'], 'no example "--help"'], [['all', '10', bad], 'rows and out are for one example']] as const) {
      const r = spawnSync(process.execPath, ['scripts/generate-example.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(message);
      expect(existsSync(bad)).toBe(false);
    }
  });

  it.each(TEMPLATES)('rules/%s.yaml scores its example: no column missing, nothing rejected, every tier reached', (t) => {
    const example = `examples/${exampleOf(t)}.csv`;
    const r = icp(['score', example, '--rules', `rules/${t}.yaml`, '--as-of', '2026-11-01', '--summary', 'json', '-o', join(tmp(), 'out.csv')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { rowsRead: number; rowsWritten: number; rowsRejected: number; tiers: { name: string; count: number }[] };
    expect(s.rowsRead).toBeGreaterThanOrEqual(100);
    expect(s.rowsWritten).toBe(s.rowsRead);
    expect(s.rowsRejected).toBe(0);
    const rules = loadRules(readFileSync(join(ROOT, 'rules', `${t}.yaml`), 'utf8'), `${t}.yaml`).rules!;
    const tiers = [...(rules.tiers ?? []).map((x) => x.name), ...(rules.disqualifiers?.length ? [rules.disqualified_tier ?? 'DQ'] : [])];
    expect(s.tiers.filter((x) => x.count > 0).map((x) => x.name)).toEqual(tiers);

    // Every column the rules read is in the export and has values there.
    const v = icp(['validate', '--rules', `rules/${t}.yaml`, example, '--format', 'json', '--as-of', '2026-11-01']);
    expect(v.code).toBe(0);
    const report = JSON.parse(v.stdout) as { errors: number; diagnostics: { code: string }[]; input: { columns: { column: string; usable: number }[] } };
    expect(report.errors).toBe(0);
    expect(report.diagnostics.map((d) => d.code)).not.toContain('missing-column');
    for (const c of report.input.columns) expect([c.column, c.usable > 0]).toEqual([c.column, true]);
  });

  it('examples/leads.csv: Converted is known for leads older than 21 days, and the b2b-saas score ranks it well above chance', () => {
    const out = join(tmp(), 'scored.csv');
    expect(icp(['score', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01', '-q', '-o', out]).code).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const asOf = Date.parse('2026-11-01');
    for (const r of rows) {
      const recent = asOf - Date.parse(r['Create Date']!) < 21 * 86_400_000;
      expect([r['Record ID'], r.Converted === '']).toEqual([r['Record ID'], recent]);
    }
    const known = rows.filter((r) => r.Converted !== '');
    expect(new Set(known.map((r) => r.Converted))).toEqual(new Set(['0', '1']));
    const rate = (xs: Record<string, string>[]): number => xs.filter((r) => r.Converted === '1').length / xs.length;
    expect(rate(known)).toBeGreaterThan(0.25);
    expect(rate(known)).toBeLessThan(0.5);
    // The documented relationship holds in the data: a demo request raises the odds.
    const demo = known.filter((r) => r['Demo Requested'] === 'Yes' || r['Demo Requested'] === 'x');
    expect(rate(demo) - rate(known.filter((r) => !demo.includes(r)))).toBeGreaterThan(0.1);
    // ROC AUC of the score (Mann-Whitney, ties count half): the model separates converters from the rest.
    const pos = known.filter((r) => r.Converted === '1').map((r) => Number(r.icp_score));
    const neg = known.filter((r) => r.Converted === '0').map((r) => Number(r.icp_score));
    let wins = 0;
    for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
    expect(wins / (pos.length * neg.length)).toBeGreaterThan(0.65);
  });
});
