// Rules text → compiled Model or positioned diagnostics: the one entry point commands use. Pure.
import type { Diagnostic } from '../errors.js';
import type { Model } from '../engine/model.js';
import { compileRules } from './compile.js';
import { lintRules } from './lint.js';
import { staticChecks } from '../plan/static-checks.js';
import { dedupe, diagnosticAt, parseRules, type PartialRules, type RulesSource } from './load.js';
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

/**
 * The errors that leaving parts of a file out could cause, by the top-level parts they are computed from: the
 * last tier left (`last-tier-min`), a group's maximum once its criteria or cap are gone (`unbounded-group`), or a
 * sum once a group's cap is gone (an emptied group), may be another.
 * Every other error holds in the whole file too (a duplicate, an overlap, tiers out of order, a cap below a floor,
 * a bad pattern; a criterion left out only shrinks sums).
 */
const DEPENDS_ON: Readonly<Record<string, readonly string[]>> = {
  'no-groups': ['groups'],
  'no-tiers': ['tiers', 'matrix'],
  'tier-no-min': ['tiers'],
  'last-tier-min': ['tiers'],
  'no-weight': ['groups', 'total'],
  'unbounded-group': ['groups', 'criteria', 'total'],
  'points-out-of-range': ['groups'],
};

/**
 * The semantic errors of the valid parts of a file with schema errors, model-wide ones (tiers, groups, the lints'
 * ranges) included, each at its place in the file — but not those the parts left out could have caused.
 */
function partialErrors(partial: PartialRules | undefined, source: RulesSource): Diagnostic[] {
  if (!partial) return [];
  const { model, issues } = compileRules(partial.rules);
  if (model) issues.push(...lintRules(partial.rules, model));
  return issues
    .filter((i) => i.severity === 'error' && !(DEPENDS_ON[i.code] ?? []).some((k) => partial.pruned.has(k) || partial.pruned.has('*')))
    .map((i) => diagnosticAt(source, partial.documentPath(i.path), i.code, i.message, i.hint, i.severity, i.at));
}

function inOrder(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
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
