// `icp evaluate` run as a user would, on seeded synthetic exports: reports (golden), JSON against its schema, gates,
// outcome forms, --as-of-column and mistakes.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvaluateJson, evaluateJsonSchemaText } from '../../src/report/evaluate-schema.js';
import { ROOT, goldenRun, icp } from '../cli/harness.js';
import { HAND_RULES, syntheticCsv } from '../stats/synthetic.js';

let dir: string;
const run = (args: string[]) => icp(args, { cwd: dir });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-evaluate-'));
  writeFileSync(join(dir, 'leads.csv'), syntheticCsv({ rows: 400, seed: 1 }));
  writeFileSync(join(dir, 'hand.yaml'), HAND_RULES);
  writeFileSync(join(dir, 'won.csv'), `Deal,Record ID\n1,10003\n2,10004\n3,99999\n`);
});

describe('icp evaluate', () => {
  it.each(['table', 'json', 'markdown'])('reports as %s (golden)', (format) => {
    const r = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Converted', '--as-of', '2026-11-01', '--format', format]);
    expect(r.code).toBe(0);
    goldenRun(`evaluate/synthetic.${format}`, r);
  });

  it('JSON output follows the published schema, and the schema file is the generated one', () => {
    const r = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Converted', '--as-of', '2026-11-01', '--format', 'json']);
    const data = JSON.parse(r.stdout);
    expect(() => EvaluateJson.parse(data)).not.toThrow();
    expect(data.rows + data.excluded).toBe(400);
    expect(data.positives + data.negatives).toBe(data.rows);
    expect(data.gini).toBeCloseTo(2 * data.auc - 1, 5);
    expect(readFileSync(join(ROOT, 'schema/icp-evaluate.schema.json'), 'utf8')).toBe(evaluateJsonSchemaText());
  });

  it('gates: exit 1 below --min-auc or --min-lift, with the reason; 0 when met', () => {
    const base = ['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Converted', '--as-of', '2026-11-01', '--format', 'json'];
    const pass = run([...base, '--min-auc', '0.5', '--min-lift', '1']);
    expect(pass.code).toBe(0);
    const fail = run([...base, '--min-auc', '0.99']);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/gate failed: ROC AUC 0\.\d{3} is below --min-auc 0\.99/);
    const lift = run([...base, '--min-lift', '50']);
    expect(lift.code).toBe(1);
    expect(lift.stderr).toMatch(/top tier A lift .* is below --min-lift 50/);
    const bad = run([...base, '--min-auc', 'high']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-auc: "high" is not a number');
  });

  it('--outcome COLUMN=VALUES with --negative leaves the other values out and counts them', () => {
    const r = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Stage=Won', '--negative', 'Lost', '--as-of', '2026-11-01', '--format', 'json']);
    const data = JSON.parse(r.stdout);
    const stages = readFileSync(join(dir, 'leads.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[6]);
    expect(data.excluded).toBe(stages.filter((s) => s === 'Open').length);
    expect(data.positives).toBe(stages.filter((s) => s === 'Won').length);
    expect(data.outcome).toEqual({ column: 'Stage', positive: ['Won'], negative: ['Lost'] });
  });

  it('--outcomes FILE --on ID: the ids listed are the positives; ids not found are counted', () => {
    const r = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcomes', 'won.csv', '--on', 'Record ID', '--as-of', '2026-11-01', '--format', 'json']);
    expect(r.code).toBe(0);
    const data = JSON.parse(r.stdout);
    expect(data.positives).toBe(2);
    expect(data.negatives).toBe(398);
    expect(data.outcome).toMatchObject({ ids: 3, unmatchedIds: 1 });
    expect(r.stderr).toContain('1 of 3 ids in won.csv were not found in leads.csv');
  });

  it('--as-of-column measures recency as of each row: every lead was created that day, so all are recent', () => {
    const r = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Converted', '--as-of-column', 'Created', '--format', 'json']);
    expect(r.code).toBe(0);
    const recent = JSON.parse(r.stdout).criteria.find((c: { id: string }) => c.id === 'recent');
    const matched = recent.levels.find((l: { kind: string }) => l.kind === 'matched');
    expect(matched.share).toBe(1);
    const fixed = JSON.parse(run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Converted', '--as-of', '2026-11-01', '--format', 'json']).stdout);
    expect(fixed.criteria.find((c: { id: string }) => c.id === 'recent').levels[0].share).toBeLessThan(0.5);
  });

  it('names the mistake: an outcome column that is not there, no outcome, both outcome forms', () => {
    const missing = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Won']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('icp: --outcome: no column "Won" in leads.csv');
    expect(missing.stderr).not.toContain('    at ');
    const none = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no outcome given');
    const both = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Converted', '--outcomes', 'won.csv', '--on', 'Record ID']);
    expect(both.code).toBe(2);
    const unknownOnly = run(['evaluate', 'leads.csv', '--rules', 'hand.yaml', '--outcome', 'Noise']);
    expect(unknownOnly.code).toBe(2);
    expect(unknownOnly.stderr).toContain('no row of leads.csv has a known outcome');
  });
});
