// A fixture loaded into typed columns (numbers, dates, timestamps, booleans): each typed cell holds what icp reads
// from its text, and the CSV icp scores keeps that text. Shared by the typed parity tests. Pure: texts in, texts out.
import { formatDay, parseBool, parseDate, parseNumber, type DateOrder, type DecimalMode } from '../../src/values/index.js';
import type { SqlFixture } from './fixtures.js';
import { fixtureRows } from './parity-harness.js';
import type { Cell, ColumnDef, ColumnType } from './servers/common.js';
import { toCsv } from './fixtures.js';

/** How one header's column is typed, and how icp reads its text (the rules' decimal or date order). */
export interface TypedColumn {
  type: Exclude<ColumnType, 'text'>;
  decimal?: DecimalMode;
  order?: DateOrder;
}

/** The typed table (columns and rows as loaded) and the fixture icp scores (same leads, same reads). */
export interface TypedFixture {
  fixture: SqlFixture;
  columns: ColumnDef[];
  rows: Cell[][];
  /** Per typed column: how many cells hold a value (so a test can tell the types were exercised). */
  filled: Record<string, number>;
}

/**
 * Type the columns of a fixture. A typed cell is icp's reading of the text (parseNumber with the column's decimal
 * mode, parseDate with its order, parseBool), written as the engine reads that type; a cell icp cannot read as
 * the type is NULL in the table and empty in icp's CSV (a typed column cannot hold "lots"), so both score the same
 * leads. A bigint column holds whole numbers only (others NULL and empty alike).
 */
export function typedFixture(f: SqlFixture, types: Record<string, TypedColumn>): TypedFixture {
  const { header, rows } = fixtureRows(f);
  const filled: Record<string, number> = Object.fromEntries(Object.keys(types).map((k) => [k, 0]));
  const textRows: string[][] = [];
  const cells: Cell[][] = rows.map((r) => {
    const text: string[] = [];
    const typed = r.map((v, i): Cell => {
      const t = types[header[i]!];
      if (!t) return text.push(v), v === '' ? null : v;
      const value = typedValue(v, t);
      text.push(value === null ? '' : v);
      if (value !== null) filled[header[i]!]!++;
      return value;
    });
    textRows.push(text);
    return typed;
  });
  const columns = header.map((name): ColumnDef => ({ name, type: types[name]?.type ?? 'text' }));
  return { fixture: { ...f, name: `${f.name}-typed`, csv: toCsv(header, textRows) }, columns, rows: cells, filled };
}

function typedValue(v: string, t: TypedColumn): Cell {
  switch (t.type) {
    case 'double':
    case 'numeric':
    case 'bigint': {
      const n = parseNumber(v, t.decimal ?? 'auto');
      if (n === undefined || !Number.isFinite(n)) return null;
      if (t.type === 'bigint' && !Number.isSafeInteger(n)) return null;
      return String(n);
    }
    case 'date':
    case 'timestamp':
    case 'timestamptz': {
      const day = parseDate(v, t.order ?? 'auto');
      if (day === undefined) return null;
      // A time of day that icp drops; late in the UTC day, so a reader that shifted zones would see another date.
      return formatDay(day) + (t.type === 'date' ? '' : t.type === 'timestamp' ? ' 13:45:00' : ' 23:30:00+00');
    }
    case 'boolean': {
      const b = parseBool(v);
      return b === undefined ? null : String(b);
    }
  }
}

/** The parity leads' typed columns: the European-decimal Umsatz as numeric, dates, a timestamptz, a flag. */
export const PARITY_TYPES: Record<string, TypedColumn> = {
  Employees: { type: 'bigint' },
  'Annual Revenue': { type: 'double' },
  Umsatz: { type: 'numeric', decimal: 'comma' },
  'Website Visits': { type: 'double' },
  Budget: { type: 'numeric' },
  'Last Activity': { type: 'date', order: 'MDY' },
  Created: { type: 'timestamptz', order: 'DMY' },
  'Demo Requested': { type: 'boolean' },
};
