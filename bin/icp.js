#!/usr/bin/env node
// Shim: the CLI returns an exit code; only this file sets it (see src/cli.ts).
import { main } from '../dist/bundle/cli.js';

process.exitCode = await main(process.argv.slice(2));
