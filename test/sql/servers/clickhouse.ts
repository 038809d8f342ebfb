// Two throwaway ClickHouse servers on local ports, one shard each, and Distributed tables over that cluster.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alive,
  freePorts,
  onExit,
  parseTsvWithHeader,
  removeDir,
  run,
  signal,
  toTsv,
  waitFor,
  type ColumnDef,
  type ColumnType,
  type Ran,
  type ResultSet,
  type SqlServer,
} from './common.js';

/** Debian's clickhouse-server and clickhouse-client (18.16); overridable for other installs. */
export const CH_SERVER = process.env.ICP_CH_SERVER ?? '/usr/sbin/clickhouse-server';
export const CH_CLIENT = process.env.ICP_CH_CLIENT ?? '/usr/bin/clickhouse-client';

/** The cluster every Distributed table of the harness is defined over: two shards, one per server. */
export const CLUSTER = 'icp_two_shards';

const TYPES: Record<ColumnType, string> = {
  text: 'Nullable(String)',
  double: 'Nullable(Float64)',
  numeric: 'Nullable(Float64)', // 18.16's Decimal is experimental (allow_experimental_decimal_type)
  bigint: 'Nullable(Int64)',
  date: 'Nullable(Date)',
  timestamp: 'Nullable(DateTime)',
  timestamptz: "Nullable(DateTime('UTC'))", // an instant, shown in UTC
  boolean: 'Nullable(UInt8)', // 18.16 has no Bool type: 1/0, as ClickHouse users store flags
};

/** A ClickHouse identifier, quoted. */
export function chIdent(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/** One server of the pair. */
export interface ClickHouseNode {
  readonly httpPort: number;
  readonly tcpPort: number;
  readonly dir: string;
  /** Run one statement on this server over HTTP, with these settings; what the server answers. */
  post(sql: string, settings?: Record<string, string>): Promise<string>;
}

/** The two-shard cluster; `query` and `load` go through node 0's Distributed tables. */
export interface ClickHouseCluster extends SqlServer {
  readonly engine: 'clickhouse';
  readonly nodes: readonly [ClickHouseNode, ClickHouseNode];
  /** Rows of `table`'s local part on each shard. */
  shardCounts(table: string): Promise<[number, number]>;
  /** Run a whole SQL text with clickhouse-client as a user would (`clickhouse-client --multiquery < file`). */
  client(script: string): Promise<Ran>;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function configXml(dir: string, httpPort: number, tcpPort: number, shardPorts: readonly number[]): string {
  const shards = shardPorts
    .map((p) => `      <shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`)
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${xml(join(dir, 'server.log'))}</log><errorlog>${xml(join(dir, 'error.log'))}</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${xml(join(dir, 'data'))}/</path>
  <tmp_path>${xml(join(dir, 'tmp'))}/</tmp_path>
  <user_files_path>${xml(join(dir, 'user_files'))}/</user_files_path>
  <users_config>${xml(join(dir, 'users.xml'))}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>20</max_concurrent_queries>
  <remote_servers>
    <${CLUSTER}>
${shards}
    </${CLUSTER}>
  </remote_servers>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/**
 * Start two ClickHouse servers, each with its own config, users file and data directory under one temp dir,
 * both defining the cluster `icp_two_shards` whose shards are the two servers. Throws, with the servers' logs,
 * when either cannot start. `server`: the clickhouse-server program.
 */
export async function startClickHouseCluster(server = CH_SERVER): Promise<ClickHouseCluster> {
  for (const p of [server, CH_CLIENT]) {
    if (!existsSync(p)) throw new Error(`ClickHouse is not installed: ${p} is missing (apt-get install clickhouse-server clickhouse-client)`);
  }
  const root = mkdtempSync(join(tmpdir(), 'icp-ch-'));
  const [h0, t0, h1, t1] = await freePorts(4);
  const specs = [
    { dir: join(root, 'shard1'), httpPort: h0!, tcpPort: t0! },
    { dir: join(root, 'shard2'), httpPort: h1!, tcpPort: t1! },
  ];
  const children: ChildProcess[] = [];
  const outputs: Buffer[][] = [];
  let stopped = false;
  const unhook = onExit(() => {
    for (const c of children) signal(c.pid, 'SIGKILL');
    removeDir(root);
  });
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // A graceful stop takes ClickHouse about five seconds; the data is thrown away, so give it one and then kill.
    for (const c of children) signal(c.pid, 'SIGTERM');
    await waitFor(async () => children.every((c) => c.exitCode !== null || c.signalCode !== null || !alive(c.pid!)), 1500, () => '').catch(
      () => {
        for (const c of children) signal(c.pid, 'SIGKILL');
      },
    );
    await waitFor(async () => children.every((c) => c.exitCode !== null || c.signalCode !== null), 5000, () => '').catch(() => {});
    removeDir(root);
    unhook();
  };

  const nodes = specs.map((s): ClickHouseNode => {
    mkdirSync(s.dir, { recursive: true });
    writeFileSync(join(s.dir, 'config.xml'), configXml(s.dir, s.httpPort, s.tcpPort, specs.map((x) => x.tcpPort)));
    writeFileSync(join(s.dir, 'users.xml'), USERS_XML);
    return {
      ...s,
      post: async (sql, settings = {}) => {
        const url = new URL(`http://127.0.0.1:${s.httpPort}/`);
        for (const [k, v] of Object.entries(settings)) url.searchParams.set(k, v);
        const res = await fetch(url, { method: 'POST', body: sql });
        const text = await res.text();
        if (!res.ok) throw new Error(`ClickHouse (port ${s.httpPort}) answered ${res.status}: ${text.trim()}\nquery: ${sql.slice(0, 300)}`);
        return text;
      },
    };
  }) as unknown as [ClickHouseNode, ClickHouseNode];

  try {
    for (const s of specs) {
      const out: Buffer[] = [];
      const child = spawn(server, [`--config-file=${join(s.dir, 'config.xml')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => out.push(b));
      child.on('error', () => {});
      children.push(child);
      outputs.push(out);
    }
    await waitFor(
      async () => {
        if (children.some((c) => c.exitCode !== null || c.signalCode !== null)) throw new Error('a server exited');
        const ping = (port: number) => fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.ok, () => false);
        const pings = await Promise.all(specs.map((s) => ping(s.httpPort)));
        return pings.every(Boolean);
      },
      30000,
      () => 'timed out',
    );
  } catch (e) {
    const logs = specs
      .map((s, i) => {
        const out = Buffer.concat(outputs[i] ?? []).toString('utf8').trim();
        return `shard ${i + 1} (${s.dir}), exit ${children[i]?.exitCode ?? 'none'}:\n${out}\n${tail(join(s.dir, 'error.log'))}`;
      })
      .join('\n');
    await stop();
    throw new Error(`ClickHouse did not start (${(e as Error).message}):\n${logs}`);
  }

  const [first] = nodes;
  const query = async (sql: string): Promise<ResultSet> => {
    const body = sql.trim().replace(/;\s*$/, '');
    // The inlined helpers make long statements: past the default max_query_size (256 KiB) with many columns.
    return parseTsvWithHeader(await first.post(`${body}\nFORMAT TabSeparatedWithNames`, { max_query_size: '67108864' }));
  };
  const count = async (node: ClickHouseNode, table: string) => Number((await node.post(`SELECT count() FROM ${chIdent(table)}`)).trim());

  return {
    engine: 'clickhouse',
    nodes,
    exec: async (sql) => {
      await first.post(sql);
    },
    query,
    shardCounts: async (table) => [await count(nodes[0], `${table}_local`), await count(nodes[1], `${table}_local`)],
    client: (script) =>
      run(CH_CLIENT, ['--host', '127.0.0.1', '--port', String(specs[0]!.tcpPort), '--multiquery', '--format', 'TabSeparatedWithNames'], script),
    load: async (table, columns: readonly ColumnDef[], rows) => {
      const local = chIdent(`${table}_local`);
      const dist = chIdent(table);
      const cols = columns.map((c) => `${chIdent(c.name)} ${TYPES[c.type]}`).join(', ');
      // The sharding key spreads rows over both shards by a hash of the first column (the lead id).
      const key = `cityHash64(ifNull(toString(${chIdent(columns[0]!.name)}), ''))`;
      for (const n of nodes) {
        await n.post(`DROP TABLE IF EXISTS ${dist}`);
        await n.post(`DROP TABLE IF EXISTS ${local}`);
        await n.post(`CREATE TABLE ${local} (${cols}) ENGINE = MergeTree ORDER BY tuple()`);
        await n.post(`CREATE TABLE ${dist} AS ${local} ENGINE = Distributed(${CLUSTER}, default, ${local}, ${key})`);
      }
      // Booleans as 1/0; a UTC timestamp's '+00' dropped (DateTime('UTC') reads the time as UTC).
      const cell = (v: string | null, type: ColumnType): string | null => {
        if (v === null) return v;
        if (type === 'boolean') return v === 'true' ? '1' : v === 'false' ? '0' : v;
        if (type === 'timestamptz') return v.replace(/\+00$/, '');
        return v;
      };
      const data = rows.map((r) => r.map((v, i) => cell(v, columns[i]!.type)));
      // insert_distributed_sync: the insert returns once both shards hold their rows (not queued in the background).
      await first.post(`INSERT INTO ${dist} FORMAT TabSeparated\n${toTsv(data)}`, { insert_distributed_sync: '1' });
      const [a, b] = [await count(nodes[0], `${table}_local`), await count(nodes[1], `${table}_local`)];
      const total = await count(first, table);
      if ((rows.length >= 2 && (a === 0 || b === 0)) || a + b !== rows.length || total !== rows.length) {
        throw new Error(`${table}: shards hold ${a} and ${b} rows, the Distributed table ${total}; loaded ${rows.length}`);
      }
    },
    stop,
  };
}
