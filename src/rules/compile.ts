// Validated rules data → the Plan (plain data, plan/build.ts) and its JavaScript lowering (engine/lower.ts). Pure.
import type { Model } from '../engine/model.js';
import { lowerPlan } from '../engine/lower.js';
import { buildPlan, type PlanIssue } from '../plan/build.js';
import type { Plan } from '../plan/types.js';
import type { RulesData } from './schema.js';

/** A problem found while compiling, at a rules path; the loader turns paths into file:line:col. */
export type CompileIssue = PlanIssue;

export interface CompileResult {
  plan?: Plan;
  model?: Model;
  issues: CompileIssue[];
}

/** Compile validated rules into a Plan and a Model. Errors leave both undefined; warnings do not. */
export function compileRules(rules: RulesData): CompileResult {
  const { plan, issues } = buildPlan(rules);
  return { plan, model: plan && lowerPlan(plan), issues };
}
