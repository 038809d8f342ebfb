// `icp diff`: what a rules change does to the leads — one pass of an export scored by the old and the new rules.
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { promisify } from 'node:util';
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import { LeadsComparison, whyMoved, type Mover } from '../diff/compare.js';
import { diffPlans } from '../diff/rules-change.js';
import { csvField } from '../io/csv-format.js';
import { describeHeldBack, openOutputs, type OutputGroup } from '../io/output.js';
import { renderDiff, type DiffFormat, type DiffReport, type OutcomeSide } from '../report/diff.js';
import { loadRules } from '../rules/index.js';
import { DISQUALIFIED_RANK } from '../stats/evaluation.js';
import { auc, groupScores, wilson } from '../stats/metrics.js';
import { outcomeReader, parseOutcomeSpec } from '../stats/outcome.js';
import { addInputOptions, openModelInput, type InputOptions } from './input.js';
import { leadId } from '../engine/evaluate.js';
import { Session } from '../run/session.js';
import { choice, printDiagnostics, readRules, resolveAsOfSource, useColor, type Io } from './shared.js';

export interface DiffOptions extends InputOptions {
  rules: string;
  base?: string;
  baseRef?: string;
  format: string;
  asOf?: string;
  asOfColumn?: string;
  outcome?: string;
  negative?: string;
  failOnTierChange?: string;
  moversOut?: string;
  top: string;
  color?: boolean;
}

export function diffCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('diff')
    .description('what a rules change does to the leads: tier transitions, score changes, movers and why')
    .argument('<input>', 'CSV export to score with both rules, or - for standard input')
    .requiredOption('-r, --rules <file>', 'the new YAML rules file')
    .option('--base <file>', 'the old rules file to compare with')
    .option('--base-ref <ref>', 'read the old rules from git instead: the --rules file as it is at this commit, branch or tag')
    .addOption(new Option('-f, --format <format>', 'report format: text, json or markdown (md, sized for a pull-request comment)').default('text'))
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--as-of-column <column>', "measure recency from each lead's own date in this column (a rules column or a header) instead of one --as-of")
    .option('--outcome <column[=values]>', 'also compare AUC and conversion per tier against this outcome column (as icp evaluate)')
    .option('--negative <values>', 'with --outcome COLUMN=…: the values that are negative')
    .option('--fail-on-tier-change <share>', 'exit 1 when more than this share of leads change tier, e.g. 5% or 0.05 (a CI gate)')
    .option('--movers-out <file>', 'write one CSV row per lead that changed tier (id, line, old and new score and tier, why)')
    .option('--top <n>', 'largest moves up and down shown', '10')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Exit status of diff: 0 done, 1 --fail-on-tier-change exceeded, 2 usage, rules or input error.

Examples:
  icp diff leads.csv --rules icp.yaml --base old.yaml --as-of 2026-11-01
  icp diff sample.csv --rules icp.yaml --base-ref origin/main --format md > diff.md
  icp diff leads.csv --rules icp.yaml --base-ref HEAD~1 --outcome Converted --fail-on-tier-change 5%`,
    );
  addInputOptions(cmd);
  cmd.action(async (input: string, opts: DiffOptions) => {
    setExit(await runDiff(input, opts, io));
  });
  return cmd;
}

/** `5%` or `0.05` → 0.05. */
export function parseShare(name: string, v: string): number {
  const t = v.trim();
  const x = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || !(x >= 0 && x <= 1)) throw new UserError(`${name}: "${v}" is not a share from 0 to 1 (or 0% to 100%)`, [], `e.g. ${name} 5%`);
  return x;
}

const run = promisify(execFile);

/** The rules file as it is at a git ref (`git show REF:./file`, from the file's own directory). */
async function rulesAtRef(path: string, ref: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['show', `${ref}:./${basename(path)}`], { cwd: dirname(path), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new UserError('--base-ref: git is not installed or not on the PATH', [], 'install git, or give the old rules as a file with --base');
    const why = (err.stderr ?? err.message).trim().split('\n')[0];
    throw new UserError(`--base-ref ${ref}: cannot read ${path} at that ref: ${why}`, [], 'check the ref (git log --oneline), that the file existed there, and that the checkout has that history (fetch-depth: 0 in CI)');
  }
}

/** Run `icp diff`; returns the exit code. */
export async function runDiff(input: string, opts: DiffOptions, io: Io): Promise<ExitStatus> {
  const format = choice('--format', opts.format, ['text', 'json', 'markdown'] as const, { md: 'markdown' }) as DiffFormat;
  if ((opts.base === undefined) === (opts.baseRef === undefined)) {
    throw new UserError(`diff: give ${opts.base === undefined ? 'the old rules with --base <file> or --base-ref <git ref>' : 'either --base or --base-ref, not both'}`, [], 'e.g. icp diff leads.csv --rules icp.yaml --base-ref origin/main');
  }
  const gate = opts.failOnTierChange === undefined ? undefined : parseShare('--fail-on-tier-change', opts.failOnTierChange);
  const top = Number(opts.top);
  if (!Number.isInteger(top) || top < 0 || top > 1000) throw new UserError(`--top: "${opts.top}" is not a number from 0 to 1000`, [], 'e.g. --top 10');
  const asOf = resolveAsOfSource(opts);
  const color = useColor(io.stdout, io.env, opts.color);
  const errColor = useColor(io.stderr, io.env, opts.color);

  const next = await readRules(opts.rules);
  printDiagnostics(io, next.diagnostics.filter((d) => d.severity === 'warning'), errColor);
  let baseLabel: string;
  let base: typeof next;
  if (opts.baseRef !== undefined) {
    baseLabel = `${opts.baseRef}:${opts.rules}`;
    const loaded = loadRules(await rulesAtRef(opts.rules, opts.baseRef), baseLabel);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length || !loaded.model || !loaded.rules) throw new UserError(`${baseLabel}: ${errors.length} error${errors.length === 1 ? '' : 's'} in the old rules`, errors);
    base = { ...loaded, model: loaded.model, rules: loaded.rules };
  } else {
    baseLabel = opts.base!;
    base = await readRules(opts.base!);
  }

  const outputs = opts.moversOut
    ? await openOutputs([{ role: '--movers-out', target: opts.moversOut }], {
        stdout: io.stdout,
        stdoutFd: io.stdout === process.stdout ? 1 : undefined,
        stdinFd: io.stdin === process.stdin ? 0 : undefined,
        inputs: [{ role: 'input', path: input }, { role: '--rules', path: opts.rules }, ...(opts.base ? [{ role: '--base', path: opts.base }] : [])],
      })
    : undefined;
  try {
    return await compare(outputs);
  } finally {
    await outputs?.abort();
  }

  async function compare(outputs: OutputGroup | undefined): Promise<ExitStatus> {
    const opened = await openModelInput(input, opts, next.model, asOf.choice, io, [base.model]);
    for (const w of opened.warnings) io.stderr.write(`warning: ${w}\n`);
    const comparison = new LeadsComparison(base.model, next.model, deltaBucket(next.model.plan.total.range), { top });

    const spec = opts.outcome === undefined ? undefined : parseOutcomeSpec(opts.outcome, opts.negative);
    const outcomeField = spec === undefined ? -1 : opened.header.keys.findIndex((k) => k === spec.column || k.trim().toLowerCase() === spec.column.trim().toLowerCase());
    if (spec && outcomeField < 0) {
      opened.close();
      throw new UserError(`--outcome: no column "${spec.column}" in ${input}`, [], 'give the header of the outcome column as it is in the export');
    }
    const readOutcome = spec ? outcomeReader(spec) : undefined;
    const labelled = { labels: [] as number[], before: [] as number[], after: [] as number[], tierBefore: [] as string[], tierAfter: [] as string[] };

    const movers = outputs?.sinks[0];
    if (movers) await movers.write('id,line,old_score,old_tier,new_score,new_tier,why\n');
    // One run session: every record scored by both rules; the movers are written batch by batch.
    let moved = '';
    const session = new Session(
      [opened.bound, ...opened.alsoBound],
      [
        {
          row: (item, evaluations) => {
            const [eNew, eOld] = evaluations as [(typeof evaluations)[0], (typeof evaluations)[0]];
            const m = comparison.add(leadId(opened.bound, item.line), item.line, eOld, eNew);
            if (readOutcome) {
              const y = readOutcome(item.fields[outcomeField]);
              if (y >= 0) {
                labelled.labels.push(y);
                labelled.before.push(eOld.disqualified ? DISQUALIFIED_RANK : eOld.scoreCents);
                labelled.after.push(eNew.disqualified ? DISQUALIFIED_RANK : eNew.scoreCents);
                labelled.tierBefore.push(eOld.tier);
                labelled.tierAfter.push(eNew.tier);
              }
            }
            if (m && movers) moved += moverRow(m);
          },
          flush: () => {
            if (!movers || !moved) return;
            const text = moved;
            moved = '';
            return movers.write(text);
          },
        },
      ],
    );
    try {
      await session.run(opened.batches());
    } finally {
      opened.close();
    }
    const counts = session.counts;

    const leads = comparison.result();
    const report: DiffReport = {
      input: input === '-' ? '<stdin>' : input,
      base: baseLabel,
      rules: opts.rules,
      as_of: asOf.text,
      changes: diffPlans(base.model.plan, next.model.plan),
      leads,
      outcome: spec
        ? {
            column: spec.column,
            rows: labelled.labels.length,
            positives: labelled.labels.reduce((s, y) => s + y, 0),
            before: outcomeSide(labelled.before, labelled.tierBefore, labelled.labels, [...base.model.tiers.map((t) => t.name), base.model.disqualifiedTier]),
            after: outcomeSide(labelled.after, labelled.tierAfter, labelled.labels, [...next.model.tiers.map((t) => t.name), next.model.disqualifiedTier]),
          }
        : null,
    };
    io.stdout.write(renderDiff(report, format, { color }));
    if (counts.rejected) io.stderr.write(`icp: ${counts.rejected} row${counts.rejected === 1 ? '' : 's'} could not be read and are left out of the comparison; list them with icp score --rejects <file>\n`);

    const failed = gate !== undefined && leads.changedShare > gate;
    if (!outputs) return failed ? 1 : 0;
    const result = await outputs.finish(() => (failed ? true : undefined));
    if (failed) {
      io.stderr.write(`icp: ${(leads.changedShare * 100).toFixed(1)}% of leads changed tier, more than --fail-on-tier-change ${opts.failOnTierChange}\n`);
      if (!result.committed) for (const line of describeHeldBack(result.held)) io.stderr.write(`  ${line}\n`);
      return 1;
    }
    return 0;
  }
}

function moverRow(m: Mover): string {
  const why = whyMoved(m, 5);
  return `${csvField(m.id, ',')},${m.line},${m.before.score},${csvField(m.before.tier, ',')},${m.after.score},${csvField(m.after.tier, ',')},${csvField(why, ',')}\n`;
}

/** AUC (disqualified leads ranked last, as icp evaluate does) and conversion per tier with 95 % Wilson intervals. */
function outcomeSide(scores: number[], tiers: string[], labels: number[], names: string[]): OutcomeSide {
  const a = scores.length ? auc(groupScores({ scores, labels })) : NaN;
  const by = new Map(names.map((t) => [t, { leads: 0, positives: 0 }]));
  tiers.forEach((t, i) => {
    let x = by.get(t);
    if (!x) by.set(t, (x = { leads: 0, positives: 0 }));
    x.leads++;
    x.positives += labels[i]!;
  });
  return {
    auc: Number.isFinite(a) ? Math.round(a * 1e6) / 1e6 : null,
    tiers: [...by].map(([tier, x]) => {
      const [low, high] = x.leads ? wilson(x.positives, x.leads) : [NaN, NaN];
      return { tier, leads: x.leads, positives: x.positives, conversion: x.leads ? x.positives / x.leads : null, low: Number.isFinite(low) ? low : null, high: Number.isFinite(high) ? high : null };
    }),
  };
}

/** A round histogram width for score changes: about a twentieth of the reachable range, at least 1 point. */
function deltaBucket(range: { min: number | null; max: number | null }): number {
  const span = range.min !== null && range.max !== null ? range.max - range.min : 100;
  const raw = Math.max(1, span / 20);
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const k of [1, 2, 2.5, 5, 10]) if (raw <= k * p) return k * p;
  return 10 * p;
}
