// Reading a won/lost outcome from a cell: yes/no-style values, or listed positive (and negative) values.
import { normalizeText, parseBool } from '../values/index.js';

/** How a cell becomes an outcome: 1 positive, 0 negative, -1 unknown (the row is excluded and counted). */
export interface OutcomeSpec {
  /** The column (header) holding the outcome. */
  column: string;
  /** Values that mean positive; empty: the cell is read as yes/no, true/false, 1/0. */
  positive: string[];
  /** Values that mean negative; empty: every other non-empty value (or "no" in yes/no mode). */
  negative: string[];
}

/** Parse `--outcome COLUMN[=VALUE,...]` and `--negative VALUE,...`. */
export function parseOutcomeSpec(outcome: string, negative?: string): OutcomeSpec {
  const eq = outcome.indexOf('=');
  const list = (s: string) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  return {
    column: (eq < 0 ? outcome : outcome.slice(0, eq)).trim(),
    positive: eq < 0 ? [] : list(outcome.slice(eq + 1)),
    negative: negative === undefined ? [] : list(negative),
  };
}

/** A function from the raw cell to 1 / 0 / -1 for the spec. Matching ignores case and surrounding spaces. */
export function outcomeReader(spec: OutcomeSpec): (raw: string | undefined) => 1 | 0 | -1 {
  const pos = new Set(spec.positive.map(normalizeText));
  const neg = new Set(spec.negative.map(normalizeText));
  if (pos.size === 0) {
    return (raw) => {
      const b = raw === undefined ? undefined : parseBool(raw);
      if (b === undefined) return -1;
      if (!b) return neg.size === 0 || neg.has(normalizeText(raw!)) ? 0 : -1;
      return 1;
    };
  }
  return (raw) => {
    const t = raw === undefined ? '' : normalizeText(raw);
    if (t === '') return -1;
    if (pos.has(t)) return 1;
    if (neg.size === 0 || neg.has(t)) return 0;
    return -1;
  };
}
