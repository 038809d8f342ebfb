// Expectations file text → validated data, every problem at file:line:col; then checks against the model. Pure.
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { closest, type Diagnostic } from '../errors.js';
import type { Model } from '../engine/model.js';
import { describePath, diagnosticAt, type RulesSource } from '../rules/load.js';
import { z as zod } from 'zod';
import { Expectation, TestCase, TestsFile, type TestCaseData, type TestsData } from './spec.js';

/** The file without its tests checked: each test is validated on its own, so every error shows at once. */
const TopLevel = TestsFile.extend({ tests: zod.array(zod.unknown()).min(1) });

export interface LoadedTests {
  /** The whole file, when it has no errors. */
  tests?: TestsData;
  /** Each test that is valid on its own (undefined where it is not), for checks against the model. */
  cases?: (TestCaseData | undefined)[];
  source: RulesSource;
  diagnostics: Diagnostic[];
}

/** Parse and validate an expectations file's text (every error at once). */
export function parseTests(text: string, file: string): LoadedTests {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source: RulesSource = { file, doc, lineCounter };
  const diagnostics: Diagnostic[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return { severity: 'error', code: `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`, message: e.message.split('\n')[0]!, file, line: pos.line, col: pos.col };
  });
  if (diagnostics.length) return { source, diagnostics };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { source, diagnostics: [{ severity: 'error', code: 'yaml-alias-count', message: (e as Error).message, file, line: 1, col: 1, hint: 'expand the aliases: an expectations file needs none' }] };
  }
  if (data === null || data === undefined) {
    return { source, diagnostics: [{ severity: 'error', code: 'empty-tests', message: 'the tests file is empty', file, line: 1, col: 1, hint: 'start with: version: 1, tests: [{ name: …, id: …, expect: { tier: A } }]' }] };
  }
  const top = TopLevel.safeParse(data, { jitless: true });
  if (!top.success) for (const issue of top.error.issues) diagnostics.push(toDiagnostic(issue, [], source));
  const raw = Array.isArray((data as { tests?: unknown }).tests) ? ((data as { tests: unknown[] }).tests) : [];
  const cases: (TestCaseData | undefined)[] = raw.map((t, i) => {
    const r = TestCase.safeParse(t, { jitless: true });
    if (!r.success) {
      for (const issue of r.error.issues) diagnostics.push(toDiagnostic(issue, ['tests', i], source));
      return undefined;
    }
    return r.data;
  });
  cases.forEach((t, i) => {
    if (!t) return;
    const path = ['tests', i];
    if ((t.id === undefined) === (t.lead === undefined)) {
      diagnostics.push(diagnosticAt(source, path, 'test-lead', `test "${t.name}" must name a lead: give either id (a lead of the fixture) or lead (column values), not ${t.id === undefined ? 'neither' : 'both'}`, 'e.g. id: L-10042, or lead: { industry: Fintech, employees: 250 }'));
    }
    if (Object.keys(t.expect).length === 0) diagnostics.push(diagnosticAt(source, [...path, 'expect'], 'empty-expectation', `test "${t.name}" expects nothing`, 'add tier, score, matrix, disqualified, reasons or criteria'));
  });
  if (!top.success) return { source, diagnostics, cases };
  const parsed = { data: { ...top.data, tests: cases } as TestsData };
  if (parsed.data.tests.some((t) => t?.id !== undefined) && parsed.data.fixture === undefined) {
    const i = parsed.data.tests.findIndex((t) => t?.id !== undefined);
    diagnostics.push(diagnosticAt(source, ['tests', i, 'id'], 'no-fixture', 'a test names a lead by id, but the file gives no fixture to find it in', 'add fixture: leads.csv (relative to this file), or write the lead inline with lead: { … }'));
  }
  return { tests: diagnostics.length ? undefined : parsed.data, source, diagnostics, cases };
}

/** Expectations that cannot hold for any lead of this model: unknown tiers, matrix cells or criterion ids. */
export function checkAgainstModel(cases: readonly (TestCaseData | undefined)[], model: Model, source: RulesSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const tiers = [...model.tiers.map((t) => t.name), model.disqualifiedTier];
  const cells = model.matrix ? [...model.matrix.rows.tiers.flatMap((r) => model.matrix!.columns.tiers.map((c) => `${r.name}${c.name}`)), model.disqualifiedTier] : [];
  const criteria = model.criteria.map((c) => c.id);
  const reasons = model.disqualifiers.map((d) => d.reason);
  const unknown = (path: (string | number)[], what: string, value: string, known: string[]): void => {
    // Tier and cell names are short and few: list them, since any one-letter name is "close" to another.
    const guess = what === 'tier' || what === 'matrix cell' ? undefined : closest(value, known);
    out.push(diagnosticAt(source, path, 'unknown-name', `${what} "${value}" is not in the rules`, guess ? `did you mean "${guess}"?` : `the rules have: ${known.join(', ') || '(none)'}`));
  };
  cases.forEach((t, i) => {
    if (!t) return;
    const p = ['tests', i, 'expect'];
    const e = t.expect;
    const tierList = e.tier === undefined ? [] : Array.isArray(e.tier) ? e.tier : [e.tier];
    tierList.forEach((name, k) => {
      if (!tiers.includes(name)) unknown(Array.isArray(e.tier) ? [...p, 'tier', k] : [...p, 'tier'], 'tier', name, tiers);
    });
    if (e.matrix !== undefined) {
      if (!model.matrix) out.push(diagnosticAt(source, [...p, 'matrix'], 'no-matrix', 'the rules define no matrix', 'remove matrix from this expectation'));
      else if (!cells.includes(e.matrix)) unknown([...p, 'matrix'], 'matrix cell', e.matrix, cells);
    }
    if (e.disqualified !== undefined && typeof e.disqualified === 'object' && !reasons.includes(e.disqualified.reason)) {
      unknown([...p, 'disqualified', 'reason'], 'disqualifier reason', e.disqualified.reason, reasons);
    }
    for (const id of Object.keys(e.criteria ?? {})) if (!criteria.includes(id)) unknown([...p, 'criteria', id], 'criterion', id, criteria);
  });
  return out;
}

type Issue = z.core.$ZodIssue;

function toDiagnostic(issue: Issue, base: (string | number)[], source: RulesSource): Diagnostic {
  const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
  const where = describePath(path) || 'the tests file';
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const allowed = Object.keys((path.length === 0 ? TestsFile : path.length === 2 ? TestCase : Expectation).shape);
    const guess = closest(key, allowed);
    return diagnosticAt(source, [...path, key], 'unknown-key', `unknown key "${issue.keys.join('", "')}" in ${where}`, guess ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`, 'error', 'key');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const parent = path.slice(0, -1);
    return diagnosticAt(source, parent, 'missing-key', `${describePath(parent) || 'the tests file'} is missing the required key "${String(path[path.length - 1])}"`, `add "${String(path[path.length - 1])}: …"`);
  }
  return diagnosticAt(source, path, 'invalid', `${where}: ${issue.message}`);
}
