// The HTML report as a pure function: self-contained, escaped, deterministic, bounded whatever the input.
import { describe, expect, it } from 'vitest';
import { bindModel } from '../../src/engine/bind.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import { topReasons } from '../../src/engine/format.js';
import { BestLeads, CriteriaHits } from '../../src/report/collect.js';
import { renderReportHtml, type ReportData } from '../../src/report/html/report.js';
import { SummaryStats } from '../../src/report/stats.js';
import { compile, rulesWith } from '../helpers.js';

const model = compile(rulesWith('  - { id: industry, label: "Target <industry>", group: fit, column: industry, in: [software], points: 25 }\n  - { id: visits, group: engagement, column: visits, points_per: 1, cap: 10 }'));

function data(rows: number, idOf: (i: number) => string = (i) => `L${i}`): ReportData {
  const { bound } = bindModel(model, ['id', 'industry', 'visits'], 0);
  const stats = new SummaryStats(model);
  const hits = new CriteriaHits(model.criteria.map((c) => ({ id: c.id, label: c.label, group: model.groups[c.group]!.id })));
  const best = new BestLeads(model.tiers.map((t) => ({ name: t.name, label: t.label ?? null })), 25);
  const e = newEvaluation(model);
  for (let i = 0; i < rows; i++) {
    evaluate(bound!, [idOf(i), i % 3 ? 'Software' : 'Retail', String(i % 13)], e);
    stats.read++;
    stats.written++;
    stats.add(e, bound!.row);
    hits.add(e);
    best.add(e, idOf(i), i + 2, () => topReasons(model, e));
  }
  return {
    title: 'Test <model>',
    version: '0.0.0',
    rules: 'r.yaml',
    input: 'in.csv',
    asOf: '2026-11-01',
    summary: stats.result({ input: 'in.csv', rules: 'r.yaml', asOf: '2026-11-01', headers: bound!.headers, warnings: [] }),
    criteria: hits.result(),
    topLeads: best.result(),
    evaluation: null,
    diff: null,
  };
}

describe('renderReportHtml', () => {
  it('is one self-contained page: no external resource, a CSP that forbids fetching, real headings', () => {
    const html = renderReportHtml(data(50));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
    expect(html).not.toMatch(/@import|url\(http/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/<h2 /g)?.length).toBeGreaterThanOrEqual(5);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"');
  });

  it('escapes every text from the rules and the export', () => {
    const html = renderReportHtml(data(5, (i) => `<img src=x onerror=alert(${i})>`));
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(0)&gt;');
    expect(html).toContain('Test &lt;model&gt;');
    expect(html).toContain('Target &lt;industry&gt;');
  });

  it('is deterministic and bounded: the same data gives the same bytes; 100 times the leads, about the same size', () => {
    expect(renderReportHtml(data(200))).toBe(renderReportHtml(data(200)));
    const small = renderReportHtml(data(200)).length;
    const large = renderReportHtml(data(20_000)).length;
    expect(large).toBeLessThan(small * 1.3);
  });

  it('counts each criterion as matched, not matched or unknown, with its mean contribution', () => {
    const d = data(30);
    expect(d.criteria.map((c) => [c.id, c.matched, c.notMatched, c.unknown])).toEqual([
      ['industry', 20, 10, 0],
      ['visits', 30, 0, 0],
    ]);
    expect(d.criteria[0]!.meanContribution).toBeCloseTo((20 * 25) / 30, 2);
    expect(d.topLeads.reduce((s, t) => s + t.total, 0)).toBe(30);
    for (const t of d.topLeads) expect(t.leads.map((l) => l.score)).toEqual([...t.leads.map((l) => l.score)].sort((a, b) => b - a));
  });
});
