// The full trace of one evaluation, read from the evaluator's own numbers: explaining is rendering.
import { formatDay } from '../values/index.js';
import { TRUE, UNKNOWN } from './model.js';
import { decayDays, decayFactor } from '../ops/decay.js';
import { toCents } from '../ops/round.js';
import type { BoundModel } from './bind.js';
import type { Evaluation } from './evaluate.js';
import { leadId } from './evaluate.js';
import { topReasons } from './format.js';
import type { PlanUnknownPolicy } from '../plan/types.js';

export interface InputTrace {
  column: string;
  /** Header the column was found under, null when absent from the file. */
  header: string | null;
  /** The cell exactly as in the file (null when the column is absent). */
  raw: string | null;
  /** 'ok', 'missing' (empty or a placeholder), or 'unparseable' for a kind the rules read it as. */
  status: 'ok' | 'missing' | 'unparseable';
  /** The value as read: number, date (YYYY-MM-DD), boolean, or normalised text. */
  parsed: number | string | boolean | null;
}

export interface CriterionTrace {
  id: string;
  label: string;
  group: string;
  kind: 'points' | 'bands' | 'per';
  outcome: 'matched' | 'not_matched' | 'unknown';
  condition: string;
  band: string | null;
  inputs: InputTrace[];
  /** Points before weight, decay and cap (the policy's points when unknown). */
  base: number;
  weight: number;
  decay: { days: number; half_life_days: number; factor: number } | null;
  cap: number | null;
  floor: number | null;
  capped: boolean;
  /** The missing-data policy that applied, when the outcome is unknown. */
  unknown_policy: string | null;
  /** Final points in the group. */
  points: number;
  /** Points × group multiplier: what this criterion adds to the score. */
  contribution: number;
  /** Most points this criterion can give. */
  max_points: number | null;
}

export interface GroupTrace {
  id: string;
  label: string;
  /** Sum of criterion points. */
  raw: number;
  cap: number | null;
  floor: number | null;
  /** Points removed by the cap (negative) or added by the floor. */
  adjustment: number;
  /** The adjustment × multiplier, part of the score. */
  adjustment_contribution: number;
  subtotal: number;
  max: number | null;
  weight: number;
  multiplier: number;
  contribution: number;
}

export interface DisqualifierTrace {
  id: string;
  reason: string;
  condition: string;
  outcome: 'matched' | 'not_matched' | 'unknown';
  inputs: InputTrace[];
}

export interface NextTier {
  name: string;
  min: number;
  gap: number;
  /** Criteria that could close the gap, largest possible gain first. */
  candidates: { id: string; label: string; gain: number }[];
}

export interface LeadTrace {
  id: string;
  line?: number;
  score: number;
  tier: string;
  tier_label: string | null;
  matrix: string | null;
  disqualified: boolean;
  disqualified_reasons: string[];
  reasons: string;
  groups: GroupTrace[];
  criteria: CriterionTrace[];
  disqualifiers: DisqualifierTrace[];
  next_tier: NextTier | null;
  /** The day recency was measured from for this lead (--as-of, or its own date with --as-of-column); null: unknown. */
  as_of: string | null;
}

const outcomeName = (t: number): 'matched' | 'not_matched' | 'unknown' => (t === TRUE ? 'matched' : t === UNKNOWN ? 'unknown' : 'not_matched');
const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

function inputTrace(b: BoundModel, col: number): InputTrace {
  const ref = b.model.columns[col]!;
  const row = b.row;
  const raw = row.cell(col);
  const header = b.headers[col] ?? null;
  if (raw === undefined || row.isMissing(col)) return { column: ref.name, header, raw: raw ?? null, status: 'missing', parsed: null };
  if (row.unreadKinds(col) !== 0) return { column: ref.name, header, raw, status: 'unparseable', parsed: null };
  // The value as the last kind the rules read it as (bool over date over number over text).
  let parsed: number | string | boolean = row.text(col);
  if (ref.kinds.has('number')) parsed = row.num(col);
  if (ref.kinds.has('date')) parsed = formatDay(row.day(col));
  if (ref.kinds.has('bool')) parsed = row.bool(col) === 1;
  return { column: ref.name, header, raw, status: 'ok', parsed };
}

/** An unknown policy in words: "zero", "neutral (0.5 of max)", "penalty (-5)" (explain, diff). */
export function policyText(u: PlanUnknownPolicy): string {
  return u.policy === 'neutral' ? `neutral (${u.share} of max)` : u.policy === 'penalty' ? `penalty (${u.points})` : 'zero';
}

/** Build the complete trace of the evaluation `e` of the record currently loaded in `b`. */
export function traceOf(b: BoundModel, e: Evaluation, line?: number): LeadTrace {
  const asOf = b.row.asOf;
  const m = b.model;
  const criteria: CriterionTrace[] = m.criteria.map((c, i) => {
    const decayed = e.decayDays[i] === e.decayDays[i] && c.decay;
    return {
      id: c.id,
      label: c.label,
      group: m.groups[c.group]!.id,
      kind: c.kind,
      outcome: outcomeName(e.outcome[i]!),
      condition: c.kind === 'points' ? c.cond!.text : c.kind === 'bands' ? c.bands.map((bd) => `${bd.label}: ${bd.cond.text} → ${bd.points}`).join('; ') : `${c.points} per unit of ${c.perSubject!.text}`,
      band: e.band[i]! >= 0 ? c.bands[e.band[i]!]!.label : null,
      inputs: [...new Set([...c.columns, ...(c.decay ? [c.decay.column] : [])])].map((col) => inputTrace(b, col)),
      base: e.base[i]!,
      weight: c.weight,
      decay: decayed ? { days: e.decayDays[i]!, half_life_days: c.decay!.halfLifeDays, factor: Math.round(e.decay[i]! * 1e6) / 1e6 } : null,
      cap: c.cap ?? null,
      floor: c.floor ?? null,
      capped: e.capped[i] === 1,
      unknown_policy: e.outcome[i] === UNKNOWN ? policyText(m.criteria[i]!.unknown) : null,
      points: e.points[i]! / 100,
      contribution: e.contribution[i]! / 100,
      max_points: fin(c.maxPoints),
    };
  });
  const groups: GroupTrace[] = m.groups.map((g) => ({
    id: g.id,
    label: g.label,
    raw: e.groupRaw[g.index]! / 100,
    cap: g.cap ?? null,
    floor: g.floor ?? null,
    adjustment: e.groupAdjust[g.index]! / 100,
    adjustment_contribution: e.groupAdjustContribution[g.index]! / 100,
    subtotal: e.groupSubtotal[g.index]! / 100,
    max: fin(g.max),
    weight: g.weight,
    multiplier: Math.round(g.multiplier * 1e6) / 1e6,
    contribution: e.groupContribution[g.index]! / 100,
  }));
  const disqualifiers: DisqualifierTrace[] = m.disqualifiers.map((d) => ({
    id: d.id,
    reason: d.reason,
    condition: d.cond.text,
    outcome: outcomeName(e.dq[d.index]!),
    inputs: d.cond.columns.map((col) => inputTrace(b, col)),
  }));
  const tier = e.disqualified ? undefined : m.tiers[e.tierIndex];
  return {
    id: leadId(b, line),
    line,
    score: e.scoreCents / 100,
    tier: e.tier,
    tier_label: tier?.label ?? null,
    matrix: m.matrix ? e.matrix : null,
    disqualified: e.disqualified,
    disqualified_reasons: disqualifiers.filter((d) => d.outcome === 'matched').map((d) => d.reason),
    reasons: topReasons(m, e),
    groups,
    criteria,
    disqualifiers,
    next_tier: e.disqualified ? null : nextTier(b, e),
    as_of: asOf === asOf ? formatDay(asOf) : null,
  };
}

/**
 * How far the lead is from the next tier up, and which criteria could close it. A criterion's possible gain
 * is its maximum (decayed by the age of this lead's activity date, when it decays) less what it gives now,
 * limited by its group's cap, times the group's multiplier.
 */
function nextTier(b: BoundModel, e: Evaluation): NextTier | null {
  const m = b.model;
  if (e.tierIndex <= 0) return null;
  const t = m.tiers[e.tierIndex - 1]!;
  const gap = t.min * 100 - e.scoreCents;
  const candidates: { id: string; label: string; gain: number }[] = [];
  for (const c of m.criteria) {
    const g = m.groups[c.group]!;
    let max = c.maxPoints;
    if (c.decay && max > 0) {
      const d = b.row.day(c.decay.column);
      const asOf = b.row.asOf;
      if (d !== d || asOf !== asOf) continue; // no activity date or as-of day: the criterion would stay unknown
      max *= decayFactor(decayDays(asOf, d), c.decay.halfLifeDays);
    }
    const room = toCents(max) - e.points[c.index]!;
    if (!(room > 0)) continue;
    const headroom = g.cap !== undefined ? Math.max(0, g.cap * 100 - e.groupRaw[g.index]!) : Infinity;
    const gainCents = Math.min(room, headroom) * g.multiplier;
    if (!(gainCents > 0)) continue;
    const gain = Number.isFinite(gainCents) ? Math.round(gainCents) / 100 : gap / 100;
    candidates.push({ id: c.id, label: c.label, gain });
  }
  candidates.sort((a, b) => b.gain - a.gain || (a.id < b.id ? -1 : 1));
  const chosen: typeof candidates = [];
  let sum = 0;
  for (const cnd of candidates) {
    if (sum >= gap / 100) break;
    chosen.push(cnd);
    sum += cnd.gain;
  }
  return { name: t.name, min: t.min, gap: gap / 100, candidates: chosen };
}
