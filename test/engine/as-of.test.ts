// A per-row as-of day (--as-of-column) in the bound model: the same results as one --as-of when the column holds
// that day, decay and recency measured from each row's own date, an unknown as-of day scored by the unknown policy,
// and the per-cell memo still exact when the as-of day varies between rows with the same cells.
import { describe, expect, it } from 'vitest';
import { bindModel, bindSettings } from '../../src/engine/bind.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import { traceOf, type LeadTrace } from '../../src/engine/trace.js';
import type { Model } from '../../src/engine/model.js';
import type { AsOfColumn, AsOfSource } from '../../src/plan/types.js';
import { asOfColumn } from '../../src/plan/read-settings.js';
import { parseIsoDay } from '../../src/values/index.js';
import { compile } from '../helpers.js';

const RULES = `version: 1
id: id
columns:
  created: { aliases: [Created] }
groups:
  fit: {}
  engagement: { decay: { date: last, half_life_days: 30 } }
criteria:
  - { id: webinar, group: engagement, column: webinar, is: true, points: 16 }
  - { id: recent, group: engagement, column: last, within_days: 30, points: 5, decay: false }
  - { id: stale, group: engagement, column: last, older_than_days: 365, points: -3, decay: false, unknown: penalty }
  - id: age
    group: fit
    value: { days_since: last }
    decay: false
    unknown: neutral
    bands:
      - { label: fresh, lt: 60, points: 6 }
      - { label: old, gte: 60, points: 1 }
  - { id: industry, group: fit, column: industry, in: [SaaS], points: 10 }
  - { id: created_known, group: fit, column: created, present: true, points: 1 }
disqualifiers:
  - { id: dormant, column: last, older_than_days: 1000, reason: dormant for years }
tiers: [{ name: A, min: 20 }, { name: B }]
`;

const HEADER = ['id', 'Created', 'Signup', 'webinar', 'last', 'industry'];

/** Score every row with `source`, the memo on or off: one JSON trace a row. */
function traces(model: Model, rows: string[][], source: number | AsOfSource, memo = true): LeadTrace[] {
  const { bound, issues } = bindModel(model, HEADER, source, { memo });
  if (!bound) throw new Error(issues.map((i) => i.message).join('\n'));
  const e = newEvaluation(model);
  return rows.map((fields) => {
    evaluate(bound, fields, e);
    return traceOf(bound, e);
  });
}

/** The as-of column `name` resolved against HEADER, as icp resolves --as-of-column. */
function column(model: Model, name: string, sample: string[][] = []): AsOfColumn {
  const { bound } = bindModel(model, HEADER, 0);
  const found = asOfColumn(model.plan, bound!.settings, HEADER, name, sample.map((fields, i) => ({ line: i + 2, fields })));
  if (!found.column) throw new Error(`no column ${name}`);
  return found.column;
}

const day = (s: string) => parseIsoDay(s)!;

describe('a per-row as-of day', () => {
  const model = compile(RULES);
  const lasts = ['2026-10-20', '2026-09-01', '2025-06-01', '2023-01-01', '', 'soon', '2026-12-24'];
  const rows = lasts.flatMap((last, k) => [
    [`${k}a`, '2026-11-01', '11/01/2026', 'yes', last, 'SaaS'],
    [`${k}b`, '2026-11-01', '11/01/2026', 'no', last, k % 2 ? 'Retail' : ''],
  ]);

  it.each([
    ['a rules column, by its name', 'created'],
    ['a header the rules do not use', 'Signup'],
    ['a header found loosely', 'sign up'],
  ])('gives what one --as-of gives when %s holds that day (memo on and off)', (_what, name) => {
    const fixed = traces(model, rows, day('2026-11-01'));
    // Signup is month-first (11/01/2026 alone cannot tell): the sample shows it, as icp reads the first rows.
    const source = { column: column(model, name, [...rows, ['x', '', '12/31/2026', '', '', '']]) };
    for (const memo of [true, false]) expect(traces(model, rows, source, memo)).toEqual(fixed);
  });

  it('reads a header the rules do not use in the order its sample shows (MDY), and a rules column as the rules read it', () => {
    expect(column(model, 'Signup', [['1', '2026-11-01', '10/25/2026', '', '', '']])).toMatchObject({ column: -1, field: 2, header: 'Signup', dateOrder: 'MDY' });
    expect(column(model, 'created')).toMatchObject({ column: model.columns.find((c) => c.name === 'created')!.index, field: 1, header: 'Created' });
  });

  it.each([
    // created, last → webinar's decayed points, recent, stale, age band, as_of
    ['2026-11-01', '2026-10-02', 8, 'matched', 'not_matched', 'fresh', '2026-11-01'],
    ['2026-10-02', '2026-10-02', 16, 'matched', 'not_matched', 'fresh', '2026-10-02'],
    ['2026-12-01', '2026-10-02', 4, 'not_matched', 'not_matched', 'old', '2026-12-01'],
    ['2027-11-01', '2026-10-02', 0, 'not_matched', 'matched', 'old', '2027-11-01'],
    ['2026-09-01', '2026-10-02', 16, 'matched', 'not_matched', 'fresh', '2026-09-01'], // a future activity does not boost
  ] as const)('measures decay and recency from each row: created %s, last %s → webinar %d', (created, last, webinar, recent, stale, band, asOf) => {
    const [t] = traces(model, [['1', created, '', 'yes', last, 'SaaS']], { column: column(model, 'created') });
    const by = (id: string) => t!.criteria.find((c) => c.id === id)!;
    expect(by('webinar').points).toBe(webinar);
    expect(by('recent').outcome).toBe(recent);
    expect(by('stale').outcome).toBe(stale);
    expect(by('age').band).toBe(band);
    expect(t!.as_of).toBe(asOf);
  });

  it.each([
    ['empty', ''],
    ['a placeholder', 'N/A'],
    ['not a date', 'last week'],
  ])('scores the recency criteria of a row whose as-of cell is %s by their unknown policy, and nothing else differs', (_what, created) => {
    const [t] = traces(model, [['1', created, '', 'yes', '2026-10-02', 'SaaS']], { column: column(model, 'created') });
    const [known] = traces(model, [['1', '2026-11-01', '', 'yes', '2026-10-02', 'SaaS']], day('2026-11-01'));
    const by = (x: LeadTrace, id: string) => x.criteria.find((c) => c.id === id)!;
    expect(t!.as_of).toBeNull();
    // decay (webinar), within_days (recent), older_than_days (stale: penalty), days_since (age: neutral)
    expect(['webinar', 'recent', 'stale', 'age'].map((id) => [by(t!, id).outcome, by(t!, id).points, by(t!, id).unknown_policy])).toEqual([
      ['unknown', 0, 'zero'],
      ['unknown', 0, 'zero'],
      ['unknown', -5, 'penalty (-5)'],
      ['unknown', 3, 'neutral (0.5 of max)'],
    ]);
    expect(t!.disqualifiers[0]!.outcome).toBe('unknown');
    expect(by(t!, 'industry')).toEqual(by(known!, 'industry'));
    expect(by(t!, 'created_known').outcome).toBe(created === 'last week' ? 'matched' : 'not_matched');
  });

  it('keeps the memo exact when rows share cells but not their as-of day', () => {
    // The same last-activity and industry cells on every row, the as-of day moving by a week a row: a memo kept
    // per cell for recency would give every row the first row's answer.
    const moving = Array.from({ length: 300 }, (_, k) => {
      const d = new Date(Date.UTC(2026, 0, 1) + k * 7 * 86_400_000).toISOString().slice(0, 10);
      return [String(k), d, '', k % 3 ? 'yes' : 'no', '2026-06-01', k % 2 ? 'SaaS' : 'Retail'];
    });
    const src: AsOfSource = { column: column(model, 'created') };
    const on = traces(model, moving, src, true);
    expect(on).toEqual(traces(model, moving, src, false));
    // and each row as one --as-of of its own day gives the same
    expect(on).toEqual(moving.map((r) => traces(model, [r], day(r[1]!))[0]));
    expect(new Set(on.map((t) => t.criteria.find((c) => c.id === 'recent')!.outcome))).toEqual(new Set(['matched', 'not_matched']));
  });

  it('memoises what does not measure from the as-of day, and nothing that does', () => {
    const { bound } = bindModel(model, HEADER, 0);
    const perRow = bindSettings(model, bound!.settings, { column: column(model, 'created') });
    const memoised = (b: typeof bound) => model.criteria.filter((c) => b!.memos.criterionColumn[c.index]! >= 0).map((c) => c.id);
    expect(memoised(bound)).toEqual(['webinar', 'recent', 'stale', 'age', 'industry', 'created_known']);
    expect(memoised(perRow)).toEqual(['webinar', 'industry', 'created_known']);
    expect([...perRow.memos.disqualifierColumn]).toEqual([-1]);
    expect([...bound!.memos.disqualifierColumn]).not.toEqual([-1]);
  });
});
