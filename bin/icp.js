#!/usr/bin/env node
// Shim: runs the bundled CLI (loaded by ./load.cjs, with its code cache) and sets the exit code; only this file
// sets it (see src/cli.ts).
import { createRequire } from 'node:module';

const { loadCli } = createRequire(import.meta.url)('./load.cjs');
process.exitCode = await loadCli().exports.main(process.argv.slice(2));
