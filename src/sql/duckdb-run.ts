// Embedded DuckDB (@duckdb/node-api), loaded only when asked for: a small session to run SQL and append rows.
import { createRequire } from 'node:module';
import { UserError } from '../errors.js';

/** A DuckDB connection in this process, with what icp needs of it. */
export interface DuckSession {
  /** Run statements (one or several, ';'-separated), ignoring results. */
  exec(sql: string): Promise<void>;
  /** Run one query and read all its rows, values as JavaScript values (BIGINT as bigint, NULL as null). */
  rows(sql: string): Promise<unknown[][]>;
  /** Run one query and read its rows a chunk at a time: next() gives the next rows, null at the end. */
  stream(sql: string): Promise<{ next(): Promise<unknown[][] | null> }>;
  /** Append rows of text (null = NULL) to an existing table whose columns are all VARCHAR, plus a leading BIGINT key. */
  appendText(table: string, rows: Iterable<readonly [number, readonly (string | null)[]]>): Promise<void>;
  close(): void;
}

type NodeApi = typeof import('@duckdb/node-api');

/**
 * Load @duckdb/node-api (CommonJS, with a native binary), or fail with how to install it. Through require, not
 * import(): the bundled CLI runs in a vm.Script (for its code cache), where import() has no loader.
 */
export async function loadDuckDB(name = '@duckdb/node-api'): Promise<NodeApi> {
  try {
    return createRequire(import.meta.url)(name) as NodeApi;
  } catch (e) {
    throw new UserError(
      `the DuckDB engine needs the package ${name}, which could not be loaded (${(e as Error).message.split('\n')[0]})`,
      [],
      `install it next to icp: npm install ${name}`,
    );
  }
}

/** Open an in-memory DuckDB; `threads` limits its worker threads (DuckDB's default: one per CPU). */
export async function openDuckSession(options: { threads?: number } = {}): Promise<DuckSession> {
  const api = await loadDuckDB();
  const config: Record<string, string> = {};
  if (options.threads !== undefined) config.threads = String(options.threads);
  const instance = await api.DuckDBInstance.create(':memory:', config);
  const conn = await instance.connect();
  return {
    async exec(sql) {
      await conn.run(sql);
    },
    async rows(sql) {
      const reader = await conn.runAndReadAll(sql);
      return reader.getRows() as unknown[][];
    },
    async stream(sql) {
      const result = await conn.stream(sql);
      return {
        async next() {
          for (;;) {
            const chunk = await result.fetchChunk();
            if (chunk === null || chunk.rowCount === 0) return null;
            return chunk.getRows() as unknown[][];
          }
        },
      };
    },
    async appendText(table, rows) {
      const appender = await conn.createAppender(table);
      for (const [key, cells] of rows) {
        appender.appendBigInt(BigInt(key));
        for (const c of cells) {
          if (c === null) appender.appendNull();
          else appender.appendVarchar(c);
        }
        appender.endRow();
      }
      appender.closeSync();
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}
