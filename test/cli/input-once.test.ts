// The input is opened once: renaming another file over its path, or deleting it, while `icp score` runs changes
// nothing — the header, every piece and the reader after a handover read the one open file.
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, readdirSync, renameSync, unlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT } from './harness.js';

const RULES = join(ROOT, 'bench', 'rules.yaml');
const ARGS = ['--rules', RULES, '--as-of', '2026-11-01', '--summary', 'json', '--jobs', '2', '--debug'];
let dir: string;
let original: string;
let other: string;

/** Whether process `pid` has `path` open (Linux: /proc/<pid>/fd). */
function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

/** Run `icp score <path> -o <out>`, and once it has the input open (before it reads the rules' header), do `change`. */
async function scoreWhile(path: string, out: string, change: () => void): Promise<{ code: number | null; stderr: string; changedWhileRunning: boolean }> {
  const child = spawn(process.execPath, [BIN, 'score', path, ...ARGS, '-o', out], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  const deadline = Date.now() + 20_000;
  while (running && !hasOpen(child.pid!, path) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  const changedWhileRunning = running;
  change();
  return { code: await exited, stderr, changedWhileRunning };
}

function scoreSync(path: string, out: string): string {
  const r = spawnSync(process.execPath, [BIN, 'score', path, ...ARGS, '-o', out], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  return readFileSync(out, 'utf8');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-input-once-'));
  original = join(dir, 'original.csv');
  other = join(dir, 'other.csv');
  // ~5.4 MB, over the 4 MiB of the default threads too; with a quote left open at 70 %, so that the rest is read
  // by the single-thread reader after a handover, from the same open file.
  const gen = spawnSync(process.execPath, ['scripts/bench-data.mjs', '20000', original], { cwd: ROOT, encoding: 'utf8' });
  expect(gen.status).toBe(0);
  const text = readFileSync(original, 'utf8');
  const at = text.indexOf('\n', Math.floor(text.length * 0.7)) + 1;
  writeFileSync(original, `${text.slice(0, at)}9999999,"never closed,x\n${text.slice(at)}`);
  writeFileSync(other, text.replace(/^(\d{7}),/gm, '$1x,').slice(0, text.length >> 1)); // different rows, and fewer
}, 60_000);

describe.skipIf(process.platform !== 'linux')('icp score reads the input it opened', () => {
  it('renaming another file over the path during the run changes nothing (pieces on two threads, then a handover)', async () => {
    const want = scoreSync(original, join(dir, 'want.csv'));
    const path = join(dir, 'in-rename.csv');
    copyFileSync(original, path);
    const replacement = join(dir, 'replacement.csv');
    copyFileSync(other, replacement);
    const out = join(dir, 'renamed.csv');
    const r = await scoreWhile(path, out, () => renameSync(replacement, path));
    expect(r.changedWhileRunning).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/icp: debug: 2 threads scored \d+ pieces/);
    expect(r.stderr).toMatch(/icp: debug: one thread from line \d+/);
    expect(readFileSync(out, 'utf8')).toBe(want);
  });

  it('deleting the path during the run changes nothing', async () => {
    const want = scoreSync(original, join(dir, 'want2.csv'));
    const path = join(dir, 'in-delete.csv');
    copyFileSync(original, path);
    const out = join(dir, 'deleted.csv');
    const r = await scoreWhile(path, out, () => unlinkSync(path));
    expect(r.changedWhileRunning).toBe(true);
    expect(r.code).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(out, 'utf8')).toBe(want);
  });
});
