// Parity: the same leads scored by icp (JavaScript) and by DuckDB running `icp sql`, identical for every lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckSession, type DuckSession } from '../../src/sql/duckdb-run.js';
import { asOfColumnLeads, beyondLeads, BEYOND_RULES_AVERAGE, operatorMatrix, parityLeads, PARITY_RULES_AVERAGE, type SqlFixture } from './fixtures.js';
import type { ColumnType } from './servers/common.js';
import { PARITY_TYPES, typedFixture, type TypedFixture } from './typed-fixtures.js';
import { differences, expectBeyond, expectOutcomes, expectVariety, fixtureRows, scoreWithIcp, sqlOf, writeFixture } from './parity-harness.js';

let db: DuckSession;
beforeAll(async () => {
  db = await openDuckSession({ threads: 2 });
});
afterAll(() => db.close());

/** Load the fixture into table leads (every column VARCHAR, as a CSV lands), run icp's SQL, return the rows. */
async function scoreWithDuckDB(f: SqlFixture, prelude: string, statement: string, typed?: TypedFixture): Promise<Record<string, unknown>[]> {
  const { header, rows } = fixtureRows(f);
  if (typed) await loadTyped(typed);
  else {
    await db.exec(`DROP TABLE IF EXISTS leads; CREATE TABLE leads (icp_key BIGINT, ${header.map((h) => `"${h.replace(/"/g, '""')}" VARCHAR`).join(', ')})`);
    await db.appendText('leads', rows.map((r, i) => [i, r] as const));
  }
  await db.exec(prelude);
  const result = await db.rows(`SELECT * EXCLUDE (icp_key) FROM (${statement}) ORDER BY icp_key`);
  const cols = (await db.rows(`SELECT column_name FROM (DESCRIBE SELECT * EXCLUDE (icp_key) FROM (${statement}))`)).map((r) => String(r[0]));
  return result.map((r) => Object.fromEntries(cols.map((c, k) => [c, r[k]])));
}

/** DuckDB's type for each typed column of the tests. */
const DUCK_TYPES: Record<ColumnType, string> = {
  text: 'VARCHAR',
  double: 'DOUBLE',
  numeric: 'DECIMAL(38, 10)',
  bigint: 'BIGINT',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPTZ',
  boolean: 'BOOLEAN',
};

/** The typed table: its text loaded as VARCHAR, then each column cast to its type (NULL stays NULL). */
async function loadTyped(typed: TypedFixture): Promise<void> {
  const q = (h: string) => `"${h.replace(/"/g, '""')}"`;
  await db.exec(`DROP TABLE IF EXISTS leads_text; CREATE TABLE leads_text (icp_key BIGINT, ${typed.columns.map((c) => `${q(c.name)} VARCHAR`).join(', ')})`);
  await db.appendText('leads_text', typed.rows.map((r, i) => [i, r] as const));
  await db.exec(`DROP TABLE IF EXISTS leads; CREATE TABLE leads AS SELECT icp_key, ${typed.columns.map((c) => `CAST(${q(c.name)} AS ${DUCK_TYPES[c.type]}) AS ${q(c.name)}`).join(', ')} FROM leads_text`);
}

async function parity(
  f: SqlFixture,
  variety: (rows: Record<string, string>[]) => void,
  extra: (paths: { csv: string }) => string[] = () => [],
  typed?: TypedFixture,
): Promise<string[]> {
  const paths = writeFixture(f);
  const js = scoreWithIcp(f, paths);
  variety([...js.values()]);
  const { prelude, statement } = sqlOf(f, paths, 'duckdb', extra(paths));
  return differences(js, await scoreWithDuckDB(f, prelude, statement, typed), f.id);
}

describe('DuckDB running icp sql scores every lead as icp score does', () => {
  it('every operator on every value form (the operator × value-form matrix)', async () => {
    expect(await parity(operatorMatrix(), expectOutcomes)).toEqual([]);
  });
  it('3,000 seeded generated leads: fit, decay, caps, floors, every unknown policy, disqualifiers, matrix', async () => {
    const f = parityLeads(3000);
    expect(await parity(f, expectVariety, (p) => ['--input', p.csv])).toEqual([]);
  });
  it('--as-of-column: each lead as of its own date, in a rules column (DMY) and in a column the rules do not use', async () => {
    for (const column of ['created', 'Signup']) expect(await parity(asOfColumnLeads(2000, 21, column), expectVariety, (p) => ['--input', p.csv])).toEqual([]);
    // Without --input: the rules column by name, read as the rules say (DMY).
    expect(await parity(asOfColumnLeads(2000, 21, 'created'), expectVariety)).toEqual([]);
  });
  it('points_per on values past the range a score holds (1e308, 1e300, the bound itself): caps, floors, unknowns', async () => {
    expect(await parity(beyondLeads(), expectBeyond)).toEqual([]);
    expect(await parity(beyondLeads(BEYOND_RULES_AVERAGE), expectBeyond)).toEqual([]);
  });
  it('the same leads with a weighted-average total', async () => {
    expect(await parity({ ...parityLeads(1500, 7), rules: PARITY_RULES_AVERAGE, name: 'parity-average' }, expectVariety)).toEqual([]);
  });
  it('typed columns: BIGINT, DOUBLE, DECIMAL (a decimal-comma column), DATE, TIMESTAMPTZ, BOOLEAN', async () => {
    const typed = typedFixture(parityLeads(2000, 11), PARITY_TYPES);
    for (const [col, n] of Object.entries(typed.filled)) expect(n, col).toBeGreaterThan(200);
    expect(await parity(typed.fixture, expectVariety, () => [], typed)).toEqual([]);
  });
});
