// Finding leads by id in an export and tracing their evaluation: what `icp explain` and `icp test` share.
import { editDistance } from '../errors.js';
import { traceOf, type LeadTrace } from '../engine/trace.js';
import type { CsvRow } from '../io/csv-types.js';
import { Session } from '../run/session.js';
import type { OpenedInput } from './input.js';

/** Key under which ids count as "nearly the same": case, spacing, punctuation and leading zeros ignored. */
export function looseId(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '').replace(/^0+(?=\d)/, '');
}

/** The few ids seen that are closest to a wanted one, kept in bounded memory while streaming. */
export class NearIds {
  private readonly best: { id: string; line: number; d: number }[] = [];
  private readonly loose: string;
  private readonly lower: string;
  private readonly limit: number;

  constructor(readonly target: string, private readonly keep = 3) {
    this.loose = looseId(target);
    this.lower = target.toLowerCase();
    this.limit = Math.max(2, Math.floor(target.length / 3));
  }

  offer(id: string, line: number): void {
    const t = id.trim();
    let d: number;
    if (looseId(t) === this.loose) d = 0;
    else {
      if (Math.abs(t.length - this.lower.length) > this.limit) return;
      d = editDistance(this.lower, t.toLowerCase());
      if (d > this.limit) return;
    }
    if (this.best.some((b) => b.id === id)) return;
    if (this.best.length === this.keep && d >= this.best[this.keep - 1]!.d) return;
    this.best.push({ id, line, d });
    this.best.sort((a, b) => a.d - b.d || a.line - b.line);
    if (this.best.length > this.keep) this.best.pop();
  }

  get found(): readonly { id: string; line: number }[] {
    return this.best;
  }
}

/** What a search by id found, and what helps to say why an id was not found. */
export interface FoundLeads {
  /** Per id asked for, in order: the trace of the first row with that id, or undefined. */
  results: (LeadTrace | undefined)[];
  /** Per id: the closest ids seen (for "not found" hints). */
  near: NearIds[];
  /** The first few non-empty ids seen, to show what the id column holds. */
  firstSeen: string[];
  /** Data rows read, rows that could not be read, ids not found. */
  rows: number;
  rejected: number;
  pending: number;
}

/**
 * Read `opened` until every id is found (ids compared ignoring spaces around the cell); the first row with an id
 * is the one traced. Stops reading as soon as nothing is pending, and closes the input in every case.
 */
export async function findLeads(opened: OpenedInput, ids: readonly string[]): Promise<FoundLeads> {
  const { bound } = opened;
  const model = bound.model;
  // `id: { line_number: true }`: a lead is looked up by the line its record starts on.
  const idField = model.idColumn === null ? -1 : bound.fieldIndex[model.idColumn]!;
  const wanted = new Map<string, number>(ids.map((id, i) => [id, i]));
  const results: (LeadTrace | undefined)[] = ids.map(() => undefined);
  const near = ids.map((id) => new NearIds(id));
  const firstSeen: string[] = [];
  let pending = ids.length;
  const idOf = (item: CsvRow) => (idField < 0 ? String(item.line) : (item.fields[idField] ?? ''));
  /** The index of the id a row is wanted for, or -1 (computed once a row, by the selection). */
  let wantedFor = -1;
  const seen = (cell: string) => {
    if (firstSeen.length < 3 && cell.trim() !== '') firstSeen.push(cell);
  };
  // The run session evaluates only the rows whose id is wanted (the first row with it); it stops once all are found.
  const session: Session = new Session(
    [bound],
    [
      {
        row: (item, evaluations) => {
          seen(idOf(item));
          results[wantedFor] = traceOf(bound, evaluations[0]!, item.line);
          if (--pending === 0) session.stop();
        },
        skipped: (item) => {
          const cell = idOf(item);
          seen(cell);
          for (let i = 0; i < ids.length; i++) if (results[i] === undefined) near[i]!.offer(cell, item.line);
        },
      },
    ],
    {
      select: (item) => {
        const k = wanted.get(idOf(item).trim());
        wantedFor = k !== undefined && results[k] === undefined ? k : -1;
        return wantedFor >= 0;
      },
    },
  );
  try {
    await session.run(opened.batches());
  } finally {
    opened.close();
  }
  const rows = session.counts.evaluated + session.counts.skipped;
  const rejected = session.counts.rejected;
  return { results, near, firstSeen, rows, rejected, pending };
}
