// Monotone binning of a numeric value against a binary outcome: quantile pre-bins, pool-adjacent-violators, then
// merges under a minimum bin size and a maximum number of bins. Cut points are rounded to short numbers.
import { weightOfEvidence } from './woe.js';

/** A bin of the value: [lo, hi), with lo = -Infinity for the first and hi = Infinity for the last. */
export interface NumericBin {
  lo: number;
  hi: number;
  rows: number;
  positives: number;
}

export interface BinningOptions {
  /** Quantile pre-bins before merging (default 20). */
  preBins?: number;
  /** Most bins kept (default 5). */
  maxBins?: number;
  /** Fewest rows in a bin, as a share of the known values (default 0.05). */
  minShare?: number;
}

export interface Binning {
  bins: NumericBin[];
  /** 'ascending': conversion rises with the value; 'descending': it falls; 'flat': one bin. */
  trend: 'ascending' | 'descending' | 'flat';
  /** Information value of the bins (WoE smoothed with one pseudo-lead per bin). */
  iv: number;
}

interface Work {
  first: number;
  last: number;
  rows: number;
  positives: number;
}

const rate = (b: Work) => b.positives / b.rows;

function join(a: Work, b: Work): Work {
  return { first: a.first, last: b.last, rows: a.rows + b.rows, positives: a.positives + b.positives };
}

/** Pool adjacent violators: merge neighbours until conversion strictly rises (ascending) or falls. */
function pav(bins: Work[], ascending: boolean): Work[] {
  const out: Work[] = [];
  for (const b of bins) {
    let cur = b;
    while (out.length) {
      const prev = out[out.length - 1]!;
      const ok = ascending ? rate(prev) < rate(cur) : rate(prev) > rate(cur);
      if (ok) break;
      out.pop();
      cur = join(prev, cur);
    }
    out.push(cur);
  }
  return out;
}

function ivOf(bins: Work[], total: { p: number; n: number }): number {
  if (bins.length < 2 || total.p === 0 || total.n === 0) return 0;
  return weightOfEvidence(bins.map((b) => ({ positives: b.positives, negatives: b.rows - b.positives })), 1).ivTotal;
}

function mergeSmall(bins: Work[], minRows: number): Work[] {
  const out = bins.slice();
  for (;;) {
    let worst = -1;
    for (let i = 0; i < out.length; i++) if (out[i]!.rows < minRows && (worst < 0 || out[i]!.rows < out[worst]!.rows)) worst = i;
    if (worst < 0 || out.length < 2) return out;
    const b = out[worst]!;
    const left = out[worst - 1];
    const right = out[worst + 1];
    const dl = left ? Math.abs(rate(left) - rate(b)) : Infinity;
    const dr = right ? Math.abs(rate(right) - rate(b)) : Infinity;
    if (dl <= dr) out.splice(worst - 1, 2, join(left!, b));
    else out.splice(worst, 2, join(b, right!));
  }
}

function mergeToMax(bins: Work[], maxBins: number, total: { p: number; n: number }): Work[] {
  const out = bins.slice();
  while (out.length > maxBins) {
    let best = 0;
    let bestIv = -Infinity;
    for (let i = 0; i + 1 < out.length; i++) {
      const trial = [...out.slice(0, i), join(out[i]!, out[i + 1]!), ...out.slice(i + 2)];
      const v = ivOf(trial, total);
      if (v > bestIv + 1e-12) {
        bestIv = v;
        best = i;
      }
    }
    out.splice(best, 2, join(out[best]!, out[best + 1]!));
  }
  return out;
}

/**
 * The shortest number c with a < c ≤ b (a cut between a bin ending at a and one starting at b): 12.7 and 15.2 give
 * 15, 7 and 10 give 10, 0.31 and 0.35 give 0.35.
 */
export function niceCut(a: number, b: number): number {
  if (!(b > a)) return b;
  const top = Math.floor(Math.log10(Math.max(Math.abs(a), Math.abs(b), 1e-12))) + 1;
  for (let k = top; k >= -9; k--) {
    const unit = 10 ** k;
    const c = Math.floor(b / unit) * unit;
    const r = Number(c.toPrecision(12));
    if (r > a && r <= b) return r;
  }
  return b;
}

/**
 * Bin numeric values (NaN = unknown, left out) into at most maxBins monotone bins. Both trends are tried and the one
 * keeping more information value wins (ties: ascending). Deterministic; O(n log n) for the sort.
 */
export function monotoneBins(values: ArrayLike<number>, labels: ArrayLike<number>, options: BinningOptions = {}): Binning {
  const preBins = options.preBins ?? 20;
  const maxBins = options.maxBins ?? 5;
  const minShare = options.minShare ?? 0.05;
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) idx.push(i);
  idx.sort((a, b) => values[a]! - values[b]!);
  const n = idx.length;
  if (n === 0) return { bins: [], trend: 'flat', iv: 0 };
  // Distinct values with their counts.
  const vals: number[] = [];
  const rows: number[] = [];
  const pos: number[] = [];
  for (const i of idx) {
    const v = values[i]!;
    const y = labels[i] ? 1 : 0;
    if (vals.length && vals[vals.length - 1] === v) {
      rows[rows.length - 1]!++;
      pos[pos.length - 1]! += y;
    } else {
      vals.push(v);
      rows.push(1);
      pos.push(y);
    }
  }
  // Quantile pre-bins that never split a value.
  const pre: Work[] = [];
  let seen = 0;
  let cur: Work | undefined;
  for (let d = 0; d < vals.length; d++) {
    if (!cur) cur = { first: d, last: d, rows: 0, positives: 0 };
    cur.last = d;
    cur.rows += rows[d]!;
    cur.positives += pos[d]!;
    seen += rows[d]!;
    if (seen >= (n * (pre.length + 1)) / preBins || d === vals.length - 1) {
      pre.push(cur);
      cur = undefined;
    }
  }
  let total = 0;
  for (const p of pos) total += p;
  const tot = { p: total, n: n - total };
  const minRows = Math.max(1, Math.ceil(minShare * n));
  const candidates = ([true, false] as const).map((asc) => {
    const bins = mergeToMax(mergeSmall(pav(pre, asc), minRows), maxBins, tot);
    return { asc, bins, iv: ivOf(bins, tot) };
  });
  const pick = candidates[1]!.iv > candidates[0]!.iv + 1e-12 ? candidates[1]! : candidates[0]!;
  const out: NumericBin[] = pick.bins.map((b, i) => ({
    lo: i === 0 ? -Infinity : niceCut(vals[pick.bins[i - 1]!.last]!, vals[b.first]!),
    hi: Infinity,
    rows: b.rows,
    positives: b.positives,
  }));
  for (let i = 0; i + 1 < out.length; i++) out[i]!.hi = out[i + 1]!.lo;
  return { bins: out, trend: out.length < 2 ? 'flat' : pick.asc ? 'ascending' : 'descending', iv: pick.iv };
}
