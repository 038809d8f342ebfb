#!/usr/bin/env node
// `npm run bench`'s DuckDB section: icp's own generated SQL run by DuckDB on the same file, at 1 and 2 threads,
// beside `icp score` and `icp score --engine duckdb`, interleaved in the same run. bench.mjs calls duckdbSection;
// this file is also the child that runs the SQL (`node scripts/bench-duckdb.mjs --sql <csv> <sql file> <threads>
// <out>`): read_csv with all_varchar (as a CSV lands), the prelude, then COPY of the statement to <out>.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const BIN = join(ROOT, 'bin', 'icp.js');

/** Labels of this section's measurements in bench.mjs's table. */
export const DUCKDB_KINDS = {
  'score-for-duckdb': 'icp score (same run as DuckDB)',
  'score-engine-duckdb': 'icp score --engine duckdb',
  'duckdb-sql-1': 'DuckDB: icp sql, 1 thread',
  'duckdb-sql-2': 'DuckDB: icp sql, 2 threads',
};

const sqlString = (s) => `'${s.replace(/'/g, "''")}'`;

async function sqlChild(csv, sqlFile, threads, out) {
  const { DuckDBInstance } = createRequire(import.meta.url)('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const conn = await instance.connect();
  const text = readFileSync(sqlFile, 'utf8');
  const at = text.indexOf('\n\nSELECT ');
  await conn.run(text.slice(0, at));
  await conn.run(`CREATE VIEW leads AS SELECT * FROM read_csv(${sqlString(csv)}, all_varchar = true, header = true)`);
  await conn.run(`COPY (${text.slice(at + 2).trim().replace(/;$/, '')}) TO ${sqlString(out)} (HEADER, DELIMITER ',')`);
  conn.closeSync();
  instance.closeSync();
}

/**
 * Measure, on the smallest dataset: icp score, icp score --engine duckdb, and DuckDB running `icp sql` at 1 and 2
 * threads, `reps` times interleaved. Adds to `measurements` (through `summarise`) and `notes`; returns the ratios.
 */
export async function duckdbSection({ datasets, reps, run, summarise, measurements, notes, log, rules, asOf, outDir }) {
  try {
    createRequire(import.meta.url).resolve('@duckdb/node-api');
  } catch {
    notes.push('DuckDB section skipped: @duckdb/node-api is not installed (npm install)');
    return [];
  }
  const ds = datasets[0];
  const sqlFile = join(outDir, `.bench-${process.pid}.sql`);
  const out = join(outDir, `.duckdb-${process.pid}.csv`);
  const r = spawnSync(process.execPath, [BIN, 'sql', '--rules', rules, '--as-of', asOf, '--input', ds.file, '--table', 'leads'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    notes.push(`DuckDB section skipped: icp sql failed: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    return [];
  }
  writeFileSync(sqlFile, r.stdout);
  const outCheck = () => () => {
    const size = existsSync(out) ? statSync(out).size : 0;
    rmSync(out, { force: true });
    return size > ds.bytes ? undefined : `output is ${size} bytes, smaller than the input`;
  };
  const kinds = {
    'score-for-duckdb': [BIN, 'score', ds.file, '--rules', rules, '--as-of', asOf, '-o', out, '--quiet'],
    'score-engine-duckdb': [BIN, 'score', ds.file, '--rules', rules, '--as-of', asOf, '-o', out, '--quiet', '--engine', 'duckdb'],
    'duckdb-sql-1': [SELF, '--sql', ds.file, sqlFile, '1', out],
    'duckdb-sql-2': [SELF, '--sql', ds.file, sqlFile, '2', out],
  };
  log(`\nDuckDB on ${ds.rows.toLocaleString('en-US')} rows: ${reps} × (${Object.values(DUCKDB_KINDS).join(', ')})`);
  const runs = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  for (let i = 0; i < reps; i++) {
    const line = [];
    for (const [kind, args] of Object.entries(kinds)) {
      const m = await run(kind, ds, args, outCheck());
      if (m) runs[kind].push(m);
      line.push(`${kind} ${m ? m.wall.toFixed(2) : '–'} s`);
    }
    log(`  rep ${i + 1}/${reps}: ${line.join(' · ')}`);
  }
  rmSync(sqlFile, { force: true });
  const results = {};
  for (const kind of Object.keys(kinds)) if (runs[kind].length) measurements.push((results[kind] = summarise(kind, ds, runs[kind])));
  const base = results['score-for-duckdb'];
  const ratios = [];
  for (const kind of ['score-engine-duckdb', 'duckdb-sql-1', 'duckdb-sql-2']) {
    const m = results[kind];
    if (base && m) ratios.push({ id: `${kind}-vs-score`, info: true, description: `${DUCKDB_KINDS[kind]} vs icp score (${m.size})`, value: +(base.seconds.median / m.seconds.median).toFixed(3), threshold: null, pass: null, detail: `${m.rowsPerSecond.toLocaleString('en-US')} vs ${base.rowsPerSecond.toLocaleString('en-US')} rows/s (>1: faster than icp score)` });
  }
  return ratios;
}

if (process.argv[1] === SELF && process.argv[2] === '--sql') {
  const [csv, sqlFile, threads, out] = process.argv.slice(3);
  await sqlChild(csv, sqlFile, Number(threads), out);
}
