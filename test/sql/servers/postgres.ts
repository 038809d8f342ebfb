// A throwaway PostgreSQL cluster for tests: initdb + pg_ctl in a temp dir on a free local port, no system service.
import { chownSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  onExit,
  parseTsvWithHeader,
  removeDir,
  runOk,
  signal,
  toTsv,
  type ColumnDef,
  type ColumnType,
  type ResultSet,
  type SqlServer,
} from './common.js';

/** Where Debian's postgresql-15 puts its programs (overridable for other installs). */
export const PG_BIN = process.env.ICP_PG_BIN ?? '/usr/lib/postgresql/15/bin';

const TYPES: Record<ColumnType, string> = {
  text: 'text',
  double: 'double precision',
  numeric: 'numeric',
  bigint: 'bigint',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  boolean: 'boolean',
};

/** A PostgreSQL identifier, quoted. */
export function pgIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The uid and gid of the `postgres` account, read from /etc/passwd (initdb refuses to run as root). */
function postgresAccount(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const f = line?.split(':');
  if (!f || f.length < 4) throw new Error('running as root, but there is no postgres account to run the server as');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** A running throwaway cluster. */
export interface PostgresServer extends SqlServer {
  readonly engine: 'postgres';
  readonly port: number;
  readonly dir: string;
  /** Run a whole SQL text with psql as a user would (`psql -f file`), returning what psql prints as CSV. */
  psqlCsv(script: string): Promise<string>;
}

/**
 * Start a cluster: `initdb -A trust` and `pg_ctl start` in a new temp dir, listening on 127.0.0.1 only, with the
 * UTF-8 C locale (so lower() knows non-ASCII letters), UTC and no fsync. As root (CI), both run as `postgres`
 * through `runuser` and the temp dir is handed to that account. `bin`: the directory of initdb, pg_ctl and psql.
 * Throws, with the server's log, when it cannot start.
 */
export async function startPostgres(bin = PG_BIN): Promise<PostgresServer> {
  for (const p of ['initdb', 'pg_ctl', 'psql']) {
    if (!existsSync(join(bin, p))) throw new Error(`PostgreSQL is not installed: ${join(bin, p)} is missing (apt-get install postgresql)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'icp-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = postgresAccount();
    chownSync(dir, uid, gid);
  }
  // As root, run the server programs as postgres; otherwise as the current user.
  const asServer = (prog: string, args: string[]): [string, string[]] =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, prog), ...args]] : [join(bin, prog), args];

  let port = 0;
  let stopped = false;
  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  };
  // If the test process dies, stop the postmaster at once (SIGQUIT: immediate shutdown) and drop the directory.
  const unhook = onExit(() => {
    signal(postmasterPid(), 'SIGQUIT');
    removeDir(dir);
  });
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      if (postmasterPid() !== undefined) await runOk(...asServer('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop']));
    } catch {
      signal(postmasterPid(), 'SIGQUIT');
    } finally {
      removeDir(dir);
      unhook();
    }
  };

  try {
    await runOk(...asServer('initdb', ['-A', 'trust', '-U', 'postgres', '-D', data, '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']));
    port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC`;
    await runOk(...asServer('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', opts, 'start']));
  } catch (e) {
    let tail = '';
    try {
      tail = readFileSync(log, 'utf8').split('\n').slice(-20).join('\n');
    } catch {
      // no log written
    }
    await stop();
    throw new Error(`PostgreSQL did not start: ${(e as Error).message}${tail ? `\nserver log:\n${tail}` : ''}`);
  }

  const psql = (script: string, extra: string[] = []) =>
    runOk(
      join(bin, 'psql'),
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', ...extra, '-f', '-'],
      script,
      { env: { ...process.env, PGCLIENTENCODING: 'UTF8', PGTZ: 'UTC', PGOPTIONS: '' } },
    );

  const query = async (sql: string): Promise<ResultSet> => {
    const body = sql.trim().replace(/;\s*$/, '');
    return parseTsvWithHeader(await psql(`COPY (${body}\n) TO STDOUT WITH (FORMAT text, HEADER true);\n`));
  };

  return {
    engine: 'postgres',
    port,
    dir,
    exec: async (sql) => {
      await psql(sql);
    },
    query,
    psqlCsv: (script) => psql(script, ['--csv', '-P', 'null=\\N']),
    load: async (table, columns: readonly ColumnDef[], rows) => {
      const cols = columns.map((c) => `${pgIdent(c.name)} ${TYPES[c.type]}`).join(', ');
      const t = pgIdent(table);
      await psql(`DROP TABLE IF EXISTS ${t};\nCREATE TABLE ${t} (${cols});\nCOPY ${t} FROM STDIN;\n${toTsv(rows)}\\.\n`);
      const n = (await query(`SELECT count(*) FROM ${t}`)).rows[0]?.[0];
      if (Number(n) !== rows.length) throw new Error(`loaded ${n} rows into ${table}, expected ${rows.length}`);
    },
    stop,
  };
}
