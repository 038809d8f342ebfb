// `icp init --from … --outcome …` on a seeded synthetic export: the fitted starter loads, leaves the outcome out,
// keeps "Select" as a value where it converts unlike empty cells, and on held-out rows ranks no worse than a
// logistic regression on the same columns.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/rules/index.js';
import { fitBaseline, predictBaseline } from '../../src/stats/baseline.js';
import { auc, groupScores } from '../../src/stats/metrics.js';
import { DEFAULT_PLACEHOLDERS } from '../../src/values/index.js';
import { icp } from '../cli/harness.js';
import { syntheticCsv } from '../stats/synthetic.js';

let dir: string;
const run = (args: string[]) => icp(args, { cwd: dir });
const parse = (csv: string) => csv.trim().split('\n').slice(1).map((l) => l.split(','));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-init-outcome-'));
  writeFileSync(join(dir, 'train.csv'), syntheticCsv({ rows: 4000, seed: 11 }));
  writeFileSync(join(dir, 'test.csv'), syntheticCsv({ rows: 2000, seed: 12 }));
});

describe('icp init --from --outcome', () => {
  it('writes a fitted starter that ranks held-out leads at least as well as a logistic regression', () => {
    const r = run(['init', '--from', 'train.csv', '--outcome', 'Converted', '-o', 'icp.yaml']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'icp.yaml'), 'utf8');
    const loaded = loadRules(text, 'icp.yaml');
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = loaded.model!;
    const used = new Set(model.columns.filter((c) => c.used).map((c) => c.aliases[0]!));
    expect(used.has('Converted')).toBe(false);
    expect(used.has('Stage')).toBe(false); // after the fact: named like a deal stage (init's roles)
    expect(model.columns[model.idColumn!]!.aliases).toEqual(['Record ID']);
    expect(text).toMatch(/"Converted": OUTCOME/);
    // "Select" converts like an industry, empty cells do not: it is not a placeholder in this file.
    expect(model.placeholders).not.toContain('select');
    expect(text).toContain('not a placeholder here: "select" in "Industry"');

    const ev = JSON.parse(run(['evaluate', 'test.csv', '--rules', 'icp.yaml', '--outcome', 'Converted', '--as-of', '2026-11-01', '--format', 'json']).stdout);
    const header = readFileSync(join(dir, 'train.csv'), 'utf8').split('\n')[0]!.split(',');
    const train = parse(readFileSync(join(dir, 'train.csv'), 'utf8'));
    const test = parse(readFileSync(join(dir, 'test.csv'), 'utf8'));
    const cols = [...used].filter((h) => h !== 'Record ID').map((h) => header.indexOf(h));
    const y = (rows: string[][]) => rows.map((r) => (r[7] === 'yes' ? 1 : 0));
    const lr = fitBaseline(train, y(train), cols, DEFAULT_PLACEHOLDERS);
    const lrAuc = auc(groupScores({ scores: predictBaseline(lr, test), labels: y(test) }));
    expect(ev.auc).toBeGreaterThanOrEqual(lrAuc);
    expect(ev.auc).toBeGreaterThan(0.7);
  });

  it('refuses without enough of both outcomes, and --outcome without --from', () => {
    writeFileSync(join(dir, 'few.csv'), syntheticCsv({ rows: 50, seed: 13 }));
    const r = run(['init', '--from', 'few.csv', '--outcome', 'Converted', '-o', 'few.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too few positives to fit a starter: \d+ positive and \d+ negative rows; at least 30 of each are needed/);
    expect(run(['init', '--outcome', 'Converted', '-o', 'z.yaml']).code).toBe(2);
  });
});
