// Pure renderers of an `icp validate` report: diagnostics, then each column's coverage in an input sample.
import { Chalk } from 'chalk';
import type { Reach } from '../plan/static-checks.js';
import { formatDiagnostic, type Diagnostic } from '../errors.js';
import type { ValueKind } from '../engine/model.js';
import { displayWidth, padEnd, padStart } from './width.js';

/** Values of one kind that did not parse, with the first one seen. */
export interface ValueProblem {
  kind: 'number' | 'date' | 'bool';
  count: number;
  example: { value: string; line: number };
}

export interface ColumnCoverage {
  column: string;
  /** Header the column was found under, null when absent. */
  header: string | null;
  kinds: ValueKind[];
  /** Rows with a value (not empty, not a placeholder). */
  present: number;
  /** Rows whose value parses as every kind the rules read it as. */
  usable: number;
  /** usable / records in the sample, null when the sample is empty. */
  coverage: number | null;
  problems: ValueProblem[];
}

export interface InputReport {
  file: string;
  delimiter: string;
  encoding: string;
  /** The most data rows read (null: the whole file). */
  sample_limit: number | null;
  /** Data rows read, records and rejected rows. */
  rows: number;
  records: number;
  rejected: number;
  columns: ColumnCoverage[];
}

export interface ValidateReport {
  rules: string;
  valid: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
  input: InputReport | null;
  /** Why the input was not checked (rules errors), when one was given. */
  input_skipped: string | null;
  /** The scores a lead can reach, of the total and of each group (null: the rules have errors; a bound null: unbounded). */
  reach: Reach | null;
}

const bound = (x: number | null, side: 'min' | 'max'): string => (x === null ? (side === 'min' ? '−∞' : '+∞') : String(Math.round(x * 100) / 100));

/** "total −5 to 95 · fit 0 to 50 · engagement 0 to 30 (× 0.5)": the reachable ranges in one line. */
export function describeReach(r: Reach): string {
  const g = r.groups.map((x) => `${x.id} ${bound(x.min, 'min')} to ${bound(x.max, 'max')}${x.multiplier !== 1 ? ` (× ${Math.round(x.multiplier * 1e4) / 1e4})` : ''}`);
  return [`total ${bound(r.total.min, 'min')} to ${bound(r.total.max, 'max')}`, ...g].join(' · ');
}

const KIND_NAME: Record<ValueProblem['kind'], string> = { number: 'not numbers', date: 'not dates', bool: 'not yes/no' };
const KIND_ONE: Record<ValueProblem['kind'], string> = { number: 'not a number', date: 'not a date', bool: 'not yes/no' };

/** `3 values not numbers, e.g. "50-100" on line 17`. */
export function describeProblem(p: ValueProblem): string {
  return `${p.count} value${p.count === 1 ? '' : 's'} ${p.count === 1 ? KIND_ONE[p.kind] : KIND_NAME[p.kind]}, e.g. ${JSON.stringify(p.example.value)} on line ${p.example.line}`;
}

const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

/** JSON: the whole report, stable key order. */
export function renderValidateJson(r: ValidateReport): string {
  const diagnostics = r.diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    file: d.file ?? null,
    line: d.line ?? null,
    col: d.col ?? null,
    hint: d.hint ?? null,
  }));
  return `${JSON.stringify({ ...r, diagnostics }, null, 2)}\n`;
}

/** Text: one `file:line:col: severity: message` per problem, the coverage table, and a verdict line. */
export function renderValidateText(r: ValidateReport, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  for (const d of r.diagnostics) {
    const text = formatDiagnostic(d);
    out.push(d.severity === 'error' ? c.red(text) : c.yellow(text));
  }
  if (r.diagnostics.length) out.push('');
  if (r.input) {
    const i = r.input;
    const d = i.delimiter === '\t' ? 'tab' : JSON.stringify(i.delimiter);
    out.push(
      `${c.bold(`input ${i.file}`)}: ${i.sample_limit === null ? 'all' : `first ${i.sample_limit}`} rows checked — ${i.rows} read, ${i.records} records, ${i.rejected} rejected (delimiter ${d}, ${i.encoding})`,
    );
    const rows: string[][] = [['column', 'header', 'read as', 'present', 'usable', 'problems'].map((h) => c.bold(h))];
    for (const col of i.columns) {
      rows.push([
        col.column,
        col.header ?? c.yellow('(absent)'),
        col.kinds.length ? col.kinds.join(', ') : 'presence',
        `${col.present}`,
        col.coverage !== null && col.coverage < 0.5 ? c.yellow(`${col.usable} ${pct(col.coverage)}`) : `${col.usable} ${pct(col.coverage)}`,
        col.problems.map(describeProblem).join('; '),
      ]);
    }
    out.push(...grid(rows, [false, false, false, true, true, false]), '');
  } else if (r.input_skipped) {
    out.push(c.yellow(`input not checked: ${r.input_skipped}`), '');
  }
  if (r.reach) out.push(`reachable scores: ${describeReach(r.reach)}`);
  const counts = `${r.errors} error${r.errors === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`;
  out.push(r.errors ? c.red(`✗ ${r.rules}: ${counts}`) : r.warnings ? c.yellow(`✓ ${r.rules}: valid, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`) : c.green(`✓ ${r.rules}: valid`));
  return `${out.join('\n')}\n`;
}


/** Columns separated by two spaces, header row first; right-aligned where asked. */
function grid(rows: string[][], right: boolean[]): string[] {
  const w = right.map((_, k) => Math.max(...rows.map((r) => displayWidth(r[k] ?? ''))));
  return rows.map((r) => `  ${r.map((s, k) => (right[k] ? padStart(s, w[k]!) : k === r.length - 1 ? s : padEnd(s, w[k]!))).join('  ')}`.trimEnd());
}

export function renderValidate(r: ValidateReport, format: 'text' | 'json', opts: { color: boolean }): string {
  return format === 'json' ? renderValidateJson(r) : renderValidateText(r, opts);
}
