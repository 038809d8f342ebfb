// `--jobs 2` against `--jobs 1` on a generated corpus of damaged exports: output, rejects, summary, messages and exit
// code byte for byte. Explicit --jobs uses pieces on any regular file, so small files are read in pieces too; the
// larger ones span several 32 KiB pieces, so rejects (and the line numbers in their reasons) come from later pieces.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { icp } from './harness.js';
import { mulberry32 } from '../../src/stats/split.js';

const RULES = 'test/fixtures/score-dialects/rules.yaml';

/** A small deterministic generator (mulberry32), so that a failure names a file that can be made again. */
const random = mulberry32;

/** An export of `rows` records with id,name,city: mostly clean, with every kind of damage a reader must survive. */
function corpusFile(seed: number, rows: number): string {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const eol = pick(['\n', '\r\n', '\n', 'mixed']);
  const brk = () => (eol === 'mixed' ? pick(['\n', '\r\n', '\r']) : eol);
  let text = `id,name,city${brk()}`;
  for (let i = 1; i <= rows; i++) {
    const u = r();
    const id = String(1000 + i);
    let line: string;
    // An unclosed quote, in the second half only: the rest of the file is then read on one thread.
    if (u < 0.004 && i > rows / 2) line = `${id},"never closed,x`;
    else if (u < 0.02) line = `${id},"open${brk()}then ${id}","later"x,y`; // a "closing" quote after a line break, followed by text
    else if (u < 0.04) line = `${id},short`; // ragged
    else if (u < 0.05) line = `${id},a,b,c,d`; // long
    else if (u < 0.06) line = ''; // a blank line
    else if (u < 0.08) line = `${id},"two${brk()}lines, ""quoted""",Kraków`; // a quoted line break
    else if (u < 0.09) line = `${id},"ab"cd,x`; // text after a closing quote: kept literally
    else if (u < 0.1) line = `${id},Acme,Warsaw,`; // a trailing delimiter
    else if (u < 0.11) line = `${id},,`; // empty name
    else line = `${id},${pick(['Acme', 'Beta GmbH', '"Gamma, Inc"', 'Zażółć', 'N/A'])},${pick(['Warsaw', 'Berlin', 'Paris', ''])}`;
    text += line + brk();
  }
  // Damage at the very end, where the last piece is read: an unclosed quote, a short row, or no final line break.
  const end = pick(['', 'quote', 'short', 'cut']);
  if (end === 'quote') text += `9999,"x${brk()}`;
  else if (end === 'short') text += `9999${brk()}`;
  else if (end === 'cut') text = text.replace(/(\r\n|\r|\n)$/, '');
  return text;
}

let dir: string;
/** Lines of each large file read in pieces with --jobs 2 (the rest by one thread after a handover). */
const linesInPieces: number[] = [];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  output: string | undefined;
  rejects: string | undefined;
}

function score(file: string, jobs: number, format = 'csv'): Run {
  const out = join(dir, `out.j${jobs}.csv`);
  const rej = join(dir, `rej.j${jobs}.csv`);
  const r = icp(['score', file, '--rules', RULES, '--as-of', '2026-11-01', '--summary', 'json', '-o', out, '--rejects', rej, '--jobs', String(jobs), '--debug', '--format', format]);
  const run = { ...r, output: existsSync(out) ? readFileSync(out, 'utf8') : undefined, rejects: existsSync(rej) ? readFileSync(rej, 'utf8') : undefined };
  for (const f of [out, rej]) if (existsSync(f)) writeFileSync(f, ''); // the next run must write its own
  return run;
}

const withoutDebug = (s: string) => s.replace(/^icp: debug: .*\n/gm, '');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-jobs-fuzz-'));
});

describe('icp score --jobs 2 on damaged exports', () => {
  it('reports an unclosed quote in the last piece on its physical line (the issue’s case)', () => {
    const file = join(dir, 't.csv');
    writeFileSync(file, 'id,title\n1,x\n"\n');
    for (const jobs of [1, 2]) {
      const r = score(file, jobs);
      expect(r.rejects).toBe('line,reason,raw\n3,unclosed quote starting on line 3,""""\n');
    }
  });

  // Sizes: tiny (one piece), and 40–160 KB (two to five pieces of 32 KiB).
  const cases = Array.from({ length: 14 }, (_, k) => ({ seed: 1000 + k, rows: k < 4 ? 5 + k * 7 : 1000 + (k - 4) * 400 }));
  it.each(cases)('corpus file $seed ($rows rows): one thread and two give the same bytes', ({ seed, rows }) => {
    const file = join(dir, `corpus-${seed}.csv`);
    writeFileSync(file, corpusFile(seed, rows));
    // JSON Lines too, on every third file (their traces carry each record's physical line).
    let csv: { one: Run; two: Run } | undefined;
    for (const format of seed % 3 === 0 ? ['csv', 'jsonl'] : ['csv']) {
      const one = score(file, 1, format);
      const two = score(file, 2, format);
      csv ??= { one, two };
      expect(one.stderr).not.toMatch(/debug/); // one thread: the ordinary reader, no pieces
      expect(two.code).toBe(one.code);
      expect(two.stdout).toBe(one.stdout);
      expect(withoutDebug(two.stderr)).toBe(one.stderr);
      expect(two.output).toBe(one.output);
      expect(two.rejects).toBe(one.rejects);
    }
    const { one, two } = csv!;
    if (rows < 1000) return;
    expect(one.rejects).toMatch(/row is (short|long)/); // the corpus is damaged, and it shows
    const handover = /one thread from line (\d+)/.exec(two.stderr);
    linesInPieces.push(handover ? Number(handover[1]) - 2 : Infinity);
  });

  it('read most of the larger files in several pieces (a quote left open hands the rest to one thread)', () => {
    expect(linesInPieces).toHaveLength(10);
    // A 32 KiB piece holds ~1,400 of these lines: more than that means rejects came from later pieces too.
    expect(linesInPieces.filter((n) => n > 1400).length, JSON.stringify(linesInPieces)).toBeGreaterThanOrEqual(7);
  });
});
