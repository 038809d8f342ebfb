// `icp score`: stream an export through the evaluator, write the scored CSV/JSONL and print a summary.
import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import type { CsvReject, RecordFormat, ResumePoint } from '../io/csv-reader.js';
import { resumeCsv } from '../io/csv-records.js';
import type { InputFile } from '../io/input-file.js';
import { describeHeldBack, isBrokenPipe, openOutputs, type TextSink } from '../io/output.js';
import { Progress } from '../report/progress.js';
import { SummaryStats, type SummaryData } from '../report/stats.js';
import { renderSummary, type SummaryFormat } from '../report/summary.js';
import { renderGithubAnnotations, type Annotation } from '../report/annotations.js';
import { positionOf } from '../rules/load.js';
import { choice, printDiagnostics, readRules, resolveAsOfSource, useColor, type Io } from './shared.js';
import { addInputOptions, openInputFile, openModelInput, unterminatedWarning } from './input.js';
import { field } from './score-format.js';
import { PROBE_BYTES, scoreInPieces, WORKER_PAYS_AFTER, WorkerPool, type AdaptiveWorkers, type PieceTally, type WorkerSetup } from '../run/parallel.js';
import { PieceScorer } from '../run/piece.js';
import { Session } from '../run/session.js';
import { rejectLine, RejectLines, REJECTS_HEADER, scoredOutput, Summary, type OutputSettings } from '../run/sinks.js';
import type { Model } from '../engine/model.js';
import { scoreThroughDuckDB } from '../sql/duckdb-engine.js';

export interface ScoreOptions {
  rules: string;
  output?: string;
  format: string;
  summary: string;
  asOf?: string;
  asOfColumn?: string;
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
  annotations?: string;
  progress?: boolean;
  jobs?: string;
  debug?: boolean;
  engine?: string;
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

export function scoreCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('score')
    .description('score every lead of a CSV export and print a summary')
    .argument('<input>', 'CSV export to score, or - for standard input')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .option('-o, --output <file>', 'write the scored output here (atomically) instead of standard output')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'jsonl']).default('csv'))
    .option('--summary <format>', 'summary format: table, json, markdown (md) or none', 'table')
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--as-of-column <column>', "measure recency from each lead's own date in this column (a rules column or a header) instead of one --as-of")
    .option('--rejects <file>', 'write rows that could not be read to this CSV (line, reason, raw)')
    .option('--strict', 'exit 2 when any row is rejected')
    .addOption(new Option('--annotations <kind>', 'also annotate a failed gate for CI, on standard error').choices(['github']))
    .option('--excel-safe', 'neutralise spreadsheet formulas: prefix cells starting with = + - @ with an apostrophe')
    .option('--min-coverage <share>', 'exit 1 when a column the rules use is usable in less than this share of rows (0–1)')
    .option('-j, --jobs <n>', 'threads to score on (default: a second one when the work pays for it, on a file over 4 MiB and 2 or more CPUs; 1: one thread)')
    .addOption(new Option('--engine <name>', 'js (default), or duckdb: embedded DuckDB runs the SQL of icp sql (needs @duckdb/node-api)').choices(['js', 'duckdb']).default('js'))
    .option('-q, --quiet', 'no summary and no progress')
    .option('--no-progress', 'no progress indicator')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour');
  addInputOptions(cmd);
  cmd.action(async (input: string, _opts: ScoreOptions, command: Command) => {
    // With globals: --debug may be written before or after the command name.
    setExit(await runScore(input, command.optsWithGlobals<ScoreOptions>(), io));
  });
  return cmd;
}

/** Run `icp score`; returns the exit code. */
export async function runScore(input: string, opts: ScoreOptions, io: Io): Promise<ExitStatus> {
  const format = choice('--format', opts.format, ['csv', 'jsonl'] as const);
  const summaryFormat = choice('--summary', opts.summary, ['table', 'json', 'markdown', 'none'] as const, { md: 'markdown' });
  const asOf = resolveAsOfSource(opts);
  const minCoverage = opts.minCoverage === undefined ? undefined : Number(opts.minCoverage);
  if (minCoverage !== undefined && !(minCoverage >= 0 && minCoverage <= 1)) {
    throw new UserError(`--min-coverage: "${opts.minCoverage}" is not a share between 0 and 1`, [], 'e.g. --min-coverage 0.8');
  }
  const jobs = parseJobs(opts.jobs);
  const warnColor = useColor(io.stderr, io.env, opts.color);

  // The input is opened once, here: every reader of the run reads this open file. A failure to open it is
  // reported where the input is read, after the rules, as for standard input.
  let openError: unknown;
  const file = input === '-' ? undefined : await openInputFile(input).catch((e: unknown) => void (openError = e));
  // Workers start before the rules are read, so their start-up overlaps ours; every path below stops them.
  const duck = opts.engine === 'duckdb';
  if (duck && format !== 'csv') throw new UserError('--engine duckdb writes CSV only', [], 'use --format csv, or the default engine for jsonl');
  const threads: ReturnType<typeof piecePlan> = duck ? { pieces: false, workers: 0 } : piecePlan(input, file, jobs);
  const oneThread = (why: string) => io.stderr.write(`icp: --jobs ${jobs}: scoring on one thread: ${why}\n`);
  if (threads.oneThread) oneThread(threads.oneThread);
  /** The rules once read (for gate annotations at their place in the rules file). */
  let loaded: Awaited<ReturnType<typeof readRules>> | undefined;

  const pool = threads.workers > 0 ? new WorkerPool(threads.workers) : threads.adaptive ? new WorkerPool(0) : undefined;
  try {
    return await scoreWithPool();
  } finally {
    await pool?.stop();
    await file?.close();
  }

  async function scoreWithPool(): Promise<ExitStatus> {
    const rules = await readRules(opts.rules);
    loaded = rules;
    const { model, diagnostics } = rules;
    printDiagnostics(io, diagnostics.filter((d) => d.severity === 'warning'), warnColor);

    if (openError !== undefined) throw openError;
    const opened = await openModelInput(input, opts, model, asOf.choice, io, [], file);
    const { header, bound, warnings } = opened;
    const added = addedColumns(model);
    const clash = added.filter((a) => header.keys.includes(a));
    if (clash.length) {
      opened.close();
      throw new UserError(`${input}: the input already has column${clash.length > 1 ? 's' : ''} ${clash.join(', ')}`, [], 'is it an already scored file? score the original export, or remove the icp_ columns');
    }

    // Every output is checked and opened before anything is written; none may be the input or another output.
    const outputs = await openOutputs([{ role: '-o', target: opts.output ?? '-' }, ...(opts.rejects ? [{ role: '--rejects', target: opts.rejects }] : [])], {
      stdout: io.stdout,
      stdoutFd: io.stdout === process.stdout ? 1 : undefined,
      stdinFd: io.stdin === process.stdin ? 0 : undefined,
      inputs: [
        { role: 'input', path: input },
        { role: '--rules', path: opts.rules, reads: 'the rules file' },
      ],
    }).catch((e: unknown) => {
      opened.close();
      throw e;
    });
    const [out, rejectSink] = outputs.sinks as [TextSink, TextSink | undefined];
    // The summary goes where no output goes, so that a pipe stays clean.
    const summaryStream = outputs.usesStdout ? io.stderr : io.stdout;
    const color = useColor(summaryStream, io.env, opts.color);
    const stats = new SummaryStats(model);
    const d = header.delimiter;
    const records: RecordFormat = { delimiter: d, encoding: header.encoding, fields: header.names.length };
    const outputSettings: OutputSettings = { ...records, format, excelSafe: opts.excelSafe === true, lineBreak: header.lineBreak };
    const progress = !opts.quiet && opts.progress !== false && io.stderr.isTTY === true ? new Progress(io.stderr) : undefined;
    const writeReject = async (r: CsvReject) => {
      if (rejectSink) await writeOrStop(rejectSink, rejectLine(r, opts.excelSafe === true));
    };
    // The run session of this thread: records from the reader's batches (or, after a handover, from resumeCsv).
    const session = new Session(
      [bound],
      [
        new Summary(stats, bound),
        scoredOutput(bound, outputSettings, (t) => writeOrStop(out, t)),
        ...(rejectSink ? [new RejectLines(opts.excelSafe === true, (t) => writeOrStop(rejectSink, t))] : []),
        ...(progress ? [{ flush: () => progress.update(stats.read) }] : []),
      ],
    );

    try {
      if (format === 'csv') await writeOrStop(out, `${[...header.names, ...added].map((f) => field(f, d, opts.excelSafe)).join(d)}${header.lineBreak}`);
      if (rejectSink) await writeOrStop(rejectSink, REJECTS_HEADER);
      if (threads.pieces && file && header.dataOffset !== undefined) {
        // Pieces are read again from the data's first byte: stop the reader that read the header and sample.
        opened.close();
        const at: ResumePoint = { ...records, line: header.dataLine, offset: header.dataOffset };
        const setup: WorkerSetup = { plan: model.plan, asOf: bound.asOf, settings: bound.settings, piece: outputSettings };
        pool?.configure(setup);
        let handover: ResumePoint | undefined;
        const tally: PieceTally = { pieces: 0, byWorkers: 0 };
        let decided = false;
        for await (const piece of scoreInPieces(file, at, new PieceScorer(bound, outputSettings), pool, tally, threads.adaptive)) {
          if ('resume' in piece) {
            handover = piece.resume;
            decided = piece.decided === true;
            break;
          }
          if (piece.unterminated !== undefined) session.unterminated = piece.unterminated;
          stats.merge(piece.stats);
          await writeOrStop(out, piece.out, piece.release);
          for (const r of piece.rejects) await writeReject(r);
          progress?.update(stats.read);
        }
        if (opts.debug) {
          const d = threads.adaptive?.decision;
          if (d) {
            const how = d.start ? `more than ${WORKER_PAYS_AFTER}× that: a worker thread` : `not more than ${WORKER_PAYS_AFTER}× that: one thread`;
            io.stderr.write(`icp: debug: a worker costs ~${d.cost.toFixed(2)} s (start-up and the first ${PROBE_BYTES} bytes); at ${(d.rate / 1e6).toFixed(1)} MB/s the other ${d.remaining} bytes take ~${d.estimate.toFixed(2)} s on one thread: ${how}\n`);
          }
          const n = (pool?.workers.length ?? 0) + 1;
          io.stderr.write(`icp: debug: ${n} thread${n > 1 ? 's' : ''} scored ${tally.pieces} pieces, ${tally.byWorkers} of them in worker threads\n`);
          if (handover) io.stderr.write(`icp: debug: one thread from line ${handover.line} (byte ${handover.offset}) on${decided ? '' : ' (the input needs the ordinary reader there)'}\n`);
        }
        if (handover) await session.run(resumeCsv(file.bytes(handover.offset), handover, input));
      } else {
        if (threads.pieces) {
          await pool?.stop(); // UTF-16: byte offsets do not follow from the text, so no pieces
          if (jobs !== undefined) oneThread('UTF-16 input cannot be read in pieces from byte offsets');
        }
        if (duck) {
          // DuckDB evaluates: a session without sinks only reads, so that the unterminated last record is noted as ever.
          const reader = new Session([], [], { select: () => false });
          const read = { ...opened, batches: () => reader.through(opened.batches()) };
          await scoreThroughDuckDB({ opened: read, bound, stats, excelSafe: opts.excelSafe === true, writeReject, write: (s) => writeOrStop(out, s) });
          session.unterminated = reader.unterminated;
        } else await session.run(opened.batches());
      }
      progress?.done();
      await outputs.prepare(); // every output complete and fsynced; nothing renamed before the gates are decided
    } catch (e) {
      progress?.done();
      opened.close();
      await outputs.abort();
      // `icp score big.csv | head`: the reader went away; that is a normal end, not a failure.
      if (isBrokenPipe(e)) return 0;
      throw e;
    }
    if (session.unterminated !== undefined) warnings.push(unterminatedWarning(input, session.unterminated));
    const summary = stats.result({ input, rules: opts.rules, asOf: asOf.text, asOfColumn: asOf.column, headers: bound.headers, warnings });
    try {
      if (!opts.quiet && summaryFormat !== 'none') {
        summaryStream.write(renderSummary(summary, summaryFormat as SummaryFormat, { color }));
      } else {
        for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
      }
      // The gates are decided before any output replaces its target: on a failed gate, none does.
      const result = await outputs.finish(() => gateFailure(summary));
      if (result.committed) return 0;
      io.stderr.write(`icp: ${result.verdict.message}\n`);
      if (opts.annotations === 'github') io.stderr.write(renderGithubAnnotations(gateAnnotations(result.verdict.message, summary)));
      for (const line of describeHeldBack(result.held)) io.stderr.write(`  ${line}\n`);
      return result.verdict.code;
    } finally {
      await outputs.abort(); // nothing once committed or held back
    }
  }

  /**
   * A failed gate as CI annotations: --min-coverage one per thin column, at the column's place in the rules file
   * (where its aliases are declared or first used); --strict one for the run.
   */
  function gateAnnotations(message: string, summary: SummaryData): Annotation[] {
    if (minCoverage === undefined || (opts.strict && summary.rowsRejected > 0)) return [{ severity: 'error', title: 'icp score', message: `${input}: ${message}` }];
    return summary.coverage
      .filter((c) => c.share !== null && c.share < minCoverage)
      .map((c) => {
        const col = loaded?.model.columns.find((x) => x.name === c.column);
        const at = loaded && col ? positionOf(loaded.source, col.path) : undefined;
        return { severity: 'error', title: 'icp score --min-coverage', file: opts.rules, line: at?.line, col: at?.col, message: `column ${c.column} is usable in ${((c.share ?? 0) * 100).toFixed(1)}% of the rows of ${input}, below --min-coverage ${minCoverage}` };
      });
  }

  /** The first gate the run fails (--strict, --min-coverage), as its exit code and message; undefined when all pass. */
  function gateFailure(summary: SummaryData): { code: ExitStatus; message: string } | undefined {
    if (opts.strict && summary.rowsRejected > 0) {
      const n = summary.rowsRejected;
      return { code: 2, message: `${n} row${n === 1 ? '' : 's'} rejected (--strict)${opts.rejects ? '' : '; use --rejects <file> to list them'}` };
    }
    if (minCoverage !== undefined) {
      const low = summary.coverage.filter((c) => c.share !== null && c.share < minCoverage);
      if (low.length) return { code: 1, message: `coverage below ${minCoverage}: ${low.map((c) => `${c.column} ${((c.share ?? 0) * 100).toFixed(1)}%`).join(', ')}` };
    }
    return undefined;
  }
}

/** --jobs: a whole number of threads, or undefined for the default. */
function parseJobs(jobs: string | undefined): number | undefined {
  if (jobs === undefined) return undefined;
  const n = Number(jobs);
  if (!/^\d+$/.test(jobs.trim()) || n < 1 || n > 64) throw new UserError(`--jobs: "${jobs}" is not a whole number from 1 to 64`, [], 'e.g. --jobs 2, or --jobs 1 for one thread');
  return n;
}

/**
 * Files smaller than this are scored on one thread unless --jobs says otherwise (a worker cannot pay for itself on
 * so little work); on larger ones the first piece decides (see src/run/parallel.ts, decideWorkers).
 */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Whether the data is read in pieces (see src/run/parallel.ts), and by how many worker threads besides the main
 * thread. Pieces need a regular file (they are read by byte offset), and byte offsets that follow from
 * the text (not UTF-16: the caller checks that once the header is read); without --jobs, only files of
 * PARALLEL_MIN_BYTES or more, and one worker given two or more CPUs.
 */
function piecePlan(input: string, file: InputFile | undefined, jobs: number | undefined): { pieces: boolean; workers: number; adaptive?: AdaptiveWorkers; oneThread?: string } {
  const n = jobs ?? (availableParallelism() >= 2 ? 2 : 1);
  if (n < 2) return { pieces: false, workers: 0 };
  // Why --jobs cannot be followed (said only when it was asked for).
  const none = (why: string) => ({ pieces: false, workers: 0, oneThread: jobs === undefined ? undefined : why });
  if (input === '-') return none('standard input is read once, from start to end');
  // A file that cannot be opened is reported where the input is read.
  if (file === undefined) return { pieces: false, workers: 0 };
  // A pipe (`<(zcat leads.csv.gz)`, /dev/stdin) cannot be read from an offset.
  if (!file.regular) return none(`${input} is not a regular file (a pipe is read once, from start to end)`);
  if (jobs === undefined && file.size < PARALLEL_MIN_BYTES) return { pieces: false, workers: 0 };
  // By default, a worker only once the first piece shows it pays (see src/run/parallel.ts); --jobs n: n - 1 at once.
  if (jobs === undefined) return { pieces: true, workers: 0, adaptive: { workers: n - 1 } };
  return { pieces: true, workers: n - 1 };
}

async function writeOrStop(sink: TextSink, s: string | Uint8Array, written?: () => void): Promise<void> {
  const p = sink.write(s, written);
  if (p) await p;
}
