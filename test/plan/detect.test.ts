// Per-column date order and decimal detection from a sample: decided per column, reported, never guessed per row.
import { describe, expect, it } from 'vitest';
import { detectDateOrders, detectNumberAmbiguity } from '../../src/plan/detect.js';
import { readSettings } from '../../src/plan/read-settings.js';
import { compile, rulesWith } from '../helpers.js';

const model = compile(rulesWith('  - { id: a, group: fit, column: d, within_days: 30, points: 1 }\n  - { id: b, group: fit, column: n, gte: 1, points: 1 }'));
const fields = { columns: model.columns.map((c) => ({ field: c.name === 'd' ? 0 : c.name === 'n' ? 1 : 2, header: null })) };
const idx = (m: typeof model) => readSettings(m.plan, fields, { delimiter: ',', encoding: 'utf8' });
const rows = (ds: string[], col = 0) => ds.map((v, i) => ({ line: i + 2, fields: col === 0 ? [v, '', ''] : ['', v, ''] }));

describe('detectDateOrders', () => {
  it.each([
    [['10/20/2016', '03/04/2016'], 'MDY', []],
    [['20.10.2016', '03.04.2016'], 'DMY', []],
    [['2016-10-20', '03/03/2016'], undefined, []],
  ] as const)('%j → %s', (values, order, issues) => {
    const r = detectDateOrders(model.plan, idx(model), rows([...values]));
    const d = model.columns.find((c) => c.name === 'd')!.index;
    expect(r.orders.get(d)).toBe(order);
    expect(r.issues).toEqual(issues);
  });
  it('both orders in one column is an error naming both lines', () => {
    const r = detectDateOrders(model.plan, idx(model), rows(['10/20/2016', '', '20/10/2016']));
    expect(r.issues).toEqual([expect.objectContaining({ severity: 'error', message: 'column "d" mixes month-first and day-first dates: "10/20/2016" on line 2 and "20/10/2016" on line 4' })]);
  });
  it('only ambiguous values is a warning with a hint', () => {
    const r = detectDateOrders(model.plan, idx(model), rows(['03/04/2016', '05/06/2016']));
    expect(r.orders.size).toBe(0);
    expect(r.issues[0]).toMatchObject({ severity: 'warning', hint: 'set columns.d.date_order: DMY (or MDY), or give --date-order' });
    expect(r.issues[0]!.message).toMatch(/2 in the first 2 rows, e\.g\. "03\/04\/2016" on line 2/);
  });
});

describe('detectNumberAmbiguity', () => {
  it('warns when decimal-comma values sit beside 1.250-style ones', () => {
    const w = detectNumberAmbiguity(model.plan, idx(model), rows(['12,5', '1.250'], 1));
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/column "n" mixes decimal-comma values with ones like "1.250" \(line 3\)/);
  });
  it('says what the reader makes of the example, as parseNumber does', () => {
    const dot = detectNumberAmbiguity(model.plan, idx(model), rows(['12,5', '1.250'], 1))[0]!.message;
    expect(dot).toContain('"1.250" (line 3), which the default mode reads as 1.25 and decimal: comma as 1250 (1 in the sample)');
    const comma = detectNumberAmbiguity(model.plan, idx(model), rows(['12,5', '1,250'], 1))[0]!.message;
    expect(comma).toContain('"1,250" (line 3), which the default mode reads as 1250 and decimal: comma as 1.25 (1 in the sample)');
  });
  it('is quiet for consistent English numbers', () => {
    expect(detectNumberAmbiguity(model.plan, idx(model), rows(['1,250', '1,250,000', '3.5'], 1))).toEqual([]);
  });
});
