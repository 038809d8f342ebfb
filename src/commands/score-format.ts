// The CSV text `icp score` writes for a scored record: the record as read, then the added icp_ columns.
import type { Evaluation } from '../engine/evaluate.js';
import { dqReasons, formatCents, topReasons } from '../engine/format.js';
import type { Model } from '../engine/model.js';
import type { CsvRow } from '../io/csv-reader.js';
import { csvField, excelSafe } from '../io/csv-format.js';

/**
 * The added columns of one row as CSV text, each preceded by the delimiter. What does not change from row to
 * row is quoted once: tier and matrix names, and whether reasons text can need quotes at all (only when a label
 * holds the delimiter, a quote or a line break, or starts with a space). Scores are plain numbers and need no
 * quoting unless the delimiter could appear in them.
 */
export function addedCsvFormatter(m: Model, d: string, safe: boolean | undefined): (e: Evaluation) => string {
  const f = (v: string) => field(v, d, safe);
  const numbersNeedQuotes = d === '.' || d === '-' || (d >= '0' && d <= '9');
  const num = numbersNeedQuotes ? (x: number) => f(formatCents(x)) : formatCents;
  const tiers = m.tiers.map((t) => d + f(t.name));
  const dqTier = d + f(m.disqualifiedTier);
  const matrix = m.matrix?.rows.tiers.map((r) => m.matrix!.columns.tiers.map((c) => d + f(`${r.name}${c.name}`)));
  const dqMatrix = dqTier;
  // Every piece reasons text is made of: labels, and topReasons' own punctuation and numbers.
  const pieces = ['x; x: x unknown (+-0123456789.)', ...m.criteria.flatMap((c) => [c.label, ...c.bands.map((b) => b.label)])];
  const reasonsNeedCheck = safe || pieces.some((p) => csvField(p, d) !== p);
  const reasons = reasonsNeedCheck ? (e: Evaluation) => f(topReasons(m, e)) : (e: Evaluation) => topReasons(m, e);
  const groups = m.groups.map((g) => g.index);
  const yes = d + f('true') + d;
  const no = d + f('false') + d;
  return (e) => {
    let s = d + num(e.scoreCents) + (e.disqualified ? dqTier : e.tierIndex >= 0 ? tiers[e.tierIndex]! : d + f(e.tier));
    if (matrix) s += e.disqualified ? dqMatrix : matrix[e.matrixRow]![e.matrixCol]!;
    for (const g of groups) s += d + num(e.groupSubtotal[g]!);
    s += e.disqualified ? yes + f(dqReasons(m, e)) : no;
    return s + d + reasons(e);
  };
}

/**
 * The record's own fields as written back: its source text unchanged (so untouched input is never
 * re-serialised), or with `--excel-safe`, re-quoted when a cell needs neutralising.
 */
export function csvLine(item: CsvRow, d: string, safe: boolean): string {
  return safe && needsExcelSafety(item.fields) ? item.fields.map((f) => field(f, d, true)).join(d) : item.raw;
}

export function field(v: string, d: string, safe: boolean | undefined): string {
  return csvField(safe ? excelSafe(v) : v, d);
}

function needsExcelSafety(fields: readonly string[]): boolean {
  for (const f of fields) if (excelSafe(f) !== f) return true;
  return false;
}
