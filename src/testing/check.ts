// Checking one lead's trace against its expectations: pure, data in, a list of failed checks out.
import type { LeadTrace } from '../engine/trace.js';
import type { ExpectationData } from './spec.js';

/** One check of an expectation that did not hold: what was expected, what the lead got. */
export interface CheckFailure {
  /** The expectation key, e.g. 'tier', 'score', 'criteria.budget'. */
  key: string;
  expected: string;
  actual: string;
}

const fmt = (n: number): string => String(Math.round(n * 100) / 100);

/** Human form of a score expectation: "62.5", "≥ 60", "40 to 60". */
export function describeScore(e: NonNullable<ExpectationData['score']>): string {
  if (typeof e === 'number') return fmt(e);
  if (e.min !== undefined && e.max !== undefined) return `${fmt(e.min)} to ${fmt(e.max)}`;
  if (e.min !== undefined) return `≥ ${fmt(e.min)}`;
  if (e.max !== undefined) return `≤ ${fmt(e.max)}`;
  return 'any';
}

/** The expectation in a few words, for the result line: "tier A, score ≥ 60, not disqualified". */
export function describeExpectation(e: ExpectationData): string {
  const parts: string[] = [];
  if (e.tier !== undefined) parts.push(`tier ${Array.isArray(e.tier) ? e.tier.join(' or ') : e.tier}`);
  if (e.score !== undefined) parts.push(`score ${describeScore(e.score)}`);
  if (e.matrix !== undefined) parts.push(`matrix ${e.matrix}`);
  if (e.disqualified !== undefined) {
    parts.push(e.disqualified === false ? 'not disqualified' : e.disqualified === true ? 'disqualified' : `disqualified: ${e.disqualified.reason}`);
  }
  if (e.reasons) parts.push(`reasons ${e.reasons.map((r) => JSON.stringify(r)).join(', ')}`);
  for (const [id, c] of Object.entries(e.criteria ?? {})) {
    if (typeof c === 'string') parts.push(`${id} ${c.replace('_', ' ')}`);
    else {
      const bits = [c.outcome?.replace('_', ' '), c.band !== undefined ? `band ${c.band}` : undefined, c.points !== undefined ? `${fmt(c.points)} points` : undefined].filter(Boolean);
      parts.push(`${id} ${bits.join(', ')}`);
    }
  }
  return parts.join(', ');
}

/** The checks of `e` that `t` fails, in the order the expectation lists them (empty: it passes). */
export function checkLead(t: LeadTrace, e: ExpectationData): CheckFailure[] {
  const out: CheckFailure[] = [];
  const fail = (key: string, expected: string, actual: string): void => {
    out.push({ key, expected, actual });
  };
  if (e.tier !== undefined) {
    const allowed = Array.isArray(e.tier) ? e.tier : [e.tier];
    if (!allowed.includes(t.tier)) fail('tier', allowed.join(' or '), t.tier);
  }
  if (e.score !== undefined) {
    const s = e.score;
    // Scores are whole cents: compare cents, so 62.5 and 62.50 are the same and float noise cannot fail a test.
    const cents = Math.round(t.score * 100);
    const ok =
      typeof s === 'number'
        ? cents === Math.round(s * 100)
        : (s.min === undefined || cents >= Math.round(s.min * 100)) && (s.max === undefined || cents <= Math.round(s.max * 100));
    if (!ok) fail('score', describeScore(s), fmt(t.score));
  }
  if (e.matrix !== undefined && t.matrix !== e.matrix) fail('matrix', e.matrix, t.matrix ?? '(no matrix)');
  if (e.disqualified !== undefined) {
    const actual = t.disqualified ? `disqualified: ${t.disqualified_reasons.join('; ')}` : 'not disqualified';
    if (typeof e.disqualified === 'boolean') {
      if (t.disqualified !== e.disqualified) fail('disqualified', e.disqualified ? 'disqualified' : 'not disqualified', actual);
    } else if (!t.disqualified_reasons.includes(e.disqualified.reason)) fail('disqualified', `disqualified: ${e.disqualified.reason}`, actual);
  }
  for (const r of e.reasons ?? []) {
    if (!t.reasons.includes(r)) fail('reasons', `a reason with ${JSON.stringify(r)}`, t.reasons === '' ? '(no reasons)' : t.reasons);
  }
  for (const [id, c] of Object.entries(e.criteria ?? {})) {
    const ct = t.criteria.find((x) => x.id === id);
    const key = `criteria.${id}`;
    if (!ct) {
      fail(key, 'a criterion of the rules', `no criterion "${id}"`);
      continue;
    }
    const want = typeof c === 'string' ? { outcome: c } : c;
    if (want.outcome !== undefined && ct.outcome !== want.outcome) fail(key, want.outcome, ct.outcome);
    if (want.band !== undefined && ct.band !== want.band) fail(`${key}.band`, want.band, ct.band ?? '(no band)');
    if (want.points !== undefined && Math.round(ct.points * 100) !== Math.round(want.points * 100)) fail(`${key}.points`, fmt(want.points), fmt(ct.points));
  }
  return out;
}
