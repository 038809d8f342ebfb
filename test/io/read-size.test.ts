// Inputs are read in chunks whose decoded text stays below V8's large-object size even as UTF-16 (see READ_BYTES):
// a larger chunk that holds one character above U+00FF decodes to a large object, which a minor GC promotes
// straight to the old generation while its rows are scored (+20–25 MB of peak RSS at 1M rows with 64 KiB reads).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { READ_BYTES } from '../../src/io/decode.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { InputFile } from '../../src/io/input-file.js';
import { PIECE_BYTES } from '../../src/io/pieces.js';

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
    const path = join(mkdtempSync(join(tmpdir(), 'icp-read-')), 'big.csv');
    writeFileSync(path, Buffer.alloc(READ_BYTES * 2 + 5, 'x'));
    const file = await InputFile.open(path);
    const sizes: number[] = [];
    for await (const b of file.bytes()) sizes.push(b.length);
    await file.close();
    expect(sizes).toEqual([READ_BYTES, READ_BYTES, 5]);
    expect(PIECE_BYTES).toBe(READ_BYTES);
  });
});
