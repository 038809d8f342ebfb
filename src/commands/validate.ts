// `icp validate`: check a rules file (every error at once, plus lints) and, given an export, that the
// columns the rules read exist and how many of their values are usable.
import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { UserError, type Diagnostic } from '../errors.js';
import type { Model } from '../engine/model.js';
import { RowState, UNREAD_BOOL, UNREAD_DATE, UNREAD_NUMBER } from '../engine/row.js';
import { bindHeader } from '../plan/bind.js';
import type { SampleRow } from '../plan/detect.js';
import { readSettings, settleFromSample } from '../plan/read-settings.js';
import type { ReadSettings } from '../plan/types.js';
import { openCsv } from '../io/csv-reader.js';
import { diagnosticAnnotation, renderGithubAnnotations } from '../report/annotations.js';
import { reachOf } from '../plan/static-checks.js';
import { describeProblem, renderValidate, type ColumnCoverage, type InputReport, type ValidateReport, type ValueProblem } from '../report/validate.js';
import { loadRules } from '../rules/index.js';
import type { DateOrder, DecimalMode } from '../values/index.js';
import { addInputOptions, parseDelimiter, parseEncoding, type InputOptions } from './input.js';
import { choice, describeFsError, openInput, resolveAsOf, useColor, type Io } from './shared.js';

export interface ValidateOptions extends InputOptions {
  rules: string;
  format: string;
  strict?: boolean;
  annotations?: string;
  sample: string;
  asOf?: string;
  color?: boolean;
}

/** Data rows checked by default. */
export const DEFAULT_SAMPLE = 1000;


export function validateCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('validate')
    .description('check a rules file, and with an export, that its columns exist and their values are usable')
    .argument('[input]', 'CSV export to check the rules against (or - for standard input)')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('--strict', 'exit 1 when there are warnings')
    .addOption(new Option('--annotations <kind>', 'also write every error and warning as a CI annotation, on standard error').choices(['github']))
    .option('--sample <rows>', 'data rows of the input to check, or "all"', String(DEFAULT_SAMPLE))
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Exit status of validate: 0 valid, 1 warnings with --strict, 2 errors.

Examples:
  icp validate --rules icp.yaml
  icp validate --rules icp.yaml leads.csv --sample 5000
  icp validate --rules icp.yaml leads.csv --format json --strict
  icp validate --rules icp.yaml --annotations github   # errors and warnings on the lines of a pull request`,
    );
  addInputOptions(cmd);
  cmd.action(async (input: string | undefined, opts: ValidateOptions) => {
    setExit(await runValidate(input, opts, io));
  });
  return cmd;
}

/** Run `icp validate`; returns the exit code. */
export async function runValidate(input: string | undefined, opts: ValidateOptions, io: Io): Promise<number> {
  const format = choice('--format', opts.format, ['text', 'json'] as const);
  const sample = parseSample(opts.sample);
  const asOf = resolveAsOf(opts.asOf);
  const color = useColor(io.stdout, io.env, opts.color);

  let text: string;
  try {
    text = await readFile(opts.rules, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read rules file ${opts.rules}: ${describeFsError(e)}`, [], 'check the path given to --rules');
  }
  const loaded = loadRules(text, opts.rules);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];

  let inputReport: InputReport | null = null;
  let skipped: string | null = null;
  if (input !== undefined) {
    if (loaded.model) {
      const checked = await checkInput(input, opts, loaded.model, asOf.day, sample, io);
      inputReport = checked.report;
      diagnostics.push(...checked.diagnostics);
    } else skipped = 'fix the errors in the rules file first';
  }

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const report: ValidateReport = {
    rules: opts.rules,
    valid: errors === 0,
    errors,
    warnings,
    diagnostics,
    input: inputReport,
    input_skipped: skipped,
    reach: loaded.model ? reachOf(loaded.model.plan) : null,
  };
  io.stdout.write(renderValidate(report, format, { color }));
  if (opts.annotations === 'github') io.stderr.write(renderGithubAnnotations(diagnostics.map(diagnosticAnnotation)));
  return errors ? 2 : warnings && opts.strict ? 1 : 0;
}

function parseSample(v: string): number | null {
  if (v.toLowerCase() === 'all') return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--sample: "${v}" is not a number of rows`, [], 'e.g. --sample 5000, or --sample all');
  return n;
}

/** Bind the model to the export's header and read a sample: missing columns, dates, numbers, coverage. */
async function checkInput(
  path: string,
  opts: InputOptions,
  model: Model,
  asOf: number,
  limit: number | null,
  io: Io,
): Promise<{ report: InputReport; diagnostics: Diagnostic[] }> {
  const name = path === '-' ? '<stdin>' : path;
  const decimal = opts.decimal === undefined ? undefined : choice<DecimalMode>('--decimal', opts.decimal, ['auto', 'dot', 'comma']);
  const dateOrder = opts.dateOrder === undefined ? undefined : choice<DateOrder>('--date-order', opts.dateOrder.toUpperCase() === 'AUTO' ? 'auto' : opts.dateOrder.toUpperCase(), ['auto', 'MDY', 'DMY', 'YMD']);
  const encoding = parseEncoding(opts.encoding);
  const delimiter = parseDelimiter(opts.delimiter);
  const stream = await openInput(path, io);
  const diagnostics: Diagnostic[] = [];
  const at = (severity: Diagnostic['severity'], code: string, message: string, hint?: string, line?: number): void => {
    diagnostics.push({ severity, code, message, hint, file: name, line });
  };
  try {
    const source = await openCsv(stream, { delimiter, encoding }, name);
    const header = source.header;
    for (const issue of header.issues) at('warning', 'header', issue, undefined, header.line);

    // The real binding gives the errors `icp score` would stop at; a relaxed copy (every column optional)
    // binds whatever exists, so coverage is reported for the other columns all the same.
    const strict = bindHeader(model.plan, header.keys);
    for (const i of strict.issues) at(i.severity, i.code, i.message, i.hint, header.line);
    const loose = bindHeader(model.plan, header.keys, true);

    const sample: SampleRow[] = [];
    let rows = 0;
    let rejected = 0;
    let firstReject: { line: number; reason: string } | undefined;
    read: for await (const batch of source.batches()) {
      for (const item of batch) {
        if (limit !== null && rows >= limit) break read;
        rows++;
        if ('fields' in item) sample.push({ line: item.line, fields: item.fields });
        else {
          rejected++;
          firstReject ??= { line: item.line, reason: item.reason };
        }
      }
    }
    if (firstReject) {
      at('warning', 'rejected-rows', `${rejected} row${rejected === 1 ? '' : 's'} of ${rows} cannot be read, e.g. line ${firstReject.line}: ${firstReject.reason}`, 'icp score lists them with --rejects <file>', firstReject.line);
    }

    const columns: ColumnCoverage[] = [];
    if (loose.ok) {
      const settled = settleFromSample(model.plan, readSettings(model.plan, loose, header, { decimal, dateOrder }), sample);
      for (const i of settled.issues) at(i.severity, i.severity === 'error' ? 'mixed-date-order' : 'ambiguous-values', i.message, i.hint, header.line);
      columns.push(...coverage(model, settled.settings, sample, asOf));
      for (const col of columns) {
        for (const p of col.problems) {
          at('warning', 'unparseable-values', `${col.column}: ${describeProblem(p)}`, unparseableHint(col.column, p.kind), p.example.line);
        }
      }
      duplicateIds(model, settled.settings, sample, at);
    }
    const report: InputReport = {
      file: name,
      delimiter: header.delimiter,
      encoding: header.encoding,
      sample_limit: limit,
      rows,
      records: sample.length,
      rejected,
      columns,
    };
    return { report, diagnostics };
  } finally {
    stream.destroy();
  }
}

function unparseableHint(column: string, kind: ValueProblem['kind']): string {
  if (kind === 'number') return `such values are unknown and score by the unknown policy; fix the export, or set columns.${column}.decimal if the decimal separator is the cause`;
  if (kind === 'date') return `such values are unknown; set columns.${column}.date_order (MDY, DMY or YMD) or fix the export`;
  return 'such values are unknown; boolean columns read yes/no, true/false, y/n, 1/0 and x';
}

/** Each column's presence, usability and unparseable values over the sample. */
function coverage(model: Model, settings: ReadSettings, sample: readonly SampleRow[], asOf: number): ColumnCoverage[] {
  const fieldIndex = Int32Array.from(settings.columns, (c) => c.field);
  const row = new RowState(model.columns, fieldIndex, settings.columns, model.placeholders, asOf);
  type Acc = { present: number; usable: number; bad: Map<ValueProblem['kind'], ValueProblem> };
  const acc: Acc[] = model.columns.map(() => ({ present: 0, usable: 0, bad: new Map() }));
  for (const r of sample) {
    row.load(r.fields);
    for (const col of model.columns) {
      if (!col.used || fieldIndex[col.index]! < 0) continue;
      const a = acc[col.index]!;
      if (row.isMissing(col.index)) continue;
      a.present++;
      const bad = (kind: ValueProblem['kind']): void => {
        const p = a.bad.get(kind);
        if (p) p.count++;
        else a.bad.set(kind, { kind, count: 1, example: { value: row.raw(col.index) ?? '', line: r.line } });
      };
      const unread = row.unreadKinds(col.index);
      if (unread & UNREAD_NUMBER) bad('number');
      if (unread & UNREAD_DATE) bad('date');
      if (unread & UNREAD_BOOL) bad('bool');
      if (unread === 0) a.usable++;
    }
  }
  const n = sample.length;
  const order: ValueProblem['kind'][] = ['number', 'date', 'bool'];
  // Columns declared but read by no rule are not looked up in the export, so they have no coverage.
  return model.columns.filter((col) => col.used).map((col) => {
    const a = acc[col.index]!;
    return {
      column: col.name,
      header: settings.columns[col.index]!.header,
      kinds: (['text', 'number', 'date', 'bool'] as const).filter((k) => col.kinds.has(k)),
      present: a.present,
      usable: a.usable,
      coverage: n ? Math.round((a.usable / n) * 10000) / 10000 : null,
      problems: order.map((k) => a.bad.get(k)).filter((p): p is ValueProblem => p !== undefined),
    };
  });
}

/** Lead ids that repeat in the sample: explain finds only the first, and CRM joins break. */
function duplicateIds(
  model: Model,
  settings: ReadSettings,
  sample: readonly SampleRow[],
  at: (severity: Diagnostic['severity'], code: string, message: string, hint?: string, line?: number) => void,
): void {
  if (model.idColumn === null) return; // line numbers: unique by construction
  const fi = settings.columns[model.idColumn]!.field;
  if (fi < 0) return;
  const seen = new Map<string, number>();
  let count = 0;
  let first: { id: string; a: number; b: number } | undefined;
  let empty: number | undefined;
  let empties = 0;
  for (const r of sample) {
    const id = (r.fields[fi] ?? '').trim();
    if (id === '') {
      empties++;
      empty ??= r.line;
      continue;
    }
    const prev = seen.get(id);
    if (prev === undefined) seen.set(id, r.line);
    else {
      count++;
      first ??= { id, a: prev, b: r.line };
    }
  }
  const col = model.columns[model.idColumn]!.name;
  if (first) at('warning', 'duplicate-id', `${count} repeated lead id${count === 1 ? '' : 's'} in column "${col}", e.g. ${JSON.stringify(first.id)} on lines ${first.a} and ${first.b}`, 'icp explain shows the first row with an id; check the id column', first.b);
  if (empties) at('warning', 'empty-id', `${empties} row${empties === 1 ? '' : 's'} without a lead id in column "${col}", e.g. line ${empty}`, undefined, empty);
}
