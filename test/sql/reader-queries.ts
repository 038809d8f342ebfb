// The queries that read a table of value cases with icp's SQL readers, for any dialect (shared with sqlsrv).
import type { Dialect } from '../../src/sql/dialect.js';
import { Readers, type ReaderName } from '../../src/sql/readers.js';

/** Which reader a case table is read with, and whether it takes the case's setting as its second argument. */
export const READER_OF = {
  number: { reader: 'icp_num', setting: true },
  date: { reader: 'icp_day', setting: true },
  bool: { reader: 'icp_bool', setting: false },
  text: { reader: 'icp_norm', setting: false },
} as const satisfies Record<string, { reader: ReaderName; setting: boolean }>;

/**
 * The prelude (helper definitions, maybe '') and one SELECT reading table `table` (columns i, v, setting: the
 * case's index, text and setting) as `i, result`, ordered by i.
 */
export function readerQuery(d: Dialect, kind: keyof typeof READER_OF, table = 'icp_cases'): { prelude: string; query: string } {
  const r = new Readers(d);
  const { reader, setting } = READER_OF[kind];
  const call = r.call(reader, setting ? [d.ident('v'), d.ident('setting')] : [d.ident('v')]);
  const query = `SELECT ${d.ident('i')}, ${call} AS ${d.ident('result')} FROM ${d.ident(table)} ORDER BY ${d.ident('i')}`;
  return { prelude: r.prelude(), query };
}
