// Differential test of the SQL readers on ClickHouse (two shards): every value form read by src/values/* and by a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouse } from '../../src/sql/dialects/clickhouse.js';
import { boolCases, dateCases, numberCases, sigmaCases, textCases, type ValueCase } from './value-cases.js';
import { READER_OF } from './reader-queries.js';
import { Readers } from '../../src/sql/readers.js';
import { startClickHouseCluster, type ClickHouseCluster } from './servers/clickhouse.js';
import type { Cell } from './servers/common.js';

let ch: ClickHouseCluster;
beforeAll(async () => {
  ch = await startClickHouseCluster();
  
});
afterAll(async () => {
  await ch?.stop();
});

/** A result cell as the JavaScript value the reader of `kind` gives. */
function value(kind: keyof typeof READER_OF, cell: Cell): unknown {
  if (cell === null) return null;
  if (kind === 'number' || kind === 'date') return Number(cell);
  if (kind === 'bool') return cell === '1';
  return cell;
}

/** Read the cases with ClickHouse (two shards); return those whose result differs from JavaScript's (Object.is, -0 included). */
async function mismatches<T>(kind: keyof typeof READER_OF, cases: ValueCase<string, T>[]): Promise<unknown[]> {
  await ch.load('icp_cases', [{ name: 'i', type: 'bigint' }, { name: 'v', type: 'text' }, { name: 'setting', type: 'text' }], cases.map((c, i) => [String(i), c.text, c.setting]));
  // readerQuery's statement, reading v and setting outside the lambdas too: 18.16's lambdas see a table column only
  // then (the lowering always selects every input column).
  const r = new Readers(clickhouse);
  const { reader, setting } = READER_OF[kind];
  const call = r.call(reader, setting ? ['`v`', '`setting`'] : ['`v`']);
  expect(r.prelude()).toBe('');
  const query = `SELECT \`i\`, \`v\`, \`setting\`, ${call} AS \`result\` FROM \`icp_cases\``;
  const { rows } = await ch.query(query);
  expect(rows.length).toBe(cases.length);
  const bad: unknown[] = [];
  for (const [i, , , got] of rows) {
    const c = cases[Number(i)]!;
    const v = value(kind, got!);
    if (!Object.is(v, c.expected)) bad.push({ text: c.text, setting: c.setting, js: c.expected, sql: v });
  }
  return bad;
}

describe('SQL readers on ClickHouse (two shards) read every value form as icp does', () => {
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
  // 18.16 cannot normalise Unicode: text that NFC would change stops the query instead of scoring differently.
  const composes = (t: string) => t.normalize('NFC') !== t || /[\u0300-\u036f]/.test(t);
  it('categorical text (already in NFC)', async () => {
    const cases = textCases().filter((c) => !composes(c.text));
    expect(cases.length).toBeGreaterThan(150);
    expect((await mismatches('text', cases)).slice(0, 20)).toEqual([]);
  });
  it('text NFC would change stops the query with an error', async () => {
    for (const text of ['e\u0301cole', 'A\u030angström', 'x\u0307']) {
      await expect(mismatches('text', [{ text, setting: '', expected: text.normalize('NFC').toLowerCase() }])).rejects.toThrow(/icp: this text is not in Unicode NFC, which ClickHouse 18\.16 cannot normalise/);
    }
  });
  it('final sigma in generated Greek words', async () => {
    expect((await mismatches('text', sigmaCases().filter((c) => !composes(c.text)))).slice(0, 20)).toEqual([]);
  });
  it("lower-cases every code point as JavaScript's toLowerCase does", async () => {
    const rows: Cell[][] = [];
    for (let i = 1; i <= 0x10ffff; i++) if (i < 0xd800 || i > 0xdfff) rows.push([String(i), `a${String.fromCodePoint(i)}`]);
    await ch.load('icp_cps', [{ name: 'i', type: 'bigint' }, { name: 'v', type: 'text' }], rows);
    const r = await ch.query(`SELECT i, v, ${clickhouse.lower('v')} FROM icp_cps`);
    expect(r.rows.length).toBe(rows.length);
    const bad = r.rows.map(([i, , got]) => [i, got]).filter(([i, got]) => got !== `a${String.fromCodePoint(Number(i))}`.toLowerCase()).map(([i, got]) => [Number(i).toString(16), got]);
    expect(bad.slice(0, 40)).toEqual([]);
  });
});
