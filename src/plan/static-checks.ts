// Static checks of a Plan that need no data: what no lead can ever reach or use. Pure: Plan in, issues at rules paths out.
//
// Each check is sound, never a guess: it reports only what holds for every possible lead. A condition "implies"
// another only where that follows from the canonical leaves (same subject; a list within a list, an interval
// within an interval, or the same leaf), so most real pairs are simply not compared.
import type { Plan, PlanCondition, PlanLeaf, PlanTier } from './types.js';
import { boundOf } from './bounds.js';
import type { PlanIssue } from './build.js';

const EPS = 1e-9;
const r2 = (x: number): string => String(Math.round(x * 100) / 100);

/** The reachable range of the total and of every group, as `icp validate` shows it (null = unbounded). */
export interface Reach {
  total: { min: number | null; max: number | null };
  groups: { id: string; min: number | null; max: number | null; weight: number; multiplier: number }[];
}

export function reachOf(plan: Plan): Reach {
  // Six decimals: the sums behind a weighted average's 100 are not exact in floating point (99.99999999999999).
  const r = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e6) / 1e6);
  return {
    total: { min: r(plan.total.range.min), max: r(plan.total.range.max) },
    groups: plan.groups.filter((g) => g.criteria.length > 0).map((g) => ({ id: g.id, min: r(g.min), max: r(g.max), weight: g.weight, multiplier: r(g.multiplier)! })),
  };
}

/**
 * Warnings, each with the rules path it is about: `capped-off` (points a cap always cuts off), `dead-criterion` /
 * `dead-band` (they match only leads a disqualifier rules out, so their points never reach a tier),
 * `redundant-disqualifier` (every lead it rules out another already does), `unreachable-matrix-cell`.
 */
export function staticChecks(plan: Plan): PlanIssue[] {
  const out: PlanIssue[] = [];
  const warn = (path: (string | number)[], code: string, message: string, hint?: string): void => {
    out.push({ severity: 'warning', code, path, message, hint });
  };

  for (const g of plan.groups) {
    for (const ci of g.criteria) {
      const c = plan.criteria[ci]!;
      // The cap of the criterion itself: nothing above it ever counts, so positive points never do when it is ≤ 0.
      const wants = c.kind === 'bands' ? Math.max(...c.bands.map((b) => b.points)) * c.weight : c.points * c.weight;
      if (wants > 0 && c.cap !== null && c.cap <= 0) {
        warn([...c.path, 'cap'], 'capped-off', `criterion "${c.id}" has cap ${r2(c.cap)}, so its positive points never count`, 'raise the cap above 0, or remove it');
        continue;
      }
      if (boundOf(c.maxPoints, 'max') <= 0) continue;
      // The group's cap, reached by the other criteria whatever the lead: their least points already fill it.
      if (g.cap !== null) {
        let others = 0;
        for (const k of g.criteria) if (k !== ci) others += boundOf(plan.criteria[k]!.minPoints, 'min');
        if (others >= g.cap - EPS) {
          warn(c.path, 'capped-off', `criterion "${c.id}" never adds to group "${g.id}": the other criteria give at least ${r2(others)}, which already reaches its cap of ${r2(g.cap)}`, `raise the cap of "${g.id}", or lower the points of its other criteria`);
        }
      }
    }
  }

  for (const c of plan.criteria) {
    if (c.kind === 'points' && c.condition && c.points * c.weight > 0) {
      const d = plan.disqualifiers.find((q) => implies(c.condition!, q.condition));
      if (d) warn(c.path, 'dead-criterion', `criterion "${c.id}" matches only leads that disqualifier "${d.id}" rules out, so its points never reach a tier`, `remove it, or narrow the disqualifier "${d.reason}"`);
    }
    if (c.kind === 'bands') {
      for (const b of c.bands) {
        if (b.points * c.weight <= 0) continue;
        const d = plan.disqualifiers.find((q) => implies(b.condition, q.condition));
        if (d) warn(b.path, 'dead-band', `band "${b.label}" of criterion "${c.id}" matches only leads that disqualifier "${d.id}" rules out`, `remove the band, or narrow the disqualifier "${d.reason}"`);
      }
    }
  }

  plan.disqualifiers.forEach((d, i) => {
    const by = plan.disqualifiers.find((o, k) => k !== i && implies(d.condition, o.condition) && !(k > i && implies(o.condition, d.condition)));
    if (by) warn(d.path, 'redundant-disqualifier', `every lead disqualifier "${d.id}" rules out, "${by.id}" already does`, `remove "${d.id}", or keep it only for its reason text (both reasons are written)`);
  });

  if (plan.matrix) {
    const range = (group: number) => ({ min: boundOf(plan.groups[group]!.min, 'min'), max: boundOf(plan.groups[group]!.max, 'max') });
    const axis = (a: { group: number; tiers: PlanTier[] }) => a.tiers.map((t, i) => ({ name: t.name, interval: tierInterval(a.tiers, i) }));
    const rows = axis(plan.matrix.rows);
    const cols = axis(plan.matrix.columns);
    const rowRange = range(plan.matrix.rows.group);
    const colRange = range(plan.matrix.columns.group);
    const sameGroup = plan.matrix.rows.group === plan.matrix.columns.group;
    const dead: string[] = [];
    for (const r of rows) {
      for (const c of cols) {
        // One group on both axes: its one subtotal must fall in both tiers' intervals at once.
        const ok = sameGroup
          ? intersects({ lo: Math.max(r.interval.lo, c.interval.lo), hi: Math.min(r.interval.hi, c.interval.hi) }, rowRange)
          : intersects(r.interval, rowRange) && intersects(c.interval, colRange);
        if (!ok) dead.push(`${r.name}${c.name}`);
      }
    }
    if (dead.length) {
      const all = dead.length === rows.length * cols.length;
      warn(['matrix'], 'unreachable-matrix-cell', all ? 'no matrix cell can be reached' : `${dead.length} matrix cell${dead.length === 1 ? '' : 's'} no lead can reach: ${dead.join(', ')}`, 'check the matrix tiers against the reachable range of their groups (icp validate shows it)');
    }
  }
  return out;
}

/** The scores that take tier i: [min_i, min_{i-1}) best first; the first is unbounded above, the last below. */
function tierInterval(tiers: readonly PlanTier[], i: number): { lo: number; hi: number } {
  return { lo: tiers[i]!.min ?? -Infinity, hi: i === 0 ? Infinity : (tiers[i - 1]!.min ?? Infinity) };
}

/** Whether the tier interval [lo, hi) and the reachable range [min, max] share a score (empty when lo ≥ hi). */
function intersects(iv: { lo: number; hi: number }, r: { min: number; max: number }): boolean {
  return iv.lo < iv.hi && r.max >= iv.lo - EPS && r.min < iv.hi - EPS;
}

/** Whether `a` TRUE means `b` TRUE for every lead, as far as the canonical leaves show (false when unsure). */
export function implies(a: PlanCondition, b: PlanCondition): boolean {
  if (a.type === 'any') return a.of.every((x) => implies(x, b));
  if (b.type === 'all') return b.of.every((x) => implies(a, x));
  if (b.type === 'any') return b.of.some((x) => implies(a, x));
  if (a.type === 'all') return a.of.some((x) => implies(x, b));
  if (a.type !== 'leaf' || b.type !== 'leaf') return false;
  return leafImplies(a, b);
}

function sameSubject(a: PlanLeaf, b: PlanLeaf): boolean {
  return a.subject.type === b.subject.type && (a.subject.type === 'column' ? a.subject.column === (b.subject as { column: number }).column : a.subject.derived === (b.subject as { derived: number }).derived);
}

function interval(l: PlanLeaf): { lo: number; loIn: boolean; hi: number; hiIn: boolean } | undefined {
  switch (l.op) {
    case 'gt':
      return { lo: l.arg.number, loIn: false, hi: Infinity, hiIn: false };
    case 'gte':
      return { lo: l.arg.number, loIn: true, hi: Infinity, hiIn: false };
    case 'lt':
      return { lo: -Infinity, loIn: false, hi: l.arg.number, hiIn: false };
    case 'lte':
      return { lo: -Infinity, loIn: false, hi: l.arg.number, hiIn: true };
    case 'between':
      return { lo: l.arg.min, loIn: true, hi: l.arg.max, hiIn: false };
    default:
      return undefined;
  }
}

function leafImplies(a: PlanLeaf, b: PlanLeaf): boolean {
  if (!sameSubject(a, b)) return false;
  if (a.op === b.op && JSON.stringify(a.arg) === JSON.stringify(b.arg)) return true;
  if (a.op === 'in' && b.op === 'in') return a.arg.values.every((v) => b.arg.values.includes(v));
  if (a.op === 'num_in' && b.op === 'num_in') return a.arg.numbers.every((v) => b.arg.numbers.includes(v));
  if (a.op === 'contains' && b.op === 'contains' && a.arg.caseSensitive === b.arg.caseSensitive) {
    // Every needle of a contains one of b's: a cell holding a's needle holds b's.
    return a.arg.needles.every((n) => b.arg.needles.some((m) => n.includes(m)));
  }
  const ia = interval(a);
  const ib = interval(b);
  if (ia && ib) {
    const loOk = ia.lo > ib.lo || (ia.lo === ib.lo && (ib.loIn || !ia.loIn));
    const hiOk = ia.hi < ib.hi || (ia.hi === ib.hi && (ib.hiIn || !ia.hiIn));
    return loOk && hiOk;
  }
  if (a.op === 'num_in' && ib) return a.arg.numbers.every((x) => (x > ib.lo || (x === ib.lo && ib.loIn)) && (x < ib.hi || (x === ib.hi && ib.hiIn)));
  if ((a.op === 'within_days' && b.op === 'within_days') || (a.op === 'older_than_days' && b.op === 'older_than_days')) {
    return a.op === 'within_days' ? a.arg.days <= (b.arg as { days: number }).days : a.arg.days >= (b.arg as { days: number }).days;
  }
  return false;
}
