#!/usr/bin/env node
// Build step after `tsc`: bundle the compiled CLI (dist/cli.js) and the score worker thread into one file each,
// dist/bundle/cli.js and dist/bundle/score-worker.js, which bin/icp.js runs.
//
// Why: start-up. Loading ~200 separate ES modules (ours, commander, yaml, and zod's many files) took about
// 0.2 s of every run on the 2-core VM, a tenth of scoring a 100k-row export; one file per entry point loads in
// about half that. Identifiers are kept (stack traces under --debug stay readable); only whitespace and syntax
// are minified. dist/ keeps the unbundled modules too: the benchmark's reader child imports them.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  absWorkingDir: ROOT,
  entryPoints: [
    { in: 'dist/cli.js', out: 'cli' },
    // score-parallel.ts starts the worker as new URL('./score-worker.js', import.meta.url): beside the bundle.
    { in: 'dist/commands/score-worker.js', out: 'score-worker' },
  ],
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  // commander and cli-table3 are CommonJS and call require() for Node's modules: give the ES bundle one.
  banner: { js: "import { createRequire as __icpRequire } from 'node:module'; const require = __icpRequire(import.meta.url);" },
});
