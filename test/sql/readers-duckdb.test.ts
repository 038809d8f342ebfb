// Differential test of the SQL readers on DuckDB: every value form read by src/values/* and by DuckDB, identical.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckdb } from '../../src/sql/dialects/duckdb.js';
import { openDuckSession, type DuckSession } from '../../src/sql/duckdb-run.js';
import { boolCases, dateCases, numberCases, sigmaCases, textCases, type ValueCase } from './value-cases.js';
import { readerQuery, READER_OF } from './reader-queries.js';

let db: DuckSession;
beforeAll(async () => {
  db = await openDuckSession({ threads: 1 });
});
afterAll(() => db.close());

/** Read the cases with DuckDB; return those whose result differs from JavaScript's (Object.is, -0 included). */
async function mismatches<T>(kind: keyof typeof READER_OF, cases: ValueCase<string, T>[]): Promise<unknown[]> {
  await db.exec('DROP TABLE IF EXISTS icp_cases; CREATE TABLE icp_cases (i BIGINT, v VARCHAR, setting VARCHAR)');
  await db.appendText('icp_cases', cases.map((c, i) => [i, [c.text, c.setting]] as const));
  const { prelude, query } = readerQuery(duckdb, kind);
  await db.exec(prelude);
  const rows = await db.rows(query);
  expect(rows.length).toBe(cases.length);
  const bad: unknown[] = [];
  for (const [i, got] of rows) {
    const c = cases[Number(i)]!;
    if (!Object.is(got, c.expected)) bad.push({ text: c.text, setting: c.setting, js: c.expected, sql: got });
  }
  return bad;
}

describe('SQL readers on DuckDB read every value form as icp does', () => {
  it('numbers (every decimal mode)', async () => {
    const cases = numberCases();
    expect(cases.length).toBeGreaterThan(20000);
    expect(cases.filter((c) => c.expected !== null).length).toBeGreaterThan(3000);
    expect((await mismatches('number', cases)).slice(0, 20)).toEqual([]);
  });
  it('dates (every day/month order)', async () => {
    const cases = dateCases();
    expect(cases.filter((c) => c.expected !== null).length).toBeGreaterThan(500);
    expect((await mismatches('date', cases)).slice(0, 20)).toEqual([]);
  });
  it('booleans', async () => {
    expect((await mismatches('bool', boolCases())).slice(0, 20)).toEqual([]);
  });
  it('categorical text', async () => {
    expect((await mismatches('text', textCases())).slice(0, 20)).toEqual([]);
  });
  it('final sigma in generated Greek words', async () => {
    expect((await mismatches('text', sigmaCases())).slice(0, 20)).toEqual([]);
  });
  it("lower-cases every code point as JavaScript's toLowerCase does", async () => {
    const rows = await db.rows(`SELECT i, ${duckdb.lower("'a' || chr(i::INTEGER)")} FROM range(1, 1114112) t(i) WHERE i NOT BETWEEN 55296 AND 57343 ORDER BY i`);
    expect(rows.length).toBe(1114111 - 2048);
    const bad = rows.filter(([i, got]) => got !== `a${String.fromCodePoint(Number(i))}`.toLowerCase());
    expect(bad.slice(0, 10)).toEqual([]);
  });
});

describe('SQL arithmetic helpers on DuckDB', () => {
  it("icp_exp gives Math.exp's bits for every decay exponent", async () => {
    const { Readers } = await import('../../src/sql/readers.js');
    const r = new Readers(duckdb);
    const call = r.call('icp_exp', ['x']);
    await db.exec(r.prelude());
    const lnHalf = duckdb.num(Math.log(0.5));
    const halfLives = [0.5, 1, 1.5, 2, 3, 7, 13.7, 14, 30, 45, 90, 365, 1000];
    const rows = await db.rows(
      `SELECT days, hl, ${call} FROM (SELECT days::DOUBLE AS days, hl, ${lnHalf} * days::DOUBLE / hl AS x FROM range(0, 4000) d(days), (SELECT unnest([${halfLives.map(duckdb.num).join(', ')}]) AS hl)) ORDER BY days, hl`,
    );
    expect(rows.length).toBe(4000 * halfLives.length);
    const bad = rows.filter(([days, hl, got]) => !Object.is(got, Math.exp((Math.log(0.5) * (days as number)) / (hl as number))));
    expect(bad.slice(0, 5)).toEqual([]);
  });
  it('icp_cents_text writes cents as formatCents does', async () => {
    const { Readers } = await import('../../src/sql/readers.js');
    const { formatCents } = await import('../../src/engine/format.js');
    const r = new Readers(duckdb);
    const call = r.call('icp_cents_text', ['c']);
    await db.exec(r.prelude());
    const rows = await db.rows(`SELECT c, ${call} FROM (SELECT (i - 100500)::DOUBLE AS c FROM range(0, 201001) t(i)) ORDER BY c`);
    const bad = rows.filter(([c, got]) => got !== formatCents(c as number));
    expect(rows.length).toBe(201001);
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
