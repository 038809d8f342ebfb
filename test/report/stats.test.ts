// Summary counts and their rendering: leads with several disqualifying reasons, matrix axes, rejects in line order.
import { describe, expect, it } from 'vitest';
import { bindModel } from '../../src/engine/bind.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import { SummaryStats } from '../../src/report/stats.js';
import { renderSummaryMarkdown, renderSummaryTable } from '../../src/report/summary.js';
import { parseIsoDay } from '../../src/values/index.js';
import { compile } from '../helpers.js';

const RULES = `version: 1
id: id
groups:
  fit: {}
  engagement: {}
criteria:
  - { id: size, group: fit, column: employees, gte: 50, points: 20 }
  - { id: visits, group: engagement, column: visits, points_per: 1, cap: 20 }
disqualifiers:
  - { id: student, column: title, contains: [student], reason: Student }
  - { id: competitor, column: email, contains: [rival], reason: Competitor }
tiers:
  - { name: A, min: 20 }
  - { name: B }
matrix:
  rows: { group: fit, tiers: [{ name: X, min: 10 }, { name: Y }] }
  columns: { group: engagement, tiers: [{ name: "1", min: 10 }, { name: "2" }] }
`;
const HEADER = ['id', 'employees', 'visits', 'title', 'email'];
const model = compile(RULES);
const { bound } = bindModel(model, HEADER, parseIsoDay('2026-11-01')!);
const META = { input: 'in.csv', rules: 'icp.yaml', asOf: '2026-11-01', headers: HEADER, warnings: [] };

/** Rows as [employees, visits, title, email]; a string instead is a rejected row's reason at that line. */
function stats(rows: ([string, string, string, string] | [reason: string, line: number])[]): SummaryStats {
  const s = new SummaryStats(model);
  const ev = newEvaluation(model);
  rows.forEach((r, i) => {
    s.read++;
    if (r.length === 2) return s.reject(r[0], r[1]);
    evaluate(bound!, [`L${i}`, ...r], ev);
    s.add(ev, bound!.row);
    s.written++;
  });
  return s;
}

describe('summary counts', () => {
  it('counts disqualified leads with two or more reasons, each still counted under every reason', () => {
    const r = stats([
      ['100', '5', 'Student', 'a@rival.com'], // both reasons
      ['100', '5', 'Student', 'b@x.com'],
      ['10', '1', 'CEO', 'c@rival.io'],
      ['10', '1', 'student', 'd@rival.io'], // both
      ['60', '30', 'CTO', 'e@x.com'],
    ]).result(META);
    expect(r.disqualified.map((d) => [d.id, d.count])).toEqual([
      ['student', 3],
      ['competitor', 3],
    ]);
    expect(r.tiers.find((t) => t.name === 'DQ')?.count).toBe(4);
    expect(r.disqualifiedSeveralReasons).toBe(2);
    expect(renderSummaryTable(r, { color: false })).toContain('2 leads have more than one reason (counted under each)');
    expect(renderSummaryMarkdown(r)).toContain('2 leads have more than one reason (counted under each)');
  });

  it('says nothing of several reasons when no lead has them', () => {
    const r = stats([['100', '5', 'Student', 'b@x.com']]).result(META);
    expect(r.disqualifiedSeveralReasons).toBe(0);
    expect(renderSummaryTable(r, { color: false })).not.toContain('more than one reason');
    expect(stats([['100', '5', 'Student', 'a@rival.com']]).result(META).disqualifiedSeveralReasons).toBe(1);
  });

  it('names the matrix axes: the row group and the column group', () => {
    const r = stats([['60', '30', 'CTO', 'e@x.com']]).result(META);
    expect(r.matrix).toMatchObject({ rowGroup: 'fit', columnGroup: 'engagement', rows: ['X', 'Y'], columns: ['1', '2'] });
    expect(r.matrix!.counts).toEqual([
      [1, 0],
      [0, 0],
    ]);
    const table = renderSummaryTable(r, { color: false });
    expect(table).toMatch(/│ fit ↓ engagement → │ 1 │ 2 │/);
    expect(renderSummaryMarkdown(r)).toContain('| fit ↓ engagement → | 1 | 2 |');
  });

  it('lists rejects grouped by reason in the order the reasons first occur, with that line', () => {
    const r = stats([
      ['expected 5 fields, found 7 (row is long)', 4],
      ['unclosed quote starting on line 9', 9],
      ['expected 5 fields, found 3 (row is short)', 12],
      ['expected 5 fields, found 7 (row is long)', 20],
      ['expected 5 fields, found 3 (row is short)', 21],
      ['expected 5 fields, found 3 (row is short)', 30],
    ]).result(META);
    expect(r.rejects).toEqual([
      { reason: 'expected 5 fields, found 7 (row is long)', count: 2, firstLine: 4 },
      { reason: 'unclosed quote starting on line 9', count: 1, firstLine: 9 },
      { reason: 'expected 5 fields, found 3 (row is short)', count: 3, firstLine: 12 },
    ]);
    expect(r.rowsRejected).toBe(6);
    const table = renderSummaryTable(r, { color: false });
    expect(table).toMatch(/rejected because\s+│ rows │ first on line/);
    expect(table.indexOf('row is long')).toBeLessThan(table.indexOf('row is short'));
    expect(renderSummaryMarkdown(r)).toContain('| expected 5 fields, found 3 (row is short) | 3 | 12 |');
  });

  it('merges parts of one input in any order to the same counts, first lines and several-reasons count', () => {
    const a = stats([
      ['100', '5', 'Student', 'a@rival.com'],
      ['row is short', 3],
      ['row is long', 8],
    ]);
    const b = stats([
      ['10', '1', 'student', 'd@rival.io'],
      ['row is long', 5],
      ['row is short', 40],
    ]);
    const ab = new SummaryStats(model);
    ab.merge(a.snapshot());
    ab.merge(b.snapshot());
    const ba = new SummaryStats(model);
    ba.merge(b.snapshot());
    ba.merge(a.snapshot());
    const r = ab.result(META);
    expect(ba.result(META)).toEqual(r);
    expect(r.rejects).toEqual([
      { reason: 'row is short', count: 2, firstLine: 3 },
      { reason: 'row is long', count: 2, firstLine: 5 },
    ]);
    expect(r.disqualifiedSeveralReasons).toBe(2);
  });
});
