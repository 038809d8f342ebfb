// `icp score` run as a user would on fixture files, compared with golden outputs: in-process through main(), and as
// the built binary where a real process matters (the first run, closed pipes).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, goldenRun, icp, ROOT, run } from './harness.js';

const RULES = 'test/fixtures/score/rules.yaml';
const LEADS = 'test/fixtures/score/leads.csv';
const AS_OF = ['--as-of', '2026-11-01'];

describe('icp score', () => {
  it('scores a CSV to stdout with the summary on stderr', () => {
    const r = icp(['score', LEADS, '--rules', RULES, ...AS_OF]);
    goldenRun('score/basic', r);
    expect(r.code).toBe(0);
  });

  it('points_per on 1e308 or 1e300: the cap or floor, else unknown; never NaN or an exponent in a score', () => {
    const r = icp(['score', 'test/fixtures/score/huge.csv', '--rules', 'test/fixtures/score/huge.yaml', ...AS_OF]);
    goldenRun('score/huge', r);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/NaN|Infinity|e\+/);
  });

  it('--encoding windows-1252 on a UTF-8 export warns once, naming the file and the line, and suggests --encoding utf8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-'));
    const csv = join(dir, 'utf8.csv');
    const rules = join(dir, 'rules.yaml');
    writeFileSync(csv, `id,company\n${'1,Acme\n'.repeat(50)}2,Café Crème\n3,Zoë\n`);
    writeFileSync(rules, 'version: 1\nid: id\ngroups: { fit: {} }\ncriteria: [{ id: named, group: fit, column: company, present: true, points: 5 }]\ntiers: [{ name: A }]\n');
    const r = icp(['score', csv, '--rules', rules, ...AS_OF, '--encoding', 'windows-1252', '--summary', 'none']);
    expect(r.code).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('looks like UTF-8'));
    expect(warnings).toEqual([`warning: ${csv}: looks like UTF-8, but --encoding windows-1252 was given: line 52 reads "é" as "Ã©" (re-run with --encoding utf8, or leave --encoding out)`]);
    expect(icp(['score', csv, '--rules', rules, ...AS_OF, '--encoding', 'utf8', '--summary', 'none']).stderr).not.toContain('looks like UTF-8');
  });

  it('passes input rows through byte for byte and appends icp_ columns, keeping the CRLF line breaks of the input', async () => {
    const r = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q']);
    const input = readFileSync(LEADS, 'utf8').split('\r\n');
    expect(r.stdout.startsWith(`${input[0]},icp_score,icp_tier,icp_fit_score,icp_engagement_score,icp_disqualified,icp_disqualified_reason,icp_reasons\r\n`)).toBe(true);
    expect(r.stdout.endsWith('\r\n')).toBe(true);
    expect(r.stdout).toContain(`${input[1]},`);
    expect(r.stdout).toContain('00042,');
  });

  it('is deterministic: two runs are byte-identical', async () => {
    const a = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q', '-f', 'jsonl']);
    const b = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q', '-f', 'jsonl']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('writes jsonl with the full trace whose contributions add up to the score', async () => {
    const r = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q', '-f', 'jsonl']);
    const leads = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(leads.map((l) => l.id)).toEqual(['00042', '00043', '00044', '00045', '00047']);
    for (const l of leads) {
      const cents = l.criteria.reduce((s: number, c: { contribution: number }) => s + Math.round(c.contribution * 100), 0) + l.groups.reduce((s: number, g: { adjustment_contribution: number }) => s + Math.round(g.adjustment_contribution * 100), 0);
      expect(cents).toBe(Math.round(l.score * 100));
    }
  });

  it('summary as json and markdown', async () => {
    const j = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '--summary', 'json', '-o', join(mkdtempSync(join(tmpdir(), 'icp-')), 'out.csv')]);
    expect(j.code).toBe(0);
    const s = JSON.parse(j.stdout);
    expect(s.rowsRead).toBe(s.rowsWritten + s.rowsRejected);
    expect(s).toMatchObject({ rowsRead: 6, rowsWritten: 5, rowsRejected: 1 });
    const m = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '--summary', 'md', '-o', join(mkdtempSync(join(tmpdir(), 'icp-')), 'out.csv')]);
    goldenRun('score/markdown', m);
  });

  it('writes -o atomically and the rejects report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-'));
    const out = join(dir, 'scored.csv');
    const rej = join(dir, 'rejects.csv');
    const r = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-o', out, '--rejects', rej, '--summary', 'none']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe((await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q'])).stdout);
    expect(readFileSync(rej, 'utf8')).toMatch(/^line,reason,raw\n7,"expected 9 fields, found 8 \(row is short\)","00046,/);
  });

  it('a failed run leaves the previous output in place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-'));
    const out = join(dir, 'scored.csv');
    writeFileSync(out, 'yesterday\n');
    const r = await run(['score', join(dir, 'missing.csv'), '--rules', RULES, '-o', out]);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('yesterday\n');
  });

  it('--strict turns rejects into exit 2', async () => {
    const r = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q', '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/1 row rejected \(--strict\)/);
  });

  it('--min-coverage is a gate: exit 1', async () => {
    const r = await run(['score', LEADS, '--rules', RULES, ...AS_OF, '--summary', 'none', '--min-coverage', '0.9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/coverage below 0.9: .*employees/);
  });

  it('reads stdin with -', async () => {
    const r = await run(['score', '-', '--rules', RULES, ...AS_OF, '-q'], { input: readFileSync(LEADS) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q'])).stdout);
  });

  it('--excel-safe neutralises formulas', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-'));
    const f = join(dir, 'evil.csv');
    writeFileSync(f, 'Record ID,Email,Job Title,Industry,Number of Employees,Last Activity Date,Webinar Attended,Website Visits\n1,"=HYPERLINK(""http://x"")",@SUM(A1),SaaS,20,2026-10-01,yes,1\n');
    const r = await run(['score', f, '--rules', RULES, ...AS_OF, '-q', '--excel-safe']);
    expect(r.code).toBe(0);
    const line = r.stdout.split('\n')[1]!;
    expect(line.startsWith(`1,"'=HYPERLINK(""http://x"")",'@SUM(A1),SaaS`)).toBe(true);
  });
});

describe('icp score: user errors exit 2 with one clear message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-'));
  const cases: [string, string[], RegExp][] = [
    ['missing rules option', ['score', LEADS], /required option '-r, --rules <file>' not specified/],
    ['rules file absent', ['score', LEADS, '--rules', 'nope.yaml'], /cannot read rules file nope\.yaml: no such file/],
    ['input absent', ['score', 'nope.csv', '--rules', RULES], /cannot read input nope\.csv: no such file/],
    ['bad --as-of', ['score', LEADS, '--rules', RULES, '--as-of', '2026-13-01'], /--as-of: "2026-13-01" is not a date/],
    ['bad --summary', ['score', LEADS, '--rules', RULES, '--summary', 'xml'], /--summary: "xml" is not one of/],
    ['unknown option', ['score', LEADS, '--rules', RULES, '--frobnicate'], /unknown option '--frobnicate'/],
  ];
  it.each(cases)('%s', async (_n, args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });

  it('a rules error prints file:line:col and a hint', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, readFileSync(RULES, 'utf8').replace('points: 15', 'pionts: 15'));
    const r = await run(['score', LEADS, '--rules', f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${f}:25:5: error: unknown key "pionts" in criteria[0]`);
    expect(r.stderr).toContain('hint: did you mean "points"?');
  });

  it('a missing column names the closest header', async () => {
    const f = join(dir, 'leads.csv');
    writeFileSync(f, 'Record ID,Email,Job Title,Industri,Number of Employees,Last Activity Date,Webinar Attended,Website Visits\n1,a@b.c,CEO,SaaS,1,2026-01-01,y,1\n');
    const r = await run(['score', f, '--rules', RULES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/column "industry" not found in the input \(tried "Industry"\)/);
    expect(r.stderr).toMatch(/did you mean "Industri"\?/);
  });

  it('--debug shows a stack trace', async () => {
    const r = await run(['score', LEADS, '--rules', 'nope.yaml', '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('help and version exit 0', async () => {
    expect((await run(['--help'])).code).toBe(0);
    expect((await run(['score', '--help'])).stdout).toMatch(/Exit codes:/);
    expect((await run(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(RULES)).toBe(true);
  });
});

describe('icp score: dates whose order must be detected per column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-dates-'));
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, 'version: 1\nid: id\ngroups: { e: {} }\ncriteria: [{ id: recent, group: e, column: last, within_days: 30, points: 10 }]\ntiers: [{ name: A, min: 10 }, { name: B }]\n');
  it('day-first evidence in one row decides the whole column', async () => {
    const f = join(dir, 'dmy.csv');
    writeFileSync(f, 'id,last\n1,05/10/2026\n2,25/10/2026\n');
    const r = await run(['score', f, '--rules', rules, '--as-of', '2026-11-01', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('id,last,icp_score,icp_tier,icp_e_score,icp_disqualified,icp_disqualified_reason,icp_reasons\n1,05/10/2026,10,A,10,false,,recent (+10)\n2,25/10/2026,10,A,10,false,,recent (+10)\n');
  });
  it('a column mixing month-first and day-first dates is an error', async () => {
    const f = join(dir, 'mixed.csv');
    writeFileSync(f, 'id,last\n1,10/25/2026\n2,25/10/2026\n');
    const r = await run(['score', f, '--rules', rules, '--as-of', '2026-11-01', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('column "last" mixes month-first and day-first dates: "10/25/2026" on line 2 and "25/10/2026" on line 3');
  });
  it('only ambiguous dates: a warning, and --date-order settles it', async () => {
    const f = join(dir, 'ambiguous.csv');
    writeFileSync(f, 'id,last\n1,05/10/2026\n');
    const r = await run(['score', f, '--rules', rules, '--as-of', '2026-11-01', '--summary', 'none']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: column "last" has dates whose day\/month order cannot be told/);
    expect(r.stdout).toContain('1,05/10/2026,0,B,0');
    const dmy = await run(['score', f, '--rules', rules, '--as-of', '2026-11-01', '-q', '--date-order', 'DMY']);
    expect(dmy.stdout).toContain('1,05/10/2026,10,A,10');
  });
});

describe('icp score: pipes, huge cells, colour', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-pipe-'));
  const big = join(dir, 'big.csv');
  const header = readFileSync(LEADS, 'utf8').split('\r\n')[0]!;
  const row = (i: number, notes: string) => `${i},a${i}@acme.com,CEO,SaaS,250,2026-10-31,Yes,12,${notes}`;
  writeFileSync(big, [header, ...Array.from({ length: 60000 }, (_, i) => row(i, 'note'))].join('\n') + '\n');

  it('a reader that goes away (| head) is a normal end: exit 0, no error', () => {
    const bash = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" score "${big}" --rules ${RULES} --as-of 2026-11-01 -q | head -n 2 > /dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
    expect(bash.stdout.trim()).toBe('0');
    expect(bash.stderr).toBe('');
  });

  it('so it is for every command that writes to standard output: help, schema, explain, validate', () => {
    const commands = ['--help', 'score --help', 'schema', `explain 1 "${big}" --rules ${RULES} --as-of 2026-11-01`, `validate --rules ${RULES} --format json`];
    for (const c of commands) {
      // `true` exits at once, long before icp writes: its first write meets a closed pipe.
      const bash = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" ${c} | true; echo "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
      expect({ c, code: bash.stdout.trim(), stderr: bash.stderr }).toEqual({ c, code: '0', stderr: '' });
    }
  });

  it('a 10 MB cell is scored and passed through whole', async () => {
    const f = join(dir, 'huge.csv');
    const huge = 'x'.repeat(10 * 1024 * 1024);
    writeFileSync(f, `${header}\n${row(1, huge)}\n${row(2, 'short')}\n`);
    const r = await run(['score', f, '--rules', RULES, '--as-of', '2026-11-01', '-q']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[1]!.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(lines[1]!.includes(huge)).toBe(true);
    expect(lines[2]!.startsWith('2,')).toBe(true);
  });

  it('colour only when forced; never with NO_COLOR', async () => {
    const forced = await run(['score', LEADS, '--rules', RULES, '--as-of', '2026-11-01'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(forced.stderr).toMatch(/\x1b\[1m/);
    expect(forced.stdout).not.toMatch(/\x1b\[/);
    const plain = await run(['score', LEADS, '--rules', RULES, '--as-of', '2026-11-01']);
    expect(plain.stderr).not.toMatch(/\x1b\[/);
    const flag = await run(['score', LEADS, '--rules', RULES, '--as-of', '2026-11-01', '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } });
    expect(flag.stderr).not.toMatch(/\x1b\[/);
  });
});
