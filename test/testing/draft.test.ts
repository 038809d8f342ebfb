// The starter expectations icp init writes: a few leads per tier, inline, that pass as written.
import { createReadStream, readFileSync } from 'node:fs';
import { openCsv } from '../../src/io/csv-reader.js';
import { describe, expect, it } from 'vitest';
import { draftTests } from '../../src/testing/draft.js';
import { parseTests } from '../../src/testing/load.js';
import { runTests } from '../../src/testing/run.js';
import { parseIsoDay } from '../../src/values/index.js';
import { compile } from '../helpers.js';

const model = compile(readFileSync('test/fixtures/test/rules.yaml', 'utf8'));
const source = await openCsv(createReadStream('test/fixtures/test/leads.csv'), {}, 'leads.csv');
const rows: { line: number; fields: string[] }[] = [];
for await (const batch of source.batches()) for (const item of batch) if ('fields' in item) rows.push(item);
const head = source.header.keys.join(',');

describe('draftTests', () => {
  it('picks leads per tier, inline, and the file it writes passes icp test', () => {
    const asOf = '2026-11-01';
    const { text, tests } = draftTests({ model, header: head!.split(','), rows, asOfDay: parseIsoDay(asOf)!, asOf, source: 'leads.csv', perTier: 1 });
    expect(tests).toBeGreaterThanOrEqual(2);
    const loaded = parseTests(text, 'rules.test.yaml');
    expect(loaded.diagnostics).toEqual([]);
    const tiers = loaded.tests!.tests.map((t) => t.expect.tier);
    expect(new Set(tiers).size).toBe(tiers.length); // one per tier
    const run = runTests(model, loaded.tests!, new Map(), parseIsoDay(asOf)!);
    expect(run.failed).toBe(0);
    expect(text).toContain('as_of: 2026-11-01');
    expect(text).toMatch(/# line \d+ of leads\.csv/);
  });

  it('a disqualified lead expects its reason', () => {
    const asOf = '2026-11-01';
    const { text } = draftTests({ model, header: head!.split(','), rows, asOfDay: parseIsoDay(asOf)!, asOf, source: 'leads.csv' });
    const dq = parseTests(text, 't.yaml').tests!.tests.find((t) => t.expect.tier === 'DQ');
    expect(dq?.expect.disqualified).toEqual({ reason: 'Works for a competitor' });
  });
});
