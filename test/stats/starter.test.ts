// The fitted starter on seeded synthetic rows: what it scores, what it leaves out and why, and its points' signs.
import { describe, expect, it } from 'vitest';
import { fitStarter, starterRules } from '../../src/stats/starter.js';
import { DEFAULT_PLACEHOLDERS } from '../../src/values/index.js';
import { syntheticCsv } from './synthetic.js';

const csv = syntheticCsv({ rows: 4000, seed: 21 }).trim().split('\n');
const header = csv[0]!.split(',');
const rows = csv.slice(1).map((l) => l.split(','));
const labels = rows.map((r) => (r[7] === 'yes' ? 1 : 0));
// Every column but the outcome and the stage (after the fact).
const candidates = [0, 1, 2, 3, 4, 5];
const s = fitStarter({ header, rows, labels, candidates, placeholders: DEFAULT_PLACEHOLDERS, asOf: Date.UTC(2026, 10, 1) / 86_400_000 });
const by = (h: string) => s.criteria.find((c) => c.header === h);

describe('fitStarter', () => {
  it('leaves out the identifier and the noise, saying why', () => {
    expect(s.skipped.find((k) => header[k.column] === 'Record ID')?.why).toMatch(/identifier/);
    expect(by('Noise')).toBeUndefined();
    expect(s.skipped.find((k) => header[k.column] === 'Noise')?.why).toMatch(/almost nothing about the outcome \(IV 0\.0\d\d < 0\.02\)/);
  });

  it('keeps "Select" as a value (it converts unlike empty cells) and scores empty cells as unknown', () => {
    expect(s.realValues.map((r) => r.value)).toEqual(['select']);
    expect(s.placeholders).not.toContain('select');
    const industry = by('Industry')!;
    expect(industry.kind).toBe('category');
    expect(industry.unknown.points).toBeLessThan(0);
    // The best band holds Software, the worst Education (the known effects).
    expect(industry.bands[0]!.cond).toMatchObject({ in: expect.arrayContaining(['Software']) });
    expect(industry.bands.at(-1)!.cond).toMatchObject({ in: expect.arrayContaining(['Education']) });
    expect(industry.bands[0]!.points).toBeGreaterThan(industry.bands.at(-1)!.points);
  });

  it('gives numbers monotone bands and dates recency bands, with points in the right direction', () => {
    const visits = by('Website Visits')!;
    expect(visits.kind).toBe('number');
    const vp = visits.bands.map((b) => b.points);
    expect([...vp].sort((a, b) => a - b)).toEqual(vp);
    const created = by('Created')!;
    expect(created.kind).toBe('days');
    // More days since creation, fewer points.
    expect(created.bands[0]!.points).toBeGreaterThan(created.bands.at(-1)!.points);
  });

  it('places tiers at the target shares and writes rules data with the evidence', () => {
    expect(s.tiers.map((t) => t.share)).toEqual([0.1, 0.2, 0.3, 0.4]);
    const conv = s.tiers.map((t) => t.positives / t.leads);
    expect(conv[0]).toBeGreaterThan(conv[3]!);
    const rules = starterRules(s, (i) => `c${i}`, (b) => b);
    const created = rules.find((r) => r.rule.id === 'c4')!;
    expect(created.rule.value).toEqual({ days_since: 'c4' });
    expect(created.comment).toMatch(/Created: IV [\d.]+, coefficient/);
  });

  it('is deterministic', () => {
    const again = fitStarter({ header, rows, labels, candidates, placeholders: DEFAULT_PLACEHOLDERS, asOf: Date.UTC(2026, 10, 1) / 86_400_000 });
    expect(again).toEqual(s);
  });
});
