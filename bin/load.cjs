// Loads the bundled CLI (dist/bundle/cli.cjs) with the V8 code cache written beside it at build time
// (scripts/bundle.mjs), so that a run does not compile the megabyte of JavaScript again, nor each function the
// first time it is called: about 50–100 ms less for every command on the 2-core VM (a tenth of `icp explain`).
// The cache only fits the Node.js/V8 build and flags that wrote it; V8 checks that and the source text itself,
// and rejects a cache that does not fit, and then the bundle is compiled as without one. So a missing, stale or
// damaged cache costs that time back and nothing else.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Script } = require('node:vm');
const { createRequire, wrap } = require('node:module');

/**
 * Compile and run the bundle in `dir` (default: dist/bundle beside bin/), as Node would a CommonJS module.
 * Returns its exports (`main`), the compiled script (for writing a cache), and whether a cache was used.
 */
function loadCli(dir = join(__dirname, '..', 'dist', 'bundle')) {
  const file = join(dir, 'cli.cjs');
  const source = wrap(readFileSync(file, 'utf8'));
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined; // not built with a cache: compile as usual
  }
  const script = new Script(source, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dir);
  return { exports: module.exports, script, cache: cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used' };
}

module.exports = { loadCli };
