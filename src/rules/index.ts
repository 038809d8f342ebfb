// Rules text → compiled Model or positioned diagnostics: the one entry point commands use. Pure.
import type { Diagnostic } from '../errors.js';
import type { Model } from '../engine/model.js';
import { compileRules } from './compile.js';
import { lintRules } from './lint.js';
import { staticChecks } from '../plan/static-checks.js';
import { diagnosticAt, parseRules, type RulesSource } from './load.js';
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
  if (!parsed.rules) return { source: parsed.source, diagnostics: parsed.diagnostics };
  const { model, issues } = compileRules(parsed.rules);
  if (model) issues.push(...lintRules(parsed.rules, model), ...staticChecks(model.plan));
  const diagnostics = [
    ...parsed.diagnostics,
    ...issues.map((i) => diagnosticAt(parsed.source, i.path, i.code, i.message, i.hint, i.severity, i.at)),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  // Lints may find errors too (points out of range): then there is no model to run.
  const ok = model && !diagnostics.some((d) => d.severity === 'error');
  return { model: ok ? model : undefined, rules: parsed.rules, source: parsed.source, diagnostics };
}
