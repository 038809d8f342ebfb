// Run icp in this process through main(argv, io) or as the built binary, and compare outputs with golden files
// (a missing golden file is a failure; UPDATE_GOLDEN=1 writes them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable, Writable } from 'node:stream';
import { expect } from 'vitest';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/commands/shared.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'icp.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `icp <args>` in the repo root with colour off unless env says otherwise (`timeout` in ms: killed after it, code -1). */
export function icp(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string; timeout?: number } = {}): CliResult {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...opts.env };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, input: opts.input, env, encoding: 'utf8', maxBuffer: 1 << 28, timeout: opts.timeout });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Run `icp <args>` in this process, through `main(argv, io)` with an Io of strings: standard input from `input`,
 * standard output and error collected, colour off unless `env` says otherwise. Much faster than a process (no
 * Node.js start-up, no bundle to load), so it is how CLI tests run, except those that need a real process: exit
 * on a signal, a pipe closed by its reader, worker threads (they run the built bundle), another working directory.
 * Paths are relative to the repository root (the tests' working directory).
 */
export async function run(args: string[], opts: { input?: string | Buffer; env?: Record<string, string> } = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (to: string[]): Writable & { isTTY?: boolean } =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        to.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
        done();
      },
    });
  const io: Io = {
    stdin: Readable.from(opts.input === undefined ? [] : [typeof opts.input === 'string' ? Buffer.from(opts.input) : opts.input]),
    stdout: sink(out),
    stderr: sink(err),
    env: { NO_COLOR: '1', ...opts.env },
    cwd: ROOT,
  };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Compare text with test/fixtures/golden/<name>: a missing file fails the test; with UPDATE_GOLDEN=1 write it instead. */
export function golden(name: string, actual: string): void {
  const file = join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden file test/fixtures/golden/${name} is missing: run the test with UPDATE_GOLDEN=1 to write it, and read it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Golden check of a whole CLI run: exit code, stdout and stderr. */
export function goldenRun(name: string, r: CliResult): void {
  golden(`${name}.out`, r.stdout);
  golden(`${name}.err`, r.stderr);
  golden(`${name}.code`, `${r.code}\n`);
}
