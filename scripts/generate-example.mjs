#!/usr/bin/env node
// Generates the example exports in examples/, one per template in rules/, deterministic (fixed seeds):
//   leads   examples/leads.csv   for rules/b2b-saas.yaml (400 rows; with the outcome column Converted)
//   agency  examples/agency.csv  for rules/agency.yaml   (120 rows)
//   bant    examples/bant.csv    for rules/bant.yaml     (200 rows)
// Usage: node scripts/generate-example.mjs [all|leads|agency|bant] [rows] [out]   (rows and out: one example)
// How each is made is described at the top of its generator, scripts/examples/<name>.mjs.
import { writeFileSync } from 'node:fs';
import * as agency from './examples/agency.mjs';
import * as bant from './examples/bant.mjs';
import * as leads from './examples/leads.mjs';

const EXAMPLES = { leads, agency, bant };
const usage = 'usage: node scripts/generate-example.mjs [all|leads|agency|bant] [rows] [out]';
const [name = 'all', rowsArg, out] = process.argv.slice(2);
const chosen = name === 'all' ? Object.keys(EXAMPLES) : [name];
// Every argument is checked before anything is written: `--help` once overwrote examples/leads.csv with "NaN" leads.
if (!chosen.every((n) => Object.hasOwn(EXAMPLES, n))) {
  process.stderr.write(`${usage}\n(no example "${name}")\n`);
  process.exit(2);
}
const rows = rowsArg === undefined ? undefined : Number(rowsArg);
if (rows !== undefined && (!Number.isInteger(rows) || rows < 1)) {
  process.stderr.write(`${usage}\n(rows must be a whole number ≥ 1, got "${rowsArg}")\n`);
  process.exit(2);
}
if ((rows !== undefined || out !== undefined) && name === 'all') {
  process.stderr.write(`${usage}\n(rows and out are for one example)\n`);
  process.exit(2);
}
for (const n of chosen) {
  const ex = EXAMPLES[n];
  const count = rows ?? ex.defaultRows;
  const target = out ?? ex.file;
  writeFileSync(target, ex.generate(count));
  process.stderr.write(`wrote ${count} rows to ${target}\n`);
}
