// The sinks of a run session that icp score writes through (the scored CSV, JSON Lines traces, the summary
// statistics, the rejects CSV), shared by the main thread and the worker threads so that a record comes out the
// same wherever it was read.
import type { BoundModel } from '../engine/bind.js';
import type { Evaluation } from '../engine/evaluate.js';
import { traceOf } from '../engine/trace.js';
import type { CsvReject, CsvRow, RecordFormat } from '../io/csv-types.js';
import type { SummaryStats } from '../report/stats.js';
import { addedCsvFormatter, csvLine, field } from '../commands/score-format.js';
import type { RecordSink } from './session.js';

/** How icp score writes a scored record, besides the bound model: plain data (it is sent to worker threads). */
export interface OutputSettings extends RecordFormat {
  format: 'csv' | 'jsonl';
  excelSafe: boolean;
  /** What ends each CSV output line: the input header's line break (JSON Lines end in LF whatever the input). */
  lineBreak: '\n' | '\r\n';
}

/** Text made from the records of a batch (or a piece), taken by whoever writes it; written at each flush when given `write`. */
export abstract class TextCollector implements RecordSink {
  protected text = '';

  constructor(private readonly write?: (text: string) => void | Promise<void>) {}

  /** The text made since the last take, and start again. */
  take(): string {
    const t = this.text;
    this.text = '';
    return t;
  }

  flush(): void | Promise<void> {
    if (this.write && this.text) return this.write(this.take());
  }
}

/** The scored CSV: each record as read, then the added icp_ columns. */
export class ScoredCsv extends TextCollector {
  private readonly added: (e: Evaluation) => string;
  private readonly delimiter: string;
  private readonly excelSafe: boolean;
  private readonly lineBreak: string;

  constructor(bound: BoundModel, settings: OutputSettings, write?: (text: string) => void | Promise<void>) {
    super(write);
    this.delimiter = settings.delimiter;
    this.excelSafe = settings.excelSafe;
    this.lineBreak = settings.lineBreak;
    this.added = addedCsvFormatter(bound.model, settings.delimiter, settings.excelSafe);
  }

  row(item: CsvRow, evaluations: readonly Evaluation[]): void {
    this.text += csvLine(item, this.delimiter, this.excelSafe) + this.added(evaluations[0]!) + this.lineBreak;
  }
}

/** JSON Lines: one trace a record, with its physical line. */
export class Traces extends TextCollector {
  constructor(
    private readonly bound: BoundModel,
    write?: (text: string) => void | Promise<void>,
  ) {
    super(write);
  }

  row(item: CsvRow, evaluations: readonly Evaluation[]): void {
    this.text += `${JSON.stringify(traceOf(this.bound, evaluations[0]!, item.line))}\n`; // LF whatever the input
  }
}

/** The scored output in the format asked for. */
export function scoredOutput(bound: BoundModel, settings: OutputSettings, write?: (text: string) => void | Promise<void>): TextCollector {
  return settings.format === 'jsonl' ? new Traces(bound, write) : new ScoredCsv(bound, settings, write);
}

/** The rejects CSV's header line. */
export const REJECTS_HEADER = 'line,reason,raw\n';

/** A reject as a line of the rejects CSV. */
export function rejectLine(r: CsvReject, excelSafe: boolean): string {
  return `${r.line},${field(r.reason, ',', excelSafe)},${field(r.raw, ',', excelSafe)}\n`;
}

/** The rejects CSV (line, reason, raw). */
export class RejectLines extends TextCollector {
  constructor(
    private readonly excelSafe: boolean,
    write?: (text: string) => void | Promise<void>,
  ) {
    super(write);
  }

  reject(r: CsvReject): void {
    this.text += rejectLine(r, this.excelSafe);
  }
}

/** The rejects as records (a piece sends them to the main thread, which writes them). */
export class RejectList implements RecordSink {
  items: CsvReject[] = [];

  reject(r: CsvReject): void {
    this.items.push(r);
  }
}

/** The summary statistics of the main model (the first bound): every record read, scored or rejected. */
export class Summary implements RecordSink {
  constructor(
    public stats: SummaryStats,
    private readonly bound: BoundModel,
  ) {}

  row(_item: CsvRow, evaluations: readonly Evaluation[]): void {
    const s = this.stats;
    s.read++;
    s.add(evaluations[0]!, this.bound.row);
    s.written++;
  }

  skipped(): void {
    this.stats.read++;
  }

  reject(r: CsvReject): void {
    this.stats.read++;
    this.stats.reject(r.reason, r.line);
  }
}
