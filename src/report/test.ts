// Pure renderers of an `icp test` run: text (a line per test, a diff and the explain trace on failure), JSON, JUnit XML.
import { Chalk } from 'chalk';
import type { TestResult, TestRun } from '../testing/run.js';
import { renderExplain } from './explain.js';

export type TestFormat = 'text' | 'json' | 'junit' | 'markdown';

/** Where the run came from, for headers. */
export interface TestRunMeta {
  file: string;
  rules: string;
  asOf: string;
}

const indent = (s: string, by: string): string =>
  s
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');

/** The closing line, `N passed, M failed` — also what CI log readers look for. */
export function summaryLine(run: TestRun): string {
  return `${run.passed} passed, ${run.failed} failed`;
}

export function renderTestText(run: TestRun, meta: TestRunMeta, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [`${c.bold('icp test')} ${meta.file} — rules ${meta.rules}, as of ${meta.asOf}`];
  for (const r of run.results) {
    out.push(`${r.passed ? c.green('✓') : c.red('✗')} ${r.name}  ${c.dim(`(${r.lead}: ${r.expects})`)}`);
    if (r.passed) continue;
    if (r.error) {
      out.push(`    ${c.red(r.error)}`);
      continue;
    }
    for (const f of r.failures) {
      out.push(`    ${f.key}`, `      ${c.green('expected:')} ${f.expected}`, `      ${c.red('actual:  ')} ${f.actual}`);
    }
    if (r.trace) out.push(indent(renderExplain(r.trace, 'text', { color: opts.color }), '    '));
  }
  const line = summaryLine(run);
  out.push(run.failed ? c.red(line) : c.green(line));
  return `${out.join('\n')}\n`;
}

/** JSON: one object; failing tests carry the lead's trace (the `icp explain --format json` object). */
export function renderTestJson(run: TestRun, meta: TestRunMeta): string {
  return `${JSON.stringify(
    {
      file: meta.file,
      rules: meta.rules,
      as_of: meta.asOf,
      passed: run.passed,
      failed: run.failed,
      results: run.results.map((r) => ({
        name: r.name,
        lead: r.lead,
        expects: r.expects,
        passed: r.passed,
        error: r.error,
        failures: r.failures,
        trace: r.passed ? null : r.trace,
      })),
    },
    null,
    2,
  )}\n`;
}

const xml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // Characters XML 1.0 cannot hold at all (control characters other than tab and line breaks).
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

function failureText(r: TestResult): string {
  const lines = r.failures.map((f) => `${f.key}: expected ${f.expected}, actual ${f.actual}`);
  if (r.trace) lines.push('', renderExplain(r.trace, 'text', { color: false }).replace(/\n$/, ''));
  return lines.join('\n');
}

/** JUnit XML, as CI test reporters read it: one testsuite for the file, one testcase per test. */
export function renderTestJunit(run: TestRun, meta: TestRunMeta): string {
  const errors = run.results.filter((r) => r.error).length;
  const failures = run.failed - errors;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="icp test" tests="${run.results.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xml(meta.file)}" tests="${run.results.length}" failures="${failures}" errors="${errors}">`,
  ];
  for (const r of run.results) {
    const open = `    <testcase name="${xml(r.name)}" classname="${xml(meta.file)}"`;
    if (r.passed) out.push(`${open}/>`);
    else if (r.error) out.push(`${open}>`, `      <error message="${xml(r.error)}"/>`, '    </testcase>');
    else {
      const first = r.failures[0];
      const message = first ? `${first.key}: expected ${first.expected}, actual ${first.actual}` : 'failed';
      out.push(`${open}>`, `      <failure message="${xml(message)}">${xml(failureText(r))}</failure>`, '    </testcase>');
    }
  }
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Markdown for a CI job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment: a table of tests, failures in detail. */
export function renderTestMarkdown(run: TestRun, meta: TestRunMeta): string {
  const out = [`### icp test: ${mdCell(meta.file)}`, '', `Rules \`${mdCell(meta.rules)}\`, as of ${meta.asOf}: **${summaryLine(run)}**.`, ''];
  out.push('| | test | lead | expects |', '| --- | --- | --- | --- |');
  for (const r of run.results) out.push(`| ${r.passed ? '✅' : '❌'} | ${mdCell(r.name)} | ${mdCell(r.lead)} | ${mdCell(r.expects)} |`);
  const failed = run.results.filter((r) => !r.passed);
  if (failed.length) out.push('', '#### Failures', '');
  for (const r of failed) {
    out.push(`**${mdCell(r.name)}** (${mdCell(r.lead)})`, '');
    if (r.error) out.push(`- ${mdCell(r.error)}`);
    for (const f of r.failures) out.push(`- \`${f.key}\`: expected ${mdCell(f.expected)}, actual ${mdCell(f.actual)}`);
    if (r.trace) out.push('', '<details><summary>explain</summary>', '', '```text', renderExplain(r.trace, 'text', { color: false }).replace(/\n$/, ''), '```', '', '</details>');
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function renderTestRun(run: TestRun, meta: TestRunMeta, format: TestFormat, opts: { color: boolean }): string {
  if (format === 'json') return renderTestJson(run, meta);
  if (format === 'junit') return renderTestJunit(run, meta);
  if (format === 'markdown') return renderTestMarkdown(run, meta);
  return renderTestText(run, meta, opts);
}
