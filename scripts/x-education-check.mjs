#!/usr/bin/env node
// The quality bar of issue 17 on the X Education export: a stratified 70/30 split (seed 42), then
//   1. `icp init --from train.csv --outcome Converted`, evaluated with `icp evaluate test.csv`, against a logistic
//      regression fitted on the same 70 % and the same columns (one-hot / linear, src/stats/baseline.ts);
//   2. `icp calibrate train.csv` of the hand-written model scripts/x-education/hand-written.yaml, both evaluated on
//      the 30 %.
// The columns the data's README names as filled in by sales after contact (Tags, Lead Quality, Last Notable
// Activity, the Asymmetrique scores) are removed from both parts first: an honest model leaves them out.
//
//   npm run build && node scripts/x-education-check.mjs <path to Leads.csv> [--keep <dir>] [--json]
//
// The data is read from where it is and never copied into the repository; the split files go to a temporary
// directory (or --keep <dir>). Needs no Python: everything runs on icp's own code.
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(join(ROOT, 'dist', p));
const { openCsv } = await dist('io/csv-reader.js');
const { stratifiedSplit } = await dist('stats/split.js');
const { fitBaseline, predictBaseline } = await dist('stats/baseline.js');
const { auc, groupScores } = await dist('stats/metrics.js');
const { DEFAULT_PLACEHOLDERS } = await dist('values/index.js');

const { values, positionals } = parseArgs({ allowPositionals: true, options: { keep: { type: 'string' }, json: { type: 'boolean' } } });
const source = positionals[0];
if (!source) {
  console.error('usage: node scripts/x-education-check.mjs <path to Leads.csv> [--keep <dir>] [--json]');
  process.exit(2);
}
const AFTER_THE_FACT = /^(Tags|Lead Quality|Last Notable Activity|Asymmetrique .*)$/;
const OUTCOME = 'Converted';
const SEED = 42;

const src = await openCsv(createReadStream(source), {}, source);
const header = src.header.keys;
const rows = [];
for await (const batch of src.batches()) for (const item of batch) if ('fields' in item) rows.push(item.fields);
const yi = header.indexOf(OUTCOME);
const keep = header.map((h, i) => i).filter((i) => !AFTER_THE_FACT.test(header[i]));
const labels = rows.map((r) => (r[yi] === '1' ? 1 : 0));
const split = stratifiedSplit(labels, 0.7, SEED);

const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'icp-xed-'));
mkdirSync(dir, { recursive: true });
const cell = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (part) => `${[keep.map((i) => cell(header[i])).join(','), ...rows.filter((_, i) => split[i] === part).map((r) => keep.map((i) => cell(r[i])).join(','))].join('\n')}\n`;
const train = join(dir, 'train.csv');
const test = join(dir, 'test.csv');
writeFileSync(train, csv(1));
writeFileSync(test, csv(0));

function icp(args) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'icp.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`icp ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return r.stdout;
}
const heldOutAuc = (rules) => JSON.parse(icp(['evaluate', test, '--rules', rules, '--outcome', OUTCOME, '--format', 'json'])).auc;

const t0 = Date.now();
const initRules = join(dir, 'init.yaml');
icp(['init', '--from', train, '--outcome', OUTCOME, '-o', initRules]);
const initSeconds = (Date.now() - t0) / 1000;
const initAuc = heldOutAuc(initRules);

// The logistic regression on the columns the starter scores.
const used = Object.values(parse(readFileSync(initRules, 'utf8')).columns ?? {}).map((c) => (Array.isArray(c) ? c[0] : c.aliases?.[0]));
const initDoc = parse(readFileSync(initRules, 'utf8'));
const idHeader = (() => {
  const c = initDoc.columns?.[initDoc.id];
  return Array.isArray(c) ? c[0] : c?.aliases?.[0];
})();
const lrColumns = used.filter((h) => h !== idHeader).map((h) => header.indexOf(h)).filter((i) => i >= 0);
const trRows = rows.filter((_, i) => split[i] === 1);
const teRows = rows.filter((_, i) => split[i] === 0);
const lr = fitBaseline(trRows, labels.filter((_, i) => split[i] === 1), lrColumns, DEFAULT_PLACEHOLDERS);
const lrAuc = auc(groupScores({ scores: predictBaseline(lr, teRows), labels: labels.filter((_, i) => split[i] === 0) }));

const hand = join(ROOT, 'scripts', 'x-education', 'hand-written.yaml');
const calibrated = join(dir, 'hand-written.calibrated.yaml');
const t1 = Date.now();
icp(['calibrate', train, '--rules', hand, '--outcome', OUTCOME, '--rebin', '-o', calibrated]);
const calibrateSeconds = (Date.now() - t1) / 1000;
const handAuc = heldOutAuc(hand);
const calibratedAuc = heldOutAuc(calibrated);

const result = {
  split: { seed: SEED, train: trRows.length, test: teRows.length },
  columnsLeftOut: header.filter((h) => AFTER_THE_FACT.test(h)),
  init: { auc: initAuc, columns: lrColumns.map((i) => header[i]), seconds: initSeconds },
  logisticRegression: { auc: lrAuc },
  handWritten: { auc: handAuc },
  calibrated: { auc: calibratedAuc, seconds: calibrateSeconds },
  bar: { initAtLeastLr: initAuc >= lrAuc, initAtLeast088: initAuc >= 0.88, calibrateRaises: calibratedAuc > handAuc },
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  const f = (x) => x.toFixed(4);
  console.log(`X Education, stratified 70/30 split (seed ${SEED}): ${trRows.length} training rows, ${teRows.length} held out`);
  console.log(`left out as after-the-fact: ${result.columnsLeftOut.join(', ')}`);
  console.log(`held-out ROC AUC  icp init --outcome        ${f(initAuc)}  (${lrColumns.length} columns)`);
  console.log(`                  logistic regression       ${f(lrAuc)}  (same columns, one-hot / linear)`);
  console.log(`                  hand-written model        ${f(handAuc)}`);
  console.log(`                  icp calibrate of it       ${f(calibratedAuc)}`);
  console.log(`bar: init >= LR ${result.bar.initAtLeastLr ? 'yes' : 'NO'}, init >= 0.88 ${result.bar.initAtLeast088 ? 'yes' : 'NO'}, calibrate raises the AUC ${result.bar.calibrateRaises ? 'yes' : 'NO'}`);
}
if (!values.keep) rmSync(dir, { recursive: true, force: true });
