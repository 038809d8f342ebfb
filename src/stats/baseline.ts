// The comparison model for the quality bar: a plain logistic regression on the same columns (categories one-hot on
// their frequent values, numbers linear with a missing indicator). Pure; used by scripts/x-education-check.mjs and tests.
import { makeIsMissing, normalizeText, parseNumber } from '../values/index.js';
import { fitLogistic, predictLogistic, type LogisticFit } from './logistic.js';

export interface BaselineModel {
  /** Per column: numeric (mean, sd) or the categories kept. */
  columns: ({ index: number; kind: 'number'; mean: number; sd: number } | { index: number; kind: 'category'; values: string[] })[];
  fit: LogisticFit;
  placeholders: readonly string[];
}

function encoder(m: Omit<BaselineModel, 'fit'>): { width: number; encode: (r: readonly string[], out: Float64Array, at: number) => void } {
  const isMissing = makeIsMissing(m.placeholders);
  let width = 0;
  const parts = m.columns.map((c) => {
    const off = width;
    width += c.kind === 'number' ? 2 : c.values.length + 1;
    return { c, off, idx: c.kind === 'category' ? new Map(c.values.map((v, i) => [v, i])) : undefined };
  });
  return {
    width,
    encode(r, out, at) {
      for (const { c, off, idx } of parts) {
        const raw = (r[c.index] ?? '').trim();
        const miss = isMissing(raw);
        if (c.kind === 'number') {
          const x = miss ? undefined : parseNumber(raw);
          if (x === undefined) out[at + off + 1] = 1;
          else out[at + off] = (x - c.mean) / c.sd;
        } else if (miss) out[at + off + c.values.length] = 1;
        else {
          const k = idx!.get(normalizeText(raw));
          if (k !== undefined) out[at + off + k] = 1;
        }
      }
    },
  };
}

/** Fit the baseline on rows of `columns`; a column is numeric when 95 % of its values parse as numbers. */
export function fitBaseline(rows: readonly (readonly string[])[], labels: ArrayLike<number>, columns: readonly number[], placeholders: readonly string[], minCount = 10): BaselineModel {
  const isMissing = makeIsMissing(placeholders);
  const spec: BaselineModel['columns'] = columns.map((c) => {
    let present = 0;
    let s = 0;
    let s2 = 0;
    let nums = 0;
    const counts = new Map<string, number>();
    for (const r of rows) {
      const raw = (r[c] ?? '').trim();
      if (isMissing(raw)) continue;
      present++;
      const x = parseNumber(raw);
      if (x !== undefined) {
        nums++;
        s += x;
        s2 += x * x;
      }
      const k = normalizeText(raw);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    if (present > 0 && nums >= 0.95 * present) {
      const mean = s / nums;
      const v = s2 / nums - mean * mean;
      return { index: c, kind: 'number', mean, sd: v > 0 ? Math.sqrt(v) : 1 };
    }
    const values = [...counts.entries()].filter(([, n]) => n >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
    return { index: c, kind: 'category', values };
  });
  const enc = encoder({ columns: spec, placeholders });
  const x = new Float64Array(rows.length * enc.width);
  rows.forEach((r, i) => enc.encode(r, x, i * enc.width));
  const fit = fitLogistic({ rows: rows.length, cols: enc.width, x, y: labels }, { l2: 1 });
  return { columns: spec, fit, placeholders };
}

/** The baseline's probabilities for rows. */
export function predictBaseline(m: BaselineModel, rows: readonly (readonly string[])[]): Float64Array {
  const enc = encoder(m);
  const buf = new Float64Array(enc.width);
  return Float64Array.from(rows, (r) => {
    buf.fill(0);
    enc.encode(r, buf, 0);
    return predictLogistic(m.fit, buf);
  });
}
