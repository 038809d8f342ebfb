// Parity: the same leads scored by icp (JavaScript) and by PostgreSQL running `icp sql`, identical for every lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRAY_FIXTURE, asOfColumnLeads, beyondLeads, BEYOND_RULES_AVERAGE, operatorMatrix, parityLeads, PARITY_RULES_AVERAGE, type SqlFixture } from './fixtures.js';
import { differences, expectBeyond, expectOutcomes, expectVariety, fixtureRows, scoreWithIcp, sqlOf, writeFixture } from './parity-harness.js';
import { pgIdent, startPostgres, type PostgresServer } from './servers/postgres.js';
import { postgres } from '../../src/sql/dialects/postgres.js';
import { parseIsoDay } from '../../src/values/index.js';
import { PARITY_TYPES, typedFixture, type TypedFixture } from './typed-fixtures.js';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

/**
 * Load the fixture into table leads (every column text, as a CSV lands, loaded with COPY; or the typed table
 * given), run icp's SQL.
 */
async function scoreWithPostgres(f: SqlFixture, prelude: string, statement: string, typed?: TypedFixture): Promise<Record<string, unknown>[]> {
  const { header, rows } = fixtureRows(f);
  if (typed) await pg.load('leads', typed.columns, typed.rows);
  else await pg.load('leads', header.map((name) => ({ name, type: 'text' as const })), rows);
  // The text as `icp sql` prints it, prelude included, runs through psql as a user would run it.
  if (prelude.trim()) await pg.exec(prelude);
  const r = await pg.query(statement);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, k) => [c, row[k]])));
}

async function parity(f: SqlFixture, variety: (rows: Record<string, string>[]) => void, typed?: TypedFixture): Promise<string[]> {
  const paths = writeFixture(f);
  const js = scoreWithIcp(f, paths);
  variety([...js.values()]);
  // PostgreSQL has no "every column but these": --input gives the table's columns.
  const { prelude, statement } = sqlOf(f, paths, 'postgres', ['--input', paths.csv]);
  return differences(js, await scoreWithPostgres(f, prelude, statement, typed), f.id);
}

describe('PostgreSQL running icp sql scores every lead as icp score does', () => {
  it('every operator on every value form (the operator × value-form matrix)', async () => {
    expect(await parity(operatorMatrix(), expectOutcomes)).toEqual([]);
  });
  it('3,000 seeded generated leads: fit, decay, caps, floors, every unknown policy, disqualifiers, matrix', async () => {
    expect(await parity(parityLeads(3000), expectVariety)).toEqual([]);
  });
  it('--as-of-column: each lead as of its own date, in a rules column (DMY) and in a column the rules do not use', async () => {
    for (const column of ['created', 'Signup']) expect(await parity(asOfColumnLeads(1500, 21, column), expectVariety)).toEqual([]);
  });
  it('the same leads with a weighted-average total', async () => {
    expect(await parity({ ...parityLeads(1500, 7), rules: PARITY_RULES_AVERAGE, name: 'parity-average' }, expectVariety)).toEqual([]);
  });
  it('points_per on values past the range a score holds (1e308, 1e300, the bound itself): caps, floors, unknowns', async () => {
    expect(await parity(beyondLeads(), expectBeyond)).toEqual([]);
    expect(await parity(beyondLeads(BEYOND_RULES_AVERAGE), expectBeyond)).toEqual([]);
  });
  it('typed columns: bigint, double precision, numeric (a decimal-comma column), date, timestamptz, boolean', async () => {
    const typed = typedFixture(parityLeads(2000, 11), PARITY_TYPES);
    for (const [col, n] of Object.entries(typed.filled)) expect(n, col).toBeGreaterThan(200);
    expect(await parity(typed.fixture, expectVariety, typed)).toEqual([]);
  });
  it('an array column stops the query with a message saying so (never a score from its printed form)', async () => {
    const f: SqlFixture = { ...ARRAY_FIXTURE };
    const paths = writeFixture(f);
    const { prelude, statement } = sqlOf(f, paths, 'postgres', ['--input', paths.csv]);
    await pg.exec(`DROP TABLE IF EXISTS leads; CREATE TABLE leads (id text, "Tags" text[]); INSERT INTO leads VALUES ('1', ARRAY['cloud', 'ai']);\n${prelude}`);
    await expect(pg.query(statement)).rejects.toThrow(/icp: an array column is not read as a list; store the column as text.*\{cloud,ai\}/);
    await pg.exec(`DROP TABLE leads; CREATE TABLE leads (id text, "Tags" text); INSERT INTO leads VALUES ('1', 'cloud;ai');`);
    expect((await pg.query(statement)).rows[0]).toContain('2');
  });
  it("a timestamptz counts by its UTC date whatever the session's TimeZone", async () => {
    await pg.load('stamps', [{ name: 'at', type: 'timestamptz' }, { name: 'd', type: 'date' }], [['2026-10-20 23:30:00+00', '2026-10-20'], ['2026-10-21 00:30:00+00', '2026-10-21']]);
    const day = (col: string) => postgres.typed!(pgIdent(col), 'date')!.value;
    for (const zone of ['Pacific/Kiritimati', 'America/Anchorage', 'UTC']) {
      const csv = await pg.psqlCsv(`SET TimeZone = '${zone}';\nSELECT ${day('at')} AS at, ${day('d')} AS d FROM stamps ORDER BY 1;`);
      const days = [parseIsoDay('2026-10-20'), parseIsoDay('2026-10-21')];
      expect(csv.trim().split('\n'), zone).toEqual(['at,d', ...days.map((x) => `${x},${x}`)]);
    }
  });
});
