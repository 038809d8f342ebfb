// `icp report`: score an export and write one self-contained HTML page of the run (tiers, drivers, coverage, leads).
import { Command } from 'commander';
import { LeadsComparison } from '../diff/compare.js';
import { diffPlans } from '../diff/rules-change.js';
import { buildEvaluation } from '../stats/evaluation.js';
import { outcomeLabels } from './evaluate.js';
import { LabelledRows, modelShape, rejectedRowsWarning } from './evaluate-engine.js';
import { topReasons } from '../engine/format.js';
import { openOutputs, type OutputGroup } from '../io/output.js';
import { BestLeads, CriteriaHits } from '../report/collect.js';
import { renderReportHtml, type ReportData } from '../report/html/report.js';
import { SummaryStats } from '../report/stats.js';
import { packageRoot } from '../package-root.js';
import { UserError, type ExitStatus } from '../errors.js';
import { addInputOptions, openModelInput, type InputOptions } from './input.js';
import { leadId } from '../engine/evaluate.js';
import { Session } from '../run/session.js';
import { Summary } from '../run/sinks.js';
import { printDiagnostics, readRules, resolveAsOfSource, useColor, type Io } from './shared.js';

export interface ReportOptions extends InputOptions {
  rules: string;
  output?: string;
  base?: string;
  outcome?: string;
  negative?: string;
  asOf?: string;
  asOfColumn?: string;
  top: string;
  color?: boolean;
}

export function reportCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('report')
    .description('score an export and write one self-contained HTML page of the run, for people who read charts')
    .argument('<input>', 'CSV export to score, or - for standard input')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .requiredOption('-o, --output <file>', 'the HTML file to write (atomically), or - for standard output')
    .option('--outcome <column[=values]>', 'also hold the scores against this outcome column: gains, conversion per tier, calibration, evidence per criterion (as icp evaluate)')
    .option('--negative <values>', 'with --outcome COLUMN=…: the values that are negative')
    .option('--base <file>', 'also compare with these (older) rules: tier transitions and movers')
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--as-of-column <column>', "measure recency from each lead's own date in this column (a rules column or a header) instead of one --as-of")
    .option('--top <n>', 'best leads shown per tier', '25')
    .option('--color', 'force colour in messages')
    .option('--no-color', 'no colour in messages')
    .addHelpText(
      'after',
      `
The page works offline (no network, no external fonts or scripts), prints, and stays small whatever the input:
it holds aggregates and at most --top leads per tier.

Examples:
  icp report leads.csv --rules icp.yaml --as-of 2026-11-01 -o report.html
  icp report leads.csv --rules icp.yaml --base old.yaml -o report.html
  icp report leads.csv --rules icp.yaml --outcome Converted -o report.html`,
    );
  addInputOptions(cmd);
  cmd.action(async (input: string, opts: ReportOptions) => {
    setExit(await runReport(input, opts, io));
  });
  return cmd;
}

/** Run `icp report`; returns the exit code. */
export async function runReport(input: string, opts: ReportOptions, io: Io): Promise<ExitStatus> {
  const asOf = resolveAsOfSource(opts);
  const top = Number(opts.top);
  if (!Number.isInteger(top) || top < 0 || top > 1000) throw new UserError(`--top: "${opts.top}" is not a number of leads from 0 to 1000`, [], 'e.g. --top 25');
  const errColor = useColor(io.stderr, io.env, opts.color);
  const rules = await readRules(opts.rules);
  printDiagnostics(io, rules.diagnostics.filter((d) => d.severity === 'warning'), errColor);
  const model = rules.model;
  const base = opts.base === undefined ? undefined : await readRules(opts.base);

  const outputs = await openOutputs([{ role: '-o', target: opts.output ?? '-' }], {
    stdout: io.stdout,
    stdoutFd: io.stdout === process.stdout ? 1 : undefined,
    stdinFd: io.stdin === process.stdin ? 0 : undefined,
    inputs: [
      { role: 'input', path: input },
      { role: '--rules', path: opts.rules },
      ...(opts.base ? [{ role: '--base', path: opts.base }] : []),
    ],
  });
  try {
    return await writeReport(outputs);
  } finally {
    await outputs.abort();
  }

  async function writeReport(outputs: OutputGroup): Promise<ExitStatus> {
    const labels = opts.outcome === undefined ? undefined : await outcomeLabels(input, { outcome: opts.outcome, negative: opts.negative }, io);
    const opened = await openModelInput(input, opts, model, asOf.choice, io, base ? [base.model] : []);
    const bound = opened.bound;
    if (labels) {
      try {
        labels.onHeader?.(opened.header.keys, model.idColumn === null ? -1 : bound.fieldIndex[model.idColumn]!);
      } catch (e) {
        opened.close();
        throw e;
      }
    }
    // --outcome: the same evaluation `icp evaluate` computes (one implementation, rendered here as charts), from the same pass.
    const labelled = labels ? new LabelledRows(bound, labels) : undefined;
    const stats = new SummaryStats(model);
    const hits = new CriteriaHits(model.criteria.map((c) => ({ id: c.id, label: c.label, group: model.groups[c.group]!.id })));
    const best = new BestLeads([...model.tiers.map((t) => ({ name: t.name, label: t.label ?? null })), { name: model.disqualifiedTier, label: 'disqualified' }], top);
    const comparison = base ? new LeadsComparison(base.model, model, bucketOf(stats.bucket)) : undefined;
    // One run session: every record scored by the rules (and the --base rules), for the summary and the report.
    const session = new Session(
      [bound, ...opened.alsoBound],
      [
        new Summary(stats, bound),
        {
          row: (item, evaluations) => {
            const e = evaluations[0]!;
            const id = leadId(bound, item.line);
            hits.add(e);
            best.add(e, id, item.line, () => topReasons(model, e));
            if (comparison) comparison.add(id, item.line, evaluations[1]!, e);
          },
        },
        ...(labelled ? [labelled] : []),
      ],
    );
    try {
      await session.run(opened.batches());
    } finally {
      opened.close();
    }
    const counts = session.counts;

    if (labels) {
      // Its warnings on standard error, as icp evaluate reports them.
      const warnings = [...opened.warnings];
      if (counts.rejected) warnings.push(rejectedRowsWarning(counts.rejected));
      labels.finish(warnings);
      for (const w of warnings) io.stderr.write(`warning: ${w}\n`);
    }
    const name = input === '-' ? '<stdin>' : input;
    const summary = stats.result({ input: name, rules: opts.rules, asOf: asOf.text, asOfColumn: asOf.column, headers: bound.headers, warnings: opened.warnings });
    const data: ReportData = {
      title: model.name ?? opts.rules,
      version: packageRoot().version,
      rules: opts.rules,
      input: name,
      asOf: asOf.text,
      summary,
      criteria: hits.result(),
      topLeads: best.result(),
      evaluation: labelled && labels ? { ...buildEvaluation(modelShape(model), labelled.result(counts.rejected)), outcome: opts.outcome! } : null,
      diff: comparison && base ? { base: opts.base!, changes: diffPlans(base.model.plan, model.plan), leads: comparison.result() } : null,
    };
    const p = outputs.sinks[0]!.write(renderReportHtml(data));
    if (p) await p;
    await outputs.commit();
    if (opts.output && opts.output !== '-') io.stderr.write(`wrote ${opts.output}: ${counts.evaluated} leads, ${counts.rejected} rejected\n`);
    return 0;
  }
}

/** The histogram width of score changes: a tenth of the summary's score bucket, at least one point. */
function bucketOf(scoreBucket: number): number {
  return Math.max(1, scoreBucket / 2);
}
