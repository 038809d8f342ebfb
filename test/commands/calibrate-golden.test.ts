// Golden files of `icp calibrate`'s output YAML (and its printed comparison) on a seeded synthetic export: every
// criterion kind (points, bands as a map and as a list, points_per with cap, recency with decay), caps, unknown
// policies, tiers by shares and by conversion, and --base. UPDATE_GOLDEN=1 writes them.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { golden, icp } from '../cli/harness.js';
import { HAND_RULES, syntheticCsv } from '../stats/synthetic.js';

/** More of the rules language than HAND_RULES: a list of bands with a criterion cap, decay, a group cap, a disqualifier. */
const WIDE_RULES = `# A wider hand-written model of the synthetic export.
version: 1
name: Synthetic, wide
id: lead
columns:
  lead: ["Record ID"]
  industry: ["Industry"]
  employees: ["Employees"]
  visits: ["Website Visits"]
  created: ["Created"]
  noise: ["Noise"]

groups:
  fit: { label: Fit, cap: 40 }
  engagement:
    label: Engagement
    decay: { date: created, half_life_days: 60 }

criteria:
  - id: industry
    group: fit
    column: industry
    unknown: neutral
    bands:
      - { label: tech, in: [Software, Fintech], points: 15 }
      - { label: other, in: [Healthcare, Retail], points: 5 }
    cap: 12

  - id: size
    group: fit
    column: employees
    weight: 2
    bands:
      ideal:      { gte: 100, points: 5 }
      avoid:      { lt: 10, points: -5 }

  - id: colour
    group: fit
    column: noise
    in: [red]
    points: 3

  - id: visits
    group: engagement
    column: visits
    points_per: 2
    cap: 20

  - id: recent
    group: engagement
    column: created
    within_days: 45
    points: 5

disqualifiers:
  - id: tiny
    reason: Fewer than 2 employees
    column: employees
    lt: 2

tiers:
  - { name: A, min: 30 }
  - { name: B, min: 15 }
  - { name: C, min: 5 }
  - { name: D }
`;

let dir: string;
const base = ['--outcome', 'Converted', '--as-of', '2026-11-01'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-calibrate-golden-'));
  writeFileSync(join(dir, 'leads.csv'), syntheticCsv({ rows: 3000, seed: 2 }));
  writeFileSync(join(dir, 'hand.yaml'), HAND_RULES);
  writeFileSync(join(dir, 'wide.yaml'), WIDE_RULES);
});

describe('icp calibrate golden outputs', () => {
  it.each([
    { name: 'hand-default', rules: 'hand.yaml', args: [] },
    { name: 'hand-train-rebin-shares', rules: 'hand.yaml', args: ['--train', '0.7', '--seed', '42', '--rebin', '--tier-shares', '10,30,60'] },
    { name: 'hand-base-conversion', rules: 'hand.yaml', args: ['--pdo', '20', '--base', '600@1:19', '--tier-conversion', '45,25'] },
    { name: 'wide-default', rules: 'wide.yaml', args: [] },
    { name: 'wide-base-conversion', rules: 'wide.yaml', args: ['--train', '0.7', '--pdo', '40', '--base', '500', '--tier-conversion', '50,30,15'] },
  ])('$name', ({ name, rules, args }) => {
    const out = `${name}.yaml`;
    const r = icp(['calibrate', 'leads.csv', '--rules', rules, ...base, ...args, '-o', out], { cwd: dir });
    expect(r.code).toBe(0);
    golden(`calibrate/${name}.err`, r.stderr);
    golden(`calibrate/${name}.yaml`, readFileSync(join(dir, out), 'utf8'));
    golden(`calibrate/${name}.out`, r.stdout);
    // What calibrate writes is a valid rules file that scores the same export.
    const v = icp(['validate', 'leads.csv', '--rules', out], { cwd: dir });
    expect(v.stderr).not.toContain('error');
    expect(v.code).toBe(0);
  });

  it('every changed number carries its evidence: no number line of the output differs from the input without a comment above', () => {
    for (const [rules, args] of [
      ['hand.yaml', ['--base', '600']],
      ['wide.yaml', ['--tier-conversion', '50,30,15', '--rebin', '--base', '300@1:1']],
      ['hand.yaml', ['--train', '0.7', '--rebin', '--tier-shares', '10,30,60']],
    ] as const) {
      const r = icp(['calibrate', 'leads.csv', '--rules', rules, ...base, ...args, '-o', 'evidence.yaml'], { cwd: dir });
      expect(r.code).toBe(0);
      const before = new Set(readFileSync(join(dir, rules), 'utf8').split('\n'));
      const lines = readFileSync(join(dir, 'evidence.yaml'), 'utf8').split('\n');
      lines.forEach((l, i) => {
        if (before.has(l) || l.trim().startsWith('#') || l.trim() === '' || !/\d/.test(l)) return;
        // A new or changed line with a number: a calibrate comment right above it.
        expect(lines[i - 1] ?? '', `line ${i + 1} of the output of ${rules} ${args.join(' ')}: ${l}`).toMatch(/^\s*# icp calibrate: /);
      });
    }
  });
});
