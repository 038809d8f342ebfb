// `npm run bench`'s calibration section: `icp calibrate` on 100k generated rows × 30 criteria (seeded, a known
// relationship), timed from spawn to exit. bench.mjs calls calibrateSection; the figure goes into the notes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './examples/random.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'icp.js');

/** 30 columns: 10 categories (5 values), 10 numbers, 10 yes/no flags; the outcome a logistic model of them all. */
function generate(rows, file, rulesFile) {
  const rnd = mulberry32(17);
  const head = ['id', ...Array.from({ length: 10 }, (_, i) => `cat${i}`), ...Array.from({ length: 10 }, (_, i) => `num${i}`), ...Array.from({ length: 10 }, (_, i) => `flag${i}`), 'won'];
  const lines = [head.join(',')];
  for (let r = 0; r < rows; r++) {
    const f = [String(r)];
    let t = -1;
    for (let i = 0; i < 10; i++) {
      const k = Math.floor(rnd() * 5);
      f.push(rnd() < 0.05 ? '' : `v${k}`);
      t += (k - 2) * 0.1 * ((i % 3) + 1) / 3;
    }
    for (let i = 0; i < 10; i++) {
      const x = Math.floor(rnd() * 1000);
      f.push(rnd() < 0.05 ? '' : String(x));
      t += (x / 1000 - 0.5) * (i % 2 ? 0.4 : -0.3);
    }
    for (let i = 0; i < 10; i++) {
      const b = rnd() < 0.3;
      f.push(b ? 'yes' : 'no');
      if (b) t += i % 2 ? 0.2 : -0.15;
    }
    f.push(rnd() < 1 / (1 + Math.exp(-t)) ? 'yes' : 'no');
    lines.push(f.join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const crit = [];
  for (let i = 0; i < 10; i++) crit.push(`  - { id: c${i}, group: fit, column: cat${i}, in: [v3, v4], points: 5 }`);
  for (let i = 0; i < 10; i++) crit.push(`  - id: n${i}\n    group: fit\n    column: num${i}\n    bands:\n      ideal: { gte: 500, points: 5 }\n      avoid: { lt: 200, points: -2 }`);
  for (let i = 0; i < 10; i++) crit.push(`  - { id: f${i}, group: engagement, column: flag${i}, is: true, points: 3 }`);
  writeFileSync(rulesFile, `version: 1\nid: id\ngroups:\n  fit: {}\n  engagement: {}\ncriteria:\n${crit.join('\n')}\ntiers:\n  - { name: A, min: 40 }\n  - { name: B, min: 20 }\n  - { name: C }\n`);
}

/** Time `icp calibrate` (with --train 0.7, so it also scores old and new on the held-out rows) and note it. */
export async function calibrateSection({ notes, log, outDir, rows = 100_000 }) {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `calibrate-${rows}.csv`);
  const rules = join(outDir, 'calibrate-rules.yaml');
  if (!existsSync(file)) generate(rows, file, rules);
  else if (!existsSync(rules)) generate(rows, file, rules);
  const out = join(outDir, 'calibrate-out.yaml');
  log(`calibrate: ${rows} rows × 30 criteria`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'calibrate', file, '--rules', rules, '--outcome', 'won', '--train', '0.7', '--as-of', '2026-11-01', '-o', out, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    notes.push(`calibrate failed (exit ${r.status}): ${r.stderr.split('\n')[0]}`);
    return undefined;
  }
  const rep = JSON.parse(r.stdout);
  notes.push(`icp calibrate, ${rows} rows × 30 criteria (--train 0.7; three passes over the file): ${seconds.toFixed(2)} s; held-out AUC ${rep.heldOut.old.auc.toFixed(3)} → ${rep.heldOut.new.auc.toFixed(3)}`);
  return { rows, criteria: 30, seconds };
}
