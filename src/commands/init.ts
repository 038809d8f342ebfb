// `icp init`: write a commented starter rules file, from a template or guessed from an export's header.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import { UserError, closest, type ExitStatus } from '../errors.js';
import { openCsv, type CsvItem } from '../io/csv-reader.js';
import { draftRules } from '../init/draft.js';
import { outcomeSource } from './init-outcome.js';
import { profileExport } from '../init/profile.js';
import { loadRules } from '../rules/index.js';
import { ENCODINGS, parseDelimiter, parseEncoding } from './input.js';
import { openInput, readOverrides, resolveAsOf, writeTexts, type Io } from './shared.js';
import { packageRoot } from '../package-root.js';
import { draftTests } from '../testing/draft.js';
import { defaultTestsPath } from './test.js';

export interface InitOptions {
  template?: string;
  from?: string;
  output: string;
  force?: boolean;
  sample: string;
  delimiter?: string;
  encoding?: string;
  decimal?: string;
  outcome?: string;
  negative?: string;
}

export const DEFAULT_TEMPLATE = 'b2b-saas';
const PACKAGE_ROOT = packageRoot().dir;
const RULES_DIR = resolve(PACKAGE_ROOT, 'rules');
const SCHEMA_FILE = resolve(PACKAGE_ROOT, 'schema', 'icp-rules.schema.json');
const MODELINE = /^# yaml-language-server: \$schema=.*$/m;

/** The templates shipped in rules/, by name. */
export function templates(): string[] {
  try {
    return readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')) // <template>.test.yaml: its expectations
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

export function initCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('init')
    .description('write a commented starter rules file, from a template or from an export\'s header')
    .option('-t, --template <name>', `start from a template: ${templates().join(', ') || DEFAULT_TEMPLATE} (default: ${DEFAULT_TEMPLATE})`)
    .option('--from <export>', 'guess columns, aliases and criteria from this CSV export (or - for standard input)')
    .option('-o, --output <file>', 'where to write it (- for standard output)', 'icp.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--sample <rows>', 'rows of the export read to guess column types and values', '1000')
    .option('--delimiter <char>', 'field delimiter of the export: , ; | or tab (default: detected)')
    .option('--encoding <name>', `encoding of the export: ${ENCODINGS.join(', ')}`, 'auto')
    .option('--decimal <mode>', 'decimal separator of the export\'s numbers: auto, dot or comma')
    .option('--outcome <column[=values]>', 'with --from: fit the bands and points to this outcome column (yes/no, 1/0, or COLUMN=Won,…); reads every row')
    .option('--negative <values>', 'with --outcome COLUMN=…: the values that are negative (others are left out)')
    .addHelpText(
      'after',
      `
Examples:
  icp init                                  # icp.yaml from the b2b-saas template
  icp init --template bant -o bant.yaml
  icp init --from leads.csv                 # columns, aliases and criteria matching the export
  icp init --from leads.csv -o - | less`,
    );
  cmd.action(async (opts: InitOptions) => {
    setExit(await runInit(opts, io));
  });
  return cmd;
}

/** Run `icp init`; returns the exit code. */
export async function runInit(opts: InitOptions, io: Io): Promise<ExitStatus> {
  if (opts.template !== undefined && opts.from !== undefined) {
    throw new UserError('init: give either --template or --from, not both');
  }
  if (opts.outcome !== undefined && opts.from === undefined) throw new UserError('init: --outcome needs --from <export>', [], 'e.g. icp init --from leads.csv --outcome Converted');
  const toStdout = opts.output === '-';
  const target = toStdout ? undefined : resolve(io.cwd, opts.output);
  if (target && !opts.force && existsSync(target)) {
    throw new UserError(`${opts.output} already exists; not overwriting it`, [], `use --force to replace it, or -o <another file>`);
  }
  const modeline = schemaPathFrom(target ? dirname(target) : io.cwd);

  let text: string;
  let what: string;
  let next: string;
  let sample: { header: readonly string[]; rows: readonly { line: number; fields: readonly string[] }[]; source: string } | undefined;
  if (opts.from !== undefined) {
    const r = await fromExport(opts, modeline, io);
    text = r.text;
    sample = { header: r.header, rows: r.sample, source: opts.from === '-' ? '<stdin>' : opts.from };
    what = `${r.criteria} criteria on ${r.columns} of ${r.headers} columns of ${opts.from === '-' ? '<stdin>' : opts.from} (${r.rows} rows read); lead id: ${r.id === null ? 'the line number (no unique column)' : JSON.stringify(r.id)}`;
    next = `review every guess, then: icp validate --rules ${opts.output === '-' ? '<file>' : opts.output} ${opts.from === '-' ? '<export>' : opts.from}`;
  } else {
    const name = opts.template ?? DEFAULT_TEMPLATE;
    text = await fromTemplate(name, modeline);
    what = `template ${name}`;
    next = `edit it, then: icp validate --rules ${opts.output === '-' ? '<file>' : opts.output} <export.csv>`;
  }

  // The file we write must load: a generated file with errors is a bug here, not the user's mistake.
  const check = loadRules(text, opts.output);
  const errors = check.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`the generated rules do not compile: ${errors.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);

  // The rules and their tests are written together, as a run's outputs are: never over the export read.
  const tests = target ? await starterTests(target, check, sample, opts, modeline, io.cwd) : undefined;
  // Paths as given when they name the same file from the process's directory (messages), else absolute.
  const given = (path: string, shown: string): string => (resolve(shown) === path ? shown : path);
  await writeTexts(
    io,
    [
      { spec: { role: '-o', target: target ? given(target, opts.output) : '-' }, text },
      ...(tests?.file ? [{ spec: { role: 'the tests file', target: given(tests.file.path, relative(io.cwd, tests.file.path)) }, text: tests.file.text }] : []),
    ],
    opts.from === undefined ? [] : [{ role: '--from', path: opts.from, reads: 'the export' }],
  );
  if (!target) return 0;
  io.stderr.write(`wrote ${opts.output}: ${what}\n${tests!.message}\n  next: ${next}\n`);
  return 0;
}

/**
 * The expectations file beside the rules (`icp.yaml` → `icp.test.yaml`) that `icp test` runs: the template's own, or
 * for --from a few leads per tier of the sample, inline (src/testing/draft.ts), and what to say about it. No file
 * to write when one is there already (never replaced without --force) or there is nothing to test.
 */
async function starterTests(
  target: string,
  rules: ReturnType<typeof loadRules>,
  sample: { header: readonly string[]; rows: readonly { line: number; fields: readonly string[] }[]; source: string } | undefined,
  opts: InitOptions,
  modeline: SchemaPath,
  cwd: string,
): Promise<{ message: string; file?: { path: string; text: string } }> {
  const path = defaultTestsPath(target);
  const shown = relative(cwd, path) || path;
  if (!opts.force && existsSync(path)) return { message: `kept the existing ${shown} (--force replaces it)` };
  const schema = modeline.path.replace(/icp-rules\.schema\.json$/, 'icp-tests.schema.json');
  let text: string;
  let count: number;
  if (sample) {
    const asOf = resolveAsOf(undefined);
    const draft = draftTests({ model: rules.model!, header: sample.header, rows: sample.rows, asOfDay: asOf.day, asOf: asOf.text, source: sample.source, schemaPath: schema });
    if (draft.tests === 0) return { message: `no starter tests: no lead of the sample could be written inline` };
    text = draft.text;
    count = draft.tests;
  } else {
    const file = resolve(RULES_DIR, `${opts.template ?? DEFAULT_TEMPLATE}.test.yaml`);
    if (!existsSync(file)) return { message: 'no starter tests for this template' };
    text = (await readFile(file, 'utf8')).replace(/^# yaml-language-server: \$schema=.*$/m, () => `# yaml-language-server: $schema=${schema}`);
    count = (text.match(/^ {2}- name: /gm) ?? []).length;
  }
  return { message: `wrote ${shown}: ${count} starter expectations (run them with icp test --rules ${relative(cwd, target) || target})`, file: { path, text } };
}

/** The editor modeline's schema path for a file written in `dir`, and a note when it cannot be portable. */
export interface SchemaPath {
  path: string;
  note?: string;
}

/**
 * The JSON Schema path for the modeline of a file written in `dir` (yaml-language-server resolves a relative path
 * from the YAML file's own directory). In order: icp installed in the project (the nearest node_modules/icp above
 * `dir`): a relative path into it, which works for everyone who runs npm install; `dir` inside the running icp's
 * own directory (a clone): a relative path; otherwise (a global install, npx, a clone elsewhere) the absolute path
 * of the running icp's schema, which survives moving the file, with a note saying how to make it portable.
 */
export function schemaPathFrom(dir: string, schemaFile = SCHEMA_FILE): SchemaPath {
  const rel = (to: string): string => {
    const r = relative(dir, to).split(sep).join('/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  for (let d = dir; ; d = dirname(d)) {
    const installed = join(d, 'node_modules', 'icp', 'schema', 'icp-rules.schema.json');
    if (existsSync(installed)) return { path: rel(installed) };
    if (dirname(d) === d) break;
  }
  const root = dirname(dirname(schemaFile));
  const inside = relative(root, dir);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) return { path: rel(schemaFile) };
  return {
    path: schemaFile.split(sep).join('/'),
    note: `The schema of the icp that wrote this file; with icp installed in the project (npm install --save-dev icp) the path would be ./node_modules/icp/schema/icp-rules.schema.json, the same for everyone.`,
  };
}

async function fromTemplate(name: string, modeline: SchemaPath): Promise<string> {
  const available = templates();
  if (!available.includes(name)) {
    const guess = closest(name, available);
    throw new UserError(`init: no template "${name}"`, [], guess ? `did you mean "${guess}"? templates: ${available.join(', ')}` : `templates: ${available.join(', ')}`);
  }
  const text = await readFile(resolve(RULES_DIR, `${name}.yaml`), 'utf8');
  const line = `# yaml-language-server: $schema=${modeline.path}${modeline.note ? `\n# ${modeline.note}` : ''}`;
  return MODELINE.test(text) ? text.replace(MODELINE, () => line) : `${line}\n${text}`;
}

async function fromExport(
  opts: InitOptions,
  modeline: SchemaPath,
  io: Io,
): Promise<{ text: string; criteria: number; columns: number; headers: number; rows: number; id: string | null; header: readonly string[]; sample: { line: number; fields: readonly string[] }[] }> {
  const limit = Number(opts.sample);
  if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--sample: "${opts.sample}" is not a number of rows`, [], 'e.g. --sample 5000');
  const { decimal } = readOverrides(opts);
  const encoding = parseEncoding(opts.encoding);
  const name = opts.from === '-' ? '<stdin>' : opts.from!;
  const stream = await openInput(opts.from!, io);
  try {
    const source = await openCsv(stream, { delimiter: parseDelimiter(opts.delimiter), encoding }, name);
    const rows: { line: number; fields: readonly string[] }[] = [];
    // With --outcome the fit reads every row (sampleRows keeps them); the profile uses the first `limit`.
    const batches = source.batches();
    const rest: CsvItem[] = [];
    read: for (let r = await batches.next(); !r.done; r = await batches.next()) {
      for (const item of r.value) {
        if (rows.length >= limit) {
          if (opts.outcome === undefined) break read;
          rest.push(item);
        } else if ('fields' in item) rows.push({ line: item.line, fields: item.fields });
      }
      if (rows.length >= limit && opts.outcome !== undefined) break;
    }
    const more = opts.outcome === undefined ? undefined : (async function* () {
      yield rest;
      for (let r = await batches.next(); !r.done; r = await batches.next()) yield r.value;
    })();
    const header = source.header.keys;
    if (header.length === 0) throw new UserError(`${name}: no header row`, [], 'init --from needs a CSV export whose first row names the columns');
    const profile = profileExport({ file: opts.from === '-' ? '<stdin>' : opts.from!, header, rows, decimal });
    const fitted = more === undefined ? undefined : await outcomeSource(opts, header, rows, more, name, decimal);
    const draft = draftRules(profile, {
      ...fitted,
      schemaPath: modeline.path,
      schemaNote: modeline.note,
      decimal: decimal === 'auto' ? undefined : decimal,
    });
    return { text: draft.text, criteria: draft.criteria, columns: draft.columns, headers: header.length, rows: rows.length, id: draft.id, header, sample: rows };
  } finally {
    stream.destroy();
  }
}
