// Pieces (src/run/piece.ts): a piece is scored exactly as the same records read in one pass, in CSV and JSON Lines,
// its counts merge into the same summary in any split, and a piece that does not end at a record end says so
// instead of guessing.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bindModel } from '../../src/engine/bind.js';
import { openCsv, type CsvItem } from '../../src/io/csv-reader.js';
import { PieceScorer, type PieceDone } from '../../src/run/piece.js';
import { Session } from '../../src/run/session.js';
import { scoredOutput, Summary, type OutputSettings } from '../../src/run/sinks.js';
import { SummaryStats } from '../../src/report/stats.js';
import { loadRules } from '../../src/rules/index.js';
import { parseIsoDay } from '../../src/values/index.js';
import { ROOT } from '../cli/harness.js';

const AS_OF = parseIsoDay('2026-11-01')!;
const rulesText = readFileSync(join(ROOT, 'rules', 'b2b-saas.yaml'), 'utf8');
const example = readFileSync(join(ROOT, 'examples', 'leads.csv'));

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

/** The example read in one pass, a scorer bound to its header, and where its data starts. */
async function setup(lineBreak: '\n' | '\r\n' = '\n', format: 'csv' | 'jsonl' = 'csv') {
  const src = await openCsv(once(example), {}, 'leads.csv');
  const items: CsvItem[] = [];
  for await (const b of src.batches()) items.push(...b);
  const scorer = () => {
    const model = loadRules(rulesText, 'b2b-saas.yaml').model!;
    const { bound } = bindModel(model, src.header.keys, AS_OF);
    const settings: OutputSettings = { delimiter: ',', encoding: 'utf8', fields: src.header.names.length, maxFieldBytes: 1 << 26, excelSafe: false, lineBreak, format };
    return { scorer: new PieceScorer(bound!, settings), model, bound: bound!, settings };
  };
  return { header: src.header, items, scorer };
}

/** Byte offset of each physical line's start, by line number (the example's line breaks are LFs). */
function lineOffsets(bytes: Buffer): number[] {
  const out = [0, 0];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

const text = (p: PieceDone) => Buffer.from(p.out).toString('utf8');

describe('PieceScorer', () => {
  it.each(['csv', 'jsonl'] as const)('scores any split of the export into pieces exactly as one pass (%s): output, rejects and summary', async (format) => {
    const { header, items, scorer } = await setup('\n', format);
    // One pass: the run session over every record, with the sinks icp score writes through.
    const one = scorer();
    const stats = new SummaryStats(one.model);
    const output = scoredOutput(one.bound, one.settings);
    new Session([one.bound], [new Summary(stats, one.bound), output]).feed(items);
    const expected = output.take();
    expect(stats.written).toBe(items.length);
    if (format === 'jsonl') expect(expected.trimEnd().split('\n').map((l) => (JSON.parse(l) as { line: number }).line)).toEqual(items.map((i) => i.line));
    const want = stats.result({ input: 'x', rules: 'y', asOf: 'z', headers: [], warnings: [] });
    const lines = lineOffsets(example);
    const starts = items.map((i) => lines[i.line]!);
    const { scorer: pieces, model } = scorer();
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: starts.length - 1 }), { maxLength: 8 }), (cuts) => {
        const bounds = [header.dataOffset!, ...cuts.sort((a, b) => a - b).map((k) => starts[k]!), example.length];
        const merged = new SummaryStats(model);
        let out = '';
        let line = header.dataLine;
        for (let k = 0; k + 1 < bounds.length; k++) {
          const r = pieces.score(example.subarray(bounds[k]!, bounds[k + 1]!), k + 2 === bounds.length, bounds[k]!, line);
          expect(r.ok).toBe(true);
          const done = r as PieceDone;
          out += text(done);
          merged.merge(done.stats);
          line += done.lines;
        }
        expect(out).toBe(expected);
        expect(merged.result({ input: 'x', rules: 'y', asOf: 'z', headers: [], warnings: [] })).toEqual(want);
        expect(line).toBe(items[items.length - 1]!.line + 1);
      }),
      { numRuns: 40 },
    );
  });

  it('writes a later output into the buffer of one given back, with the same bytes as a fresh buffer', async () => {
    const { header, scorer } = await setup();
    const data = example.subarray(header.dataOffset!);
    const lines = lineOffsets(data);
    const first = data.subarray(0, lines[40]!);
    const second = data.subarray(lines[40]!, lines[70]!);
    const fresh = scorer().scorer;
    const want = [text(fresh.score(first, false, 1, 2) as PieceDone), text(fresh.score(second, false, 2, 42) as PieceDone)];
    const { scorer: s } = scorer();
    const a = s.score(first, false, 1, 2) as PieceDone;
    expect(text(a)).toBe(want[0]);
    const buffer = a.out.buffer;
    s.reuse(a.out);
    const b = s.score(second, false, 2, 42) as PieceDone;
    expect(b.out.buffer).toBe(buffer); // the same memory, written over
    expect(text(b)).toBe(want[1]);
    // Without one given back, a new buffer.
    const c = s.score(first, false, 1, 2) as PieceDone;
    expect(c.out.buffer).not.toBe(buffer);
    expect(text(c)).toBe(want[0]);
  });

  it('gives rejects with physical line numbers from the line the piece starts on, and its line count', async () => {
    const { scorer } = await setup();
    const { scorer: s } = scorer();
    const r = s.score(Buffer.from('\n\nshort,row\n\n'), false, 100, 41) as PieceDone;
    expect(r.ok).toBe(true);
    expect(r.rejects).toEqual([{ line: 43, reason: 'expected 27 fields, found 2 (row is short)', raw: 'short,row' }]);
    expect(r.lines).toBe(4);
    expect(r.out.length).toBe(0);
    expect(r.stats.rejected).toBe(1);
    // Line numbers inside a reason too: an unclosed quote names its own line, not one counted from the piece.
    const q = s.score(Buffer.from('\n1,"open\n'), true, 100, 41) as PieceDone;
    expect(q.rejects).toEqual([{ line: 42, reason: 'unclosed quote starting on line 42', raw: '1,"open' }]);
  });

  it('ends its lines as the input does, and says when the input ends without a line break', async () => {
    const { scorer } = await setup('\r\n');
    const { scorer: s } = scorer();
    const row = example.subarray(lineOffsets(example)[2]!, lineOffsets(example)[3]!).toString('utf8').replace('\n', '\r\n');
    const r = s.score(Buffer.from(row + row), false, 100, 2) as PieceDone;
    expect(text(r).split('\r\n')).toHaveLength(3);
    expect(text(r).endsWith('\r\n')).toBe(true);
    expect(r.unterminated).toBeUndefined();
    const last = s.score(Buffer.from(row + row.trimEnd()), true, 100, 2) as PieceDone;
    expect(last.unterminated).toBe(3);
  });

  it('is not sure of a piece that ends inside a record, and says so', async () => {
    const { scorer } = await setup();
    const { scorer: s } = scorer();
    const row = example.subarray(lineOffsets(example)[2]!, lineOffsets(example)[3]!).toString('utf8');
    expect(s.score(Buffer.from(row), false, 100, 2).ok).toBe(true);
    expect(s.score(Buffer.from(row.slice(0, -1)), false, 100, 2).ok).toBe(false); // no line break yet
    expect(s.score(Buffer.from(`${row}1,"a quote\nstill open\n`), false, 100, 2).ok).toBe(false);
    expect(s.score(Buffer.from(`${row.trimEnd()}\r`), false, 100, 2).ok).toBe(false); // a CR that may be half a CRLF
    expect(s.score(Buffer.concat([Buffer.from(row), Buffer.from([0xc3])]), true, 100, 2).ok).toBe(false); // cut UTF-8
    expect(s.score(Buffer.concat([Buffer.from(row), Buffer.from([0xff, 0x0a])]), true, 100, 2).ok).toBe(false); // invalid UTF-8
    // At the end of the input, a last record without a line break is complete.
    expect(s.score(Buffer.from(row.trimEnd()), true, 100, 2).ok).toBe(true);
  });

  it('keeps a byte-order mark that starts a piece: it is data there, not a mark', async () => {
    const { scorer } = await setup();
    const { scorer: s } = scorer();
    const row = example.subarray(lineOffsets(example)[2]!, lineOffsets(example)[3]!).toString('utf8');
    const r = s.score(Buffer.from(`\uFEFF${row}`), false, 100, 2) as PieceDone;
    expect(text(r).startsWith(`\uFEFF${row.trimEnd()},`)).toBe(true);
  });
});
