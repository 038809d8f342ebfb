// The run session (src/run/session.ts): one loop over records, every bound model evaluating each readable record,
// every sink called in input order and in the order the sinks were given; rejects, skipped records and stop.
import { describe, expect, it } from 'vitest';
import { bindModel, type BoundModel } from '../../src/engine/bind.js';
import type { Evaluation } from '../../src/engine/evaluate.js';
import type { CsvItem, CsvReject, CsvRow } from '../../src/io/csv-types.js';
import { SummaryStats } from '../../src/report/stats.js';
import { loadRules } from '../../src/rules/index.js';
import { Session, type RecordSink } from '../../src/run/session.js';
import { RejectLines, scoredOutput, Summary } from '../../src/run/sinks.js';
import { parseIsoDay } from '../../src/values/index.js';

const AS_OF = parseIsoDay('2026-11-01')!;
const HEADER = ['id', 'name', 'size'];

/** Rules giving `points` to a named lead and 5 more to one with size over 100. */
function bound(points: number): BoundModel {
  const text = `version: 1
id: id
columns:
  id: [id]
  name: { aliases: [name], required: false }
  size: { aliases: [size], required: false }
groups: { fit: {} }
criteria:
  - { id: named, label: Has a name, group: fit, column: name, present: true, points: ${points} }
  - { id: big, label: Big, group: fit, column: size, gt: 100, points: 5 }
tiers: [{ name: A, min: 10 }, { name: B }]
`;
  const { model, diagnostics } = loadRules(text, 'r.yaml');
  if (!model) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return bindModel(model, HEADER, AS_OF).bound!;
}

const row = (line: number, ...fields: string[]): CsvRow => ({ line, fields, raw: fields.join(',') });
const reject = (line: number, reason: string): CsvReject => ({ line, reason, raw: 'x' });

/** A sink that writes down every call it gets, as text, into a log shared by all sinks of a run. */
function recorder(name: string, log: string[]): RecordSink {
  return {
    row: (item: CsvRow, evs: readonly Evaluation[]) => void log.push(`${name} row ${item.line} ${evs.map((e) => `${e.scoreCents / 100}${e.tier}`).join('/')}`),
    skipped: (item: CsvRow) => void log.push(`${name} skipped ${item.line}`),
    reject: (r: CsvReject) => void log.push(`${name} reject ${r.line}`),
    flush: () => void log.push(`${name} flush`),
  };
}

const ITEMS: CsvItem[][] = [
  [row(2, '1', 'Acme', '500'), reject(3, 'expected 3 fields, found 1 (row is short)'), row(4, '2', '', '50')],
  [row(5, '3', 'Beta', ''), { ...row(6, '4', '', '101'), unterminated: true }],
];

describe('Session', () => {
  it.each([
    {
      name: 'one model, one sink',
      points: [10],
      sinks: ['a'],
      select: undefined,
      log: ['a row 2 15A', 'a reject 3', 'a row 4 0B', 'a flush', 'a row 5 10A', 'a row 6 5B', 'a flush'],
      counts: { read: 5, evaluated: 4, skipped: 0, rejected: 1 },
    },
    {
      name: 'two models: each record evaluated by both, the main one first',
      points: [10, 3],
      sinks: ['a'],
      select: undefined,
      log: ['a row 2 15A/8B', 'a reject 3', 'a row 4 0B/0B', 'a flush', 'a row 5 10A/3B', 'a row 6 5B/5B', 'a flush'],
      counts: { read: 5, evaluated: 4, skipped: 0, rejected: 1 },
    },
    {
      name: 'two sinks: each record to every sink in the order given, before the next record',
      points: [10],
      sinks: ['a', 'b'],
      select: undefined,
      log: ['a row 2 15A', 'b row 2 15A', 'a reject 3', 'b reject 3', 'a row 4 0B', 'b row 4 0B', 'a flush', 'b flush', 'a row 5 10A', 'b row 5 10A', 'a row 6 5B', 'b row 6 5B', 'a flush', 'b flush'],
      counts: { read: 5, evaluated: 4, skipped: 0, rejected: 1 },
    },
    {
      name: 'a selection: the others are skipped, not evaluated',
      points: [10],
      sinks: ['a'],
      select: (item: CsvRow) => item.fields[1] !== '',
      log: ['a row 2 15A', 'a reject 3', 'a skipped 4', 'a flush', 'a row 5 10A', 'a skipped 6', 'a flush'],
      counts: { read: 5, evaluated: 2, skipped: 2, rejected: 1 },
    },
  ])('$name', async ({ points, sinks, select, log, counts }) => {
    const got: string[] = [];
    const session = new Session(points.map(bound), sinks.map((s) => recorder(s, got)), { select });
    await session.run(batches(ITEMS));
    expect(got).toEqual(log);
    expect(session.counts).toEqual(counts);
    expect(session.unterminated).toBe(6);
  });

  it('stops after the record whose sink asked, and reads no further batch', async () => {
    const got: string[] = [];
    let pulled = 0;
    async function* counted(): AsyncGenerator<CsvItem[]> {
      for (const b of ITEMS) {
        pulled++;
        yield b;
      }
    }
    const log = recorder('a', got);
    const session: Session = new Session([bound(10)], [{ row: (item) => (item.line === 2 ? session.stop() : undefined) }, log]);
    await session.run(counted());
    expect(got).toEqual(['a row 2 15A', 'a flush']);
    expect(session.counts).toEqual({ read: 1, evaluated: 1, skipped: 0, rejected: 0 });
    expect(pulled).toBe(1);
  });

  it('writes the scored CSV, the rejects and the summary through its sinks, flushed batch by batch', async () => {
    const b = bound(10);
    const writes: string[] = [];
    const stats = new SummaryStats(b.model);
    const settings = { delimiter: ',', encoding: 'utf8' as const, fields: 3, format: 'csv' as const, excelSafe: false, lineBreak: '\n' as const };
    const session = new Session([b], [new Summary(stats, b), scoredOutput(b, settings, (t) => void writes.push(`out:${t}`)), new RejectLines(false, (t) => void writes.push(`rej:${t}`))]);
    await session.run(batches(ITEMS));
    expect(writes).toEqual([
      // score, tier, the fit group's score, disqualified, reason, reasons
      'out:1,Acme,500,15,A,15,false,,Has a name (+10); Big (+5)\n2,,50,0,B,0,false,,\n',
      'rej:3,"expected 3 fields, found 1 (row is short)",x\n',
      'out:3,Beta,,10,A,10,false,,Has a name (+10)\n4,,101,5,B,5,false,,Big (+5)\n',
    ]);
    expect([stats.read, stats.written, stats.rejected]).toEqual([5, 4, 1]);
  });
});

async function* batches(items: CsvItem[][]): AsyncGenerator<CsvItem[]> {
  for (const b of items) yield b;
}
