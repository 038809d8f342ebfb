// `icp plan`: the Plan as JSON with sorted keys, golden; it is the Plan the engines run, and plain data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/index.js';
import { FIXTURES, goldenRun, icp } from './harness.js';

describe('icp plan', () => {
  it.each(['rules', 'weighted'])('prints the Plan of test/fixtures/plan/%s.yaml', (name) => {
    const r = icp(['plan', '--rules', `test/fixtures/plan/${name}.yaml`]);
    goldenRun(`plan/${name}`, r);
    expect(r.code).toBe(0);
    // The text is the compiled Plan, whatever the key order.
    const file = join(FIXTURES, 'plan', `${name}.yaml`);
    expect(JSON.parse(r.stdout)).toEqual(loadRules(readFileSync(file, 'utf8'), file).model!.plan);
  });

  it('sorts the keys of every object', () => {
    const text = icp(['plan', '--rules', 'test/fixtures/plan/rules.yaml']).stdout;
    const check = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(check);
      else if (x !== null && typeof x === 'object') {
        const keys = Object.keys(x);
        expect(keys).toEqual([...keys].sort());
        Object.values(x).forEach(check);
      }
    };
    check(JSON.parse(text));
  });

  it('refuses a rules file with errors, exit 2, nothing on stdout', () => {
    const r = icp(['plan', '--rules', 'test/fixtures/validate/bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/test\/fixtures\/validate\/bad\.yaml:\d+:\d+: error:/);
  });
});
