// `icp evaluate`: hold a model's scores against won/lost outcomes — ranking metrics, conversion per tier, cell and
// decile, evidence per criterion level — with gates for CI (--min-auc, --min-lift).
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import { openCsv } from '../io/csv-reader.js';
import type { Model } from '../engine/model.js';
import { buildEvaluation, type EvaluationReport } from '../stats/evaluation.js';
import { outcomeReader, parseOutcomeSpec } from '../stats/outcome.js';
import { renderEvaluate, type EvaluateFormat, type EvaluateOutput } from '../report/evaluate.js';
import { modelShape, scoreRows, type RowLabels } from './evaluate-engine.js';
import { findHeader } from '../plan/bind.js';
import { addInputOptions, parseDelimiter, parseEncoding, type InputOptions } from './input.js';
import { choice, openInput, printDiagnostics, readRules, resolveAsOf, resolveAsOfSource, useColor, type Io } from './shared.js';
import type { ScoredRows } from '../stats/evaluation.js';

export interface OutcomeOptions {
  outcome?: string;
  negative?: string;
  outcomes?: string;
  on?: string;
}

export interface EvaluateOptions extends InputOptions, OutcomeOptions {
  rules: string;
  format: string;
  asOf?: string;
  asOfColumn?: string;
  minAuc?: string;
  minLift?: string;
  color?: boolean;
}

/** The outcome options shared by evaluate and calibrate. */
export function addOutcomeOptions(cmd: Command): Command {
  return cmd
    .option('--outcome <column[=values]>', 'outcome column: yes/no, true/false, 1/0; or COLUMN=Won,Closed Won to list the positive values')
    .option('--negative <values>', 'with --outcome COLUMN=…: the values that are negative (others, e.g. open deals, are left out and counted)')
    .option('--outcomes <file>', 'a second CSV whose ids are the positives (every other lead is negative); use with --on')
    .option('--on <column>', 'with --outcomes: the id column of that file (matched against the same header in the input, else the rules id)')
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--as-of-column <column>', "measure recency as of each lead's own date in this column (honest backtests)");
}

export function evaluateCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('evaluate')
    .description('hold the scores against won/lost outcomes: AUC, gains, conversion per tier, evidence per criterion')
    .argument('<input>', 'CSV export with outcomes (or - for standard input)')
    .requiredOption('-r, --rules <file>', 'YAML rules file');
  addOutcomeOptions(cmd)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'text', 'json', 'markdown']).default('table'))
    .option('--min-auc <x>', 'exit 1 when the ROC AUC is below x (a CI gate)')
    .option('--min-lift <x>', "exit 1 when the top tier's lift over the base rate is below x")
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Examples:
  icp evaluate leads.csv --rules icp.yaml --outcome Converted
  icp evaluate deals.csv --rules icp.yaml --outcome "Deal Stage=Closed Won" --negative "Closed Lost"
  icp evaluate leads.csv --rules icp.yaml --outcomes won.csv --on "Record ID" --min-auc 0.7
  icp evaluate leads.csv --rules icp.yaml --outcome Converted --as-of-column "Create Date" --format json

Rows whose outcome is unknown (empty, or a value not listed) are left out and counted. Disqualified leads rank
below all others. --format json is described by schema/icp-evaluate.schema.json.`,
    );
  addInputOptions(cmd);
  cmd.action(async (input: string, opts: EvaluateOptions) => {
    setExit(await runEvaluate(input, opts, io));
  });
  return cmd;
}

/** The labelled rows of an input for a model, from the outcome options: shared by evaluate and calibrate. */
export async function labelledRows(
  input: string,
  model: Model,
  opts: OutcomeOptions & InputOptions & { asOf?: string; asOfColumn?: string },
  io: Io,
  values = false,
): Promise<{ rows: ScoredRows; warnings: string[]; outcome: EvaluateOutput['outcome']; asOf: string }> {
  const source = resolveAsOfSource(opts); // --as-of and --as-of-column together: a usage error
  const asOf = resolveAsOf(opts.asOf);
  const labels = await outcomeLabels(input, opts, io);
  const scored = await scoreRows(input, model, { ...opts, asOf: source.choice, label: labels.label, onHeader: labels.onHeader, values }, io);
  const { warnings, ...rows } = scored;
  labels.finish(warnings);
  return { rows, warnings, outcome: labels.outcome, asOf: asOf.text };
}

/**
 * How the outcome options label the rows of `input` (reading the --outcomes file, if any): for a LabelledRows sink.
 * `finish` adds, once the rows are read, what the labelling found (ids of the outcomes file not in the input).
 */
export async function outcomeLabels(input: string, opts: OutcomeOptions & InputOptions, io: Io): Promise<RowLabels & { outcome: EvaluateOutput['outcome']; finish(warnings: string[]): void }> {
  if ((opts.outcome === undefined) === (opts.outcomes === undefined)) {
    throw new UserError(opts.outcome === undefined ? 'no outcome given' : '--outcome and --outcomes cannot be used together', [], 'give --outcome COLUMN (a column of the input) or --outcomes won.csv --on ID_COLUMN');
  }
  if (opts.outcomes !== undefined && opts.on === undefined) throw new UserError('--outcomes needs --on <id column>', [], 'e.g. --outcomes won.csv --on "Record ID"');
  if (opts.negative !== undefined && opts.outcome?.includes('=') !== true) throw new UserError('--negative needs --outcome COLUMN=VALUE,…', [], 'e.g. --outcome "Deal Stage=Won" --negative Lost');
  if (opts.outcome !== undefined) {
    const spec = parseOutcomeSpec(opts.outcome, opts.negative);
    if (spec.column === '') throw new UserError('--outcome: no column named', [], 'e.g. --outcome Converted');
    const read = outcomeReader(spec);
    let field = -1;
    return {
      onHeader: (keys) => {
        field = findHeader(keys, spec.column);
        if (field < 0) throw new UserError(`--outcome: no column "${spec.column}" in ${input}`, [], `headers: ${keys.slice(0, 15).join(', ')}${keys.length > 15 ? ', …' : ''}`);
      },
      label: (fields) => read(fields[field]),
      outcome: { column: spec.column, positive: spec.positive, negative: spec.negative },
      finish: () => undefined,
    };
  }
  const ids = await readIds(opts.outcomes!, opts.on!, opts, io);
  const matched = new Set<string>();
  let field = -1;
  const outcome = { file: opts.outcomes!, on: opts.on!, ids: ids.size, unmatchedIds: 0 };
  return {
    onHeader: (keys, idField) => {
      field = findHeader(keys, opts.on!);
      if (field < 0) field = idField;
    },
    label: (fields) => {
      const id = (fields[field] ?? '').trim();
      if (id === '') return -1;
      if (ids.has(id)) {
        matched.add(id);
        return 1;
      }
      return 0;
    },
    outcome,
    finish: (warnings) => {
      outcome.unmatchedIds = ids.size - matched.size;
      if (outcome.unmatchedIds) warnings.push(`${outcome.unmatchedIds} of ${ids.size} ids in ${opts.outcomes} were not found in ${input}`);
    },
  };
}

async function readIds(path: string, on: string, opts: InputOptions, io: Io): Promise<Set<string>> {
  const stream = await openInput(path, io);
  try {
    const src = await openCsv(stream, { delimiter: parseDelimiter(opts.delimiter), encoding: parseEncoding(opts.encoding) }, path);
    const f = findHeader(src.header.keys, on);
    if (f < 0) throw new UserError(`--on: no column "${on}" in ${path}`, [], `headers: ${src.header.keys.slice(0, 15).join(', ')}`);
    const ids = new Set<string>();
    for await (const batch of src.batches()) {
      for (const item of batch) {
        if (!('fields' in item)) continue;
        const id = (item.fields[f] ?? '').trim();
        if (id) ids.add(id);
      }
    }
    return ids;
  } finally {
    stream.destroy();
  }
}

/** Parse a gate's number, with a clear message. */
export function gateNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new UserError(`${name}: "${v}" is not a number`, [], `e.g. ${name} 0.7`);
  return x;
}

/** The gates that failed, as messages (empty when all pass). */
export function failedGates(r: EvaluationReport, minAuc: number | undefined, minLift: number | undefined): string[] {
  const out: string[] = [];
  if (minAuc !== undefined && !(r.auc !== null && r.auc >= minAuc)) out.push(`ROC AUC ${r.auc === null ? 'unknown (needs positives and negatives)' : r.auc.toFixed(3)} is below --min-auc ${minAuc}`);
  const top = r.tiers[0];
  if (minLift !== undefined && !(top && top.lift !== null && top.lift >= minLift)) {
    out.push(`top tier ${top?.tier ?? ''} lift ${top?.lift === null || !top ? 'unknown (no leads in it)' : `${top.lift.toFixed(2)}×`} is below --min-lift ${minLift}`);
  }
  return out;
}

/** Run `icp evaluate`; returns the exit code. */
export async function runEvaluate(input: string, opts: EvaluateOptions, io: Io): Promise<ExitStatus> {
  const format = choice('--format', opts.format, ['table', 'json', 'markdown'] as const, { text: 'table' }) as EvaluateFormat;
  const minAuc = gateNumber('--min-auc', opts.minAuc);
  const minLift = gateNumber('--min-lift', opts.minLift);
  const errColor = useColor(io.stderr, io.env, opts.color);
  const { model, diagnostics } = await readRules(opts.rules);
  printDiagnostics(io, diagnostics.filter((d) => d.severity === 'warning'), errColor);
  const shape = modelShape(model);
  const { rows, warnings, outcome, asOf } = await labelledRows(input, model, opts, io);
  for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  const report = buildEvaluation(shape, rows);
  const out: EvaluateOutput = {
    input: input === '-' ? '<stdin>' : input,
    rules: opts.rules,
    ...(model.name ? { model: model.name } : {}),
    asOf,
    ...(opts.asOfColumn ? { asOfColumn: opts.asOfColumn } : {}),
    outcome,
    ...report,
  };
  io.stdout.write(renderEvaluate(out, format, { color: useColor(io.stdout, io.env, opts.color) }));
  if (rows.n === 0) {
    io.stderr.write(`icp: no row of ${out.input} has a known outcome\n  hint: check --outcome (values read: yes/no, true/false, 1/0, or the values listed after =)\n`);
    return 2;
  }
  const failed = failedGates(report, minAuc, minLift);
  for (const f of failed) io.stderr.write(`icp: gate failed: ${f}\n`);
  return failed.length ? 1 : 0;
}
