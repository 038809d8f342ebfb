// The server harnesses themselves: cells survive the round trip, ClickHouse really spreads rows over two shards.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, parseTsvWithHeader, toTsv, type Cell, type ColumnDef } from './common.js';
import { startPostgres, type PostgresServer } from './postgres.js';
import { startClickHouseCluster, type ClickHouseCluster } from './clickhouse.js';

const COLUMNS: ColumnDef[] = [
  { name: 'Lead ID', type: 'text' },
  { name: 'note "quoted"', type: 'text' },
  { name: 'amount', type: 'double' },
  { name: 'seen', type: 'date' },
  { name: 'at', type: 'timestamp' },
  { name: 'flag', type: 'boolean' },
];
// Hostile text: separators, escapes, quotes, NULL against empty, non-ASCII, a literal backslash-N.
const HOSTILE: Cell[] = ['', null, 'tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', "it's", '"q"', 'zażółć 東京', ' \u00a0 '];
const ROWS: Cell[][] = Array.from({ length: 200 }, (_, i) => [
  `L-${i}`,
  HOSTILE[i % HOSTILE.length]!,
  i % 7 === 0 ? null : String(i * 1.5),
  i % 5 === 0 ? null : `2026-0${1 + (i % 9)}-1${i % 10}`,
  `2026-10-0${1 + (i % 9)} 12:3${i % 10}:00`,
  i % 3 === 0 ? null : i % 2 === 0 ? 'true' : 'false',
]);

describe('tab-separated cells', () => {
  it('reads back what it writes, NULL apart from the empty string', () => {
    const rows = HOSTILE.map((h) => [h, 'x']);
    const back = parseTsvWithHeader('a\tb\n' + toTsv(rows));
    expect(back).toEqual({ columns: ['a', 'b'], rows });
  });
  it('refuses a line with the wrong number of fields', () => {
    expect(() => parseTsvWithHeader('a\tb\nonly\n')).toThrow(/line 2 has 1 fields/);
  });
});

describe('PostgreSQL harness', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
    await pg.load('hostile', COLUMNS, ROWS);
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('keeps every text cell as loaded, NULL distinct from empty', async () => {
    const r = await pg.query(`SELECT "Lead ID", "note ""quoted""" FROM hostile ORDER BY "amount" NULLS FIRST, "Lead ID"`);
    expect(r.columns).toEqual(['Lead ID', 'note "quoted"']);
    const want = new Map(ROWS.map((r) => [r[0], r[1]]));
    expect(r.rows).toHaveLength(ROWS.length);
    for (const [id, note] of r.rows) expect(note).toBe(want.get(id));
  });

  it('reads typed columns', async () => {
    const r = await pg.query(`SELECT amount, seen, flag FROM hostile WHERE "Lead ID" IN ('L-1', 'L-0') ORDER BY "Lead ID"`);
    expect(r.rows).toEqual([
      [null, null, null],
      ['1.5', '2026-02-11', 'f'],
    ]);
  });

  it('runs a script through psql as a user would', async () => {
    const out = await pg.psqlCsv(`CREATE OR REPLACE FUNCTION icp_h_twice(x double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$ SELECT x * 2 $$;
SELECT icp_h_twice(amount) AS twice FROM hostile WHERE "Lead ID" = 'L-3';\n`);
    expect(out).toBe('twice\n9\n');
  });

  it('fails with the error the server gave', async () => {
    await expect(pg.query('SELECT no_such_column FROM hostile')).rejects.toThrow(/no_such_column/);
  });
});

describe('ClickHouse harness: two servers, one shard each', () => {
  let ch: ClickHouseCluster;
  beforeAll(async () => {
    ch = await startClickHouseCluster();
    await ch.load('hostile', COLUMNS, ROWS);
  });
  afterAll(async () => {
    await ch?.stop();
  });

  it('runs two servers that know the cluster as two shards on their two ports', async () => {
    const [a, b] = ch.nodes;
    expect(a.tcpPort).not.toBe(b.tcpPort);
    for (const n of ch.nodes) {
      const rows = parseTsvWithHeader(await n.post(`SELECT shard_num, port FROM system.clusters WHERE cluster = 'icp_two_shards' ORDER BY shard_num FORMAT TabSeparatedWithNames`)).rows;
      expect(rows).toEqual([
        ['1', String(a.tcpPort)],
        ['2', String(b.tcpPort)],
      ]);
    }
  });

  it('spreads the rows over both shards, and the Distributed table reads each once', async () => {
    const [x, y] = await ch.shardCounts('hostile');
    expect(x + y).toBe(ROWS.length);
    // A hash of 200 ids: far from all on one side (a binomial 200 × ½ lies in 70..130 all but never).
    expect(Math.min(x, y)).toBeGreaterThan(70);
    const r = await ch.query('SELECT count() AS n, uniqExact(`Lead ID`) AS ids FROM hostile');
    expect(r.rows).toEqual([[String(ROWS.length), String(ROWS.length)]]);
    // Each server's local part holds only its own ids.
    const local = await Promise.all(ch.nodes.map((n) => n.post('SELECT `Lead ID` FROM hostile_local ORDER BY `Lead ID` FORMAT TabSeparated')));
    const ids = local.map((t) => t.trim().split('\n'));
    expect(new Set([...ids[0]!, ...ids[1]!]).size).toBe(ROWS.length);
  });

  it('keeps every text cell as loaded, NULL distinct from empty', async () => {
    const r = await ch.query('SELECT `Lead ID`, `note "quoted"` FROM hostile');
    const want = new Map(ROWS.map((r) => [r[0], r[1]]));
    expect(r.rows).toHaveLength(ROWS.length);
    for (const [id, note] of r.rows) expect(note).toBe(want.get(id));
  });

  it('reads typed columns', async () => {
    const r = await ch.query("SELECT amount, seen, flag FROM hostile WHERE `Lead ID` IN ('L-1', 'L-0') ORDER BY `Lead ID`");
    expect(r.rows).toEqual([
      [null, null, null],
      ['1.5', '2026-02-11', '0'],
    ]);
  });

  it('runs a script through clickhouse-client as a user would', async () => {
    const r = await ch.client("SELECT count() AS n FROM hostile WHERE flag = 1;\nSELECT 'done' AS s;\n");
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`n\n${ROWS.filter((x) => x[5] === 'true').length}\ns\ndone\n`);
  });
});

describe('a server that cannot start fails the test', () => {
  it('PostgreSQL without its programs', async () => {
    await expect(startPostgres('/nonexistent/bin')).rejects.toThrow(/PostgreSQL is not installed: \/nonexistent\/bin\/initdb is missing/);
  });
  it('ClickHouse whose server program exits at once', async () => {
    await expect(startClickHouseCluster('/bin/false')).rejects.toThrow(/ClickHouse did not start/);
  });
  it('stopping removes the directories and the processes', async () => {
    const pg = await startPostgres();
    const pid = Number((await pg.query('SELECT pg_backend_pid()')).rows[0]![0]);
    expect(pid).toBeGreaterThan(0);
    await pg.stop();
    expect(existsSync(pg.dir)).toBe(false);
    const ch = await startClickHouseCluster();
    await ch.stop();
    for (const n of ch.nodes) expect(existsSync(n.dir)).toBe(false);
    expect(alive(pid)).toBe(false);
  });
});
