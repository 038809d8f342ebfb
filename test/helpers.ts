// Test helpers: compile rules from YAML text and score records without any file I/O.
import { loadRules } from '../src/rules/index.js';
import { bindModel } from '../src/engine/bind.js';
import { evaluate, newEvaluation } from '../src/engine/evaluate.js';
import { traceOf, type LeadTrace } from '../src/engine/trace.js';
import type { Model } from '../src/engine/model.js';
import { parseIsoDay } from '../src/values/index.js';

/** Compile rules text; throws with the diagnostics when it has errors. */
export function compile(yaml: string): Model {
  const r = loadRules(yaml, 'test.yaml');
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (!r.model || errors.length) throw new Error(errors.map((d) => `${d.line}:${d.col} ${d.message}`).join('\n'));
  return r.model;
}

/** Diagnostics of rules text, as `line:col code` strings plus messages. */
export function diagnose(yaml: string) {
  return loadRules(yaml, 'test.yaml').diagnostics;
}

/** Score one record given as a header → value map; returns the full trace. */
export function scoreOne(model: Model, record: Record<string, string>, asOf = '2026-11-01'): LeadTrace {
  const header = Object.keys(record);
  const { bound, issues } = bindModel(model, header, parseIsoDay(asOf)!);
  if (!bound) throw new Error(issues.map((i) => i.message).join('\n'));
  const e = evaluate(bound, header.map((h) => record[h]!), newEvaluation(model));
  return traceOf(bound, e);
}

/** A minimal rules file around some criteria YAML (indented as list items under `criteria:`). */
export function rulesWith(criteria: string, extra = ''): string {
  return `version: 1
id: id
groups:
  fit: {}
  engagement: {}
criteria:
${criteria}
tiers:
  - { name: A, min: 20 }
  - { name: B, min: 10 }
  - { name: C }
${extra}`;
}
