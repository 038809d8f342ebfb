// `icp calibrate` on seeded synthetic exports: held-out AUC goes up, only numbers (and comments) change in the
// rules file, running it again replaces its own comments, and the refusals.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../../src/rules/index.js';
import { icp } from '../cli/harness.js';
import { HAND_RULES, syntheticCsv } from '../stats/synthetic.js';

let dir: string;
const run = (args: string[]) => icp(args, { cwd: dir });
const base = ['--outcome', 'Converted', '--as-of', '2026-11-01'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-calibrate-'));
  writeFileSync(join(dir, 'leads.csv'), syntheticCsv({ rows: 3000, seed: 2 }));
  writeFileSync(join(dir, 'fresh.csv'), syntheticCsv({ rows: 2000, seed: 3 }));
  writeFileSync(join(dir, 'tiny.csv'), syntheticCsv({ rows: 60, seed: 4 }));
  writeFileSync(join(dir, 'hand.yaml'), HAND_RULES);
});

const auc = (rules: string, csv = 'fresh.csv') => JSON.parse(run(['evaluate', csv, '--rules', rules, ...base, '--format', 'json']).stdout).auc as number;

/** The rules text without calibrate's comment lines and with every number replaced: what must not change. */
const skeleton = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.trim().startsWith('# icp calibrate:') && !l.startsWith('#   '))
    .join('\n')
    .replace(/-?\d+(\.\d+)?/g, 'N');

describe('icp calibrate', () => {
  it('raises the held-out AUC, printed side by side, and on fresh data', () => {
    const r = run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '--train', '0.7', '--seed', '42', '-o', 'cal.yaml', '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.train).toMatchObject({ share: 0.7, seed: 42 });
    expect(rep.heldOut.new.rows).toBe(rep.heldOut.old.rows);
    expect(rep.heldOut.new.auc).toBeGreaterThan(rep.heldOut.old.auc + 0.02);
    expect(auc('cal.yaml')).toBeGreaterThan(auc('hand.yaml') + 0.02);
  });

  it('keeps the model: only numbers change, each with its evidence; the result loads', () => {
    run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '-o', 'kept.yaml']);
    const out = readFileSync(join(dir, 'kept.yaml'), 'utf8');
    // unknown policies may be added: drop those lines (and their comments) before comparing the rest.
    expect(skeleton(out).replace(/\n *unknown: [^\n]*/g, '')).toBe(skeleton(HAND_RULES));
    expect(out).toContain('fit:        { label: Fit }                    # who they are');
    expect(out).toMatch(/# icp calibrate: matched n=\d+, [\d.]+% won, WoE [+-][\d.]+; not matched n=\d+/);
    expect(out).toMatch(/# icp calibrate: points fitted from 3000 rows of leads.csv/);
    expect(loadRules(out, 'kept.yaml').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The data's relationships come back with the right signs: more visits, recent leads and larger companies win
    // more often (synthetic.ts), and empty industries less.
    const m = loadRules(out, 'kept.yaml').model!;
    const by = (id: string) => m.criteria.find((c) => c.id === id)!;
    expect(by('visits').points).toBeGreaterThan(0);
    expect(by('recent').points).toBeGreaterThan(0);
    expect(by('size').bands[0]!.points).toBeGreaterThan(0);
    expect(by('industry').unknown).toMatchObject({ policy: 'penalty' });
    expect((by('industry').unknown as { points: number }).points).toBeLessThan(0);
  });

  it('run again on its own output, replaces its comments instead of piling them up', () => {
    run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '-o', 'once.yaml']);
    run(['calibrate', 'leads.csv', '--rules', 'once.yaml', ...base, '-o', 'twice.yaml']);
    const once = readFileSync(join(dir, 'once.yaml'), 'utf8');
    const twice = readFileSync(join(dir, 'twice.yaml'), 'utf8');
    const count = (t: string) => t.split('\n').filter((l) => l.includes('# icp calibrate:')).length;
    expect(count(twice)).toBe(count(once));
  });

  it('--rebin proposes monotone bands; --tier-shares places the thresholds', () => {
    const r = run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '--rebin', '--tier-shares', '20,30,50', '-o', 'rebin.yaml']);
    expect(r.code).toBe(0);
    const out = readFileSync(join(dir, 'rebin.yaml'), 'utf8');
    expect(out).toContain('re-binned (monotone)');
    const rules = loadRules(out, 'rebin.yaml');
    const size = rules.model!.criteria.find((c) => c.id === 'size')!;
    const pts = size.bands.map((b) => b.points);
    // Conversion rises with size in the data: the new bands' points rise too.
    expect([...pts].sort((a, b) => a - b)).toEqual(pts);
    const tiers = JSON.parse(run(['evaluate', 'leads.csv', '--rules', 'rebin.yaml', ...base, '--format', 'json']).stdout).tiers;
    expect(tiers[0].leads / 3000).toBeGreaterThan(0.15);
    expect(tiers[0].leads / 3000).toBeLessThan(0.3);
  });

  it('refuses with too few positives or negatives, saying the minimum and why', () => {
    const r = run(['calibrate', 'tiny.csv', '--rules', 'hand.yaml', ...base, '-o', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too few positives to calibrate: \d+ positive and \d+ negative rows; at least 30 of each are needed/);
    expect(r.stderr).toContain('hint: with fewer, one lead moves');
  });

  it('refuses to write over the rules it reads, and bad options', () => {
    const same = run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '-o', 'hand.yaml']);
    expect(same.code).toBe(2);
    expect(readFileSync(join(dir, 'hand.yaml'), 'utf8')).toBe(HAND_RULES);
    expect(run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '--train', '1.5', '-o', 'y.yaml']).code).toBe(2);
    const shares = run(['calibrate', 'leads.csv', '--rules', 'hand.yaml', ...base, '--tier-shares', '50,50', '-o', 'y.yaml']);
    expect(shares.code).toBe(2);
    expect(shares.stderr).toContain('--tier-shares: 2 shares given, the model has 3 tiers');
  });
});
