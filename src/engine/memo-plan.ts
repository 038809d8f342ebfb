// Which criteria and disqualifiers of a bound input keep their results per cell (see memo.ts), and where.
import type { Plan, PlanCondition, PlanSubject } from '../plan/types.js';
import type { Model } from './model.js';

/**
 * Which criteria and disqualifiers are memoised per cell (see memo.ts): those whose conditions read one column
 * that the input has. Their results live in that column's cell entries, at their slot.
 */
export interface BoundMemos {
  /** Per criterion: the column it reads, or -1 when it is not memoised. */
  criterionColumn: Int32Array;
  /** Per criterion: its slot among the column's memoised criteria. */
  criterionSlot: Int32Array;
  disqualifierColumn: Int32Array;
  disqualifierSlot: Int32Array;
  /** Per column: how many criteria and disqualifiers keep results in its cell entries. */
  criterionSlots: Int32Array;
  disqualifierSlots: Int32Array;
}

/** The one column of a list, or -1 when it names several (or none). */
function soleColumn(columns: Iterable<number>): number {
  let col = -1;
  for (const c of columns) {
    if (col >= 0 && c !== col) return -1;
    col = c;
  }
  return col;
}

/** Whether a subject or condition measures from the as-of day (within_days, older_than_days, days_since). */
function subjectReadsAsOf(plan: Plan, s: PlanSubject): boolean {
  return s.type === 'derived' && plan.derived[s.derived]!.fn === 'days_since';
}
function readsAsOf(plan: Plan, c: PlanCondition): boolean {
  if (c.type !== 'leaf') return c.of.some((x) => readsAsOf(plan, x));
  return c.reads === 'date' || subjectReadsAsOf(plan, c.subject);
}

/**
 * The memo plan of `model` for an input whose columns are at `fieldIndex` (-1: absent, never memoised).
 * `asOfPerRow`: each row has its own as-of day (--as-of-column), so what measures from it is not a function of
 * the cell alone: criteria and disqualifiers whose conditions do are not memoised (decay never is: only a
 * criterion's match phase is kept when it decays).
 */
export function memoPlan(model: Model, fieldIndex: Int32Array, asOfPerRow = false): BoundMemos {
  const p = model.plan;
  const plan = (n: number, columnsOf: (i: number) => number[], asOfDependent: (i: number) => boolean) => {
    const column = new Int32Array(n).fill(-1);
    const slot = new Int32Array(n).fill(-1);
    const slots = new Int32Array(model.columns.length);
    for (let i = 0; i < n; i++) {
      if (asOfPerRow && asOfDependent(i)) continue;
      const col = soleColumn(columnsOf(i));
      if (col < 0 || fieldIndex[col]! < 0) continue;
      column[i] = col;
      slot[i] = slots[col]!++;
    }
    return { column, slot, slots };
  };
  const c = plan(
    model.criteria.length,
    (i) => {
      const crit = model.criteria[i]!;
      return [...crit.columns, ...crit.bands.flatMap((band) => band.cond.columns)];
    },
    (i) => {
      const crit = p.criteria[i]!;
      return (crit.condition !== null && readsAsOf(p, crit.condition)) || crit.bands.some((b) => readsAsOf(p, b.condition)) || (crit.per !== null && subjectReadsAsOf(p, crit.per.subject));
    },
  );
  const d = plan(
    model.disqualifiers.length,
    (i) => model.disqualifiers[i]!.cond.columns,
    (i) => readsAsOf(p, p.disqualifiers[i]!.condition),
  );
  return {
    criterionColumn: c.column,
    criterionSlot: c.slot,
    disqualifierColumn: d.column,
    disqualifierSlot: d.slot,
    criterionSlots: c.slots,
    disqualifierSlots: d.slots,
  };
}
