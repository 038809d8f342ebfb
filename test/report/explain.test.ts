// The explanation renderers: pure functions of a trace, checked with colour on and off.
import { describe, expect, it } from 'vitest';
import { compile, scoreOne } from '../helpers.js';
import { describeInput, renderExplain, renderExplainJson, renderExplainText, signed } from '../../src/report/explain.js';
import { displayWidth } from '../../src/report/width.js';

const RULES = `version: 1
id: id
groups:
  fit: { label: Firmographic fit, cap: 20 }
  engagement: { weight: 0.5, decay: { date: last, half_life_days: 30 } }
criteria:
  - { id: industry, label: Target industry, group: fit, column: industry, in: [saas], points: 15 }
  - id: size
    label: Company size
    group: fit
    column: employees
    bands:
      ideal: { gte: 50, points: 10 }
      avoid: { lt: 50, points: -5 }
    unknown: neutral
  - { id: webinar, label: Attended a webinar, group: engagement, column: webinar, is: true, points: 10 }
  - { id: demo, label: Requested a demo, group: engagement, column: demo, is: true, points: 12, weight: 2 }
disqualifiers:
  - { id: competitor, reason: Works for a competitor, column: email, matches: "@rival\\\\.com$" }
tiers:
  - { name: A, min: 30, label: hot }
  - { name: B, min: 15 }
  - { name: C }
`;
const model = compile(RULES);
const lead = (r: Record<string, string>) =>
  scoreOne(model, { id: 'L1', industry: 'SaaS', employees: '120', webinar: 'yes', demo: 'no', last: '2026-10-02', email: 'a@acme.com', ...r });
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('renderExplainText', () => {
  it('one row per criterion: points, the value seen, the rule and the arithmetic', () => {
    const out = renderExplainText(lead({}), { color: false });
    expect(out).toMatch(/^lead L1 · as of 2026-11-01\nscore 22\.5 · tier B\n\n/);
    expect(out).toMatch(/\nfit — Firmographic fit \(weight 1, cap 20\)\n/);
    expect(out).toMatch(/\n  ✓ Target industry\s+\+15  industry "SaaS"\s+industry in \[saas\]\n/);
    expect(out).toMatch(/\n  ✓ Company size: ideal\s+\+10  employees "120"\s+ideal: employees ≥ 50\n/);
    expect(out).toMatch(/\n    subtotal 25, capped at 20\s+-5\n/);
    expect(out).toMatch(/\n    = fit 20\s+\+20\n/);
    // decay, then the group weight: 10 × 0.5 (30 days, half-life 30) = 5 points, × 0.5 = 2.5 in the score
    expect(out).toMatch(/\nengagement \(weight 0\.5\)\n/);
    expect(out).toMatch(/\n  ✓ Attended a webinar\s+\+2\.5  webinar "yes" → true\s+10 × decay 0\.5 \(30 d\) = 5 × 0\.5  webinar is yes\n/);
    // an unmatched criterion shows no arithmetic
    expect(out).toMatch(/\n  · Requested a demo\s+0  demo "no" → false\s+demo is yes\n/);
    expect(out).toMatch(/\n    = engagement 5 × 0\.5\s+\+2\.5\n/);
    expect(out).toMatch(/\nscore 22\.5 = fit 20 \+ engagement 2\.5\ntier B\n\+7\.5 to reach A: Requested a demo \(\+6\)\n/);
    expect(out).toMatch(/\nreasons: Target industry \(\+15\); Company size: ideal \(\+10\); Attended a webinar \(\+2\.5\)\n$/);
  });

  it('the contributions shown add up to the score', () => {
    for (const r of [{}, { employees: '3', industry: 'retail' }, { webinar: 'maybe', employees: 'n/a' }, { demo: 'yes', last: '2026-11-01' }]) {
      const t = lead(r);
      const cents = t.criteria.reduce((s, c) => s + Math.round(c.contribution * 100), 0) + t.groups.reduce((s, g) => s + Math.round(g.adjustment_contribution * 100), 0);
      expect(cents).toBe(Math.round(t.score * 100));
      const text = renderExplainText(t, { color: false });
      const shown = [...text.matchAll(/^  [✓?·] .+?\s+([+-][\d.]+|0)  /gm), ...text.matchAll(/^    subtotal .*\s([+-][\d.]+)$/gm)].map((m) => Math.round(Number(m[1]) * 100));
      expect(shown.length).toBe(t.criteria.length + t.groups.filter((g) => g.adjustment !== 0).length);
      expect(shown.reduce((a, b) => a + b, 0)).toBe(Math.round(t.score * 100));
    }
  });

  it('unknown values are shown as such, with the policy that applied', () => {
    const out = renderExplainText(lead({ employees: '50-100', webinar: '' }), { color: false });
    expect(out).toMatch(/\n  \? Company size\s+\+5  employees "50-100" \(unparseable\)\s+unknown → neutral \(0\.5 of max\)\s+bands: value unknown\n/);
    // the decay date appears in the table only when it is what made the criterion unknown (JSON always has it)
    expect(out).toMatch(/\n  \? Attended a webinar\s+0  webinar \(empty\)\s+unknown → zero\s+webinar is yes\n/);
    const noDate = renderExplainText(lead({ last: '' }), { color: false });
    expect(noDate).toMatch(/\n  \? Attended a webinar\s+0  webinar "yes" → true; last \(empty\)\s+unknown → zero\s+webinar is yes\n/);
  });

  it('disqualified: the reason, no next tier', () => {
    const out = renderExplainText(lead({ email: 'x@rival.com' }), { color: false });
    expect(out).toMatch(/\n  ✗ Works for a competitor\s+email "x@rival\.com"\s+disqualifies\s+email matches \/@rival\\\.com\$\/i\n/);
    expect(out).toMatch(/\ntier DQ: disqualified — Works for a competitor \(the score is kept for reference\)\n/);
    expect(out).not.toMatch(/to reach/);
  });

  it('the top tier says so; weights and caps in the arithmetic', () => {
    const out = renderExplainText(lead({ demo: 'yes', last: '2026-11-01' }), { color: false });
    expect(out).toMatch(/\ntier A \(hot\) — the top tier\n/);
    expect(out).toMatch(/\n  ✓ Requested a demo\s+\+12  demo "yes" → true\s+12 × weight 2 = 24 × 0\.5  demo is yes\n/);
  });

  it('colour: ANSI codes only when asked, same text otherwise', () => {
    const t = lead({ employees: 'n/a' });
    const on = renderExplainText(t, { color: true });
    const off = renderExplainText(t, { color: false });
    expect(on).toMatch(/\x1b\[32m✓\x1b\[39m/);
    expect(off).not.toMatch(/\x1b/);
    expect(plain(on)).toBe(off);
  });

  it('columns line up', () => {
    const t = lead({ employees: '50-100' });
    const lines = renderExplainText(t, { color: true }).split('\n').map(plain);
    const ends = t.criteria.map((c) => {
      const label = c.band !== null ? `${c.label}: ${c.band}` : c.label;
      const line = lines.find((l) => l.slice(4).startsWith(`${label} `))!;
      const m = /^\s+[+-]?[\d.]+/.exec(line.slice(4 + label.length))!;
      return displayWidth(line.slice(0, 4 + label.length + m[0].length));
    });
    expect(new Set(ends).size).toBe(1);
  });
});

describe('renderExplainJson', () => {
  it('is the trace, one line, stable', () => {
    const t = lead({});
    const s = renderExplainJson(t);
    expect(s.endsWith('\n')).toBe(true);
    expect(s.trim().includes('\n')).toBe(false);
    expect(JSON.parse(s)).toEqual(JSON.parse(JSON.stringify(t)));
    expect(renderExplain(t, 'json', { color: true })).toBe(s);
    expect(Object.keys(JSON.parse(s))).toEqual(['id', 'score', 'tier', 'tier_label', 'matrix', 'disqualified', 'disqualified_reasons', 'reasons', 'groups', 'criteria', 'disqualifiers', 'next_tier', 'as_of']);
  });
});

describe('helpers', () => {
  it('signed', () => {
    expect([signed(15), signed(-5), signed(0), signed(2.5)]).toEqual(['+15', '-5', '0', '+2.5']);
  });
  it('describeInput', () => {
    expect(describeInput({ column: 'tags', header: null, raw: null, status: 'missing', parsed: null })).toBe('tags (column absent)');
    expect(describeInput({ column: 'x', header: 'X', raw: 'N/A', status: 'missing', parsed: null })).toBe('x "N/A" (missing)');
    expect(describeInput({ column: 'x', header: 'X', raw: ' Software ', status: 'ok', parsed: 'software' })).toBe('x " Software "');
    expect(describeInput({ column: 'n', header: 'N', raw: '1,200', status: 'ok', parsed: 1200 })).toBe('n "1,200" → 1200');
    expect(describeInput({ column: 'n', header: 'N', raw: 'x'.repeat(80), status: 'ok', parsed: 'x'.repeat(80) })).toMatch(/^n "x{29}…"$/);
  });
});
