// Header binding: which field of an input holds each column of a Plan (aliases, exact first, then loosely). Pure
// data in and out, shared by every engine that reads an input.
import { closest } from '../errors.js';
import type { Plan } from './types.js';

/** A header problem found while binding a Plan to an input. */
export interface BindIssue {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  hint?: string;
  /** The logical column concerned. */
  column: string;
}

/** Where each Plan column is in one input's records (same indices as Plan.columns). */
export interface HeaderBinding {
  columns: { field: number; header: string | null }[];
  issues: BindIssue[];
  /** False when an issue is an error (a required column missing, an ambiguous alias). */
  ok: boolean;
}

/** Normalise a header name for alias matching: case, spaces and punctuation do not matter. */
export function headerKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Find one header by name as an alias is found: exactly, else ignoring case, spaces and punctuation (headerKey)
 * when that names one header; -1 when absent or ambiguous.
 */
export function findHeader(keys: readonly string[], name: string): number {
  const exact = keys.indexOf(name);
  if (exact >= 0) return exact;
  const k = headerKey(name);
  const loose = keys.flatMap((h, i) => (headerKey(h) === k ? [i] : []));
  return loose.length === 1 ? loose[0]! : -1;
}

/**
 * Find each column the Plan uses in the header: each alias in order, exactly (as given, then trimmed), else
 * ignoring case, spaces and punctuation (`headerKey`) when that names one header; several is an error.
 * `required: false` and `relaxed` make a missing column a warning (relaxed: for a check that reports them all).
 */
export function bindHeader(plan: Plan, header: readonly string[], relaxed = false): HeaderBinding {
  const issues: BindIssue[] = [];
  const exact = new Map<string, number>();
  const loose = new Map<string, number[]>();
  header.forEach((h, i) => {
    if (!exact.has(h)) exact.set(h, i);
    const k = headerKey(h);
    const list = loose.get(k);
    if (list) list.push(i);
    else loose.set(k, [i]);
  });
  const columns: HeaderBinding['columns'] = [];
  for (const col of plan.columns) {
    let found = -1;
    if (!col.used) {
      columns.push({ field: -1, header: null });
      continue;
    }
    for (const alias of col.aliases) {
      const e = exact.get(alias) ?? exact.get(alias.trim());
      if (e !== undefined) {
        found = e;
        break;
      }
      const l = loose.get(headerKey(alias));
      if (l && l.length === 1) {
        found = l[0]!;
        break;
      }
      if (l && l.length > 1) {
        issues.push({
          severity: 'error',
          code: 'ambiguous-column',
          column: col.name,
          message: `column "${col.name}": alias "${alias}" matches several headers (${l.map((i) => `"${header[i]}"`).join(', ')})`,
          hint: 'use the exact header name as an alias',
        });
        found = l[0]!;
        break;
      }
    }
    columns.push({ field: found, header: found >= 0 ? header[found]! : null });
    if (found < 0) {
      const guess = closest(col.aliases[0]!, header) ?? col.aliases.map((a) => closest(a, header)).find(Boolean);
      const tried = col.aliases.length > 1 || col.aliases[0] !== col.name ? ` (tried ${col.aliases.map((a) => `"${a}"`).join(', ')})` : '';
      const isId = col.index === plan.idColumn;
      const required = (col.required || isId) && !relaxed;
      issues.push({
        severity: required ? 'error' : 'warning',
        code: 'missing-column',
        column: col.name,
        message: `${isId ? 'id column' : 'column'} "${col.name}" not found in the input${tried}`,
        hint: guess
          ? `did you mean "${guess}"? add it to columns.${col.name}.aliases`
          : isId
            ? `add the export's header name to columns.${col.name}.aliases`
            : col.required
            ? `add the export's header name to columns.${col.name}.aliases, or set required: false to score it as unknown`
            : 'every value of this column is unknown',
      });
    }
  }
  return { columns, issues, ok: !issues.some((i) => i.severity === 'error') };
}
