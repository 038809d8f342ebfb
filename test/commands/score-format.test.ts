// The added icp_ columns of `icp score`: the formatter quotes what does not change once, up front; it must write
// exactly what quoting every field on every row would write, for any delimiter, labels and --excel-safe.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addedCsvFormatter } from '../../src/commands/score-format.js';
import { bindModel } from '../../src/engine/bind.js';
import { evaluate, newEvaluation, type Evaluation } from '../../src/engine/evaluate.js';
import { dqReasons, formatCents, topReasons } from '../../src/engine/format.js';
import type { Model } from '../../src/engine/model.js';
import { csvField, excelSafe } from '../../src/io/csv-format.js';
import { parseIsoDay } from '../../src/values/index.js';
import { compile } from '../helpers.js';

/** The reference: every added value through csvField (and excelSafe), one by one. */
function reference(m: Model, e: Evaluation, d: string, safe: boolean): string {
  const values = [
    formatCents(e.scoreCents),
    e.tier,
    ...(m.matrix ? [e.matrix] : []),
    ...m.groups.map((g) => formatCents(e.groupSubtotal[g.index]!)),
    e.disqualified ? 'true' : 'false',
    e.disqualified ? dqReasons(m, e) : '',
    topReasons(m, e),
  ];
  return values.map((v) => d + csvField(safe ? excelSafe(v) : v, d)).join('');
}

const plain = `version: 1
id: id
groups:
  fit: {}
  engagement: { weight: 0.5 }
criteria:
  - { id: ind, label: Target industry, group: fit, column: industry, in: [saas], points: 12.5 }
  - { id: size, label: Company size, group: fit, column: employees, bands: [{ label: mid, between: [50, 1000], points: 8 }, { label: tiny, lt: 5, points: -4 }] }
  - { id: visits, label: Visits, group: engagement, column: visits, points_per: 1.25, cap: 10 }
disqualifiers:
  - { id: comp, column: industry, in: [competitor], reason: Competitor }
tiers:
  - { name: A, min: 15 }
  - { name: B, min: 5 }
  - { name: C }
`;

// Labels and names that need quoting with some delimiters: commas, quotes, semicolons, a leading space, a formula.
const awkward = `version: 1
id: id
groups:
  fit: { label: "Fit, firmographic" }
  engagement: { weight: 0.5 }
criteria:
  - { id: ind, label: 'Industry "core", SaaS', group: fit, column: industry, in: [saas], points: 12.5 }
  - { id: size, label: " Size; bands", group: fit, column: employees, bands: [{ label: "mid|ok", between: [50, 1000], points: 8 }, { label: "=tiny", lt: 5, points: -4 }] }
  - { id: visits, label: "@Visits", group: engagement, column: visits, points_per: 1.25, cap: 10 }
disqualifiers:
  - { id: comp, column: industry, in: [competitor], reason: "Competitor, \\"direct\\"" }
  - { id: gov, column: industry, in: [government], reason: "-Public sector" }
tiers:
  - { name: "A,1", min: 15 }
  - { name: =B, min: 5 }
  - { name: " C" }
matrix:
  rows: { group: fit, tiers: [{ name: "1;", min: 10 }, { name: "2" }] }
  columns: { group: engagement, tiers: [{ name: A, min: 2 }, { name: "\\"B" }] }
`;

describe('addedCsvFormatter', () => {
  const delimiters = [',', ';', '\t', '|', '.', '-', '5', 'e', ' ', 'A'];
  const record = fc.record({
    industry: fc.constantFrom('SaaS', 'Retail', 'competitor', 'Government', ''),
    employees: fc.constantFrom('2', '60', '5000', '', 'n/a'),
    visits: fc.constantFrom('0', '3', '40', 'x', ''),
  });

  it.each([
    ['plain labels', plain],
    ['labels that need quoting, and a matrix', awkward],
  ])('%s: writes what quoting every field would, for every delimiter, with and without --excel-safe', (_name, yaml) => {
    const m = compile(yaml);
    const header = ['id', 'industry', 'employees', 'visits'];
    const { bound } = bindModel(m, header, parseIsoDay('2026-11-01')!);
    const e = newEvaluation(m);
    fc.assert(
      fc.property(record, fc.constantFrom(...delimiters), fc.boolean(), (r, d, safe) => {
        evaluate(bound!, ['L1', r.industry, r.employees, r.visits], e);
        expect(addedCsvFormatter(m, d, safe)(e)).toBe(reference(m, e, d, safe));
      }),
      { numRuns: 400 },
    );
  });

  it('quotes reasons with a semicolon delimiter, since reasons are joined with "; "', () => {
    const m = compile(plain);
    const { bound } = bindModel(m, ['id', 'industry', 'employees', 'visits'], parseIsoDay('2026-11-01')!);
    const e = evaluate(bound!, ['L1', 'SaaS', '60', '3'], newEvaluation(m));
    expect(addedCsvFormatter(m, ';', false)(e)).toBe(';22.38;A;20.5;3.75;false;;"Target industry (+12.5); Company size: mid (+8); Visits (+1.88)"');
  });
});
