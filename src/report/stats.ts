// Running totals for the score summary: fed one evaluation at a time, memory independent of row count.
import { TRUE, type Model } from '../engine/model.js';
import type { Evaluation } from '../engine/evaluate.js';
import type { RowState } from '../engine/row.js';
import { round2 } from '../ops/round.js';

export interface TierStat {
  name: string;
  label?: string;
  count: number;
  share: number;
  avgScore: number | null;
}

export interface SummaryData {
  input: string;
  rules: string;
  model?: string;
  /** The --as-of date (YYYY-MM-DD), or with --as-of-column "each lead's <column>". */
  asOf: string;
  /** With --as-of-column: the column, and how many scored rows had no readable date in it (recency unknown). */
  asOfColumn?: { column: string; rowsWithout: number };
  rowsRead: number;
  rowsWritten: number;
  rowsRejected: number;
  tiers: TierStat[];
  /** Leads per matrix cell; `rowGroup` and `columnGroup` name the groups whose scores cut the rows and columns. */
  matrix?: { rowGroup: string; columnGroup: string; rows: string[]; columns: string[]; counts: number[][] };
  /** Leads per disqualifier: a lead with several reasons is counted under each of them. */
  disqualified: { id: string; reason: string; count: number }[];
  /** Disqualified leads with two or more reasons (why `disqualified` can add up to more than the DQ tier). */
  disqualifiedSeveralReasons: number;
  score: { min: number | null; max: number | null; mean: number | null };
  distribution: { from: number; to: number; count: number }[];
  coverage: { column: string; header: string | null; usable: number; share: number | null }[];
  /** Rejected rows by reason, in the order the reasons first occur, with the line of that first row. */
  rejects: { reason: string; count: number; firstLine: number }[];
  warnings: string[];
}

/** Accumulates what the summary reports. */
export class SummaryStats {
  read = 0;
  written = 0;
  rejected = 0;
  /** Scored rows whose as-of day was unknown (--as-of-column: no readable date in that column). */
  noAsOf = 0;
  private tierCount: number[];
  private tierSum: number[];
  private dqCount = 0;
  private dqSum = 0;
  private dqBy: number[];
  private dqSeveral = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private scored = 0;
  private hist = new Map<number, number>();
  private usable: number[];
  private matrixCounts: number[][] | undefined;
  private rejectReasons = new Map<string, RejectCount>();
  readonly bucket: number;
  private readonly usedColumns: number[];

  constructor(private readonly model: Model) {
    this.tierCount = model.tiers.map(() => 0);
    this.tierSum = model.tiers.map(() => 0);
    this.dqBy = model.disqualifiers.map(() => 0);
    this.usable = model.columns.map(() => 0);
    this.usedColumns = model.columns.filter((c) => c.used).map((c) => c.index);
    if (model.matrix) this.matrixCounts = model.matrix.rows.tiers.map(() => model.matrix!.columns.tiers.map(() => 0));
    this.bucket = bucketWidth(model);
  }

  /** Count one scored record; `row` is the RowState the evaluation read (for coverage). */
  add(e: Evaluation, row: RowState): void {
    this.scored++;
    const s = e.scoreCents;
    if (s < this.min) this.min = s;
    if (s > this.max) this.max = s;
    this.sum += s;
    const b = Math.floor(s / 100 / this.bucket);
    this.hist.set(b, (this.hist.get(b) ?? 0) + 1);
    if (e.disqualified) {
      this.dqCount++;
      this.dqSum += s;
      let reasons = 0;
      for (let i = 0; i < this.dqBy.length; i++) {
        if (e.dq[i] === TRUE) {
          this.dqBy[i]!++;
          reasons++;
        }
      }
      if (reasons > 1) this.dqSeveral++;
    } else if (e.tierIndex >= 0) {
      this.tierCount[e.tierIndex]!++;
      this.tierSum[e.tierIndex]! += s;
    }
    if (this.matrixCounts && e.matrixRow >= 0 && !e.disqualified) this.matrixCounts[e.matrixRow]![e.matrixCol]!++;
    for (const c of this.usedColumns) if (row.usable(c)) this.usable[c]!++;
    if (row.asOf !== row.asOf) this.noAsOf++;
  }

  /** The counts, as plain data (to send from a worker thread); see merge. */
  snapshot(): StatsSnapshot {
    return {
      read: this.read,
      written: this.written,
      rejected: this.rejected,
      noAsOf: this.noAsOf,
      tierCount: this.tierCount,
      tierSum: this.tierSum,
      dqCount: this.dqCount,
      dqSum: this.dqSum,
      dqBy: this.dqBy,
      dqSeveral: this.dqSeveral,
      min: this.min,
      max: this.max,
      sum: this.sum,
      scored: this.scored,
      hist: this.hist,
      usable: this.usable,
      matrixCounts: this.matrixCounts,
      rejectReasons: this.rejectReasons,
    };
  }

  /** Add the counts of another part of the same input, scored with the same model. Integer sums: exact in any order. */
  merge(o: StatsSnapshot): void {
    this.read += o.read;
    this.written += o.written;
    this.rejected += o.rejected;
    this.noAsOf += o.noAsOf;
    addInto(this.tierCount, o.tierCount);
    addInto(this.tierSum, o.tierSum);
    this.dqCount += o.dqCount;
    this.dqSum += o.dqSum;
    addInto(this.dqBy, o.dqBy);
    this.dqSeveral += o.dqSeveral;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
    this.sum += o.sum;
    this.scored += o.scored;
    for (const [b, n] of o.hist) this.hist.set(b, (this.hist.get(b) ?? 0) + n);
    addInto(this.usable, o.usable);
    if (this.matrixCounts && o.matrixCounts) this.matrixCounts.forEach((row, i) => addInto(row, o.matrixCounts![i]!));
    for (const [r, n] of o.rejectReasons) {
      const mine = this.rejectReasons.get(r);
      if (mine === undefined) this.rejectReasons.set(r, { ...n });
      else {
        mine.count += n.count;
        mine.firstLine = Math.min(mine.firstLine, n.firstLine);
      }
    }
  }

  /** Count a rejected row, by its reason; `line` is where it starts (the first line of each reason is kept). */
  reject(reason: string, line: number): void {
    this.rejected++;
    // Group by the whole reason: "expected 5 fields, found 3" and "… found 7" stay distinct.
    const seen = this.rejectReasons.get(reason);
    if (seen === undefined) this.rejectReasons.set(reason, { count: 1, firstLine: line });
    else {
      seen.count++;
      if (line < seen.firstLine) seen.firstLine = line;
    }
  }

  /** The summary; `asOfColumn`: with --as-of-column, which warns about the rows without a date in it. */
  result(meta: { input: string; rules: string; asOf: string; asOfColumn?: string; headers: (string | undefined)[]; warnings: string[] }): SummaryData {
    const m = this.model;
    const n = this.scored;
    const share = (k: number) => (n ? k / n : 0);
    const tiers: TierStat[] = m.tiers.map((t, i) => ({
      name: t.name,
      label: t.label,
      count: this.tierCount[i]!,
      share: share(this.tierCount[i]!),
      avgScore: this.tierCount[i] ? round2(this.tierSum[i]! / this.tierCount[i]! / 100) : null,
    }));
    if (m.disqualifiers.length) {
      tiers.push({ name: m.disqualifiedTier, label: 'disqualified', count: this.dqCount, share: share(this.dqCount), avgScore: this.dqCount ? round2(this.dqSum / this.dqCount / 100) : null });
    }
    const distribution = [...this.hist.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, count]) => ({ from: round2(b * this.bucket), to: round2((b + 1) * this.bucket), count }));
    const coverage = m.columns
      .filter((c) => c.used)
      .map((c) => ({ column: c.name, header: meta.headers[c.index] ?? null, usable: this.usable[c.index]!, share: n ? round4(this.usable[c.index]! / n) : null }));
    return {
      input: meta.input,
      rules: meta.rules,
      model: m.name,
      asOf: meta.asOf,
      ...(meta.asOfColumn === undefined ? {} : { asOfColumn: { column: meta.asOfColumn, rowsWithout: this.noAsOf } }),
      rowsRead: this.read,
      rowsWritten: this.written,
      rowsRejected: this.rejected,
      tiers,
      matrix: m.matrix && this.matrixCounts
        ? {
            rowGroup: m.groups[m.matrix.rows.group]!.id,
            columnGroup: m.groups[m.matrix.columns.group]!.id,
            rows: m.matrix.rows.tiers.map((t) => t.name),
            columns: m.matrix.columns.tiers.map((t) => t.name),
            counts: this.matrixCounts,
          }
        : undefined,
      disqualified: m.disqualifiers.map((d, i) => ({ id: d.id, reason: d.reason, count: this.dqBy[i]! })),
      disqualifiedSeveralReasons: this.dqSeveral,
      score: n ? { min: this.min / 100, max: this.max / 100, mean: round2(this.sum / n / 100) } : { min: null, max: null, mean: null },
      distribution,
      coverage,
      rejects: [...this.rejectReasons.entries()].sort((a, b) => a[1].firstLine - b[1].firstLine || (a[0] < b[0] ? -1 : 1)).map(([reason, r]) => ({ reason, count: r.count, firstLine: r.firstLine })),
      warnings: this.noAsOf && meta.asOfColumn !== undefined ? [...meta.warnings, noAsOfWarning(this.noAsOf, meta.asOfColumn)] : meta.warnings,
    };
  }
}

/** The warning for rows scored without their as-of day (--as-of-column): nothing lost, but their recency unknown. */
export function noAsOfWarning(rows: number, column: string): string {
  const s = rows === 1 ? '' : 's';
  return `${rows} row${s} had no readable date in the --as-of-column "${column}": ${rows === 1 ? 'its' : 'their'} recency and decay criteria were scored as unknown (their unknown policy)`;
}

/** What SummaryStats counted, as plain data. */
export interface StatsSnapshot {
  read: number;
  written: number;
  rejected: number;
  noAsOf: number;
  tierCount: number[];
  tierSum: number[];
  dqCount: number;
  dqSum: number;
  dqBy: number[];
  dqSeveral: number;
  min: number;
  max: number;
  sum: number;
  scored: number;
  hist: Map<number, number>;
  usable: number[];
  matrixCounts: number[][] | undefined;
  /** By reason: rows rejected, and the line the first one starts on. */
  rejectReasons: Map<string, RejectCount>;
}

/** Rows rejected for one reason, and the line the first one starts on. */
export interface RejectCount {
  count: number;
  firstLine: number;
}

function addInto(to: number[], from: readonly number[]): void {
  for (let i = 0; i < to.length; i++) to[i]! += from[i]!;
}

/** A round histogram bucket width giving about ten buckets over the model's possible range. */
function bucketWidth(m: Model): number {
  // An unbounded group counts as 100 points: the histogram only needs a scale.
  let max = 0;
  if (m.totalMethod === 'weighted_average') max = 100;
  else for (const g of m.groups) max += g.weight * (Number.isFinite(g.max) ? g.max : 100);
  const raw = Math.max(1, max / 10);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const k of [1, 2, 2.5, 5, 10]) if (raw <= k * p) return k * p;
  return 10 * p;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
