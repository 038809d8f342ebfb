// The pure parts of sharing `icp score` between threads: when a worker pays (decideWorkers), and how a piece's line
// breaks are counted (countLineBreaks, which must agree with the tokenizer's physical lines).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideWorkers, WORKER_PAYS_AFTER } from '../../src/run/parallel.js';
import { countLineBreaks } from '../../src/io/pieces.js';
import { countBreaks } from '../../src/io/csv-parser.js';

const MiB = 1024 * 1024;

describe('decideWorkers', () => {
  it.each([
    // cost s, probe bytes, probe s, bytes left → start a worker?
    ['5 MB export, idle machine: 0.6 s left against a 0.5 s worker', 0.5, MiB, 0.1, 3 * MiB, false],
    ['27 MB export, idle machine: 2.5 s left', 0.5, MiB, 0.1, 25 * MiB, true],
    ['275 MB export on a loaded machine: everything three times slower', 1.5, MiB, 0.3, 270 * MiB, true],
    ['27 MB, a cheap model (fast pace): 0.8 s left', 0.5, MiB, 0.032, 25 * MiB, false],
    ['27 MB, but the machine so loaded that start-up took 4 s', 4, MiB, 0.1, 25 * MiB, false],
    ['a file that shrank since it was opened', 0.5, MiB, 0.1, -MiB, false],
  ])('%s', (_name, cost, bytes, seconds, remaining, start) => {
    const d = decideWorkers(cost, bytes, seconds, remaining);
    expect(d.start).toBe(start);
    expect(d.estimate).toBeCloseTo(Math.max(remaining, 0) / (bytes / seconds), 9);
    expect(d.start).toBe(d.estimate > WORKER_PAYS_AFTER * cost);
  });
});

describe('countLineBreaks', () => {
  it('counts each LF and each CR not followed by a LF, as the tokenizer counts physical lines', () => {
    expect(countLineBreaks(Buffer.from('a\nb\r\nc\rd'))).toBe(3);
    expect(countLineBreaks(Buffer.from('\r\r\n\n\r'))).toBe(4);
    expect(countLineBreaks(Buffer.from(''))).toBe(0);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', ',', '"', '\r', '\n', 'ż'), { maxLength: 200 }), (chars) => {
        const s = chars.join('');
        expect(countLineBreaks(Buffer.from(s, 'utf8'))).toBe(countBreaks(s));
      }),
    );
  });
});
