// The export side of `icp validate` streams: repeated ids in bounded memory (checked against a Set), and
// `--sample all` over an export several times larger than the heap it is given.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash64, RepeatedIds } from '../../src/commands/validate-input.js';
import { BIN, ROOT } from '../cli/harness.js';

type Warning = { code: string; message: string; line?: number };

function check(ids: string[], field = 0): Warning[] {
  const r = new RepeatedIds(field);
  ids.forEach((id, k) => r.add({ line: k + 2, fields: [id] }));
  const out: Warning[] = [];
  r.report('lead_id', (_severity, code, message, _hint, line) => out.push({ code, message, line }));
  return out;
}

/** What a Set of every id says: repeats, the first repeat's two lines, empties. */
function reference(ids: string[]): Warning[] {
  const seen = new Map<string, number>();
  let count = 0;
  let first: [string, number, number] | undefined;
  let empties = 0;
  let empty: number | undefined;
  ids.forEach((raw, k) => {
    const id = raw.trim();
    const line = k + 2;
    if (id === '') {
      empties++;
      empty ??= line;
      return;
    }
    const prev = seen.get(id);
    if (prev === undefined) seen.set(id, line);
    else {
      count++;
      first ??= [id, prev, line];
    }
  });
  const out: Warning[] = [];
  if (first) out.push({ code: 'duplicate-id', message: `${count} repeated lead id${count === 1 ? '' : 's'} in column "lead_id", e.g. ${JSON.stringify(first[0])} on lines ${first[1]} and ${first[2]}`, line: first[2] });
  if (empties) out.push({ code: 'empty-id', message: `${empties} row${empties === 1 ? '' : 's'} without a lead id in column "lead_id", e.g. line ${empty}`, line: empty });
  return out;
}

describe('RepeatedIds', () => {
  it.each([
    ['no ids repeat', ['a', 'b', 'c'], []],
    ['one repeat, spaces around ignored', ['L-1', 'L-2', ' L-1 '], ['1 repeated lead id in column "lead_id", e.g. "L-1" on lines 2 and 4']],
    ['every repeat counted, the first one named', ['x', 'y', 'x', 'y', 'x'], ['3 repeated lead ids in column "lead_id", e.g. "x" on lines 2 and 4']],
    ['empty ids apart', ['', 'a', '  ', 'a'], ['1 repeated lead id in column "lead_id", e.g. "a" on lines 3 and 5', '2 rows without a lead id in column "lead_id", e.g. line 2']],
    ['case and leading zeros are different ids', ['007', '7', 'A', 'a'], []],
  ])('%s', (_name, ids, messages) => {
    expect(check(ids).map((w) => w.message)).toEqual(messages);
  });

  it('agrees with a Set of every id on random ids, across the table growing', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 3000 }).map(String)), { maxLength: 20_000 }), (ids) => {
        expect(check(ids)).toEqual(reference(ids));
      }),
      { numRuns: 30 },
    );
  });

  it('finds a repeat among 300,000 distinct ids (the table grows past 500,000 slots)', () => {
    const ids = Array.from({ length: 300_000 }, (_, k) => `ID-${k}`);
    ids.push('ID-123456');
    expect(check(ids)).toEqual([{ code: 'duplicate-id', message: '1 repeated lead id in column "lead_id", e.g. "ID-123456" on lines 123458 and 300002', line: 300002 }]);
  });

  it('has no id column to check when the column is absent', () => {
    expect(check(['a', 'a'], -1)).toEqual([]);
  });

  it('hashes to two different 32-bit halves, stable and unsigned', () => {
    const [a, b] = hash64('L-10042');
    expect(hash64('L-10042')).toEqual([a, b]);
    expect(a).not.toBe(b);
    for (const h of [a, b]) expect(h >>> 0).toBe(h);
    // No two of 200,000 similar ids share both halves.
    const seen = new Set<string>();
    for (let k = 0; k < 200_000; k++) seen.add(hash64(`L-${k}`).join(':'));
    expect(seen.size).toBe(200_000);
  });
});

describe('icp validate on an export that ends without a line break', () => {
  it('warns that the last record may be cut off, on its line', () => {
    const r = spawnSync(process.execPath, [BIN, 'validate', '--rules', 'test/fixtures/score-dialects/rules.yaml', 'test/fixtures/dialects/truncated-last-line.csv', '--as-of', '2026-11-01'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    expect(r.stdout).toContain('test/fixtures/dialects/truncated-last-line.csv:3: warning: the last record (line 3) does not end with a line break: the export may have been cut off');
    expect(r.status).toBe(0);
  });
});

describe('icp validate --sample all', () => {
  it('reads an export many times the heap it may use (no array of every row), and counts every row', () => {
    const dir = mkdtempSync(join(tmpdir(), 'icp-validate-'));
    const file = join(dir, 'big.csv');
    // 60,000 rows, 16.5 MB, and one repeated id at the very end: a reader that kept every row needs ~100 MB of heap.
    const gen = spawnSync(process.execPath, ['scripts/bench-data.mjs', '60000', file], { cwd: ROOT, encoding: 'utf8' });
    expect(gen.status).toBe(0);
    const text = spawnSync('head', ['-2', file], { encoding: 'utf8' }).stdout.split('\n')[1]!;
    writeFileSync(file, `${text}\n`, { flag: 'a' });
    const r = spawnSync(process.execPath, ['--max-old-space-size=40', BIN, 'validate', '--rules', 'bench/rules.yaml', file, '--sample', 'all', '--format', 'json', '--as-of', '2026-11-01'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.input).toMatchObject({ rows: 60_001, records: 60_001, rejected: 0, sample_limit: null });
    const dup = j.diagnostics.find((d: { code: string }) => d.code === 'duplicate-id');
    expect(dup.message).toMatch(/^1 repeated lead id in column "lead_id", e\.g\. "\d+" on lines 2 and \d{5}$/);
  }, 60_000);
});
