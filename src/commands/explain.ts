// `icp explain`: find leads by id in an export and show, criterion by criterion, why they scored what they did.
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import { findLeads } from './find-leads.js';
import { renderExplain, type ExplainFormat } from '../report/explain.js';
import { addInputOptions, openModelInput, type InputOptions } from './input.js';
import { choice, printDiagnostics, readRules, resolveAsOfSource, useColor, type Io } from './shared.js';

export interface ExplainOptions extends InputOptions {
  rules: string;
  input?: string;
  id?: string[];
  format: string;
  asOf?: string;
  asOfColumn?: string;
  color?: boolean;
}

export function explainCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('explain')
    .description('explain, criterion by criterion, how leads got their score and tier')
    .usage('<lead-id> <input|-> --rules <file> [options]\n       icp explain --id <id> [--id <id>…] <input|-> --rules <file> [options]')
    .argument('[args...]', 'the lead id, then the CSV export (or - for standard input)')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .option('-i, --input <file>', 'CSV export to search (or -); then every positional argument is an id')
    .option('--id <id>', 'a lead id to explain (repeat for more)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--as-of <date>', 'date that recency is measured from, YYYY-MM-DD (default: today, UTC)')
    .option('--as-of-column <column>', "measure recency from each lead's own date in this column (a rules column or a header) instead of one --as-of")
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Examples:
  icp explain 10042 leads.csv --rules icp.yaml --as-of 2026-11-01
  icp explain --id 10042 --id 10077 leads.csv --rules icp.yaml --format json
  icp explain 10042 10077 --input leads.csv --rules icp.yaml

The first row whose id matches (ignoring surrounding spaces) is explained; reading stops once every id is found.
--format json writes one JSON object per lead, the same trace as icp score --format jsonl.`,
    );
  addInputOptions(cmd);
  cmd.action(async (args: string[], opts: ExplainOptions) => {
    setExit(await runExplain(args, opts, io));
  });
  return cmd;
}

/** Split positional arguments into ids and the input, following `<lead-id> [input]` and `--input`/`--id`. */
export function resolveTargets(args: readonly string[], opts: { input?: string; id?: string[] }): { ids: string[]; input: string } {
  const extra = opts.id ?? [];
  let ids: string[];
  let input: string | undefined;
  if (opts.input !== undefined) {
    ids = [...args, ...extra];
    input = opts.input;
  } else if (args.length >= 2) {
    if (args.length > 2) {
      throw new UserError(`explain: ${args.length} arguments given; with more than one id, name the export with --input`, [], 'e.g. icp explain 10042 10077 --input leads.csv --rules icp.yaml, or --id 10042 --id 10077 leads.csv');
    }
    ids = [args[0]!, ...extra];
    input = args[1];
  } else if (args.length === 1 && extra.length) {
    ids = extra;
    input = args[0];
  } else {
    throw new UserError(
      args.length === 0 && !extra.length ? 'explain: no lead id given' : 'explain: no input given',
      [],
      'usage: icp explain <lead-id> <input.csv|-> --rules <file>',
    );
  }
  ids = [...new Set(ids.map((s) => s.trim()))];
  if (ids.some((s) => s === '')) throw new UserError('explain: an empty lead id was given');
  return { ids, input: input! };
}

/** Run `icp explain`; returns the exit code. */
export async function runExplain(args: string[], opts: ExplainOptions, io: Io): Promise<ExitStatus> {
  const { ids, input } = resolveTargets(args, opts);
  const format = choice('--format', opts.format, ['text', 'json'] as const) as ExplainFormat;
  const asOf = resolveAsOfSource(opts);
  const color = useColor(io.stdout, io.env, opts.color);
  const errColor = useColor(io.stderr, io.env, opts.color);
  const name = input === '-' ? '<stdin>' : input;

  const { model, diagnostics } = await readRules(opts.rules);
  printDiagnostics(io, diagnostics.filter((d) => d.severity === 'warning'), errColor);

  const opened = await openModelInput(input, opts, model, asOf.choice, io);
  const { bound } = opened;
  for (const w of opened.warnings) io.stderr.write(`warning: ${w}\n`);

  const { results, near, firstSeen, rows, rejected, pending } = await findLeads(opened, ids);

  let out = '';
  results.forEach((r, i) => {
    if (!r) return;
    if (format === 'text' && out) out += '\n';
    out += renderExplain(r, format, { color });
  });
  io.stdout.write(out);
  if (pending === 0) return 0;

  const col = model.idColumn === null ? undefined : model.columns[model.idColumn]!;
  const header = model.idColumn === null ? undefined : bound.headers[model.idColumn];
  const where = col ? `id column "${col.name}"${header && header !== col.name ? ` (header "${header}")` : ''}` : 'line number (the rules say id: { line_number: true })';
  results.forEach((r, i) => {
    if (r) return;
    const close = near[i]!.found;
    io.stderr.write(`icp: lead "${ids[i]}" not found in ${name}: ${rows} row${rows === 1 ? '' : 's'} searched by ${where}\n`);
    if (close.length) io.stderr.write(`  hint: closest ids seen: ${close.map((x) => `${JSON.stringify(x.id)} (line ${x.line})`).join(', ')}\n`);
    else if (firstSeen.length) io.stderr.write(`  hint: no similar id; ids in this column look like ${firstSeen.map((s) => JSON.stringify(s)).join(', ')} — is the id column right?\n`);
    if (rejected) io.stderr.write(`  note: ${rejected} row${rejected === 1 ? '' : 's'} could not be read; list them with icp score --rejects <file>\n`);
  });
  return 2;
}
