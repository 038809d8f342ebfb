#!/usr/bin/env node
// `icp` run from the compiled modules in dist/ rather than the bundle that bin/icp.js runs. For CPU profiles
// (`npm run bench -- --profile`): they charge time by source file, and the bundle has every function in one.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
