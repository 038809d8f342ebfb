// `icp score --as-of-column`: recency as of each lead's own date, golden on a fixture with dates missing and
// unreadable (scored, written, counted in a warning); the same output as --as-of when the column holds that day;
// --jobs 2 writes what --jobs 1 writes; usage mistakes exit 2.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ROOT, goldenRun, icp } from './harness.js';

const LEADS = join(FIXTURES, 'as-of', 'leads.csv');
const RULES = join(FIXTURES, 'as-of', 'rules.yaml');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-as-of-'));
});

describe('icp score --as-of-column', () => {
  it.each([
    ['csv', ['--summary', 'table']],
    ['jsonl', ['--format', 'jsonl', '--summary', 'json']],
  ])('scores every row as of its own date, unknown where it has none (golden, %s)', (name, extra) => {
    const r = icp(['score', 'test/fixtures/as-of/leads.csv', '--rules', 'test/fixtures/as-of/rules.yaml', '--as-of-column', 'Create Date', ...extra], { cwd: ROOT });
    expect(r.code).toBe(0);
    goldenRun(`score/as-of-column.${name}`, r);
  });

  it('writes every row, says how many had no as-of date, and gives each trace its own as_of', () => {
    const r = icp(['score', LEADS, '--rules', RULES, '--as-of-column', 'create date', '--format', 'jsonl', '--summary', 'json', '-o', join(dir, 'out.jsonl')]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.rowsWritten).toBe(8);
    expect(summary.asOfColumn).toEqual({ column: 'create date', rowsWithout: 3 });
    expect(summary.warnings).toContain('3 rows had no readable date in the --as-of-column "create date": their recency and decay criteria were scored as unknown (their unknown policy)');
    const traces = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(traces.map((t) => t.as_of)).toEqual(['2026-11-01', '2026-03-01', '2025-01-15', null, null, null, '2029-01-01', '2026-11-01']);
    const recent = (t: { criteria: { id: string; outcome: string; points: number }[] }) => t.criteria.find((c) => c.id === 'recent')!;
    expect(traces.map((t) => recent(t).outcome)).toEqual(['matched', 'matched', 'matched', 'unknown', 'unknown', 'unknown', 'not_matched', 'unknown']);
    expect(recent(traces[3]).points).toBe(-5); // unknown: penalty
  });

  it('writes what --as-of writes when the column holds that day on every row', () => {
    const text = readFileSync(LEADS, 'utf8').replace(/^(\d+,\w+,)[^,]*,/gm, '$12026-11-01,');
    const same = join(dir, 'same.csv');
    writeFileSync(same, text);
    const byColumn = icp(['score', same, '--rules', RULES, '--as-of-column', 'Create Date', '--summary', 'none']);
    const fixed = icp(['score', same, '--rules', RULES, '--as-of', '2026-11-01', '--summary', 'none']);
    expect(byColumn.code).toBe(0);
    expect(byColumn.stdout).toBe(fixed.stdout);
    expect(byColumn.stdout).toContain(',A,');
  });

  it('names the mistake, exit 2: both --as-of and --as-of-column, a column that is not there', () => {
    const both = icp(['score', LEADS, '--rules', RULES, '--as-of', '2026-11-01', '--as-of-column', 'Create Date']);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe(
      "icp: --as-of and --as-of-column cannot be used together\n  hint: give --as-of <date> for one day for every lead, or --as-of-column <column> for each lead's own date\n",
    );
    const missing = icp(['score', LEADS, '--rules', RULES, '--as-of-column', 'Created At']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`icp: --as-of-column: no column "Created At" in ${LEADS} or in the rules`);
    expect(missing.stderr).toContain('hint: headers: Record ID, Industry, Create Date, Last Activity Date, Webinar Attended');
  });

  it('evaluate and calibrate refuse --as-of with --as-of-column too (exit 2)', () => {
    for (const cmd of ['evaluate', 'calibrate']) {
      const r = icp([cmd, LEADS, '--rules', RULES, '--outcome', 'Webinar Attended', '--as-of', '2026-11-01', '--as-of-column', 'Create Date', ...(cmd === 'calibrate' ? ['-o', join(dir, 'c.yaml')] : [])]);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr, cmd).toContain('--as-of and --as-of-column cannot be used together');
    }
  });

  it('refuses a column mixing month-first and day-first dates, as for the rules\' date columns', () => {
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, 'Record ID,Industry,Create Date,Last Activity Date,Webinar Attended\n1,SaaS,10/25/2026,2026-10-01,yes\n2,SaaS,25.10.2026,2026-10-01,yes\n');
    const r = icp(['score', mixed, '--rules', RULES, '--as-of-column', 'Create Date']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('column "Create Date" mixes month-first and day-first dates');
    const dmy = icp(['score', mixed, '--rules', RULES, '--as-of-column', 'Create Date', '--date-order', 'DMY', '--format', 'jsonl', '--summary', 'none']);
    expect(dmy.code).toBe(0);
    expect(dmy.stdout.trim().split('\n').map((l) => JSON.parse(l).as_of)).toEqual([null, '2026-10-25']);
  });
});

describe('--as-of-column in explain, report and diff', () => {
  it('explains a lead as of its own date, or says it had none', () => {
    const json = icp(['explain', '--id', '102', '--id', '105', LEADS, '--rules', RULES, '--as-of-column', 'Create Date', '--format', 'json']);
    expect(json.code).toBe(0);
    const [t102, t105] = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect([t102.as_of, t105.as_of]).toEqual(['2026-03-01', null]);
    expect(t102.criteria.find((c: { id: string }) => c.id === 'webinar').decay).toEqual({ days: 9, half_life_days: 30, factor: 0.812252 });
    const text = icp(['explain', '105', LEADS, '--rules', RULES, '--as-of-column', 'Create Date', '--no-color']);
    expect(text.stdout.split('\n')[0]).toBe('lead 105 · line 6 · as of unknown (no date in the --as-of-column)');
    const both = icp(['explain', '105', LEADS, '--rules', RULES, '--as-of-column', 'Create Date', '--as-of', '2026-11-01']);
    expect(both.code).toBe(2);
  });

  it("reports and diffs as of each lead's date, with the warning about rows without one", () => {
    const html = join(dir, 'report.html');
    const r = icp(['report', LEADS, '--rules', RULES, '--as-of-column', 'Create Date', '-o', html]);
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<dt>as of</dt><dd>each lead&#39;s Create Date</dd>');
    expect(page).toContain('3 rows had no readable date in the --as-of-column');
    const d = icp(['diff', LEADS, '--rules', RULES, '--base', RULES, '--as-of-column', 'Create Date', '--format', 'json']);
    expect(d.code, d.stderr).toBe(0);
    expect(JSON.parse(d.stdout).as_of).toBe("each lead's Create Date");
  });
});

describe('icp score --as-of-column --jobs 2', () => {
  it('writes exactly what one thread writes, the summary included', () => {
    const big = join(dir, 'big.csv');
    // ~2.7 MB: about 80 pieces of 32 KiB, shared with a worker thread.
    const gen = spawnSync(process.execPath, ['scripts/bench-data.mjs', '10000', big], { cwd: ROOT, encoding: 'utf8' });
    expect(gen.status).toBe(0);
    const rules = join(ROOT, 'bench', 'rules.yaml');
    const run = (jobs: number, format = 'csv') => {
      const out = join(dir, `big.j${jobs}.${format}`);
      const r = icp(['score', big, '--rules', rules, '--as-of-column', 'Create Date', '--format', format, '--summary', 'json', '-o', out, '--jobs', String(jobs), '--debug'], { timeout: 60_000 });
      return { ...r, output: readFileSync(out, 'utf8') };
    };
    for (const format of ['csv', 'jsonl']) {
      const one = run(1, format);
      const two = run(2, format);
      expect(one.code).toBe(0);
      expect(two.code).toBe(0);
      expect(two.output).toBe(one.output);
      expect(two.stdout).toBe(one.stdout);
      expect(Number(/(\d+) of them in worker threads/.exec(two.stderr)?.[1])).toBeGreaterThan(0);
    }
    const one = run(1);
    // Not the output of one --as-of: each lead's own creation date changes its recency.
    const fixed = icp(['score', big, '--rules', rules, '--as-of', '2026-11-01', '--summary', 'none', '--jobs', '1'], { timeout: 60_000 });
    expect(fixed.stdout).not.toBe(one.output);
  }, 120_000);
});
