// `icp diff` run as a user would: the example export under the b2b-saas template and an older version of it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderDiffMarkdown, type DiffReport } from '../../src/report/diff.js';
import { BIN, ROOT, goldenRun, icp } from '../cli/harness.js';

const ARGS = ['examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--base', 'test/fixtures/report/b2b-saas-old.yaml', '--as-of', '2026-11-01'];

describe('icp diff', () => {
  it('text: the rules change in words, transitions, movers by cause, largest moves', () => {
    const r = icp(['diff', ...ARGS]);
    goldenRun('diff/text', r);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ "Target industry": points +10 → +15');
    expect(r.stdout).toContain('~ tier A: min 65 → min 70');
    expect(r.stdout).toContain('16 leads C→B because Target industry: matched rose from +10 to +15');
    expect(r.stdout).toContain('7 leads A→B because the tier thresholds moved (their scores did not change)');
  });

  it('json: transitions as { old: { new: count } }, disqualified included; with --outcome, AUC and conversion before and after', () => {
    const r = icp(['diff', ...ARGS, '--format', 'json', '--outcome', 'Converted']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.leads.transitions.A).toEqual({ A: 30, B: 7 });
    expect(j.leads.transitions.DQ).toEqual({ DQ: 77 });
    const total = Object.values(j.leads.transitions as Record<string, Record<string, number>>).reduce((s, row) => s + Object.values(row).reduce((a, b) => a + b, 0), 0);
    expect(total).toBe(400);
    expect(j.outcome.rows).toBe(388);
    expect(j.outcome.before.auc).toBeGreaterThan(0.5);
    expect(j.outcome.after.tiers.find((t: { tier: string }) => t.tier === 'A').leads).toBe(24);
    expect(j.changes.map((c: { part: string; field: string }) => `${c.part}.${c.field}`)).toEqual(['criterion.points', 'tier.min']);
  });

  it('markdown for a pull-request comment; --movers-out writes one row per lead that changed tier', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-diff-'));
    const movers = join(dir, 'movers.csv');
    const r = icp(['diff', ...ARGS, '--format', 'md', '--movers-out', movers]);
    goldenRun('diff/markdown', r);
    expect(r.code).toBe(0);
    const rows = readFileSync(movers, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('id,line,old_score,old_tier,new_score,new_tier,why');
    expect(rows).toHaveLength(1 + 25);
    expect(rows).toContain('10091,16,66.74,A,66.74,B,the tier thresholds moved (the score did not change)');
    expect(rows).toContain('10707,109,40,C,45,B,Target industry: matched rose from +10 to +15');
  });

  it('--fail-on-tier-change: exit 1 above the share, and --movers-out is held back beside its target', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-diff-'));
    const movers = join(dir, 'movers.csv');
    writeFileSync(movers, 'yesterday\n');
    const r = icp(['diff', ...ARGS, '--fail-on-tier-change', '5%', '--movers-out', movers, '-f', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('6.3% of leads changed tier, more than --fail-on-tier-change 5%');
    expect(readFileSync(movers, 'utf8')).toBe('yesterday\n');
    expect(readFileSync(`${movers}.rejected-run`, 'utf8')).toMatch(/^id,line,/);
    expect(icp(['diff', ...ARGS, '--fail-on-tier-change', '0.07', '-f', 'json']).code).toBe(0);
  });

  it('--base-ref reads the old rules from git', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-diff-git-'));
    const git = (...a: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir, encoding: 'utf8' });
    copyFileSync(join(ROOT, 'test/fixtures/report/b2b-saas-old.yaml'), join(dir, 'icp.yaml'));
    git('init', '-q', '-b', 'main');
    git('add', 'icp.yaml');
    git('commit', '-qm', 'old');
    copyFileSync(join(ROOT, 'rules/b2b-saas.yaml'), join(dir, 'icp.yaml'));
    const r = spawnSync(process.execPath, [BIN, 'diff', join(ROOT, 'examples/leads.csv'), '--rules', 'icp.yaml', '--base-ref', 'HEAD', '--as-of', '2026-11-01', '-f', 'json'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.base).toBe('HEAD:icp.yaml');
    expect(j.leads.changedTier).toBe(25);
    const bad = spawnSync(process.execPath, [BIN, 'diff', join(ROOT, 'examples/leads.csv'), '--rules', 'icp.yaml', '--base-ref', 'no-such-ref'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--base-ref no-such-ref: cannot read icp.yaml at that ref');
  });

  it('usage errors: exit 2', () => {
    expect(icp(['diff', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml']).stderr).toContain('give the old rules with --base <file> or --base-ref <git ref>');
    expect(icp(['diff', ...ARGS, '--base-ref', 'HEAD']).code).toBe(2);
    expect(icp(['diff', ...ARGS, '--fail-on-tier-change', '150%']).stderr).toContain('is not a share from 0 to 1');
    expect(icp(['diff', ...ARGS, '--outcome', 'Nope']).stderr).toContain('--outcome: no column "Nope"');
  });
});

describe('renderDiffMarkdown', () => {
  it('stays under the comment limit whatever the number of movers, saying how many are not shown', () => {
    const mover = (i: number) => ({ id: `L-${i}`.padEnd(40, 'x'), line: i, before: { score: 50, tier: 'A' }, after: { score: 40, tier: 'B' }, criteria: [{ id: 'c', label: 'A long criterion label '.repeat(3), before: 'ideal', after: 'acceptable', pointsBefore: 20, pointsAfter: 10, delta: -10 }] });
    const report: DiffReport = {
      input: 'in.csv',
      base: 'old.yaml',
      rules: 'new.yaml',
      as_of: '2026-11-01',
      changes: Array.from({ length: 300 }, (_, i) => ({ part: 'criterion', change: 'changed', id: `c${i}`, field: 'points', from: '1', to: '2', text: `criterion c${i}: points +1 → +2 `.repeat(4) })),
      leads: {
        leads: 5000,
        changedTier: 5000,
        changedShare: 1,
        tiersBefore: [{ tier: 'A', leads: 5000 }],
        tiersAfter: [{ tier: 'B', leads: 5000 }],
        transitions: { A: { B: 5000 } },
        scoreDelta: { mean: -10, min: -10, max: -10, up: 0, down: 5000, same: 0, distribution: [] },
        largestUp: [],
        largestDown: Array.from({ length: 10 }, (_, i) => ({ id: `L-${i}`, line: i, before: 50, after: 40, delta: -10, tierBefore: 'A', tierAfter: 'B' })),
        moverGroups: Array.from({ length: 1000 }, (_, i) => ({ from: 'A', to: 'B', count: 5, cause: null, text: `5 leads A→B for reason number ${i} `.repeat(3), examples: ['L-1', 'L-2'] })),
        movers: Array.from({ length: 2000 }, (_, i) => mover(i)),
        moversNotShown: 3000,
      },
      outcome: null,
    };
    const md = renderDiffMarkdown(report);
    expect(md.length).toBeLessThan(65_536);
    expect(md).toMatch(/… and \d+ more (changes|groups|leads)/);
    expect(md).toContain('| before \\ after | B | total |');
  });
});
