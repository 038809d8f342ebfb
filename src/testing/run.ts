// Running expectations: inline leads are scored here, fixture leads arrive traced; each test passes or fails. Pure.
import { bindModel } from '../engine/bind.js';
import { evaluate, newEvaluation } from '../engine/evaluate.js';
import type { Model } from '../engine/model.js';
import { traceOf, type LeadTrace } from '../engine/trace.js';
import { checkLead, describeExpectation, type CheckFailure } from './check.js';
import type { TestCaseData, TestsData } from './spec.js';

/** The outcome of one test. */
export interface TestResult {
  /** Index in the file's tests list (its rules-file path is ['tests', index]). */
  index: number;
  name: string;
  /** How the lead was named: 'id L-10042' or 'inline'. */
  lead: string;
  /** The expectation in words. */
  expects: string;
  passed: boolean;
  failures: CheckFailure[];
  /** The lead's trace (null when the id was not found in the fixture). */
  trace: LeadTrace | null;
  /** Why the test could not run (the id is not in the fixture), else null. */
  error: string | null;
}

export interface TestRun {
  results: TestResult[];
  passed: number;
  failed: number;
}

/**
 * The header and cells of an inline lead: its keys as given (a declared column's logical name stands for its
 * first alias), then every other column the rules read, empty — as a blank cell of an export, so it is unknown.
 */
export function inlineRecord(model: Model, lead: Record<string, string | number | boolean>): { header: string[]; fields: string[] } {
  const byName = new Map(model.columns.map((c) => [c.name, c]));
  const header: string[] = [];
  const fields: string[] = [];
  for (const [k, v] of Object.entries(lead)) {
    const col = byName.get(k);
    header.push(col && col.path[0] === 'columns' ? col.aliases[0]! : k);
    fields.push(String(v));
  }
  const first = bindModel(model, header, 0);
  for (const issue of first.issues) {
    if (issue.code !== 'missing-column') continue;
    const col = byName.get(issue.column);
    if (col) {
      header.push(col.aliases[0]!);
      fields.push('');
    }
  }
  return { header, fields };
}

/** Score an inline lead: its full trace, as `icp explain --format json` would give for it in an export. */
export function traceInline(model: Model, lead: Record<string, string | number | boolean>, asOfDay: number): LeadTrace {
  const { header, fields } = inlineRecord(model, lead);
  const { bound, issues } = bindModel(model, header, asOfDay);
  if (!bound) throw new Error(`an inline lead does not bind: ${issues.map((i) => i.message).join('; ')}`);
  return traceOf(bound, evaluate(bound, fields, newEvaluation(model)));
}

/**
 * Run every test of `tests`. `fixture`: the traces of the leads named by id, by id (undefined: not in the
 * fixture). Inline leads are scored with `model` as of `asOfDay`.
 */
export function runTests(model: Model, tests: TestsData, fixture: ReadonlyMap<string, LeadTrace | undefined>, asOfDay: number): TestRun {
  const results = tests.tests.map((t, index) => runOne(model, t, index, fixture, asOfDay));
  const passed = results.filter((r) => r.passed).length;
  return { results, passed, failed: results.length - passed };
}

function runOne(model: Model, t: TestCaseData, index: number, fixture: ReadonlyMap<string, LeadTrace | undefined>, asOfDay: number): TestResult {
  const expects = describeExpectation(t.expect);
  const base = { index, name: t.name, expects };
  if (t.id !== undefined) {
    const trace = fixture.get(t.id.trim());
    if (!trace) return { ...base, lead: `id ${t.id}`, passed: false, failures: [], trace: null, error: `lead "${t.id}" is not in the fixture` };
    const failures = checkLead(trace, t.expect);
    return { ...base, lead: `id ${t.id}`, passed: failures.length === 0, failures, trace, error: null };
  }
  const trace = traceInline(model, t.lead!, asOfDay);
  const failures = checkLead(trace, t.expect);
  return { ...base, lead: 'inline', passed: failures.length === 0, failures, trace, error: null };
}
