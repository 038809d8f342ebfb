// `icp test`: run the expectations kept beside a rules file (icp.test.yaml) and fail CI when one no longer holds.
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import type { LeadTrace } from '../engine/trace.js';
import { diagnosticAnnotation, renderGithubAnnotations, type Annotation } from '../report/annotations.js';
import { renderTestRun, type TestFormat } from '../report/test.js';
import { checkAgainstModel, parseTests } from '../testing/load.js';
import { runTests } from '../testing/run.js';
import { findLeads } from './find-leads.js';
import { addInputOptions, openModelInput, type InputOptions } from './input.js';
import { choice, describeFsError, printDiagnostics, readRules, resolveAsOf, useColor, type Io } from './shared.js';

export interface TestOptions extends InputOptions {
  rules: string;
  format: string;
  asOf?: string;
  annotations?: string;
  color?: boolean;
}

/** The expectations file kept beside a rules file: `icp.yaml` → `icp.test.yaml`. */
export function defaultTestsPath(rules: string): string {
  const ext = extname(rules);
  const stem = ext === '.yaml' || ext === '.yml' ? basename(rules, ext) : basename(rules);
  return join(dirname(rules), `${stem}.test.yaml`);
}

export function testCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('test')
    .description('check the expectations kept beside a rules file: each named lead must keep its tier, score, reasons…')
    .argument('[tests]', 'the expectations file (default: <rules name>.test.yaml beside the rules)')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .addOption(new Option('-f, --format <format>', 'report format: text, json, junit or markdown (md)').default('text'))
    .option('--as-of <date>', "date recency is measured from, YYYY-MM-DD (default: the tests file's as_of, else today)")
    .addOption(new Option('--annotations <kind>', 'also write CI annotations to standard error').choices(['github']))
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addHelpText(
      'after',
      `
Exit status of test: 0 every expectation holds, 1 one or more fail, 2 a malformed tests or rules file.

Examples:
  icp test --rules icp.yaml                         # runs icp.test.yaml
  icp test --rules icp.yaml --format junit > icp-tests.xml
  icp test --rules icp.yaml --format md >> "$GITHUB_STEP_SUMMARY"
  icp test --rules icp.yaml --annotations github    # failures annotated on the tests file in a pull request`,
    );
  addInputOptions(cmd);
  cmd.action(async (tests: string | undefined, opts: TestOptions) => {
    setExit(await runTest(tests, opts, io));
  });
  return cmd;
}

/** Run `icp test`; returns the exit code. */
export async function runTest(testsArg: string | undefined, opts: TestOptions, io: Io): Promise<ExitStatus> {
  const format = choice('--format', opts.format, ['text', 'json', 'junit', 'markdown'] as const, { md: 'markdown' }) as TestFormat;
  const color = useColor(io.stdout, io.env, opts.color);
  const errColor = useColor(io.stderr, io.env, opts.color);
  const testsPath = testsArg ?? defaultTestsPath(opts.rules);

  const { model, diagnostics } = await readRules(opts.rules);
  printDiagnostics(io, diagnostics.filter((d) => d.severity === 'warning'), errColor);

  let text: string;
  try {
    text = await readFile(testsPath, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read tests file ${testsPath}: ${describeFsError(e)}`, [], testsArg === undefined ? `icp test looks for ${testsPath} beside the rules; give the file as an argument, or create it (icp init writes a starter)` : 'check the path');
  }
  const loaded = parseTests(text, testsPath);
  const problems = [...loaded.diagnostics, ...checkAgainstModel(loaded.cases ?? [], model, loaded.source)].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  if (problems.length || !loaded.tests) {
    if (opts.annotations === 'github') io.stderr.write(renderGithubAnnotations(problems.map(diagnosticAnnotation)));
    throw new UserError(`${testsPath}: ${problems.length} error${problems.length === 1 ? '' : 's'} in the tests file`, problems);
  }
  const tests = loaded.tests;
  const asOf = resolveAsOf(opts.asOf ?? tests.as_of);

  const fixture = new Map<string, LeadTrace | undefined>();
  const ids = [...new Set(tests.tests.flatMap((t) => (t.id === undefined ? [] : [t.id.trim()])))];
  if (ids.length) {
    const file = resolve(dirname(testsPath), tests.fixture!);
    const opened = await openModelInput(file, opts, model, asOf.day, io);
    for (const w of opened.warnings) io.stderr.write(`warning: ${tests.fixture}: ${w}\n`);
    const found = await findLeads(opened, ids);
    ids.forEach((id, i) => fixture.set(id, found.results[i]));
  }

  const run = runTests(model, tests, fixture, asOf.day);
  io.stdout.write(renderTestRun(run, { file: testsPath, rules: opts.rules, asOf: asOf.text }, format, { color }));
  if (opts.annotations === 'github') {
    const annotations: Annotation[] = run.results
      .filter((r) => !r.passed)
      .map((r) => {
        const pos = loaded.source.lineCounter.linePos(((loaded.source.doc.getIn(['tests', r.index], true) as { range?: [number] } | undefined)?.range ?? [0])[0]);
        const what = r.error ?? r.failures.map((f) => `${f.key}: expected ${f.expected}, actual ${f.actual}`).join('; ');
        return { severity: 'error', file: testsPath, line: pos.line, col: pos.col, title: `icp test: ${r.name}`, message: what };
      });
    io.stderr.write(renderGithubAnnotations(annotations));
  }
  return run.failed ? 1 : 0;
}
