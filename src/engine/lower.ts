// The JavaScript lowering of a Plan: plain data in, the closures the evaluator runs out. Pure, and light (no
// validator, no YAML): a worker thread lowers the Plan it is sent instead of compiling the rules again.
import { PLAN_OPERATORS, type ReadTests } from '../ops/operators.js';
import { perBound } from '../ops/points.js';
import { FALSE, TRUE, UNKNOWN, kleeneAll, kleeneAny, kleeneNot } from '../ops/truth.js';
import type { Plan, PlanCondition, PlanCriterion, PlanDerived, PlanLeaf, PlanSubject, PlanTier } from '../plan/types.js';
import type { CompiledCondition, CondFn, CriterionModel, Model, NumFn, Threshold } from './model.js';

/** Lower a Plan to closures over a Row. */
export function lowerPlan(plan: Plan): Model {
  const derived = plan.derived.map(lowerDerived);
  const number = (s: PlanSubject): NumFn => {
    if (s.type === 'derived') return derived[s.derived]!;
    const col = s.column;
    return (row) => row.num(col);
  };
  const condition = (c: PlanCondition): CompiledCondition => ({ fn: lowerCondition(c, derived), text: c.text, columns: c.columns });
  const tiers = (list: readonly PlanTier[]): Threshold[] => list.map((t) => ({ name: t.name, label: t.label ?? undefined, min: t.min ?? -Infinity }));

  return {
    plan,
    name: plan.name ?? undefined,
    idColumn: plan.idColumn,
    columns: plan.columns.map((c) => ({
      index: c.index,
      name: c.name,
      aliases: c.aliases,
      required: c.required,
      separators: c.separators,
      synonyms: new Map(c.synonyms),
      kinds: new Set(c.kinds),
      used: c.used,
      path: c.path,
    })),
    placeholders: plan.placeholders,
    groups: plan.groups.map((g) => ({
      index: g.index,
      id: g.id,
      label: g.label,
      weight: g.weight,
      cap: g.cap ?? undefined,
      floor: g.floor ?? undefined,
      max: g.max ?? Infinity,
      min: g.min ?? -Infinity,
      multiplier: g.multiplier,
      criteria: g.criteria,
    })),
    criteria: plan.criteria.map((c) => lowerCriterion(c, condition, number, plan.groups[c.group]!.multiplier)),
    disqualifiers: plan.disqualifiers.map((d) => ({ index: d.index, id: d.id, reason: d.reason, cond: condition(d.condition) })),
    totalMethod: plan.total.method,
    tiers: tiers(plan.tiers),
    matrix: plan.matrix ? { rows: { group: plan.matrix.rows.group, tiers: tiers(plan.matrix.rows.tiers) }, columns: { group: plan.matrix.columns.group, tiers: tiers(plan.matrix.columns.tiers) } } : undefined,
    disqualifiedTier: plan.disqualifiedTier,
    reasons: plan.reasons,
  };
}

function lowerCriterion(c: PlanCriterion, condition: (c: PlanCondition) => CompiledCondition, number: (s: PlanSubject) => NumFn, multiplier: number): CriterionModel {
  // Every criterion gets the same properties in the same order, whatever its form: the evaluator reads them on
  // every row, and objects of one shape keep V8's property accesses there monomorphic.
  return {
    index: c.index,
    id: c.id,
    label: c.label,
    group: c.group,
    kind: c.kind,
    cond: c.condition ? condition(c.condition) : undefined,
    points: c.points,
    bands: c.bands.map((b) => ({ label: b.label, points: b.points, cond: condition(b.condition) })),
    perSubject: c.per ? { fn: number(c.per.subject), text: c.per.text, columns: c.columns } : undefined,
    columns: c.columns,
    weight: c.weight,
    cap: c.cap ?? undefined,
    floor: c.floor ?? undefined,
    decay: c.decay ? { column: c.decay.column, halfLifeDays: c.decay.halfLifeDays } : undefined,
    unknown: c.unknown,
    unknownPoints: c.unknownPoints,
    perBound: c.per ? perBound(c.weight, multiplier) : Infinity,
    maxPoints: c.maxPoints ?? Infinity,
    minPoints: c.minPoints ?? -Infinity,
    path: c.path,
  };
}

function lowerDerived(d: PlanDerived): NumFn {
  const [a, b] = d.args as [number, number];
  switch (d.fn) {
    case 'ratio':
      return (row) => {
        const den = row.num(b);
        return den === 0 ? NaN : row.num(a) / den;
      };
    case 'difference':
      return (row) => row.num(a) - row.num(b);
    case 'days_between':
      return (row) => row.day(b) - row.day(a);
    case 'days_since':
      return (row) => row.asOf - row.day(a);
    case 'count':
      return (row) => (row.isMissing(a) ? NaN : row.values(a).length);
  }
}

function lowerCondition(c: PlanCondition, derived: readonly NumFn[]): CondFn {
  if (c.type === 'leaf') return lowerLeaf(c, derived);
  if (c.type === 'not') {
    const inner = lowerCondition(c.of[0], derived);
    return (row) => kleeneNot(inner(row));
  }
  const parts = c.of.map((p) => lowerCondition(p, derived));
  return c.type === 'all' ? (row) => kleeneAll(parts, row) : (row) => kleeneAny(parts, row);
}

/**
 * A leaf: read the subject as the kind the operator needs, UNKNOWN when it does not read so (the one rule of
 * unknown values, per kind of reading, never per operator), else the operator's comparison.
 */
function lowerLeaf(leaf: PlanLeaf, derived: readonly NumFn[]): CondFn {
  const test = (PLAN_OPERATORS[leaf.op].test as (arg: PlanLeaf['arg']) => ReadTests[keyof ReadTests])(leaf.arg);
  const s = leaf.subject;
  if (leaf.reads === 'number') {
    const t = test as ReadTests['number'];
    if (s.type === 'derived') {
      const f = derived[s.derived]!;
      return (row) => {
        const x = f(row);
        return x !== x ? UNKNOWN : t(x) ? TRUE : FALSE;
      };
    }
    const col = s.column;
    return (row) => {
      const x = row.num(col);
      return x !== x ? UNKNOWN : t(x) ? TRUE : FALSE;
    };
  }
  if (s.type !== 'column') throw new Error(`unreachable: ${leaf.op} on a derived value`);
  const col = s.column;
  switch (leaf.reads) {
    case 'date': {
      const t = test as ReadTests['date'];
      return (row) => {
        const d = row.day(col);
        const asOf = row.asOf;
        return d !== d || asOf !== asOf ? UNKNOWN : t(d, asOf) ? TRUE : FALSE;
      };
    }
    case 'multi': {
      const t = test as ReadTests['multi'];
      return (row) => (row.isMissing(col) ? UNKNOWN : t(row.text(col), row.multi(col) ? row.values(col) : null) ? TRUE : FALSE);
    }
    case 'text': {
      const t = test as ReadTests['text'];
      return (row) => (row.isMissing(col) ? UNKNOWN : t(row.raw(col)!) ? TRUE : FALSE);
    }
    case 'bool': {
      const t = test as ReadTests['bool'];
      return (row) => {
        const b = row.bool(col);
        return b < 0 ? UNKNOWN : t(b === 1) ? TRUE : FALSE;
      };
    }
    case 'presence': {
      const t = test as ReadTests['presence'];
      return (row) => (t(!row.isMissing(col)) ? TRUE : FALSE);
    }
  }
}
