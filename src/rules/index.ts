// Rules text → compiled Model or positioned diagnostics: the one entry point commands use. Pure.
import type { Diagnostic } from '../errors.js';
import type { Model } from '../engine/model.js';
import { compileRules } from './compile.js';
import { lintRules } from './lint.js';
import { staticChecks } from '../plan/static-checks.js';
import { diagnosticAt, parseRules, type PartialRules, type RulesSource } from './load.js';
import type { RulesData } from './schema.js';

export interface LoadedRules {
  model?: Model;
  rules?: RulesData;
  source: RulesSource;
  /** Errors and warnings, in document order. */
  diagnostics: Diagnostic[];
}

/** Parse, validate, compile and lint a rules file's text. `model` is set only when there are no errors. */
export function loadRules(text: string, file: string): LoadedRules {
  const parsed = parseRules(text, file);
  if (!parsed.rules) {
    const diagnostics = [...parsed.diagnostics, ...partialErrors(parsed.partial, parsed.source)];
    return { source: parsed.source, diagnostics: withExcerpts(inOrder(dedupe(diagnostics)), text, file) };
  }
  const { model, issues } = compileRules(parsed.rules);
  if (model) issues.push(...lintRules(parsed.rules, model), ...staticChecks(model.plan));
  const diagnostics = inOrder([
    ...parsed.diagnostics,
    ...issues.map((i) => diagnosticAt(parsed.source, i.path, i.code, i.message, i.hint, i.severity, i.at)),
  ]);
  // Lints may find errors too (points out of range): then there is no model to run.
  const ok = model && !diagnostics.some((d) => d.severity === 'error');
  return { model: ok ? model : undefined, rules: parsed.rules, source: parsed.source, diagnostics: withExcerpts(diagnostics, text, file) };
}

/** Top-level parts whose semantic errors still hold when other parts of the file were left out. */
const LOCAL_PARTS = new Set(['criteria', 'disqualifiers', 'columns', 'matrix']);

/**
 * The semantic errors of the valid parts of a file with schema errors. Only errors local to a criterion,
 * disqualifier, column or the matrix count: model-wide checks (tier reach, group sums) would be about a file
 * that is not the user's once parts are left out.
 */
function partialErrors(partial: PartialRules | undefined, source: RulesSource): Diagnostic[] {
  if (!partial) return [];
  const { issues } = compileRules(partial.rules);
  return issues
    .filter((i) => i.severity === 'error' && LOCAL_PARTS.has(String(i.path[0])) && i.code !== 'unused-group')
    .map((i) => diagnosticAt(source, partial.documentPath(i.path), i.code, i.message, i.hint, i.severity, i.at));
}

function inOrder(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Each diagnostic in the rules file gets the text of its line, for the printer's `^`. */
function withExcerpts(ds: Diagnostic[], text: string, file: string): Diagnostic[] {
  let lines: string[] | undefined;
  for (const d of ds) {
    if (d.file !== file || !d.line) continue;
    lines ??= text.split('\n'); // as yaml's LineCounter counts lines
    const line = lines[d.line - 1];
    if (line !== undefined) d.excerpt = line;
  }
  return ds;
}
