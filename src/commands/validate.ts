// `icp validate`: check a rules file (every error at once, plus lints) and, given an export, that the
// columns the rules read exist and how many of their values are usable.
import { Command, Option } from 'commander';
import { UserError, type Diagnostic, type ExitStatus } from '../errors.js';
import { diagnosticAnnotation, renderGithubAnnotations } from '../report/annotations.js';
import { reachOf } from '../plan/static-checks.js';
import { renderValidate, type InputReport, type ValidateReport } from '../report/validate.js';
import { addInputOptions, type InputOptions } from './input.js';
import { choice, loadRulesFile, resolveAsOf, useColor, type Io } from './shared.js';
import { checkInput } from './validate-input.js';

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


export function validateCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
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
export async function runValidate(input: string | undefined, opts: ValidateOptions, io: Io): Promise<ExitStatus> {
  const format = choice('--format', opts.format, ['text', 'json'] as const);
  const sample = parseSample(opts.sample);
  const asOf = resolveAsOf(opts.asOf);
  const color = useColor(io.stdout, io.env, opts.color);

  const loaded = await loadRulesFile(opts.rules);
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
