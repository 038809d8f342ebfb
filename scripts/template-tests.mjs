#!/usr/bin/env node
// Writes rules/<template>.test.yaml for every template with an example export (examples/<template>.csv): a few leads
// per tier, inline, that pass today (src/testing/draft.ts), as of the examples' date. `icp init --template` copies
// the file beside the rules it writes; CI runs `icp test` on each. Usage: npm run build && node scripts/template-tests.mjs
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCsv } from '../dist/io/csv-reader.js';
import { loadRules } from '../dist/rules/index.js';
import { draftTests } from '../dist/testing/draft.js';
import { parseIsoDay } from '../dist/values/index.js';

const AS_OF = '2026-11-01'; // the date the example generators measure recency from
const root = new URL('..', import.meta.url).pathname;
for (const f of readdirSync(join(root, 'rules')).filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml')).sort()) {
  const name = f.slice(0, -'.yaml'.length);
  // Each template's example is examples/<template>.csv, except b2b-saas's: the README's examples/leads.csv.
  const exampleName = name === 'b2b-saas' ? 'leads' : name;
  const example = join(root, 'examples', `${exampleName}.csv`);
  if (!existsSync(example)) continue;
  const loaded = loadRules(readFileSync(join(root, 'rules', f), 'utf8'), f);
  if (!loaded.model) throw new Error(`rules/${f} does not load`);
  const source = await openCsv(createReadStream(example), {}, example);
  const rows = [];
  for await (const batch of source.batches()) for (const item of batch) if ('fields' in item) rows.push(item);
  const { text, tests } = draftTests({ model: loaded.model, header: source.header.keys, rows, asOfDay: parseIsoDay(AS_OF), asOf: AS_OF, source: `examples/${exampleName}.csv`, schemaPath: '../schema/icp-tests.schema.json' });
  writeFileSync(join(root, 'rules', `${name}.test.yaml`), text);
  process.stderr.write(`rules/${name}.test.yaml: ${tests} tests\n`);
}
