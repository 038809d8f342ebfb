// Per-cell memoisation: the memo is bounded and gives up on cells that never repeat, and — what matters — scoring
// with it gives exactly what scoring without it gives, on every row, for every criterion kind.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ColumnMemo, MEMO_MAX_KEY, MEMO_MIN_ENTRIES, MEMO_TOTAL_ENTRIES, MEMO_WINDOW, MemoBudget, memoBudget } from '../../src/engine/memo.js';
import { bindModel } from '../../src/engine/bind.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import { traceOf } from '../../src/engine/trace.js';
import type { Model } from '../../src/engine/model.js';
import { SummaryStats } from '../../src/report/stats.js';
import { loadRules } from '../../src/rules/index.js';
import { parseIsoDay } from '../../src/values/index.js';
import { compile } from '../helpers.js';
import { ROOT } from '../cli/harness.js';


describe('ColumnMemo', () => {
  it('gives one entry per exact cell text: whitespace and case are different cells', () => {
    const m = new ColumnMemo(1000);
    const a = m.entry('SaaS');
    expect(a).toBeDefined();
    expect(m.entry('SaaS')).toBe(a);
    expect(m.entry(' SaaS')).not.toBe(a);
    expect(m.entry('saas')).not.toBe(a);
    expect(m.size).toBe(3);
  });

  it('does not keep cells longer than MEMO_MAX_KEY', () => {
    const m = new ColumnMemo(1000);
    expect(m.entry('x'.repeat(MEMO_MAX_KEY + 1))).toBeUndefined();
    expect(m.entry('x'.repeat(MEMO_MAX_KEY))).toBeDefined();
  });

  it('holds at most maxEntries cells, and keeps answering for those it holds', () => {
    const m = new ColumnMemo(100);
    const first = m.entry('v0');
    // Repeat v0 between new values so that the hit rate stays high enough to keep the memo on.
    for (let i = 1; i < 200; i++) {
      m.entry(`v${i}`);
      m.entry('v0');
    }
    expect(m.on).toBe(true);
    expect(m.size).toBe(100);
    expect(m.entry('v150')).toBeUndefined();
    expect(m.entry('v0')).toBe(first);
  });

  it('sizes one budget for all the columns, a quarter of it at most for one, with a floor per column', () => {
    expect(memoBudget(0)).toEqual({ total: MEMO_TOTAL_ENTRIES, perColumn: MEMO_TOTAL_ENTRIES });
    expect(memoBudget(1)).toEqual({ total: MEMO_TOTAL_ENTRIES, perColumn: MEMO_TOTAL_ENTRIES });
    expect(memoBudget(2)).toEqual({ total: MEMO_TOTAL_ENTRIES, perColumn: MEMO_TOTAL_ENTRIES / 2 });
    expect(memoBudget(26)).toEqual({ total: MEMO_TOTAL_ENTRIES, perColumn: MEMO_TOTAL_ENTRIES / 4 });
    // Wide: every column can still keep MEMO_MIN_ENTRIES cells.
    expect(memoBudget(10_000)).toEqual({ total: MEMO_MIN_ENTRIES * 10_000, perColumn: MEMO_MIN_ENTRIES * 2_500 });
    for (const n of [1, 3, 7, 26, 40, 300]) {
      const { total, perColumn } = memoBudget(n);
      expect(perColumn).toBeGreaterThanOrEqual(Math.floor(total / n)); // never less than an equal share
      expect(total).toBeGreaterThanOrEqual(MEMO_MIN_ENTRIES * n);
    }
  });

  it('shares the budget first come first served: a column that needs few cells leaves them to another', () => {
    const budget = new MemoBudget(100);
    const few = new ColumnMemo(80, 0, 0, budget);
    const many = new ColumnMemo(80, 0, 0, budget);
    for (let i = 0; i < 10; i++) few.entry(`stage${i}`);
    for (let i = 0; i < 200; i++) many.entry(`date${i}`);
    expect(few.size).toBe(10);
    expect(many.size).toBe(80); // its own cap, more than an equal share of 50
    expect(budget.left).toBe(10);
    const third = new ColumnMemo(80, 0, 0, budget);
    for (let i = 0; i < 50; i++) third.entry(`size${i}`);
    expect(third.size).toBe(10); // what is left, no more: the total stays bounded
    expect(budget.left).toBe(0);
    expect(third.entry('size49')).toBeUndefined();
    expect(third.entry('size0')).toBeDefined();
  });

  it('gives its cells back to the budget when it turns itself off', () => {
    const budget = new MemoBudget(1000);
    const ids = new ColumnMemo(600, 0, 0, budget);
    const dates = new ColumnMemo(600, 0, 0, budget);
    for (let i = 0; i < 500; i++) dates.entry(`d${i}`);
    for (let i = 0; i < 500; i++) ids.entry(`lead${i}`);
    expect(budget.left).toBe(0);
    expect(dates.entry('d500')).toBeUndefined(); // nothing left
    for (let i = 500; i < MEMO_WINDOW; i++) ids.entry(`lead${i}`);
    expect(ids.on).toBe(false);
    expect(budget.left).toBe(500);
    expect(dates.entry('d500')).toBeDefined();
    expect(budget.left).toBe(499);
  });

  it('turns itself off when cells do not repeat (e-mail addresses, timestamps)', () => {
    const m = new ColumnMemo(1000);
    for (let i = 0; i < MEMO_WINDOW; i++) m.entry(`lead${i}@example.com`);
    expect(m.on).toBe(false);
    expect(m.size).toBe(0);
    expect(m.entry('lead1@example.com')).toBeUndefined();
  });

  it('stays on when enough lookups hit (here half)', () => {
    const m = new ColumnMemo(1000);
    for (let i = 0; i < 3 * MEMO_WINDOW; i++) m.entry(i % 2 === 0 ? 'repeated' : `unique${i}`);
    expect(m.on).toBe(true);
  });
});

/** Score every row with and without memoisation; return both runs' traces and summaries. */
function scoreBoth(model: Model, header: string[], rows: string[][], asOf: string) {
  const run = (memo: boolean) => {
    const { bound, issues } = bindModel(model, header, parseIsoDay(asOf)!, { memo });
    if (!bound) throw new Error(issues.map((i) => i.message).join('\n'));
    const e = newEvaluation(model);
    const stats = new SummaryStats(model);
    const traces = rows.map((fields) => {
      evaluate(bound, fields, e);
      stats.add(e, bound.row);
      return JSON.stringify(traceOf(bound, e));
    });
    return { traces, summary: stats.result({ input: 'x', rules: 'y', asOf, headers: bound.headers, warnings: [] }) };
  };
  return { on: run(true), off: run(false) };
}

function expectSame(r: ReturnType<typeof scoreBoth>) {
  expect(r.on.traces.length).toBe(r.off.traces.length);
  for (let i = 0; i < r.on.traces.length; i++) if (r.on.traces[i] !== r.off.traces[i]) expect({ row: i, trace: r.on.traces[i] }).toEqual({ row: i, trace: r.off.traces[i] });
  expect(r.on.summary).toEqual(r.off.summary);
}

function modelOf(path: string): Model {
  const r = loadRules(readFileSync(path, 'utf8'), path);
  if (!r.model) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return r.model;
}

describe('scoring with memoisation is scoring without it', () => {
  it('on the benchmark model (every criterion kind) and 6,000 generated leads', () => {
    // Enough rows for unique columns to turn their memo off, and for sizes to fill a memo to its bound.
    const csv = join(mkdtempSync(join(tmpdir(), 'icp-memo-')), 'leads.csv');
    const gen = spawnSync(process.execPath, ['scripts/bench-data.mjs', '6000', csv], { cwd: ROOT, encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const [header, ...rows] = parse(readFileSync(csv, 'utf8'), { relaxColumnCount: true }) as string[][];
    const model = modelOf(join(ROOT, 'bench', 'rules.yaml'));
    // The generator writes month-first conversion dates, as the rules say; detection is not under test here.
    expectSame(scoreBoth(model, header!, rows, '2026-11-01'));
  });

  it.each(['b2b-saas', 'agency', 'bant'])('on the %s template and the bundled example', (template) => {
    const [header, ...rows] = parse(readFileSync(join(ROOT, 'examples', 'leads.csv'), 'utf8')) as string[][];
    const model = modelOf(join(ROOT, 'rules', `${template}.yaml`));
    const names = new Set(header);
    // Templates name columns the example may lack; score only what binds (the example is made for b2b-saas).
    const missing = model.columns.filter((c) => c.used && c.required && !c.aliases.some((a) => names.has(a)));
    for (const c of missing) model.plan.columns[c.index]!.required = false;
    expectSame(scoreBoth(model, header!, rows, '2026-11-01'));
  });

  it('on messy cells drawn from small pools, so that most lookups hit', () => {
    const model = compile(`version: 1
id: id
columns:
  industry: { aliases: [industry], separator: [";", "|"], synonyms: { software: [saas, "computer software"] } }
  employees: { aliases: [employees] }
  seen: { aliases: [seen] }
  active: { aliases: [active] }
groups:
  fit: { cap: 30, unknown: { policy: neutral, share: 0.5 } }
  engagement: { decay: { date: seen, half_life_days: 30 }, unknown: penalty }
criteria:
  - { id: ind, group: fit, column: industry, in: [software, fintech], points: 10 }
  - { id: size, group: fit, column: employees, bands: [{ label: small, between: [1, 50], points: 2 }, { label: mid, between: [50, 1000], points: 8 }] }
  - { id: per, group: fit, column: employees, points_per: 0.01, cap: 5 }
  - { id: many, group: fit, value: { count: industry }, gte: 2, points: 3 }
  - { id: recent, group: engagement, column: seen, within_days: 60, points: 10 }
  - { id: on, group: engagement, column: active, is: true, points: 4 }
  - { id: both, group: engagement, all: [{ column: active, is: true }, { column: industry, in: [software] }], points: 2 }
disqualifiers:
  - { id: gov, column: industry, in: [government], reason: Public sector }
tiers:
  - { name: A, min: 20 }
  - { name: B }
`);
    const pool = <T>(xs: T[]) => fc.constantFrom(...xs);
    const row = fc.tuple(
      pool(['SaaS', ' saas ', 'Computer Software', 'Fintech;SaaS', 'retail|fintech', 'Government', '', 'N/A', 'SAAS']),
      pool(['10', '1,200', ' 75 ', '49.5', 'lots', '', '2k', '(5)', '50']),
      pool(['2026-10-30', '10/15/2026', '2026-01-01 10:00', '', 'yesterday', '2026-11-01T08:00:00Z']),
      pool(['yes', 'no', 'TRUE', '1', '', 'maybe', ' x ']),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 300 }), (cells) => {
        const rows = cells.map((c, i) => [`L${i}`, ...c]);
        expectSame(scoreBoth(model, ['id', 'industry', 'employees', 'seen', 'active'], rows, '2026-11-01'));
      }),
      { numRuns: 60 },
    );
  });
});
