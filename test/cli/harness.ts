// Run the built binary as a user would, and compare outputs with golden files (UPDATE_GOLDEN=1 rewrites them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

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

/** Compare text with test/fixtures/golden/<name>; with UPDATE_GOLDEN=1 write it instead. */
export function golden(name: string, actual: string): void {
  const file = join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== '1' && process.env.CI) throw new Error(`golden file ${name} is missing`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** Golden check of a whole CLI run: exit code, stdout and stderr. */
export function goldenRun(name: string, r: CliResult): void {
  golden(`${name}.out`, r.stdout);
  golden(`${name}.err`, r.stderr);
  golden(`${name}.code`, `${r.code}\n`);
}
