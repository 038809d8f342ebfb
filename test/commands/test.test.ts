// `icp test` run as a user would: expectations beside a rules file, golden outputs, exit codes, JUnit, annotations.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, goldenRun, icp } from '../cli/harness.js';

const DIR = 'test/fixtures/test';
const RULES = `${DIR}/rules.yaml`;

describe('icp test', () => {
  it('finds <rules>.test.yaml beside the rules; every expectation holds: exit 0 and "N passed, 0 failed"', () => {
    const r = icp(['test', '--rules', RULES]);
    goldenRun('test/pass', r);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('4 passed, 0 failed');
  });

  it('a failing expectation: exit 1, expected and actual, the explain trace of the lead; an id not in the fixture fails', () => {
    const r = icp(['test', '--rules', RULES, `${DIR}/failing.test.yaml`]);
    goldenRun('test/fail', r);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ L-005 was expected to be hot');
    expect(r.stdout).toMatch(/tier\n\s+expected: A\n\s+actual: {3}B/);
    expect(r.stdout).toContain('lead L-005 · line 6');
    expect(r.stdout).toContain('lead "L-999" is not in the fixture');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('1 passed, 2 failed');
  });

  it('a malformed tests file: exit 2, every error at file:line:col', () => {
    const r = icp(['test', '--rules', RULES, `${DIR}/malformed.test.yaml`]);
    goldenRun('test/malformed', r);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${DIR}/malformed.test.yaml:6:21: error: tier "AA" is not in the rules`);
  });

  it('JUnit XML for CI test reporters', () => {
    const r = icp(['test', '--rules', RULES, `${DIR}/failing.test.yaml`, '--format', 'junit']);
    goldenRun('test/fail-junit', r);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="icp test" tests="3" failures="1" errors="1">/);
    expect(r.stdout).toContain('<failure message="tier: expected A, actual B">');
    expect(r.stdout).toContain('<error message="lead &quot;L-999&quot; is not in the fixture"/>');
  });

  it('JSON: counts, and the trace of each failing lead', () => {
    const r = icp(['test', '--rules', RULES, `${DIR}/failing.test.yaml`, '--format', 'json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect([j.passed, j.failed]).toEqual([1, 2]);
    expect(j.results[0].failures).toEqual([
      { key: 'tier', expected: 'A', actual: 'B' },
      { key: 'score', expected: '≥ 60', actual: '53.4' },
    ]);
    expect(j.results[0].trace.id).toBe('L-005');
    expect(j.results[1].trace).toBeNull();
  });

  it('--annotations github: one ::error per failing test at its position in the tests file, on stderr', () => {
    const r = icp(['test', '--rules', RULES, `${DIR}/failing.test.yaml`, '--annotations', 'github']);
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(lines).toEqual([
      `::error file=${DIR}/failing.test.yaml,line=5,col=5,title=icp test%3A L-005 was expected to be hot::tier: expected A, actual B; score: expected ≥ 60, actual 53.4`,
      `::error file=${DIR}/failing.test.yaml,line=11,col=5,title=icp test%3A a lead that left the fixture::lead "L-999" is not in the fixture`,
    ]);
    const malformed = icp(['test', '--rules', RULES, `${DIR}/malformed.test.yaml`, '--annotations', 'github']);
    expect(malformed.stderr).toContain(`::error file=${DIR}/malformed.test.yaml,line=6,col=21,title=icp unknown-name::tier "AA" is not in the rules`);
  });

  it('a missing tests file says where it looked', () => {
    const r = icp(['test', '--rules', 'test/fixtures/explain/rules.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read tests file test/fixtures/explain/rules.test.yaml: no such file');
  });

  it('the committed schema/icp-tests.schema.json is up to date (regenerate: icp schema tests > schema/icp-tests.schema.json)', () => {
    const r = icp(['schema', 'tests']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).title).toBe('icp tests file');
    expect(readFileSync(join(ROOT, 'schema', 'icp-tests.schema.json'), 'utf8')).toBe(r.stdout);
  });
});

describe('icp test --format markdown', () => {
  it('a table of tests and the failures in detail, for a job summary', () => {
    const r = icp(['test', '--rules', RULES, `${DIR}/failing.test.yaml`, '--format', 'md']);
    goldenRun('test/fail-markdown', r);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('**1 passed, 2 failed**');
    expect(r.stdout).toContain('| ❌ | L-005 was expected to be hot | id L-005 | tier A, score ≥ 60 |');
    expect(r.stdout).toContain('- `tier`: expected A, actual B');
  });

  it('an unknown format is a usage error', () => {
    const r = icp(['test', '--rules', RULES, '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format: "xml" is not one of text, json, junit, markdown');
  });
});

describe('the templates keep their expectations', () => {
  it.each(['b2b-saas', 'agency', 'bant'])('rules/%s.test.yaml passes (regenerate: node scripts/template-tests.mjs)', (t) => {
    const r = icp(['test', '--rules', `rules/${t}.yaml`]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^([1-9]\d*) passed, 0 failed$/);
  });
});
