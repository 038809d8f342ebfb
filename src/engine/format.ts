// Text the scored outputs write from an evaluation: cents as decimals, the top reasons, disqualifier reasons.
import { TRUE, UNKNOWN, type Model } from './model.js';
import type { Evaluation } from './evaluate.js';

/** Cents → decimal text, shortest exact form: 7250 → "72.5", -5 → "-0.05", 300 → "3". Integer math only. */
export function formatCents(c: number): string {
  const neg = c < 0;
  const a = neg ? -c : c;
  const whole = Math.floor(a / 100);
  const frac = a - whole * 100;
  const s = frac === 0 ? `${whole}` : frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${frac < 10 ? '0' : ''}${frac}`;
  return neg ? `-${s}` : s;
}

/** The top reasons, most influential first: "Target industry (+15); Personal e-mail (-10)". */
export function topReasons(m: Model, e: Evaluation, n = m.reasons): string {
  // One pass keeping the n largest |contribution| in order (ties: criterion order): n is small.
  if (n <= 0) return '';
  const idx: number[] = [];
  const abs: number[] = [];
  for (let i = 0; i < m.criteria.length; i++) {
    const c = e.contribution[i]!;
    const a = c < 0 ? -c : c;
    if (a === 0 || (idx.length === n && a <= abs[n - 1]!)) continue;
    let k = idx.length < n ? idx.length : n - 1;
    while (k > 0 && abs[k - 1]! < a) {
      if (k < n) {
        idx[k] = idx[k - 1]!;
        abs[k] = abs[k - 1]!;
      }
      k--;
    }
    idx[k] = i;
    abs[k] = a;
  }
  let out = '';
  for (let k = 0; k < idx.length; k++) {
    const best = idx[k]!;
    const c = e.contribution[best]!;
    const crit = m.criteria[best]!;
    const what = e.outcome[best] === UNKNOWN ? `${crit.label} unknown` : e.band[best]! >= 0 ? `${crit.label}: ${crit.bands[e.band[best]!]!.label}` : crit.label;
    out += `${k ? '; ' : ''}${what} (${c > 0 ? '+' : ''}${formatCents(c)})`;
  }
  return out;
}

/** The reasons of the disqualifiers that fired, joined with "; ". */
export function dqReasons(m: Model, e: Evaluation): string {
  let out = '';
  for (const d of m.disqualifiers) if (e.dq[d.index] === TRUE) out += `${out ? '; ' : ''}${d.reason}`;
  return out;
}
