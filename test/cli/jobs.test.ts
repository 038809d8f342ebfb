// `icp score --jobs n` gives byte for byte what one thread gives: output, rejects, summary, errors and exit
// code, on a generated export of several megabytes (so that the work is shared), clean and damaged.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { icp, ROOT } from './harness.js';

const RULES = join(ROOT, 'bench', 'rules.yaml');
let dir: string;
let clean: string;

/** Positions where a record starts on a new line: the generated ids are the only lines starting with 7 digits and a comma. */
function recordStarts(text: string): number[] {
  return [...text.matchAll(/\n(?=\d{7},)/g)].map((m) => m.index! + 1);
}

/** `text` with `insert` placed before the record that starts nearest to `share` of the way through. */
function insertAt(text: string, share: number, insert: string): string {
  const starts = recordStarts(text);
  const at = starts[Math.floor(starts.length * share)]!;
  return text.slice(0, at) + insert + text.slice(at);
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  output: string | undefined;
  rejects: string | undefined;
}

function score(name: string, file: string, jobs: number, extra: string[] = []): Run {
  const out = join(dir, `${name}.j${jobs}.csv`);
  const rej = join(dir, `${name}.j${jobs}.rejects.csv`);
  const r = icp(['score', file, '--rules', RULES, '--as-of', '2026-11-01', '--summary', 'json', '-o', out, '--rejects', rej, '--jobs', String(jobs), '--debug', ...extra]);
  return {
    ...r,
    output: existsSync(out) ? readFileSync(out, 'utf8') : undefined,
    rejects: existsSync(rej) ? readFileSync(rej, 'utf8') : undefined,
  };
}

/** Both runs agree on everything a user sees, except the --debug lines about threads. */
function expectSame(one: Run, two: Run): void {
  // --debug also prints an error's stack trace, which names the code path taken.
  const noDebug = (s: string) => s.replace(/^icp: debug: .*\n/gm, '').replace(/^\w*Error: [^]*$/m, '');
  expect(two.code).toBe(one.code);
  expect(two.stdout).toBe(one.stdout);
  expect(noDebug(two.stderr)).toBe(noDebug(one.stderr));
  expect(two.output).toBe(one.output);
  expect(two.rejects).toBe(one.rejects);
}

/** The pieces --debug reports: how many, how many worker threads scored, and where one thread took over. */
function shared(r: Run): { pieces: number; byWorkers: number; handoverLine?: number } {
  const m = /(\d+) threads? scored (\d+) pieces, (\d+) of them in worker threads/.exec(r.stderr);
  if (!m) throw new Error(`no --debug line about threads in:\n${r.stderr}`);
  const h = /one thread from line (\d+)/.exec(r.stderr);
  return { pieces: Number(m[2]), byWorkers: Number(m[3]), handoverLine: h ? Number(h[1]) : undefined };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-jobs-'));
  clean = join(dir, 'leads.csv');
  // ~5.4 MB: about 165 pieces of 32 KiB.
  const gen = spawnSync(process.execPath, ['scripts/bench-data.mjs', '20000', clean], { cwd: ROOT, encoding: 'utf8' });
  expect(gen.status).toBe(0);
}, 60_000);

describe('icp score --jobs', () => {
  it('shares a clean export between threads and writes exactly what one thread writes', () => {
    const one = score('clean', clean, 1);
    const two = score('clean', clean, 2);
    expect(one.code).toBe(0);
    expect(one.stderr).not.toMatch(/debug/); // one thread: no pieces
    expectSame(one, two);
    const s = shared(two);
    expect(s.pieces).toBeGreaterThan(40);
    expect(s.byWorkers).toBeGreaterThan(0);
    expect(s.handoverLine).toBeUndefined();
    expect(JSON.parse(two.stdout).rowsWritten).toBe(20000);
  });

  it('by default, on a file over 4 MiB, decides from the first pieces whether a worker pays; the output is the same either way', () => {
    const one = score('clean', clean, 1);
    const r = icp(['score', clean, '--rules', RULES, '--as-of', '2026-11-01', '--summary', 'json', '--debug']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(one.output);
    if (availableParallelism() < 2) {
      expect(r.stderr).not.toMatch(/debug/); // one CPU: no pieces, the ordinary reader
      return;
    }
    // Two probes of 1 MiB on the main thread alone, then the decision (timings vary: either outcome is right).
    const d = /a worker costs ~([\d.]+) s \(start-up and the first 1048576 bytes\); at [\d.]+ MB\/s the other \d+ bytes take ~([\d.]+) s on one thread: (.*)\n/.exec(r.stderr);
    expect(d, r.stderr).not.toBeNull();
    const [cost, estimate] = [Number(d![1]), Number(d![2])];
    const s = shared({ ...r, output: undefined, rejects: undefined });
    if (estimate > 3 * cost) {
      expect(d![3]).toBe('more than 3× that: a worker thread');
      expect(s.handoverLine).toBeUndefined();
    } else {
      expect(d![3]).toBe('not more than 3× that: one thread');
      expect(s.byWorkers).toBe(0);
      expect(s.handoverLine).toBeGreaterThan(2);
      expect(r.stderr).toMatch(/icp: debug: one thread from line \d+ \(byte \d+\) on\n/);
    }
    expect(s.pieces).toBeGreaterThan(60); // 2 MiB of 32 KiB pieces at least
  });

  it('stops the worker it started early when the rules or the input turn out wrong (exit 2, no hang)', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(RULES, 'utf8').replace('weight: 0.8', 'weight: heavy'));
    const rules = icp(['score', clean, '--rules', bad, '--jobs', '2', '-o', join(dir, 'never.csv')], { timeout: 20_000 });
    expect(rules.code).toBe(2);
    expect(rules.stderr).toMatch(/bad\.yaml:\d+:\d+: error/);
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
    const header = join(dir, 'wrong-header.csv');
    writeFileSync(header, readFileSync(clean, 'utf8').replace('Record ID,', 'Identifier,'));
    const input = icp(['score', header, '--rules', RULES, '--jobs', '2'], { timeout: 20_000 });
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/id column "lead_id" not found/);
  });

  it('gives the same with three threads, CRLF line breaks and a byte-order mark', () => {
    const text = readFileSync(clean, 'utf8').replace(/\r?\n/g, '\r\n');
    const file = join(dir, 'crlf-bom.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    const one = score('crlf', file, 1);
    const three = score('crlf', file, 3);
    expect(one.code).toBe(0);
    expectSame(one, three);
    expect(shared(three).byWorkers).toBeGreaterThan(0);
  });

  it('reports ragged rows with the same line numbers, from whichever thread read them', () => {
    let text = readFileSync(clean, 'utf8');
    for (const share of [0.1, 0.35, 0.6, 0.85, 0.999]) text = insertAt(text, share, 'short,row\n');
    const file = join(dir, 'ragged.csv');
    writeFileSync(file, text);
    const one = score('ragged', file, 1);
    const two = score('ragged', file, 2);
    expect(one.code).toBe(0);
    expect(one.rejects!.split('\n').filter((l) => l.includes('row is short'))).toHaveLength(5);
    expectSame(one, two);
    expect(shared(two).handoverLine).toBeUndefined();
  });

  it('hands a quote left open over to one thread, which reports it as a single pass does', () => {
    const file = join(dir, 'unclosed.csv');
    writeFileSync(file, insertAt(readFileSync(clean, 'utf8'), 0.5, '9999999,"never closed,x\n'));
    const one = score('unclosed', file, 1);
    const two = score('unclosed', file, 2);
    expectSame(one, two);
    expect(one.rejects).toMatch(/unclosed quote/);
    const s = shared(two);
    expect(s.handoverLine).toBeGreaterThan(2);
    expect(s.byWorkers).toBeGreaterThan(0);
  });

  it('stops at invalid UTF-8 in the middle with the same message, and leaves no output file', () => {
    const text = readFileSync(clean, 'utf8');
    const at = recordStarts(text)[12000]!;
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at), 'utf8'), Buffer.from([0x31, 0xff, 0x2c]), Buffer.from(text.slice(at), 'utf8')]);
    const file = join(dir, 'bad-utf8.csv');
    writeFileSync(file, bytes);
    const one = score('badutf8', file, 1);
    const two = score('badutf8', file, 2);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/not valid UTF-8: byte offset \d+ \(0xFF\) on line \d+/);
    expect(one.output).toBeUndefined();
    expectSame(one, two);
    expect(shared(two).handoverLine).toBeGreaterThan(2); // the piece holding the bad byte was handed over
  });

  it('reads single-byte encodings in pieces too, and quotes formulas the same with --excel-safe', () => {
    const text = insertAt(readFileSync(clean, 'utf8'), 0.4, '9999998,=HYPERLINK("x"),Ünal\n');
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.from(text, 'latin1'));
    const one = score('latin1', file, 1, ['--encoding', 'latin1', '--excel-safe']);
    const two = score('latin1', file, 2, ['--encoding', 'latin1', '--excel-safe']);
    expect(one.code).toBe(0);
    expectSame(one, two);
    expect(shared(two).byWorkers).toBeGreaterThan(0);
  });

  it('scores standard input on one thread, and says so when --jobs asked for more', () => {
    const input = readFileSync(clean);
    const viaStdin = icp(['score', '-', '--rules', RULES, '--as-of', '2026-11-01', '--quiet', '--jobs', '2', '--debug'], { input });
    expect(viaStdin.stderr).toBe('icp: --jobs 2: scoring on one thread: standard input is read once, from start to end\n');
    expect(viaStdin.code).toBe(0);
    expect(viaStdin.stdout).toBe(score('clean', clean, 1).output);
    // Without --jobs, nothing to say.
    const quiet = icp(['score', '-', '--rules', RULES, '--as-of', '2026-11-01', '--quiet'], { input });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(viaStdin.stdout);
    // --jobs given: pieces are used even for a small file.
    const text = readFileSync(clean, 'utf8');
    const small = join(dir, 'small.csv');
    writeFileSync(small, text.slice(0, recordStarts(text)[2000]));
    expect(shared(score('small', small, 2)).pieces).toBeGreaterThan(1);
  });

  it('writes JSON Lines on threads too, byte for byte as one thread, physical line numbers included, on a damaged export', () => {
    // A quarter of the export (still dozens of 32 KiB pieces; traces are ten times the CSV) with every kind of
    // trouble: ragged and long rows, CRLF from the middle on, a quote left open late (the rest goes to one thread),
    // and no line break after the last record.
    const whole = readFileSync(clean, 'utf8');
    let text = whole.slice(0, recordStarts(whole)[5000]!);
    for (const share of [0.05, 0.3, 0.55]) text = insertAt(text, share, 'short,row\n');
    text = insertAt(text, 0.2, `${'9999990,'.repeat(40)}\n`);
    const half = recordStarts(text)[2500]!;
    text = text.slice(0, half) + text.slice(half).replace(/\n/g, '\r\n');
    text = insertAt(text, 0.8, '9999999,"never closed,x\r\n');
    text = text.replace(/\r\n$/, '');
    const file = join(dir, 'damaged.csv');
    writeFileSync(file, text);
    const one = score('damaged-jsonl', file, 1, ['--format', 'jsonl']);
    const two = score('damaged-jsonl', file, 2, ['--format', 'jsonl']);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/does not end with a line break/); // the JSON summary's warnings
    expect(one.rejects!.split('\n').filter((l) => /row is short|row is long|unclosed quote/.test(l)).length).toBeGreaterThanOrEqual(5);
    expectSame(one, two);
    const s = shared(two);
    expect(s.byWorkers).toBeGreaterThan(0);
    expect(s.handoverLine).toBeGreaterThan(2);
    // Each trace carries the line its record starts on: strictly increasing, the first on line 2.
    const lines = one.output!.trimEnd().split('\n').map((l) => (JSON.parse(l) as { line: number }).line);
    expect(lines[0]).toBe(2);
    expect(lines.every((l, i) => i === 0 || l > lines[i - 1]!)).toBe(true);
  });

  it('scores UTF-16 on one thread (its byte offsets do not follow from the text), stopping the worker started early', () => {
    const file = join(dir, 'utf16.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(clean, 'utf8'), 'utf16le')]));
    const r = icp(['score', file, '--rules', RULES, '--as-of', '2026-11-01', '--quiet', '--jobs', '2', '--debug'], { timeout: 60_000 });
    expect(r.stderr).toBe('icp: --jobs 2: scoring on one thread: UTF-16 input cannot be read in pieces from byte offsets\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(score('clean', clean, 1).output);
  });

  it.skipIf(process.platform === 'win32')('reads a pipe given as a file name (process substitution) on one thread', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" bin/icp.js score <(cat "${clean}") --rules bench/rules.yaml --as-of 2026-11-01 --quiet --jobs 2 --debug`], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    expect(r.stderr).toMatch(/^icp: --jobs 2: scoring on one thread: \/dev\/fd\/\d+ is not a regular file \(a pipe is read once, from start to end\)\n$/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(score('clean', clean, 1).output);
  });

  it('refuses a --jobs that is not a whole number from 1 to 64', () => {
    for (const bad of ['0', '1.5', 'two', '65']) {
      const r = icp(['score', clean, '--rules', RULES, '--jobs', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--jobs: "${bad}" is not a whole number from 1 to 64`);
    }
  });
});
