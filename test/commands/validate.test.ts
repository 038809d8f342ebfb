// `icp validate` run as a user would: rules errors and lints, and an export's columns, coverage and values.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goldenRun, run } from '../cli/harness.js';

const DIR = 'test/fixtures/validate';

describe('icp validate: the rules file', () => {
  it('a clean rules file: exit 0', async () => {
    const r = await run(['validate', '--rules', 'test/fixtures/explain/rules.yaml']);
    expect(r).toMatchObject({ code: 0, stdout: 'reachable scores: total -12 to 75 · fit -10 to 40 · engagement 0 to 25 · bant -4 to 20 (× 0.5)\n✓ test/fixtures/explain/rules.yaml: valid\n', stderr: '' });
  });

  it('every template in rules/ is valid and lint-free', async () => {
    for (const t of ['b2b-saas', 'agency', 'bant']) {
      const r = await run(['validate', '--rules', `rules/${t}.yaml`, '--strict']);
      expect(r.stdout).toMatch(new RegExp(`^reachable scores: total [-\\d.]+ to [-\\d.]+( · \\S+ [-\\d.]+ to [-\\d.]+( \\(× [\\d.]+\\))?)+\\n✓ rules/${t}\\.yaml: valid\\n$`));
      expect(r.code).toBe(0);
    }
  });

  it('reports every error at once, each at file:line:col with a hint: exit 2', async () => {
    const r = await run(['validate', '--rules', `${DIR}/bad.yaml`]);
    goldenRun('validate/errors', r);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${DIR}/bad.yaml:1:1: error: the rules file is missing the required key "id"`);
    expect(r.stdout).toContain(`${DIR}/bad.yaml:12:5: error: unknown key "pionts" in criteria[0]\n  12 |     pionts: 15\n     |     ^\n  hint: did you mean "points"?`);
    expect(r.stdout).toContain(`${DIR}/bad.yaml:18:5: error: unknown key "wieght" in criteria[1]\n  18 |     wieght: 2\n     |     ^\n  hint: did you mean "weight"?`);
    // The criteria without schema errors are checked all the same: their semantic errors come in the same run.
    expect(r.stdout).toContain(`${DIR}/bad.yaml:20:12: error: criterion "title" names group "fitt", which is not defined`);
    expect(r.stdout).toContain(`${DIR}/bad.yaml:27:14: error: regular expressions run in linear time (RE2 syntax), which has no lookbehind`);
    expect(r.stdout).toContain(`${DIR}/bad.yaml:29:1: error: unknown key "tier"\n  29 | tier:\n     | ^\n  hint: did you mean "tiers"?`);
    expect(r.stdout).toMatch(/✗ .*bad\.yaml: 6 errors, 0 warnings\n$/);
  });

  it('lints: normalised weights, unreachable and shadowed tiers, unused columns and groups, bands, caps', async () => {
    const r = await run(['validate', '--rules', `${DIR}/lint.yaml`]);
    goldenRun('validate/lint', r);
    expect(r.code).toBe(0);
    for (const text of ['weights add up to 3', 'is not a declared column', 'the most a lead can score is 100', 'is never reached', 'gives 0 points', 'has no criteria', 'fall in no band', 'more than its group\'s cap']) expect(r.stdout).toContain(text);
  });

  it('--strict: warnings exit 1', async () => {
    expect((await run(['validate', '--rules', `${DIR}/lint.yaml`, '--strict'])).code).toBe(1);
  });

  it('json report', async () => {
    const r = await run(['validate', '--rules', `${DIR}/lint.yaml`, '--format', 'json']);
    goldenRun('validate/lint-json', r);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ valid: true, errors: 0, input: null });
    expect(j.warnings).toBe(j.diagnostics.length);
    expect(j.diagnostics.map((d: { code: string }) => d.code)).toEqual(
      expect.arrayContaining(['weights-normalised', 'unused-group', 'column-typo', 'zero-points', 'unreachable-tier', 'shadowed-tier', 'band-gap', 'exceeds-group-cap']),
    );
    for (const d of j.diagnostics) expect(d).toMatchObject({ file: `${DIR}/lint.yaml`, line: expect.any(Number), col: expect.any(Number) });
  });
});

describe('icp validate: with an export', () => {
  it('missing columns with the nearest header, coverage and unparseable values in a sample', async () => {
    const r = await run(['validate', '--rules', `${DIR}/rules.yaml`, `${DIR}/leads.csv`, '--as-of', '2026-11-01']);
    goldenRun('validate/input', r);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/column "industry" not found in the input/);
    expect(r.stdout).toMatch(/did you mean "Industri"\?/);
    expect(r.stdout).toContain('leads.csv:3: warning: employees: 2 values not numbers, e.g. "50-100" on line 3');
  });

  it('json: each column\'s coverage and problems', async () => {
    const r = await run(['validate', '--rules', `${DIR}/rules.yaml`, `${DIR}/leads.csv`, '--as-of', '2026-11-01', '--format', 'json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    const employees = j.input.columns.find((c: { column: string }) => c.column === 'employees');
    expect(employees).toEqual({
      column: 'employees',
      header: 'Employees',
      kinds: ['number'],
      present: 5,
      usable: 3,
      coverage: 0.6,
      problems: [{ kind: 'number', count: 2, example: { value: '50-100', line: 3 } }],
    });
    expect(j.input).toMatchObject({ rows: 5, records: 5, rejected: 0, sample_limit: 1000 });
    expect(j.diagnostics.map((d: { code: string }) => d.code)).toEqual(expect.arrayContaining(['missing-column', 'unparseable-values', 'duplicate-id', 'empty-id']));
  });

  it('--sample limits the rows read', async () => {
    const j = JSON.parse((await run(['validate', '--rules', `${DIR}/rules.yaml`, `${DIR}/leads.csv`, '--sample', '2', '--format', 'json'])).stdout);
    expect(j.input).toMatchObject({ rows: 2, sample_limit: 2 });
  });

  it('a clean export: exit 0, and - reads standard input', async () => {
    const r = await run(['validate', '--rules', `${DIR}/rules.yaml`, `${DIR}/clean.csv`]);
    goldenRun('validate/clean-input', r);
    expect(r.code).toBe(0);
    const s = await run(['validate', '--rules', `${DIR}/rules.yaml`, '-'], { input: readFileSync(`${DIR}/clean.csv`) });
    expect(s.stdout).toBe(r.stdout.replaceAll(`${DIR}/clean.csv`, '<stdin>'));
  });

  it('unreadable rows, and dates that mix month-first and day-first forms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-validate-'));
    const f = join(dir, 'mixed.csv');
    writeFileSync(f, 'Lead ID,Employees,Industry,Webinar,Last Activity,Annual Revenue\n1,10,SaaS,yes,10/20/2026,1\n2,10,SaaS,yes,20/10/2026,1\n3,10,SaaS\n');
    const r = await run(['validate', '--rules', `${DIR}/rules.yaml`, f, '--format', 'json', '--as-of', '2026-11-01']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.input).toMatchObject({ rows: 3, records: 2, rejected: 1 });
    const byCode = Object.fromEntries(j.diagnostics.map((d: { code: string }) => [d.code, d]));
    expect(byCode['mixed-date-order']).toMatchObject({ severity: 'error', message: expect.stringMatching(/column "last_activity" mixes month-first and day-first dates/) });
    expect(byCode['rejected-rows']).toMatchObject({ severity: 'warning', line: 4, message: expect.stringMatching(/^1 row of 3 cannot be read, e\.g\. line 4: /) });
  });

  it('the input is not checked while the rules have errors', async () => {
    const r = await run(['validate', '--rules', `${DIR}/bad.yaml`, `${DIR}/clean.csv`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('input not checked: fix the errors in the rules file first');
  });

  it('examples/leads.csv fits rules/b2b-saas.yaml', async () => {
    const r = await run(['validate', '--rules', 'rules/b2b-saas.yaml', 'examples/leads.csv', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.errors).toBe(0);
    expect(j.input.records).toBe(400);
  });

  it('user errors exit 2 without a stack trace', async () => {
    for (const [args, message] of [
      [['validate', '--rules', 'nope.yaml'], /cannot read rules file nope\.yaml: no such file/],
      [['validate', '--rules', `${DIR}/rules.yaml`, 'nope.csv'], /cannot read input nope\.csv/],
      [['validate', '--rules', `${DIR}/rules.yaml`, `${DIR}/clean.csv`, '--sample', 'lots'], /--sample: "lots" is not a number of rows/],
      [['validate'], /required option '-r, --rules <file>' not specified/],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('icp validate: hostile rules files are rules errors, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-hostile-'));
  const cases: [string, string, RegExp][] = [
    ['an alias bomb', 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n', /bomb\.yaml:2:8: error: the aliases in this file expand to more than 100 copies/],
    ['points × weight beyond the finite range', 'version: 1\nid: id\ngroups: { fit: {} }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 1e308, weight: 1e308 }\ntiers: [{ name: A }]\n', /bomb\.yaml:5:55: error: criterion "a" gives 1e\+308 × weight 1e\+308 = Infinity points/],
    ['a __proto__ group', 'version: 1\nid: id\ngroups: { fit: {}, __proto__: {} }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 1 }\n', /bomb\.yaml:3:20: error: "__proto__" cannot be used as a name/],
  ];
  it.each(cases)('%s', async (_n, yaml, message) => {
    const f = join(dir, 'bomb.yaml');
    writeFileSync(f, yaml);
    const r = await run(['validate', '--rules', f]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(message);
    expect(r.stderr).toBe('');
  });
});
