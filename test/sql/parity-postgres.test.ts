// Parity: the same leads scored by icp (JavaScript) and by PostgreSQL running `icp sql`, identical for every lead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOfColumnLeads, beyondLeads, BEYOND_RULES_AVERAGE, operatorMatrix, parityLeads, PARITY_RULES_AVERAGE, type SqlFixture } from './fixtures.js';
import { differences, expectBeyond, expectOutcomes, expectVariety, fixtureRows, scoreWithIcp, sqlOf, writeFixture } from './parity-harness.js';
import { startPostgres, type PostgresServer } from './servers/postgres.js';

let pg: PostgresServer;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

/** Load the fixture into table leads (every column text, as a CSV lands, loaded with COPY), run icp's SQL. */
async function scoreWithPostgres(f: SqlFixture, prelude: string, statement: string): Promise<Record<string, unknown>[]> {
  const { header, rows } = fixtureRows(f);
  await pg.load('leads', header.map((name) => ({ name, type: 'text' as const })), rows);
  // The text as `icp sql` prints it, prelude included, runs through psql as a user would run it.
  if (prelude.trim()) await pg.exec(prelude);
  const r = await pg.query(statement);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, k) => [c, row[k]])));
}

async function parity(f: SqlFixture, variety: (rows: Record<string, string>[]) => void): Promise<string[]> {
  const paths = writeFixture(f);
  const js = scoreWithIcp(f, paths);
  variety([...js.values()]);
  // PostgreSQL has no "every column but these": --input gives the table's columns.
  const { prelude, statement } = sqlOf(f, paths, 'postgres', ['--input', paths.csv]);
  return differences(js, await scoreWithPostgres(f, prelude, statement), f.id);
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
});
