// The progress line: drawn at most every interval, only after the first interval, erased at the end only if drawn;
// and `icp score` shows it only on a terminal.
import { describe, expect, it } from 'vitest';
import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import { Progress } from '../../src/report/progress.js';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/shared.js';
import { ROOT } from '../cli/harness.js';

function recorder() {
  const writes: string[] = [];
  return { writes, out: { write: (s: string) => writes.push(s) } };
}

describe('Progress', () => {
  it('draws nothing before the first interval, then at most once per interval, and erases what it drew', () => {
    let now = 1000;
    const { writes, out } = recorder();
    const p = new Progress(out, () => now, 500);
    p.update(10);
    now = 1500; // exactly one interval: not yet
    p.update(20);
    expect(writes).toEqual([]);
    now = 1501;
    p.update(1234567);
    now = 1700;
    p.update(2000000);
    now = 2002;
    p.update(2500000);
    p.done();
    p.done();
    expect(writes).toEqual(['\r\x1b[Kscoring… 1,234,567 rows', '\r\x1b[Kscoring… 2,500,000 rows', '\r\x1b[K']);
  });

  it('leaves the terminal alone when a run ends before anything was drawn', () => {
    const { writes, out } = recorder();
    const p = new Progress(out, () => 0, 500);
    p.update(5);
    p.done();
    expect(writes).toEqual([]);
  });
});

describe('icp score progress', () => {
  const run = async (args: string[], tty: boolean) => {
    const stdout = Object.assign(new PassThrough(), { isTTY: false });
    const stderr = Object.assign(new PassThrough(), { isTTY: tty });
    let out = '';
    let err = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const io: Io = { stdin: Readable.from([]), stdout, stderr, env: { NO_COLOR: '1' }, cwd: ROOT };
    const code = await main(['score', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01', '-o', '-', ...args].map((a) => (a.includes('/') ? join(ROOT, a) : a)), io);
    return { code, out, err };
  };

  it('a run on a terminal prints the summary and no stray control codes', async () => {
    const r = await run([], true);
    expect(r.code).toBe(0);
    expect(r.err).toContain('rows read 400 = written 400 + rejected 0');
    // Quick runs draw nothing; a slow one (a loaded CI machine) may draw the line, and then erases it before the
    // summary: nothing else is a control code.
    expect(r.err).toMatch(/^(?:(?:\r\x1b\[Kscoring… [\d,]+ rows)+\r\x1b\[K)?[^\x1b\r]*$/);
    expect(r.out.split('\n')[0]).toContain(',icp_score,icp_tier,');
  });

  it('writes only CSV to stdout, and nothing but the summary to a non-terminal stderr', async () => {
    const piped = await run([], false);
    const tty = await run([], true);
    expect(piped.out).toBe(tty.out);
    expect(piped.err).not.toContain('scoring…');
  });
});
