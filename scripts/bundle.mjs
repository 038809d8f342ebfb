#!/usr/bin/env node
// Build step after `tsc`: bundle the compiled CLI (dist/cli.js) and the score worker thread into one file each,
// dist/bundle/cli.cjs and dist/bundle/score-worker.js, and write a V8 code cache for the CLI
// (dist/bundle/cli.cjs.cache), which bin/load.cjs uses when it runs the bundle.
//
// Why: start-up. Loading ~200 separate ES modules (ours, commander, yaml, and zod's many files) took about
// 0.2 s of every run on the 2-core VM, a tenth of scoring a 100k-row export; one file per entry point loads in
// about half that. Of what is left, compiling the megabyte of JavaScript, and each function the first time it
// runs (the YAML parser, the schema, the CLI), was most: the code cache, written after running the commands
// below in this process, holds that compiled code. The CLI is bundled as CommonJS because Node 20 can use a code
// cache only for a script it compiles with node:vm (it has none for ES modules). Identifiers are kept (stack
// traces under --debug stay readable); only whitespace and syntax are minified. dist/ keeps the unbundled
// modules too: the benchmark's reader child and its profile import them.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');
const common = {
  absWorkingDir: ROOT,
  outdir: OUT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};

const cliBuild = await build({
  ...common,
  metafile: true,
  entryPoints: [{ in: 'dist/cli.js', out: 'cli' }],
  // Loaded only by --engine duckdb (through require): an optional peer dependency with a native binary, never bundled.
  external: ['@duckdb/node-api'],
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // Our modules find their files (package.json, the worker) from import.meta.url: the bundle's own file.
  define: { 'import.meta.url': '__icpBundleUrl' },
  banner: { js: "const __icpBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
const workerBuild = await build({
  ...common,
  metafile: true,
  // src/run/parallel.ts starts the worker as new URL('./score-worker.js', import.meta.url): beside the bundle.
  entryPoints: [{ in: 'dist/run/score-worker.js', out: 'score-worker' }],
  format: 'esm',
});

// The licences of the packages the bundles contain: they ship inside our files, so their notices ship beside.
writeFileSync(join(OUT, 'THIRD-PARTY-NOTICES.txt'), notices([cliBuild.metafile, workerBuild.metafile]));

// The code cache: compile the bundle as bin/load.cjs does, run what a user runs, then save the compiled code.
const cacheFile = join(OUT, 'cli.cjs.cache');
rmSync(cacheFile, { force: true });
const { loadCli } = createRequire(import.meta.url)('../bin/load.cjs');
const { exports: cli, script } = loadCli(OUT);
const tmp = mkdtempSync(join(tmpdir(), 'icp-build-'));
try {
  const bench = join(tmp, 'leads.csv');
  const gen = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench-data.mjs'), '2000', bench], { encoding: 'utf8' });
  if (gen.status !== 0) throw new Error(`scripts/bench-data.mjs failed: ${gen.stderr}`);
  const sink = () => Object.assign(new Writable({ write: (_c, _e, done) => done() }), { isTTY: false });
  const io = { stdin: process.stdin, stdout: sink(), stderr: sink(), env: {}, cwd: ROOT };
  const runs = [
    ['validate', '--rules', 'rules/b2b-saas.yaml'],
    ['score', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01', '-o', join(tmp, 'example.scored.csv')],
    ['score', bench, '--rules', 'bench/rules.yaml', '--as-of', '2026-11-01', '-o', join(tmp, 'bench.scored.csv'), '--summary', 'json'],
    ['explain', '10028', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01'],
  ];
  for (const argv of runs) {
    const code = await cli.main(argv, io);
    if (code !== 0) throw new Error(`icp ${argv.join(' ')} exited ${code} while the code cache was written`);
  }
  // Whole or not at all (V8 would reject a truncated cache anyway, by its length).
  writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
  renameSync(`${cacheFile}.tmp`, cacheFile);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** Every package under node_modules that esbuild put in a bundle, with its licence text. */
function notices(metafiles) {
  const dirs = new Set();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) dirs.add(m[1]);
    }
  }
  const parts = [...dirs].sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8'));
    const file = readdirSync(join(ROOT, dir)).find((f) => /^(licen[cs]e|copying)([-.][\w.-]*)?$/i.test(f));
    if (!file) throw new Error(`${dir}: bundled, but has no licence file to ship with it`);
    return `${pkg.name}@${pkg.version} (${pkg.license})\n\n${readFileSync(join(ROOT, dir, file), 'utf8').trim()}\n`;
  });
  return `icp's bundles (dist/bundle/*.js, *.cjs) contain these packages.\n\n${parts.join(`\n${'-'.repeat(80)}\n\n`)}`;
}
