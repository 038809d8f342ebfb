// `icp init` run as a user would: templates, rules guessed from an export, and never overwriting a file.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadRules } from '../../src/rules/index.js';
import { ROOT, golden, goldenRun, icp } from '../cli/harness.js';

const EXPORT = 'test/fixtures/init/export.csv';
const errorsOf = (text: string) => loadRules(text, 'icp.yaml').diagnostics.filter((d) => d.severity === 'error');

describe('icp init writes starter expectations beside the rules', () => {
  it('from a template: its own tests; from an export: a few leads per tier; both pass icp test; an existing one is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-tests-'));
    expect(icp(['init', '--template', 'agency'], { cwd: dir }).code).toBe(0);
    const run = icp(['test', '--rules', 'icp.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    const r = icp(['init', '--from', join(ROOT, 'examples/bant.csv'), '-o', 'bant.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/wrote bant\.test\.yaml: \d+ starter expectations/);
    expect(icp(['test', '--rules', 'bant.yaml'], { cwd: dir }).code).toBe(0);
    const again = icp(['init', '--template', 'bant', '-o', 'other.yaml'], { cwd: dir });
    expect(again.code).toBe(0);
    writeFileSync(join(dir, 'mine.test.yaml'), 'version: 1\ntests: []\n');
    const kept = icp(['init', '--template', 'bant', '-o', 'mine.yaml'], { cwd: dir });
    expect(kept.stderr).toContain('kept the existing mine.test.yaml (--force replaces it)');
    expect(readFileSync(join(dir, 'mine.test.yaml'), 'utf8')).toBe('version: 1\ntests: []\n');
  });
});

describe('icp init --template', () => {
  it('writes icp.yaml from the default template, with a modeline whose schema path resolves from the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    const r = icp(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('wrote icp.yaml: template b2b-saas\nwrote icp.test.yaml: 10 starter expectations (run them with icp test --rules icp.yaml)\n  next: edit it, then: icp validate --rules icp.yaml <export.csv>\n');
    const text = readFileSync(join(dir, 'icp.yaml'), 'utf8');
    const [modeline, note, ...rest] = text.split('\n');
    // Outside a project with icp installed and outside the clone: the absolute path, and a note saying so.
    const schemaPath = modeline!.replace('# yaml-language-server: $schema=', '');
    expect(schemaPath).toBe(join(ROOT, 'schema/icp-rules.schema.json'));
    expect(existsSync(schemaPath)).toBe(true);
    expect(note).toMatch(/^# The schema of the icp that wrote this file; with icp installed in the project/);
    const template = readFileSync(join(ROOT, 'rules/b2b-saas.yaml'), 'utf8');
    expect(rest).toEqual(template.split('\n').slice(1));
  });

  it('the modeline of an installed icp: a relative path into node_modules, from where the file is written', () => {
    const project = mkdtempSync(join(tmpdir(), 'icp-proj-'));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules', 'icp'), 'dir');
    mkdirSync(join(project, 'rules'));
    const bin = join(project, 'node_modules', 'icp', 'bin', 'icp.js');
    for (const [out, expected] of [['icp.yaml', './node_modules/icp/schema/icp-rules.schema.json'], ['rules/fit.yaml', '../node_modules/icp/schema/icp-rules.schema.json']] as const) {
      const r = spawnSync(process.execPath, [bin, 'init', '--template', 'bant', '-o', out], { cwd: project, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
      expect(r.status).toBe(0);
      const first = readFileSync(join(project, out), 'utf8').split('\n')[0]!;
      expect(first).toBe(`# yaml-language-server: $schema=${expected}`);
      expect(existsSync(resolve(dirname(join(project, out)), expected))).toBe(true);
    }
  });

  it('the modeline in a clone: relative to the clone\'s schema, from the directory written to', () => {
    const r = icp(['init', '--template', 'agency', '-o', '-'], { cwd: join(ROOT, 'test', 'fixtures') });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/icp-rules.schema.json');
    expect(r.stdout.split('\n')[1]).not.toMatch(/The schema of the icp/);
  });

  it('every template, to standard output', () => {
    for (const t of ['b2b-saas', 'agency', 'bant']) {
      const r = icp(['init', '--template', t, '-o', '-']);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/icp-rules.schema.json');
      expect(errorsOf(r.stdout)).toEqual([]);
    }
  });

  it('never overwrites without --force: exit 2 with a hint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    writeFileSync(join(dir, 'icp.yaml'), 'mine\n');
    const r = icp(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('icp: icp.yaml already exists; not overwriting it\n  hint: use --force to replace it, or -o <another file>\n');
    expect(readFileSync(join(dir, 'icp.yaml'), 'utf8')).toBe('mine\n');
    const f = icp(['init', '--force', '--template', 'bant'], { cwd: dir });
    expect(f.code).toBe(0);
    expect(readFileSync(join(dir, 'icp.yaml'), 'utf8')).toMatch(/name: BANT qualification/);
  });

  it('writes through the output group: never over the export it reads, the rules and tests together or not at all', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    const leads = join(dir, 'leads.csv');
    writeFileSync(leads, readFileSync(join(ROOT, EXPORT)));
    const over = icp(['init', '--from', 'leads.csv', '-o', 'leads.csv', '--force'], { cwd: dir });
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/^icp: .*leads\.csv/);
    expect(readFileSync(leads)).toEqual(readFileSync(join(ROOT, EXPORT)));
    // The tests file cannot be written (a directory stands there): the rules are not written either, and no
    // temporary file is left beside them.
    mkdirSync(join(dir, 'icp.test.yaml'));
    const half = icp(['init', '--force'], { cwd: dir });
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/icp\.test\.yaml/);
    expect(existsSync(join(dir, 'icp.yaml'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['icp.test.yaml', 'leads.csv']);
  });

  it('--decimal is read as every command reads it', () => {
    const init = icp(['init', '--from', EXPORT, '--decimal', 'kommma', '-o', '-']);
    const score = icp(['score', EXPORT, '--rules', 'rules/bant.yaml', '--decimal', 'kommma']);
    expect(init.code).toBe(2);
    expect(init.stderr).toBe(score.stderr);
    expect(init.stderr).toMatch(/--decimal/);
  });

  it('an unknown template: exit 2 with the closest name', () => {
    const r = icp(['init', '--template', 'bnat', '-o', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no template "bnat"\n  hint: did you mean "bant"\? templates: agency, b2b-saas, bant/);
  });

  it('--template and --from together: exit 2', () => {
    expect(icp(['init', '--template', 'bant', '--from', EXPORT, '-o', '-']).code).toBe(2);
  });
});

describe('icp init --from', () => {
  it('guesses columns, aliases and criteria from the export (golden), and the file compiles', () => {
    const r = icp(['init', '--from', EXPORT, '-o', '-']);
    goldenRun('init/from-export', r);
    expect(r.code).toBe(0);
    expect(errorsOf(r.stdout)).toEqual([]);
  });

  it('the guessed file validates cleanly against its export and scores it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    const out = join(dir, 'icp.yaml');
    const r = icp(['init', '--from', EXPORT, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^wrote .*icp\.yaml: \d+ criteria on \d+ of 16 columns of test\/fixtures\/init\/export\.csv \(12 rows read\)/);
    const v = icp(['validate', '--rules', out, EXPORT, '--strict', '--as-of', '2026-11-01']);
    expect(v.stdout).toMatch(/valid\n$/);
    expect(v.code).toBe(0);
    expect(icp(['score', EXPORT, '--rules', out, '--as-of', '2026-11-01', '-q']).code).toBe(0);
  });

  it('on the example export too, and from standard input', () => {
    const r = icp(['init', '--from', 'examples/leads.csv', '-o', '-']);
    expect(r.code).toBe(0);
    expect(errorsOf(r.stdout)).toEqual([]);
    golden('init/from-example.yaml', r.stdout);
    const s = icp(['init', '--from', '-', '-o', '-'], { input: readFileSync(join(ROOT, 'examples/leads.csv')) });
    expect(s.code).toBe(0);
    expect(errorsOf(s.stdout)).toEqual([]);
    // The same guesses; the file says it was read from standard input, and where to point the commands.
    expect(s.stdout).toContain('# Starter icp rules guessed from the header and the first 400 rows of <stdin>.');
    expect(s.stdout).toContain('#   icp validate --rules <this file> <export.csv>');
    expect(s.stdout.replace(/<stdin>|<export\.csv>/g, 'examples/leads.csv').replace('name: ICP\n', 'name: ICP for leads.csv\n')).toBe(r.stdout);
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    writeFileSync(join(dir, 'icp.yaml'), r.stdout);
    expect(icp(['validate', '--rules', join(dir, 'icp.yaml'), 'examples/leads.csv', '--as-of', '2026-11-01']).code).toBe(0);
  });

  it('issue 14\'s smallest case: a header that needs quoting (exit 1 before), then validates against its export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    const f = join(dir, 'p.csv');
    writeFileSync(f, 'series,sales_price\nGTX,550\nMG,4821\n');
    const r = icp(['init', '--from', f, '-o', join(dir, 'icp.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('lead id: "series"');
    const v = icp(['validate', '--rules', join(dir, 'icp.yaml'), f, '--strict']);
    expect(v.code).toBe(0);
    const text = readFileSync(join(dir, 'icp.yaml'), 'utf8');
    // Nothing recognised: the one criterion says it only shows the form.
    expect(text).toContain('# No column was recognised as a sign of fit or interest, so this criterion only shows the form');
  });

  it('a European export: --decimal comma is written into the rules, and day-first dates get their order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    const f = join(dir, 'eu.csv');
    const rows = Array.from({ length: 20 }, (_, i) => `K-${i};${i + 1}.250.000,50;${String(10 + i).padStart(2, '0')}.10.2026`);
    writeFileSync(f, `Kunden-ID;Annual Revenue;Last Activity Date\n${rows.join('\n')}\n`);
    const r = icp(['init', '--from', f, '--decimal', 'comma', '-o', '-']);
    expect(r.code).toBe(0);
    const rules = loadRules(r.stdout, 'icp.yaml').rules!;
    expect(rules.decimal).toBe('comma');
    expect(rules.id).toBe('kunden_id');
    expect(rules.columns!.last_activity_date).toEqual({ aliases: ['Last Activity Date'], date_order: 'DMY' });
    const revenue = rules.criteria.find((c) => c.column === 'annual_revenue')!;
    // Read as 1,250,000.5 … 20,250,000.5: median 10,750,000.5 and lower quartile 6,000,000.5, two digits kept.
    expect(revenue.bands).toEqual({ ideal: { gte: 11000000, points: 10 }, acceptable: { between: [6000000, 11000000], points: 5 }, avoid: { lt: 6000000, points: -5 } });
    const dir2 = join(dir, 'icp.yaml');
    writeFileSync(dir2, r.stdout);
    expect(icp(['validate', '--rules', dir2, f, '--strict', '--as-of', '2026-11-01']).code).toBe(0);
  });

  it('an export without recognisable columns still gives a file that compiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-init-'));
    const f = join(dir, 'odd.csv');
    writeFileSync(f, 'alpha,beta,gamma\nx1,foo,bar\nx2,baz,\n');
    const r = icp(['init', '--from', f, '-o', '-']);
    expect(r.code).toBe(0);
    expect(errorsOf(r.stdout)).toEqual([]);
  });
});
