// Property: whatever the header and the values, the starter init writes loads, compiles without errors or
// lint warnings, binds to the export it came from, and scores every row of it.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { bindModel } from '../../src/engine/bind.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import { draftRules } from '../../src/init/draft.js';
import { profileExport } from '../../src/init/profile.js';
import { headerKeys } from '../../src/io/csv-reader.js';
import { loadRules } from '../../src/rules/index.js';

// Strings that break naive YAML writing: quotes, ": ", "#", leading/trailing spaces, YAML 1.1/1.2 words, flow
// indicators, anchors, tags, document markers, unicode, and CRM headers init recognises.
const TRICKY = [
  'sales_price', 'label: "x" given', 'a: b', '# not a comment', ' leading', 'trailing ', 'yes', 'no', 'null', '~', 'true', 'NO',
  'on', 'off', '0x1F', '1e3', '.inf', '-', '--', '---', '...', '?', ':', '[x]', '{y}', '&anchor', '*alias', '!tag', '%dir', '@at',
  '`tick`', "it's", '"q"', 'a, b', 'x;y', 'Zażółć gęślą', '日本語', 'emoji 🚀', 'tab\there', '__proto__', 'constructor', 'Email', 'Industry',
  'Number of Employees', 'Annual Revenue', 'Country', 'Lifecycle Stage', 'Last Activity Date', 'Website Visits', 'Webinar Attended',
  'Do Not Email', 'Budget', 'Buying Role', 'Purchase Timeline', 'Need', 'Job Title', 'Converted', 'deal_stage', 'close_date', 'y',
  'Record ID', 'won_date', 'Lead Quality', '', ' ', 'Unknown', 'N/A', 'Select', 'id', 'ID', 'Id#2', 'column_1',
];
const VALUES = [
  ...TRICKY, '0', '1', '12', '550', '4821', '1,250,000', '1.250.000,50', '$5M', '2.5k', '-3', '1e400', '2026-10-01', '10/20/2016',
  '20/10/2016', '03/04/2016', 'Won', 'Lost', 'Customer', 'Decision Maker', 'Influencer', 'Marketing Qualified Lead', '0-3 months',
  'anna@acme.com', 'piotr@gmail.com', 'CEO', 'VP Sales', 'Yes', 'TRUE', 'x', 'SaaS; Fintech', 'Software', 'Poland', 'unknown',
];

const header = fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { minLength: 1, maxLength: 8 });
const cell = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VALUES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1e7 }).map(String) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
);

function draftAndScore(names: string[], cells: string[][]): void {
  const { keys } = headerKeys(names);
  const rows = cells.map((r, i) => ({ line: i + 2, fields: keys.map((_, j) => r[j % r.length] ?? '') }));
  const draft = draftRules(profileExport({ file: 'export.csv', header: keys, rows }), { schemaPath: './schema.json' });
  const text = draft.text;
  // Plain YAML first: any reader gets the same data as icp.
  const plain = parseDocument(text);
  expect(plain.errors).toEqual([]);
  const loaded = loadRules(text, 'icp.yaml');
  const problems = loaded.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.col} ${d.message}`);
  expect(problems, text).toEqual([]);
  const model = loaded.model!;
  const { bound, issues } = bindModel(model, keys, 20400);
  expect(issues.filter((i) => i.severity === 'error'), text).toEqual([]);
  const ev = newEvaluation(model);
  for (const r of rows) {
    evaluate(bound!, r.fields, ev);
    expect(Number.isFinite(ev.scoreCents)).toBe(true);
  }
  // The id: a column every sampled row has a different value in, or the line number.
  if (draft.id === null) expect(loaded.rules!.id).toEqual({ line_number: true });
  else {
    const i = keys.indexOf(draft.id);
    if (rows.length > 0) expect(new Set(rows.map((r) => r.fields[i]!.trim())).size).toBe(rows.length);
  }
}

describe('init --from: every generated file loads, validates and scores its export', () => {
  it('random headers and values', () => {
    fc.assert(
      fc.property(header, fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { maxLength: 30 }), (names, cells) => draftAndScore(names, cells)),
      { numRuns: 200 },
    );
  });

  it('random headers with a few values per column (categories, so that roles are recognised)', () => {
    const pools = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(header, pools, fc.array(fc.nat(), { maxLength: 40 }), (names, pool, picks) => {
        const cells = picks.map((k, r) => pool.map((values, c) => values[(k + r * (c + 1)) % values.length]!));
        draftAndScore(names, cells);
      }),
      { numRuns: 200 },
    );
  });

  it('the smallest case of issue 14: a header that needs quoting', () => {
    draftAndScore(['series', 'sales_price'], [['GTX', '550'], ['MG', '4821']]);
    draftAndScore(['label: "sales_price" given', '# x'], [['a: b', 'yes'], ['~', 'null']]);
  });

  it('recognised columns with YAML-hostile values', () => {
    const names = ['Record ID', 'Industry', 'Country', 'Lifecycle Stage', 'Buying Role', 'Purchase Timeline', 'Number of Employees', 'Webinar Attended'];
    const hostile = ['yes', 'null', '~', ': x', '#1', ' lead', 'a, b', '[x]', 'Zażółć', '"q"', "it's", '&a', '*b', '!c'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...hostile), fc.constantFrom(...hostile), fc.constantFrom('Decision Maker', ...hostile), fc.constantFrom('0-3 months', ...hostile), fc.integer({ min: 1, max: 5000 }), fc.constantFrom('Yes', 'No')), { minLength: 1, maxLength: 40 }), (rows) => {
        const cells = rows.map(([a, b, c, d, n, f], i) => [`L-${i}`, a, b, 'Customer', c, d, String(n), f]);
        draftAndScore(names, cells);
      }),
      { numRuns: 100 },
    );
  });
});

describe('init --from: the stage criterion and the customer disqualifier never overlap', () => {
  it('an export whose only stage is Customer gets the disqualifier and no "qualified stage" (found by the property above)', () => {
    const names = ['Record ID', 'Lifecycle Stage', 'Webinar Attended'];
    const cells = Array.from({ length: 20 }, (_, i) => [`L-${i}`, 'Customer', i % 2 ? 'Yes' : 'No']);
    const { keys } = headerKeys(names);
    const draft = draftRules(profileExport({ file: 'export.csv', header: keys, rows: cells.map((fields, i) => ({ line: i + 2, fields })) }), {});
    const loaded = loadRules(draft.text, 'icp.yaml');
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.rules!.disqualifiers?.map((d) => d.id)).toEqual(['existing_customer']);
    expect(loaded.rules!.criteria.map((c) => c.id)).not.toContain('qualified_stage');
  });
});

describe('init --from: a rate from a tiny median stays finite', () => {
  it('a count column whose median is 2.8e-308 gets a finite points_per (the property test found .inf)', () => {
    const names = ['', 'Website Visits', ''];
    const cells = [['sales_price'], ['0', '2.781342323134002e-308', 'sales_price'], ['sales_price']];
    draftAndScore(names, cells);
  });
});
