// `icp score --engine duckdb`: icp's reader reads the rows (rejects, line numbers and the nothing-lost contract as
// ever); embedded DuckDB computes the added cells by running the SQL `icp sql` writes; rows are written in order.
import type { OpenedInput } from '../commands/input.js';
import { csvLine } from '../commands/score-format.js';
import type { BoundModel } from '../engine/bind.js';
import type { Evaluation } from '../engine/evaluate.js';
import type { RowState } from '../engine/row.js';
import { csvField, excelSafe } from '../io/csv-format.js';
import type { CsvReject, CsvRow } from '../io/csv-reader.js';
import type { SummaryStats } from '../report/stats.js';
import { FALSE, TRUE } from '../ops/truth.js';
import type { AsOfSource, Plan, ReadSettings } from '../plan/types.js';
import { duckdb } from './dialects/duckdb.js';
import { openDuckSession } from './duckdb-run.js';
import { lowerPlan, SUMMARY_COLUMNS } from './lower.js';

/** A record as icp's reader gives it, or a reject. */
export type EngineItem = { fields: readonly string[]; line: number; raw: string } | { reason: string; line: number; raw: string };

/** What the summary needs of one scored record (the parts of an Evaluation and of RowState.usable it reads). */
export interface ScoredSummary {
  scoreCents: number;
  disqualified: boolean;
  /** Per disqualifier: whether it fired. */
  dq: boolean[];
  tierIndex: number;
  matrixRow: number;
  matrixCol: number;
  /** Per Plan column: whether the value was usable (only meaningful for used columns). */
  usable: boolean[];
  /** The row's as-of day was unknown (--as-of-column: no date in that column). */
  noAsOf: boolean;
}

export interface DuckEngineRun {
  plan: Plan;
  settings: ReadSettings;
  /** One as-of day, or each row's from a column of the input (read into the table with the rules' columns). */
  asOf: AsOfSource;
  /** Output delimiter and --excel-safe, as the default engine writes. */
  delimiter: string;
  excelSafe: boolean;
  /** What ends each output line: the input's line break, as the default engine writes (default LF). */
  lineBreak?: string;
  /** DuckDB's threads (default: DuckDB's own choice). */
  threads?: number;
  /** The input's records and rejects, in order. */
  batches: AsyncIterable<EngineItem[]>;
  /** The line written for a record (its source text, or re-quoted for --excel-safe), without the added cells. */
  line(item: { fields: readonly string[]; line: number; raw: string }): string;
  onReject(item: { reason: string; line: number; raw: string }): Promise<void>;
  /** Output text, in order; returns when it may continue. */
  write(text: string): Promise<void>;
  /** One scored record, for the summary. */
  onScored(s: ScoredSummary): void;
  onRead(): void;
}

const KEY = 'icp_key';
const LINE = 'icp_line';

/** Score a whole input through DuckDB. */
export async function scoreWithDuckDB(run: DuckEngineRun): Promise<void> {
  const db = await openDuckSession({ threads: run.threads });
  try {
    const perRow = 'column' in run.asOf ? run.asOf.column : undefined;
    const fields = [...new Set([...run.settings.columns.filter((c) => c.field >= 0).map((c) => c.field), ...(perRow ? [perRow.field] : [])])].sort((a, b) => a - b);
    const colName = (f: number) => `f${f}`;
    await db.exec(`CREATE TABLE icp_in (${KEY} BIGINT, ${LINE} VARCHAR, ${fields.map((f) => `${colName(f)} VARCHAR`).join(', ')})`);
    let key = 0;
    for await (const batch of run.batches) {
      const rows: [number, (string | null)[]][] = [];
      for (const item of batch) {
        run.onRead();
        if (!('fields' in item)) {
          await run.onReject(item);
          continue;
        }
        rows.push([key++, [run.line(item), ...fields.map((f) => item.fields[f] ?? '')]]);
      }
      if (rows.length) await db.appendText('icp_in', rows);
    }
    if (key === 0) return;

    const lowered = lowerPlan(run.plan, {
      dialect: duckdb,
      from: 'icp_in',
      columns: run.settings.columns.map((c) => ({ name: c.field >= 0 ? colName(c.field) : null, decimal: c.decimal, dateOrder: c.dateOrder })),
      ...('column' in run.asOf ? { asOfColumn: { name: colName(run.asOf.column.field), dateOrder: run.asOf.column.dateOrder } } : { asOf: run.asOf.day }),
      autoDateOrder: 'per-value',
      summary: true,
    });
    await db.exec(lowered.prelude);
    const p = run.plan;
    const added = ['icp_score', 'icp_tier', ...(p.matrix ? ['icp_matrix'] : []), ...p.groups.map((g) => `icp_${g.id}_score`), 'icp_disqualified', 'icp_disqualified_reason', 'icp_reasons'];
    const numeric = new Set(['icp_score', ...p.groups.map((g) => `icp_${g.id}_score`)]);
    const summary = SUMMARY_COLUMNS(p);
    const select = [LINE, ...added, ...summary.all].map((c) => `"${c}"`).join(', ');
    const d = run.delimiter;
    const safe = run.excelSafe;
    // As score-format.ts: numbers are plain unless the delimiter could appear in them; texts are CSV fields.
    const numbersNeedQuotes = d === '.' || d === '-' || (d >= '0' && d <= '9');
    const cell = (name: string, v: string) => (numeric.has(name) && !numbersNeedQuotes ? v : csvField(safe ? excelSafe(v) : v, d));
    const result = await db.stream(`SELECT ${select} FROM (${lowered.statement}) ORDER BY ${KEY}`);
    const nAdded = added.length;
    const dqCount = p.disqualifiers.length;
    for (;;) {
      const rows = await result.next();
      if (rows === null) break;
      let out = '';
      for (const r of rows) {
        let s = r[0] as string;
        for (let k = 0; k < nAdded; k++) s += d + cell(added[k]!, (r[k + 1] as string | null) ?? '');
        out += s + (run.lineBreak ?? '\n');
        let at = nAdded + 1;
        const scoreCents = r[at++] as number;
        const disqualified = r[at++] as boolean;
        const dq: boolean[] = [];
        for (let k = 0; k < dqCount; k++) dq.push(r[at++] as boolean);
        const tierIndex = r[at++] as number;
        const matrixRow = r[at++] as number;
        const matrixCol = r[at++] as number;
        const noAsOf = r[at++] as boolean;
        const usable = p.columns.map(() => false);
        for (const c of summary.usableColumns) usable[c] = r[at++] as boolean;
        run.onScored({ scoreCents, disqualified, dq, tierIndex, matrixRow, matrixCol, usable, noAsOf });
      }
      await run.write(out);
    }
  } finally {
    db.close();
  }
}

/**
 * A scored record as the two arguments SummaryStats.add reads (an Evaluation's counted parts, and a row's
 * usable()), so the summary of the DuckDB engine is counted by the same code as the default engine's.
 */
export function summaryArguments(s: ScoredSummary): { evaluation: SummaryEvaluation; row: { usable(col: number): boolean; asOf: number } } {
  return {
    evaluation: {
      scoreCents: s.scoreCents,
      disqualified: s.disqualified,
      dq: Uint8Array.from(s.dq, (b) => (b ? TRUE : FALSE)),
      tierIndex: s.tierIndex,
      matrixRow: s.matrixRow,
      matrixCol: s.matrixCol,
    },
    row: { usable: (col) => s.usable[col] === true, asOf: s.noAsOf ? NaN : 0 },
  };
}

/** The parts of an Evaluation that SummaryStats.add reads. */
export interface SummaryEvaluation {
  scoreCents: number;
  disqualified: boolean;
  dq: Uint8Array;
  tierIndex: number;
  matrixRow: number;
  matrixCol: number;
}

/** What `icp score` hands over when --engine duckdb: the opened input and where results go. */
export interface ScoreHandover {
  opened: OpenedInput;
  bound: BoundModel;
  stats: SummaryStats;
  excelSafe: boolean;
  writeReject(r: CsvReject): Promise<void>;
  write(text: string): Promise<void>;
}

/** icp score's scoring loop, with DuckDB computing the added cells (the default engine's loop is in score.ts). */
export async function scoreThroughDuckDB(h: ScoreHandover): Promise<void> {
  const d = h.opened.header.delimiter;
  await scoreWithDuckDB({
    plan: h.bound.model.plan,
    settings: h.bound.settings,
    asOf: h.bound.asOf,
    delimiter: d,
    excelSafe: h.excelSafe,
    lineBreak: h.opened.header.lineBreak,
    batches: h.opened.batches(),
    line: (item) => csvLine(item as CsvRow, d, h.excelSafe),
    onRead: () => {
      h.stats.read++;
    },
    onReject: async (r) => {
      h.stats.reject(r.reason, r.line);
      await h.writeReject(r as CsvReject);
    },
    write: h.write,
    onScored: (s) => {
      const { evaluation, row } = summaryArguments(s);
      h.stats.add(evaluation as Evaluation, row as RowState);
      h.stats.written++;
    },
  });
}
