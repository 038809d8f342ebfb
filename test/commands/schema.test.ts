// `icp schema`: the JSON Schema of the rules file, and the committed copy the package ships.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from '../cli/harness.js';

const COMMITTED = join(ROOT, 'schema', 'icp-rules.schema.json');

describe('icp schema', () => {
  it('prints a draft-07 JSON Schema of the rules file', async () => {
    const r = await run(['schema']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const s = JSON.parse(r.stdout);
    expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(s.title).toBe('icp rules file');
    expect(s.required).toEqual(expect.arrayContaining(['version', 'id', 'groups', 'criteria']));
    expect(s.required).not.toContain('unknown');
    expect(s.additionalProperties).toBe(false);
  });

  it('converts the recursive Condition schema to a reference', async () => {
    const s = JSON.parse((await run(['schema'])).stdout);
    const defs = s.definitions ?? s.$defs;
    expect(defs.Condition).toBeDefined();
    expect(JSON.stringify(defs.Condition)).toContain('"$ref":"#/definitions/Condition"');
    expect(JSON.stringify(s.properties.criteria)).toContain('#/definitions/Condition');
  });

  it('the committed schema/icp-rules.schema.json is up to date (regenerate: icp schema > schema/icp-rules.schema.json)', async () => {
    expect(readFileSync(COMMITTED, 'utf8')).toBe((await run(['schema'])).stdout);
  });
});
