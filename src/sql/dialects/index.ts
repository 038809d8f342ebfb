// The SQL dialects by name, as `icp sql --dialect` accepts them: adding a dialect is one file and one line here.
import type { Dialect } from '../dialect.js';
import { clickhouse } from './clickhouse.js';
import { duckdb } from './duckdb.js';
import { postgres } from './postgres.js';

/** Every dialect icp can write, by name. */
export const DIALECTS: Readonly<Record<string, Dialect>> = {
  duckdb,
  clickhouse,
  postgres,
};
