// What a rules change is, in words, from the two Plans (not from a text diff): criteria, bands, caps, weights, tiers. Pure.
import { policyText } from '../engine/trace.js';
import type { Plan, PlanCondition, PlanCriterion, PlanGroup, PlanTier } from '../plan/types.js';

/** One change between two Plans. */
export interface RulesChange {
  /** What part changed. */
  part: 'criterion' | 'band' | 'group' | 'tier' | 'matrix' | 'disqualifier' | 'total' | 'columns';
  /** added, removed, or changed. */
  change: 'added' | 'removed' | 'changed';
  /** The id or name of the part (criterion id, "criterion id / band label", group id, tier name…). */
  id: string;
  /** What of it changed (points, cap, weight, condition…), null for added/removed. */
  field: string | null;
  /** Old and new values as text, null where there is none. */
  from: string | null;
  to: string | null;
  /** The whole change as one sentence. */
  text: string;
}

const num = (x: number | null): string => (x === null ? 'none' : String(Math.round(x * 1e6) / 1e6));
const signed = (x: number): string => (x > 0 ? `+${num(x)}` : num(x));

function conditionText(c: PlanCondition | null): string {
  return c === null ? '' : c.text;
}


function decayText(plan: Plan, c: PlanCriterion): string {
  return c.decay ? `half-life ${num(c.decay.halfLifeDays)} days on ${plan.columns[c.decay.column]!.name}` : 'none';
}

function tierText(t: PlanTier): string {
  return t.min === null ? 'the rest' : `min ${num(t.min)}`;
}

/** Every change from `base` to `next`, in the order of the rules file: criteria, groups, disqualifiers, tiers. */
export function diffPlans(base: Plan, next: Plan): RulesChange[] {
  const out: RulesChange[] = [];
  const push = (part: RulesChange['part'], change: RulesChange['change'], id: string, field: string | null, from: string | null, to: string | null, text: string): void => {
    out.push({ part, change, id, field, from, to, text });
  };

  const oldCriteria = new Map(base.criteria.map((c) => [c.id, c]));
  const newCriteria = new Map(next.criteria.map((c) => [c.id, c]));
  const groupId = (p: Plan, c: PlanCriterion) => p.groups[c.group]!.id;
  for (const c of next.criteria) {
    const o = oldCriteria.get(c.id);
    if (!o) {
      push('criterion', 'added', c.id, null, null, describeCriterion(c), `criterion "${c.label}" (${c.id}) added to ${groupId(next, c)}: ${describeCriterion(c)}`);
      continue;
    }
    const field = (name: string, from: string, to: string, text: string) => {
      if (from !== to) push('criterion', 'changed', c.id, name, from, to, text);
    };
    const label = `"${c.label}"`;
    field('label', o.label, c.label, `criterion ${c.id} renamed from "${o.label}" to "${c.label}"`);
    field('group', groupId(base, o), groupId(next, c), `${label} moved from group ${groupId(base, o)} to ${groupId(next, c)}`);
    field('kind', o.kind, c.kind, `${label} now scores by ${c.kind} instead of ${o.kind}`);
    if (o.kind === c.kind && c.kind !== 'bands') {
      field('points', num(o.points), num(c.points), `${label}: ${c.kind === 'per' ? 'points per unit' : 'points'} ${signed(o.points)} → ${signed(c.points)}`);
    }
    if (c.kind === 'points' && o.kind === 'points') field('condition', conditionText(o.condition), conditionText(c.condition), `${label}: condition "${conditionText(o.condition)}" → "${conditionText(c.condition)}"`);
    if (c.kind === 'per' && o.kind === 'per') field('subject', o.per!.text, c.per!.text, `${label}: per unit of ${o.per!.text} → ${c.per!.text}`);
    if (c.kind === 'bands' && o.kind === 'bands') {
      const oldBands = new Map(o.bands.map((b) => [b.label, b]));
      for (const b of c.bands) {
        const ob = oldBands.get(b.label);
        const id = `${c.id} / ${b.label}`;
        if (!ob) push('band', 'added', id, null, null, `${conditionText(b.condition)} → ${signed(b.points)}`, `${label}: band "${b.label}" added (${conditionText(b.condition)} → ${signed(b.points)})`);
        else {
          if (ob.points !== b.points) push('band', 'changed', id, 'points', num(ob.points), num(b.points), `${label}: ${b.label} ${b.points < ob.points ? 'fell' : 'rose'} from ${signed(ob.points)} to ${signed(b.points)}`);
          if (conditionText(ob.condition) !== conditionText(b.condition)) push('band', 'changed', id, 'condition', conditionText(ob.condition), conditionText(b.condition), `${label}: band "${b.label}" "${conditionText(ob.condition)}" → "${conditionText(b.condition)}"`);
        }
      }
      for (const ob of o.bands) if (!c.bands.some((b) => b.label === ob.label)) push('band', 'removed', `${c.id} / ${ob.label}`, null, `${conditionText(ob.condition)} → ${signed(ob.points)}`, null, `${label}: band "${ob.label}" removed (was ${signed(ob.points)})`);
    }
    field('weight', num(o.weight), num(c.weight), `${label}: weight ${num(o.weight)} → ${num(c.weight)}`);
    field('cap', num(o.cap), num(c.cap), `${label}: cap ${num(o.cap)} → ${num(c.cap)}`);
    field('floor', num(o.floor), num(c.floor), `${label}: floor ${num(o.floor)} → ${num(c.floor)}`);
    field('decay', decayText(base, o), decayText(next, c), `${label}: decay ${decayText(base, o)} → ${decayText(next, c)}`);
    field('unknown', policyText(o.unknown), policyText(c.unknown), `${label}: unknown values score ${policyText(o.unknown)} → ${policyText(c.unknown)}`);
  }
  for (const o of base.criteria) {
    if (!newCriteria.has(o.id)) push('criterion', 'removed', o.id, null, describeCriterion(o), null, `criterion "${o.label}" (${o.id}) removed from ${groupId(base, o)} (was ${describeCriterion(o)})`);
  }

  const oldGroups = new Map(base.groups.map((g) => [g.id, g]));
  for (const g of next.groups) {
    const o = oldGroups.get(g.id);
    if (!o) {
      push('group', 'added', g.id, null, null, groupText(g), `group ${g.id} added (${groupText(g)})`);
      continue;
    }
    for (const [name, from, to] of [
      ['weight', num(o.weight), num(g.weight)],
      ['cap', num(o.cap), num(g.cap)],
      ['floor', num(o.floor), num(g.floor)],
    ] as const) {
      if (from !== to) push('group', 'changed', g.id, name, from, to, `group ${g.id}: ${name} ${from} → ${to}`);
    }
  }
  for (const o of base.groups) if (!next.groups.some((g) => g.id === o.id)) push('group', 'removed', o.id, null, groupText(o), null, `group ${o.id} removed`);
  if (base.total.method !== next.total.method) push('total', 'changed', 'total', 'method', base.total.method, next.total.method, `total: ${base.total.method} → ${next.total.method}`);

  const oldDq = new Map(base.disqualifiers.map((d) => [d.id, d]));
  for (const d of next.disqualifiers) {
    const o = oldDq.get(d.id);
    if (!o) push('disqualifier', 'added', d.id, null, null, d.condition.text, `disqualifier "${d.reason}" added (${d.condition.text})`);
    else {
      if (o.condition.text !== d.condition.text) push('disqualifier', 'changed', d.id, 'condition', o.condition.text, d.condition.text, `disqualifier "${d.reason}": "${o.condition.text}" → "${d.condition.text}"`);
      if (o.reason !== d.reason) push('disqualifier', 'changed', d.id, 'reason', o.reason, d.reason, `disqualifier ${d.id}: reason "${o.reason}" → "${d.reason}"`);
    }
  }
  for (const o of base.disqualifiers) if (!next.disqualifiers.some((d) => d.id === o.id)) push('disqualifier', 'removed', o.id, null, o.condition.text, null, `disqualifier "${o.reason}" removed`);

  tierChanges(base.tiers, next.tiers, 'tier', push);
  if (base.matrix || next.matrix) {
    if (!base.matrix) push('matrix', 'added', 'matrix', null, null, 'matrix', 'a tier matrix added');
    else if (!next.matrix) push('matrix', 'removed', 'matrix', null, 'matrix', null, 'the tier matrix removed');
    else {
      tierChanges(base.matrix.rows.tiers, next.matrix.rows.tiers, 'matrix', push, 'matrix rows: ');
      tierChanges(base.matrix.columns.tiers, next.matrix.columns.tiers, 'matrix', push, 'matrix columns: ');
    }
  }
  if (base.disqualifiedTier !== next.disqualifiedTier) push('tier', 'changed', 'disqualified_tier', 'name', base.disqualifiedTier, next.disqualifiedTier, `disqualified tier "${base.disqualifiedTier}" → "${next.disqualifiedTier}"`);
  return out;
}

function tierChanges(
  base: readonly PlanTier[],
  next: readonly PlanTier[],
  part: 'tier' | 'matrix',
  push: (part: RulesChange['part'], change: RulesChange['change'], id: string, field: string | null, from: string | null, to: string | null, text: string) => void,
  prefix = '',
): void {
  const old = new Map(base.map((t) => [t.name, t]));
  for (const t of next) {
    const o = old.get(t.name);
    if (!o) push(part, 'added', t.name, null, null, tierText(t), `${prefix}tier ${t.name} added (${tierText(t)})`);
    else if (o.min !== t.min) push(part, 'changed', t.name, 'min', num(o.min), num(t.min), `${prefix}tier ${t.name}: ${tierText(o)} → ${tierText(t)}`);
  }
  for (const o of base) if (!next.some((t) => t.name === o.name)) push(part, 'removed', o.name, null, tierText(o), null, `${prefix}tier ${o.name} removed`);
}

function groupText(g: PlanGroup): string {
  return `weight ${num(g.weight)}${g.cap !== null ? `, cap ${num(g.cap)}` : ''}${g.floor !== null ? `, floor ${num(g.floor)}` : ''}`;
}

/** A criterion in a few words: "industry in [software] → +15", "3 bands", "+2 per unit of visits". */
export function describeCriterion(c: PlanCriterion): string {
  if (c.kind === 'points') return `${conditionText(c.condition)} → ${signed(c.points)}`;
  if (c.kind === 'per') return `${signed(c.points)} per unit of ${c.per!.text}`;
  return c.bands.map((b) => `${b.label} ${signed(b.points)}`).join(', ');
}
