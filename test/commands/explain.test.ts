// `icp explain` run as a user would: the built binary on fixture files, compared with golden outputs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, goldenRun, run } from '../cli/harness.js';

const RULES = 'test/fixtures/explain/rules.yaml';
const LEADS = 'test/fixtures/explain/leads.csv';
const AS_OF = ['--as-of', '2026-11-01'];

describe('icp explain', () => {
  it('explains a lead: values seen, conditions, caps, decay, weights, subtotals, tier', async () => {
    const r = await run(['explain', 'L-001', LEADS, '--rules', RULES, ...AS_OF]);
    goldenRun('explain/capped', r);
    expect(r.code).toBe(0);
  });

  it('shows unknown values with the policy that applied, and the way to the next tier', async () => {
    const r = await run(['explain', 'L-002', LEADS, '--rules', RULES, ...AS_OF]);
    goldenRun('explain/unknown', r);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/employees "50-100" \(unparseable\)/);
    expect(r.stdout).toMatch(/unknown → neutral \(0\.5 of max\)/);
    expect(r.stdout).toMatch(/unknown → penalty \(-4\)/);
    expect(r.stdout).toMatch(/\+[\d.]+ to reach B: /);
  });

  it('shows disqualifier reasons', async () => {
    const r = await run(['explain', 'L-003', LEADS, '--rules', RULES, ...AS_OF]);
    goldenRun('explain/disqualified', r);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tier DQ: disqualified — Works for a competitor/);
  });

  it('several ids with --id and --input, as JSON lines in the order asked', async () => {
    const r = await run(['explain', '--id', 'L-005', '--id', 'L-001', '--input', LEADS, '--rules', RULES, ...AS_OF, '--format', 'json']);
    goldenRun('explain/several-json', r);
    expect(r.code).toBe(0);
    const leads = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(leads.map((l) => l.id)).toEqual(['L-005', 'L-001']);
    expect((await run(['explain', 'L-005', 'L-001', '--input', LEADS, '--rules', RULES, ...AS_OF, '--format', 'json'])).stdout).toBe(r.stdout);
    expect((await run(['explain', '--id', 'L-005', '--id', 'L-001', LEADS, '--rules', RULES, ...AS_OF, '--format', 'json'])).stdout).toBe(r.stdout);
  });

  it('json is the trace icp score --format jsonl writes for the same lead', async () => {
    const scored = (await run(['score', LEADS, '--rules', RULES, ...AS_OF, '-q', '-f', 'jsonl'])).stdout.trim().split('\n');
    const explained = await run(['explain', 'L-001', LEADS, '--rules', RULES, ...AS_OF, '-f', 'json']);
    expect(explained.stdout.trim()).toBe(scored[0]);
    const t = JSON.parse(explained.stdout);
    const cents = t.criteria.reduce((s: number, c: { contribution: number }) => s + Math.round(c.contribution * 100), 0) + t.groups.reduce((s: number, g: { adjustment_contribution: number }) => s + Math.round(g.adjustment_contribution * 100), 0);
    expect(cents).toBe(Math.round(t.score * 100));
  });

  it('an id that is not found: exit 2, the closest ids seen and the id column', async () => {
    const r = await run(['explain', 'L-004', LEADS, '--rules', RULES, ...AS_OF]);
    goldenRun('explain/not-found', r);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('lead "L-004" not found');
    expect(r.stderr).toContain('closest ids seen: "l-004 " (line 5)');
    expect(r.stderr).toContain('id column "lead_id" (header "Lead ID")');
  });

  it('prints the leads found and still exits 2 when another is missing', async () => {
    const r = await run(['explain', '--id', 'L-001', '--id', 'nope-9', LEADS, '--rules', RULES, ...AS_OF, '-f', 'json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).id).toBe('L-001');
    expect(r.stderr).toMatch(/lead "nope-9" not found .*\n  hint: no similar id; ids in this column look like "L-001", "L-002", "L-003"/);
  });

  it('ids match ignoring surrounding spaces in the file', async () => {
    const r = await run(['explain', 'l-004', LEADS, '--rules', RULES, ...AS_OF, '-f', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'l-004 ', line: 5 });
  });

  it('reads standard input with -', async () => {
    const r = await run(['explain', 'L-005', '-', '--rules', RULES, ...AS_OF], { input: readFileSync(LEADS) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await run(['explain', 'L-005', LEADS, '--rules', RULES, ...AS_OF])).stdout);
  });

  it('colour: ANSI codes with FORCE_COLOR, none with NO_COLOR or --no-color', async () => {
    const forced = await run(['explain', 'L-001', LEADS, '--rules', RULES, ...AS_OF], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(/\x1b\[\d+m/);
    expect(forced.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe((await run(['explain', 'L-001', LEADS, '--rules', RULES, ...AS_OF])).stdout);
    const off = await run(['explain', 'L-001', LEADS, '--rules', RULES, ...AS_OF, '--no-color'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(off.stdout).not.toMatch(/\x1b\[/);
  });

  it('stops reading once every id is found: standard input left open does not hang it', async () => {
    const child = spawn(process.execPath, [BIN, 'explain', 'L-3', '-', '--rules', RULES, ...AS_OF, '-f', 'json'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    // More rows than the detection sample, and the pipe is never closed.
    let rows = 'Lead ID,Email,Title,Industry,Employees,Last Activity,Webinar,Visits,Budget\n';
    for (let i = 0; i < 2500; i++) rows += `L-${i},a${i}@acme.com,CEO,SaaS,100,2026-10-01,yes,1,1000\n`;
    child.stdin.write(rows);
    const code = await new Promise<number | null>((res) => {
      const timer = setTimeout(() => {
        child.kill();
        res(null);
      }, 15000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        res(c);
      });
    });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ id: 'L-3', line: 5 });
  });
});

describe('icp explain: user errors exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['no id', ['explain', '--rules', RULES], /no lead id given/],
    ['no input', ['explain', 'L-001', '--rules', RULES], /no input given/],
    ['three positionals', ['explain', 'L-001', 'L-002', LEADS, '--rules', RULES], /name the export with --input/],
    ['bad format', ['explain', 'L-001', LEADS, '--rules', RULES, '--format', 'xml'], /argument 'xml' is invalid/],
    ['input absent', ['explain', 'L-001', 'nope.csv', '--rules', RULES], /cannot read input nope\.csv: no such file/],
    ['rules absent', ['explain', 'L-001', LEADS, '--rules', 'nope.yaml'], /cannot read rules file nope\.yaml/],
  ];
  it.each(cases)('%s', async (_n, args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('icp explain agrees with icp score on every lead of the example', () => {
  it('examples/leads.csv with rules/b2b-saas.yaml, --as-of 2026-11-01', async () => {
    const args = ['--rules', 'rules/b2b-saas.yaml', ...AS_OF];
    const scored = await run(['score', 'examples/leads.csv', ...args, '-q']);
    expect(scored.code).toBe(0);
    const [head, ...lines] = parseCsv(scored.stdout);
    const col = (name: string) => head!.indexOf(name);
    const ids = lines.map((l) => l[0]!);
    expect(ids.length).toBe(400);
    const explained = await run(['explain', ...ids.flatMap((id) => ['--id', id]), '--input', 'examples/leads.csv', ...args, '--format', 'json']);
    expect(explained.code).toBe(0);
    const traces = explained.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(traces.length).toBe(ids.length);
    const groups = head!.filter((h) => /^icp_.+_score$/.test(h) && h !== 'icp_score');
    traces.forEach((t, i) => {
      const row = lines[i]!;
      expect(t.id).toBe(row[0]);
      expect(String(t.score)).toBe(row[col('icp_score')]);
      expect(t.tier).toBe(row[col('icp_tier')]);
      expect(t.matrix).toBe(row[col('icp_matrix')]);
      expect(String(t.disqualified)).toBe(row[col('icp_disqualified')]);
      expect(t.disqualified ? t.disqualified_reasons.join('; ') : '').toBe(row[col('icp_disqualified_reason')]);
      expect(t.reasons).toBe(row[col('icp_reasons')]);
      for (const g of groups) expect(String(t.groups.find((x: { id: string }) => `icp_${x.id}_score` === g).subtotal)).toBe(row[col(g)]);
    });
    // And one lead at a time, as a user would run it, for a spread of leads.
    for (const i of [0, 57, 199, 399]) {
      const one = await run(['explain', ids[i]!, 'examples/leads.csv', ...args, '--format', 'json']);
      expect(one.stdout).toBe(`${explained.stdout.trim().split('\n')[i]}\n`);
    }
  });
});

/** A small RFC 4180 parser for the scored output (quoted fields, doubled quotes, newlines in quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (q) {
      if (ch === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(f);
      f = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else f += ch;
  }
  if (f !== '' || row.length) {
    row.push(f);
    rows.push(row);
  }
  return rows;
}
