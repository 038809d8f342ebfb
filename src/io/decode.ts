// Byte-to-text decoding for CSV input: encoding sniffing (BOMs, UTF-16 NUL patterns) and streaming decoders.
import { isUtf8 } from 'node:buffer';
import type { Encoding } from './csv-reader.js';

/**
 * Bytes read from an input at a time (and the size of `icp score`'s pieces). Small enough that the text decoded
 * from them stays below V8's large-object size (128 KB) even as UTF-16, which V8 uses for a whole chunk as soon as
 * it holds one character above U+00FF (a Polish or Czech name): a large object still alive at a minor GC — and
 * every field sliced from a chunk keeps it alive while its rows are scored — moves straight to the old
 * generation, where only a full GC frees it. 64 KiB reads did that to every such chunk: on the benchmark export
 * (a "ł" every ~3.5 KB) the old large-object space grew by ~30 MB between full GCs, +20–25 MB of peak RSS at 1M
 * rows on one thread; 1 MiB reads cost ~80 MB.
 */
export const READ_BYTES = 32 * 1024;

/** Turns input chunks into text; multi-byte characters split across chunks are handled. */
export interface Decoder {
  write(chunk: Buffer): string;
  end(): string;
}

/** Thrown by the strict UTF-8 decoder; the reader adds the line number and turns it into an InputError. */
export class InvalidUtf8 extends Error {
  constructor(
    /** Byte offset (0-based, from the start of the input) of the first byte of the bad sequence. */
    readonly offset: number,
    readonly byte: number | undefined,
    /** Text decoded from the same chunk before the bad byte (to count lines). */
    readonly before: string,
  ) {
    super(`invalid UTF-8 at byte offset ${offset}`);
    this.name = 'InvalidUtf8';
  }
}

/** The encoding of an input, from its first bytes: BOMs first, then the NUL pattern of UTF-16, else UTF-8. */
export function sniffEncoding(head: Buffer): { encoding: Encoding; bom: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  const n = Math.min(head.length, 256) & ~1;
  if (n >= 4) {
    // ASCII text in UTF-16 has a NUL in every other byte: odd bytes for LE (`h\0e\0`), even ones for BE.
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) zeroEven++;
      if (head[i + 1] === 0) zeroOdd++;
    }
    const pairs = n / 2;
    if (zeroOdd >= pairs * 0.5 && zeroEven <= pairs * 0.1) return { encoding: 'utf16le', bom: 0 };
    if (zeroEven >= pairs * 0.5 && zeroOdd <= pairs * 0.1) return { encoding: 'utf16be', bom: 0 };
  }
  return { encoding: 'utf8', bom: 0 };
}

/**
 * A decoder for `encoding`. `strictUtf8`: invalid UTF-8 throws InvalidUtf8 (auto-detected input) instead of
 * becoming U+FFFD (an explicit `--encoding utf8`). `bom`: bytes of UTF-8 byte-order mark to drop from the
 * start in strict mode (TextDecoder drops a BOM of its own encoding by itself). `offset`: byte offset in the input
 * of the first byte this decoder sees (when it starts mid-input), for the offsets InvalidUtf8 reports.
 */
export function createDecoder(encoding: Encoding, strictUtf8: boolean, bom: number, offset = 0): Decoder {
  if (encoding === 'utf8' && strictUtf8) return new StrictUtf8Decoder(bom, offset);
  // WHATWG TextDecoder treats 'latin1' as windows-1252; true ISO-8859-1 maps every byte to U+0000–U+00FF.
  if (encoding === 'latin1') return { write: (b) => b.toString('latin1'), end: () => '' };
  const label = encoding === 'utf8' ? 'utf-8' : encoding === 'utf16le' ? 'utf-16le' : encoding === 'utf16be' ? 'utf-16be' : 'windows-1252';
  // TextDecoder drops a BOM matching its own encoding; any other bytes are data.
  // Mid-input (`offset` > 0) a byte-order mark is a character of the data, kept as in a single pass.
  const td = new TextDecoder(label, { ignoreBOM: offset > 0 });
  return { write: (b) => td.decode(b, { stream: true }), end: () => td.decode() };
}

/**
 * UTF-8 that must be valid: each chunk is checked with the native `isUtf8`, and a character split across
 * chunks is carried to the next one. Decodes with Buffer#toString, the fastest UTF-8 path in Node.
 */
class StrictUtf8Decoder implements Decoder {
  private carry: Buffer | undefined;
  private skip: number;

  constructor(
    bom: number,
    private offset: number, // input offset of the next byte to decode
  ) {
    this.skip = bom;
  }

  write(chunk: Buffer): string {
    let buf = chunk;
    if (this.skip) {
      const n = Math.min(this.skip, buf.length);
      this.skip -= n;
      this.offset += n;
      buf = buf.subarray(n);
    }
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = undefined;
    }
    const cut = completeLength(buf);
    const body = cut === buf.length ? buf : buf.subarray(0, cut);
    if (!isUtf8(body)) {
      const bad = firstInvalidUtf8(body);
      throw new InvalidUtf8(this.offset + bad, body[bad], body.toString('utf8', 0, bad));
    }
    // Copy the tail: the producer may reuse the chunk's memory.
    if (cut < buf.length) this.carry = Buffer.from(buf.subarray(cut));
    this.offset += cut;
    return body.toString('utf8');
  }

  end(): string {
    if (this.carry) throw new InvalidUtf8(this.offset, this.carry[0], '');
    return '';
  }
}

/** Length of `buf` without a trailing incomplete UTF-8 sequence (which may continue in the next chunk). */
export function completeLength(buf: Buffer): number {
  const len = buf.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const b = buf[len - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead byte
    if (b < 0xc0) return len; // ASCII
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return back < need ? len - back : len;
  }
  return len;
}

/** Index of the first byte of the first invalid UTF-8 sequence in `buf`, or -1 if it is valid. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const len = buf.length;
  let i = 0;
  while (i < len) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number; // continuation bytes
    let lo = 0x80;
    let hi = 0xbf; // allowed range of the first continuation byte (rules out overlongs and surrogates)
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= len) return i; // truncated
    const c1 = buf[i + 1]!;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= n; k++) {
      const c = buf[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
    }
    i += n + 1;
  }
  return -1;
}
