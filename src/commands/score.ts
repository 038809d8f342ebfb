// `icp score`: stream an export through the evaluator, write the scored CSV/JSONL and print a summary.
import { Command, Option } from 'commander';
import { UserError } from '../errors.js';
import { dqReasons, formatCents, evaluate, newEvaluation, topReasons, type Evaluation } from '../engine/evaluate.js';
import { traceOf } from '../engine/trace.js';
import { csvField, excelSafe } from '../io/csv-format.js';
import { isBrokenPipe, openSink, type TextSink } from '../io/output.js';
import { Progress } from '../report/progress.js';
import { SummaryStats } from '../report/stats.js';
import { renderSummary, type SummaryFormat } from '../report/summary.js';
import { choice, printDiagnostics, readRules, resolveAsOf, useColor, type Io } from './shared.js';
import { addInputOptions, openModelInput } from './input.js';
import type { Model } from '../engine/model.js';

export interface ScoreOptions {
  rules: string;
  output?: string;
  format: string;
  summary: string;
  asOf?: string;
  delimiter?: string;
  encoding?: string;
  decimal?: string;
  dateOrder?: string;
  rejects?: string;
  strict?: boolean;
  excelSafe?: boolean;
  quiet?: boolean;
  color?: boolean;
  minCoverage?: string;
  progress?: boolean;
}

/** The icp_ columns added to every output row, in order. */
export function addedColumns(m: Model): string[] {
  return [
    'icp_score',
    'icp_tier',
    ...(m.matrix ? ['icp_matrix'] : []),
    ...m.groups.map((g) => `icp_${g.id}_score`),
    'icp_disqualified',
    'icp_disqualified_reason',
    'icp_reasons',
  ];
}

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

export function scoreCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('score')
    .description('score every lead of a CSV export and print a summary')
    .argument('<input>', 'CSV export to score, or - for standard input')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .option('-o, --output <file>', 'write the scored output here (atomically) instead of standard output')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'jsonl']).default('csv'))
    .option('--summary <format>', 'summary format: table, json, markdown (md) or none', 'table')
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--rejects <file>', 'write rows that could not be read to this CSV (line, reason, raw)')
    .option('--strict', 'exit 2 when any row is rejected')
    .option('--excel-safe', 'neutralise spreadsheet formulas: prefix cells starting with = + - @ with an apostrophe')
    .option('--min-coverage <share>', 'exit 1 when a column the rules use is usable in less than this share of rows (0–1)')
    .option('-q, --quiet', 'no summary and no progress')
    .option('--no-progress', 'no progress indicator')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour');
  addInputOptions(cmd);
  cmd.action(async (input: string, opts: ScoreOptions) => {
    setExit(await runScore(input, opts, io));
  });
  return cmd;
}

/** Run `icp score`; returns the exit code. */
export async function runScore(input: string, opts: ScoreOptions, io: Io): Promise<number> {
  const format = choice('--format', opts.format, ['csv', 'jsonl'] as const);
  const summaryFormat = choice('--summary', opts.summary, ['table', 'json', 'markdown', 'none'] as const, { md: 'markdown' });
  const asOf = resolveAsOf(opts.asOf);
  const minCoverage = opts.minCoverage === undefined ? undefined : Number(opts.minCoverage);
  if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 1)) {
    throw new UserError(`--min-coverage: "${opts.minCoverage}" is not a share between 0 and 1`, [], 'e.g. --min-coverage 0.8');
  }
  const toStdout = !opts.output || opts.output === '-';
  const summaryStream = toStdout ? io.stderr : io.stdout;
  const color = useColor(summaryStream, io.env, opts.color);
  const warnColor = useColor(io.stderr, io.env, opts.color);

  const { model, diagnostics } = await readRules(opts.rules);
  printDiagnostics(io, diagnostics.filter((d) => d.severity === 'warning'), warnColor);

  const opened = await openModelInput(input, opts, model, asOf.day, io);
  const { header, bound, warnings } = opened;
  const added = addedColumns(model);
  const clash = added.filter((a) => header.keys.includes(a));
  if (clash.length) {
    opened.close();
    throw new UserError(`${input}: the input already has column${clash.length > 1 ? 's' : ''} ${clash.join(', ')}`, [], 'is it an already scored file? score the original export, or remove the icp_ columns');
  }

  const out = await openSink(toStdout ? '-' : opts.output!, { stdout: io.stdout });
  const rejectSink = opts.rejects ? await openSink(opts.rejects) : undefined;
  const stats = new SummaryStats(model);
  const ev = newEvaluation(model);
  const addedCsv = addedCsvFormatter(model, header.delimiter, opts.excelSafe);
  const d = header.delimiter;
  const progress = !opts.quiet && opts.progress !== false && io.stderr.isTTY === true ? new Progress(io.stderr) : undefined;

  try {
    if (format === 'csv') await writeOrStop(out, `${[...header.names, ...added].map((f) => field(f, d, opts.excelSafe)).join(d)}\n`);
    if (rejectSink) await writeOrStop(rejectSink, 'line,reason,raw\n');
    for await (const batch of opened.batches()) {
      let chunk = '';
      for (const item of batch) {
        stats.read++;
        if (!('fields' in item)) {
          stats.reject(item.reason);
          if (rejectSink) {
            const p = rejectSink.write(`${item.line},${csvField(item.reason, ',')},${csvField(item.raw, ',')}\n`);
            if (p) await p;
          }
          continue;
        }
        evaluate(bound, item.fields, ev);
        stats.add(ev, bound.row);
        stats.written++;
        if (format === 'csv') {
          const line = opts.excelSafe && needsExcelSafety(item.fields) ? item.fields.map((f) => field(f, d, true)).join(d) : item.raw;
          chunk += `${line}${addedCsv(ev)}\n`;
        } else {
          chunk += `${JSON.stringify(traceOf(bound, ev, asOf.text, item.line))}\n`;
        }
      }
      if (chunk) await writeOrStop(out, chunk);
      progress?.update(stats.read);
    }
    progress?.done();
    await out.close();
    if (rejectSink) await rejectSink.close();
  } catch (e) {
    progress?.done();
    if (isBrokenPipe(e)) {
      // `icp score big.csv | head`: the reader went away; that is a normal end, not a failure.
      opened.close();
      await out.abort().catch(() => undefined);
      if (rejectSink) await rejectSink.abort().catch(() => undefined);
      return 0;
    }
    opened.close();
    await out.abort().catch(() => undefined);
    if (rejectSink) await rejectSink.abort().catch(() => undefined);
    throw e;
  }

  const summary = stats.result({ input, rules: opts.rules, asOf: asOf.text, headers: bound.headers, warnings });
  if (!opts.quiet && summaryFormat !== 'none') {
    summaryStream.write(renderSummary(summary, summaryFormat as SummaryFormat, { color }));
  } else {
    for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
  }
  if (opts.strict && summary.rowsRejected > 0) {
    io.stderr.write(`icp: ${summary.rowsRejected} row${summary.rowsRejected === 1 ? '' : 's'} rejected (--strict)${opts.rejects ? `; see ${opts.rejects}` : '; use --rejects <file> to list them'}\n`);
    return 2;
  }
  if (minCoverage !== undefined) {
    const low = summary.coverage.filter((c) => c.share !== null && c.share < minCoverage);
    if (low.length) {
      io.stderr.write(`icp: coverage below ${minCoverage}: ${low.map((c) => `${c.column} ${((c.share ?? 0) * 100).toFixed(1)}%`).join(', ')}\n`);
      return 1;
    }
  }
  return 0;
}

async function writeOrStop(sink: TextSink, s: string): Promise<void> {
  const p = sink.write(s);
  if (p) await p;
}

function field(v: string, d: string, safe: boolean | undefined): string {
  return csvField(safe ? excelSafe(v) : v, d);
}

function needsExcelSafety(fields: readonly string[]): boolean {
  for (const f of fields) if (excelSafe(f) !== f) return true;
  return false;
}
