// Differential test of the SQL readers on PostgreSQL: every value form read by src/values/* and by a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgres } from '../../src/sql/dialects/postgres.js';
import { boolCases, dateCases, numberCases, sigmaCases, textCases, type ValueCase } from './value-cases.js';
import { readerQuery, READER_OF } from './reader-queries.js';
import { startPostgres, type PostgresServer } from './servers/postgres.js';
import type { Cell } from './servers/common.js';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
  await pg.exec(postgres.preamble());
});
afterAll(async () => {
  await pg?.stop();
});

/** A result cell as the JavaScript value the reader of `kind` gives. */
function value(kind: keyof typeof READER_OF, cell: Cell): unknown {
  if (cell === null) return null;
  if (kind === 'number' || kind === 'date') return Number(cell);
  if (kind === 'bool') return cell === 't';
  return cell;
}

/** Read the cases with PostgreSQL; return those whose result differs from JavaScript's (Object.is, -0 included). */
async function mismatches<T>(kind: keyof typeof READER_OF, cases: ValueCase<string, T>[]): Promise<unknown[]> {
  // PostgreSQL text cannot hold U+0000; no case has one.
  await pg.load('icp_cases', [{ name: 'i', type: 'bigint' }, { name: 'v', type: 'text' }, { name: 'setting', type: 'text' }], cases.map((c, i) => [String(i), c.text, c.setting]));
  const { prelude, query } = readerQuery(postgres, kind);
  await pg.exec(prelude);
  const { rows } = await pg.query(query);
  expect(rows.length).toBe(cases.length);
  const bad: unknown[] = [];
  for (const [i, got] of rows) {
    const c = cases[Number(i)]!;
    const v = value(kind, got!);
    if (!Object.is(v, c.expected)) bad.push({ text: c.text, setting: c.setting, js: c.expected, sql: v });
  }
  return bad;
}

describe('SQL readers on PostgreSQL read every value form as icp does', () => {
  it('numbers (every decimal mode)', async () => {
    const cases = numberCases();
    expect(cases.length).toBeGreaterThan(20000);
    expect((await mismatches('number', cases)).slice(0, 20)).toEqual([]);
  });
  it('dates (every day/month order)', async () => {
    expect((await mismatches('date', dateCases())).slice(0, 20)).toEqual([]);
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
    const { rows } = await pg.query(
      `SELECT i, ${postgres.lower("'a' || chr(i)")} FROM generate_series(1, 1114111) AS t(i) WHERE i NOT BETWEEN 55296 AND 57343 ORDER BY i`,
    );
    expect(rows.length).toBe(1114111 - 2048);
    const bad = rows.filter(([i, got]) => got !== `a${String.fromCodePoint(Number(i))}`.toLowerCase()).map(([i, got]) => [Number(i).toString(16), got]);
    expect(bad.slice(0, 40)).toEqual([]);
  });
});
