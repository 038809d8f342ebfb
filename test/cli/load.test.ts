// bin/load.cjs runs the CLI bundle with the V8 code cache written at build time, and without it when the cache
// is missing or does not fit (another Node.js build, other source, a truncated file): same results either way.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness.js';

const BUNDLE = join(ROOT, 'dist', 'bundle');
const RULES = join(ROOT, 'rules', 'b2b-saas.yaml');

/** In a fresh process: load the bundle in `dir`, say whether the cache was used, then run `icp validate`. */
function loadAndValidate(dir: string): { cache: string; code: number | null; out: string } {
  const script = `
    const { loadCli } = require(${JSON.stringify(join(ROOT, 'bin', 'load.cjs'))});
    const { exports, cache } = loadCli(${JSON.stringify(dir)});
    exports.main(['validate', '--rules', ${JSON.stringify(RULES)}]).then((code) => { console.log('cache:' + cache); process.exitCode = code; });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  const m = /cache:(\w+)/.exec(r.stdout);
  return { cache: m?.[1] ?? `(none printed; stderr: ${r.stderr})`, code: r.status, out: r.stdout.replace(/cache:\w+\n/, '') };
}

/** A copy of the built bundle in a temporary directory, with its cache as `cache` says. */
function bundleCopy(cache: 'keep' | 'remove' | 'truncate' | 'other-source'): string {
  const dir = mkdtempSync(join(tmpdir(), 'icp-load-'));
  for (const f of ['cli.cjs', 'cli.cjs.cache', 'score-worker.js']) copyFileSync(join(BUNDLE, f), join(dir, f));
  const cacheFile = join(dir, 'cli.cjs.cache');
  if (cache === 'remove') rmSync(cacheFile);
  if (cache === 'truncate') writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 4096));
  if (cache === 'other-source') appendFileSync(join(dir, 'cli.cjs'), '\n// edited after the build\n');
  return dir;
}

describe('bin/load.cjs', () => {
  const expected = loadAndValidate(BUNDLE);

  it('uses the code cache the build wrote', () => {
    expect(expected.cache).toBe('used');
    expect(expected.code).toBe(0);
    expect(expected.out).toContain('b2b-saas.yaml: valid');
  });

  it.each([
    ['remove', 'none'],
    ['truncate', 'rejected'],
    ['other-source', 'rejected'],
  ] as const)('runs the same without a cache that fits (%s: %s)', (how, cache) => {
    const dir = bundleCopy(how);
    try {
      const r = loadAndValidate(dir);
      expect(r.cache).toBe(cache);
      expect(r.code).toBe(0);
      expect(r.out).toBe(expected.out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bundles', () => {
  const cli = readFileSync(join(BUNDLE, 'cli.cjs'), 'utf8');
  const worker = readFileSync(join(BUNDLE, 'score-worker.js'), 'utf8');

  it("need nothing at run time but Node's own modules (so the packages they contain are devDependencies)", () => {
    const required = [...cli.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    const imported = [...worker.matchAll(/\bfrom\s*"([^"]+)"/g)].map((m) => m[1]!);
    expect(required.length).toBeGreaterThan(0);
    expect(imported.length).toBeGreaterThan(0);
    const notBuiltin = [...required, ...imported].filter((m) => !isBuiltin(m));
    expect(notBuiltin).toEqual([]);
  });

  it('ship the licence of every package they contain', () => {
    const notices = readFileSync(join(BUNDLE, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
    for (const pkg of ['chalk', 'cli-table3', 'commander', 'yaml', 'zod']) {
      expect(notices).toMatch(new RegExp(`^${pkg}@\\d+\\.\\d+\\.\\d+ \\((MIT|ISC)\\)\\n\\n\\S`, 'm'));
    }
    expect(notices).toContain('Permission is hereby granted'); // the MIT text itself, not only a name
  });
});
