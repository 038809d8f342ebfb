// icp sql: the text it prints, what it refuses (exit 2, naming the rule), typed columns and the engine's today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckSession, type DuckSession } from '../../src/sql/duckdb-run.js';
import { icp } from '../cli/harness.js';
import { operatorMatrix, toCsv } from './fixtures.js';
import { differences, scoreWithIcp, sqlOf, writeFixture } from './parity-harness.js';

let db: DuckSession;
beforeAll(async () => {
  db = await openDuckSession({ threads: 1 });
});
afterAll(() => db.close());

async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  const cols = (await db.rows(`SELECT column_name FROM (DESCRIBE ${sql})`)).map((r) => String(r[0]));
  return (await db.rows(sql)).map((r) => Object.fromEntries(cols.map((c, k) => [c, r[k]])));
}

describe('icp sql', () => {
  it('prints the prelude, a blank line and one SELECT ending in ";", the same text on every run', () => {
    const a = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--date-order', 'MDY', '--as-of', '2026-11-01']);
    const b = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--date-order', 'MDY', '--as-of', '2026-11-01']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/^-- icp sql --dialect duckdb: /);
    expect(a.stdout).toContain('CREATE OR REPLACE MACRO icp_num(');
    expect(a.stdout.split('\n\nSELECT ').length).toBe(2);
    expect(a.stdout.trimEnd().endsWith(';')).toBe(true);
    expect(a.stdout).toContain('FROM "leads"');
  });

  it('refuses an auto date order without --input, at the rule, exit 2', () => {
    const r = icp(['sql', '--rules', 'rules/b2b-saas.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rules\/b2b-saas\.yaml:\d+:\d+: error: column "\w+" is read as a date with day\/month order "auto"/m);
    expect(r.stderr).toContain('give --input');
    expect(r.stderr).not.toContain('    at ');
  });

  it.each(['duckdb', 'postgres', 'clickhouse'])('--as-of-column on %s: each row as of its own date, read as dates are (icp_day)', (dialect) => {
    // created is declared in the rules but no rule reads it: found by its aliases, its order detected from the export.
    const r = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--dialect', dialect, '--input', 'examples/leads.csv', '--as-of-column', 'created']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`-- icp sql --dialect ${dialect}: B2B SaaS ICP, as of each row's "Create Date"`);
    // The as-of day is a work column read from the row's cell like every date (ClickHouse inlines the readers).
    expect(r.stdout).toMatch(/[`"]Create Date[`"].* AS [`"]icp__asof_t[`"],\n/);
    expect(r.stdout).toMatch(/ AS [`"]icp__asof[`"],\n/);
    expect(r.stdout).toMatch(/[`"]icp__asof[`"] - [`"]icp__c\d+_d[`"]/);
    const both = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--dialect', dialect, '--input', 'examples/leads.csv', '--as-of', '2026-11-01', '--as-of-column', 'created']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--as-of and --as-of-column cannot be used together');
    const missing = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--dialect', dialect, '--input', 'examples/leads.csv', '--as-of-column', 'signup']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--as-of-column: no column "signup" in examples/leads.csv or in the rules');
  });

  it('--as-of-column without --input: a table column, whose day/month order must be given', () => {
    const given = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--date-order', 'MDY', '--as-of-column', 'signup_date']);
    expect(given.code, given.stderr).toBe(0);
    // A DATE or TIMESTAMP column is read by its type, any other from its text.
    expect(given.stdout).toContain(`CASE WHEN "icp__asof_m" THEN CAST(NULL AS DOUBLE) ELSE CASE WHEN (typeof("signup_date") IN ('DATE', `);
    expect(given.stdout).toContain(`ELSE icp_day("icp__asof_t", 'MDY') END END AS "icp__asof"`);
    expect(given.stdout).toContain(`icp_trim(CAST("signup_date" AS VARCHAR)) AS "icp__asof_t"`);
    const refused = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--date-order', 'MDY', '--decimal', 'dot', '--as-of-column', 'signup_date', '--date-order', 'auto']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the --as-of-column "signup_date" is read as a date with day/month order "auto"');
  });

  it('refuses a line-number id without --line-column', () => {
    const f = writeFixture({ ...operatorMatrix(), rules: operatorMatrix().rules.replace('id: id\n', 'id: { line_number: true }\n') });
    const r = icp(['sql', '--rules', f.rules]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--line-column');
    expect(icp(['sql', '--rules', f.rules, '--line-column', 'line']).code).toBe(0);
  });

  it('rejects an unknown dialect as a usage error', () => {
    const r = icp(['sql', '--rules', 'rules/b2b-saas.yaml', '--dialect', 'oracle']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('oracle');
  });

  it("without --as-of uses the engine's current date (UTC), as icp score uses today", async () => {
    const f = { ...operatorMatrix(), name: 'today' };
    const paths = writeFixture(f);
    const js = scoreWithIcp({ ...f, asOf: '' }, paths);
    const { prelude, statement } = sqlOf({ ...f, asOf: '' }, paths, 'duckdb');
    expect(statement).toContain('get_current_timestamp()');
    await db.exec(`DROP TABLE IF EXISTS leads; CREATE TABLE leads AS SELECT * FROM read_csv('${paths.csv}', all_varchar = true, header = true)`);
    await db.exec(prelude);
    expect(differences(js, await rowsOf(statement), f.id)).toEqual([]);
  });

  it('scores typed columns (INTEGER, DOUBLE, DECIMAL, DATE, TIMESTAMP, BOOLEAN) as icp scores their CSV text', async () => {
    const rules = `version: 1
id: id
columns:
  day: { aliases: [day], date_order: YMD }
  stamp: { aliases: [stamp], date_order: YMD }
groups: { g: {} }
criteria:
  - { id: n, group: g, column: n, gte: 50, points: 1 }
  - { id: x, group: g, column: x, points_per: 2, cap: 30 }
  - { id: m, group: g, column: money, between: [1000, 5000], points: 3 }
  - { id: d, group: g, column: day, within_days: 60, points: 4 }
  - { id: s, group: g, column: stamp, older_than_days: 30, points: 5 }
  - { id: b, group: g, column: flag, is: true, points: 6 }
  - { id: dd, group: g, value: { days_between: [day, stamp] }, gt: 0, points: 7 }
tiers: [{ name: A, min: 10 }, { name: B }]
`;
    const rows = [
      ['1', '75', '12.5', '1250.50', '2026-10-01', '2026-09-01 13:45:00', 'true'],
      ['2', '-3', '0.125', '999.99', '2025-01-31', '2026-10-30 00:00:00', 'false'],
      ['3', '', '', '', '', '', ''],
      ['4', '50', '1e-7', '4999.99', '2026-11-01', '2024-02-29 23:59:59', 'true'],
    ];
    const f = { name: 'typed', rules, csv: toCsv(['id', 'n', 'x', 'money', 'day', 'stamp', 'flag'], rows), id: 'id', asOf: '2026-11-01' };
    const paths = writeFixture(f);
    const js = scoreWithIcp(f, paths);
    const { prelude, statement } = sqlOf(f, paths, 'duckdb');
    await db.exec(`DROP TABLE IF EXISTS leads; CREATE TABLE leads (id INTEGER, n INTEGER, x DOUBLE, money DECIMAL(10, 2), day DATE, stamp TIMESTAMP, flag BOOLEAN)`);
    const v = (s: string, q = true) => (s === '' ? 'NULL' : q ? `'${s}'` : s);
    await db.exec(`INSERT INTO leads VALUES ${rows.map((r) => `(${r[0]}, ${v(r[1]!, false)}, ${v(r[2]!, false)}, ${v(r[3]!, false)}, ${v(r[4]!)}, ${v(r[5]!)}, ${v(r[6]!, false)})`).join(', ')}`);
    await db.exec(prelude);
    const got = await rowsOf(statement);
    expect(new Set(got.map((r) => r.icp_score)).size).toBe(4);
    expect(differences(js, got.map((r) => ({ ...r, id: String(r.id) })), 'id')).toEqual([]);
  });
});
