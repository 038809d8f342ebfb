// Inputs are read in chunks whose decoded text stays below V8's large-object size even as UTF-16 (see READ_BYTES):
// a larger chunk that holds one character above U+00FF decodes to a large object, which a minor GC promotes
// straight to the old generation while its rows are scored (+20–25 MB of peak RSS at 1M rows with 64 KiB reads).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { READ_BYTES } from '../../src/io/decode.js';
import { openInput } from '../../src/commands/shared.js';
import { PIECE_BYTES } from '../../src/commands/score-parallel.js';
import { ROOT } from '../cli/harness.js';

/** V8's kMaxRegularHeapObjectSize on 64-bit builds (half a 256 KB page): larger objects are "large objects". */
const V8_MAX_REGULAR_OBJECT = 128 * 1024;
/** A sequential string's header (map, hash, length), rounded up. */
const STRING_HEADER = 32;

describe('read size', () => {
  it('keeps a chunk decoded as UTF-16 (two bytes a character, at most one character a byte) a regular object', () => {
    expect(READ_BYTES * 2 + STRING_HEADER).toBeLessThanOrEqual(V8_MAX_REGULAR_OBJECT);
    expect(READ_BYTES).toBeGreaterThanOrEqual(16 * 1024); // and not so small that reading costs
  });

  it('is what the reader and the pieces of icp score use', async () => {
    const stream = await openInput(join(ROOT, 'examples', 'leads.csv'), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: {}, cwd: ROOT });
    expect(stream.readableHighWaterMark).toBe(READ_BYTES);
    stream.destroy();
    expect(PIECE_BYTES).toBe(READ_BYTES);
  });
});
