// Byte-to-text decoding for CSV input: encoding sniffing (BOMs, UTF-16 NUL patterns) and streaming decoders.
import { isUtf8 } from 'node:buffer';
import type { Encoding } from './csv-types.js';

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

/** Thrown by a decoder on bytes that are not valid in its encoding; the reader adds the line number and turns it into an InputError. */
export class InvalidBytes extends Error {
  constructor(
    /** 'UTF-8', 'UTF-16LE' or 'UTF-16BE'. */
    readonly encoding: string,
    /** Byte offset (0-based, from the start of the input) of the first byte of the bad sequence. */
    readonly offset: number,
    /** What is wrong there, e.g. "0xFF", "an unpaired surrogate 0xDC00", "an odd number of bytes". */
    readonly what: string,
    /** Text decoded from the same chunk before the bad byte (to count lines). */
    readonly before: string,
  ) {
    super(`invalid ${encoding} at byte offset ${offset}`);
    this.name = 'InvalidBytes';
  }
}

/**
 * Bytes at the start of an input that decide its encoding (a BOM, the NUL pattern of UTF-16) and are checked against
 * a given one: a fixed prefix, so that the same input gives the same answer however its chunks arrive, and long
 * enough to hold delimiters and line breaks after a long header in a script without ASCII letters (Cyrillic or
 * Chinese names in BOM-less UTF-16 have no NUL byte: 256 bytes of them read as "UTF-8" control characters).
 */
export const SNIFF_BYTES = 64 * 1024;

/** The encoding of an input, from its first SNIFF_BYTES: BOMs first, then the NUL pattern of UTF-16, else UTF-8. */
export function sniffEncoding(head: Buffer): { encoding: Encoding; bom: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  if (n >= 4) {
    // Every ASCII character in UTF-16 has a NUL byte: the odd one for LE (`h\0e\0`), the even one for BE. CSV text
    // has ASCII every few characters whatever its script (delimiters, line breaks, digits); the other byte is NUL
    // only for U+xx00 (一 is U+4E00). UTF-8 and byte encodings have no NUL, or stray ones of either parity.
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) zeroEven++;
      if (head[i + 1] === 0) zeroOdd++;
    }
    const least = Math.max(2, (n / 2) * 0.05);
    if (zeroOdd >= least && zeroOdd > zeroEven * 2) return { encoding: 'utf16le', bom: 0 };
    if (zeroEven >= least && zeroEven > zeroOdd * 2) return { encoding: 'utf16be', bom: 0 };
  }
  return { encoding: 'utf8', bom: 0 };
}

/**
 * Where `head` reads as UTF-8 holding a multi-byte character: the byte offset of its first, else -1 (ASCII only,
 * or not valid UTF-8; a sequence cut off at the end does not count, the input may go on). Text in a byte encoding
 * is seldom valid UTF-8 once it holds a non-ASCII letter (é alone is 0xE9); UTF-8 read as one is mojibake (é → Ã©).
 */
export function utf8Lookalike(head: Buffer): number {
  const body = head.subarray(0, completeLength(head));
  let first = -1;
  for (let i = 0; i < body.length; i++) {
    if (body[i]! >= 0x80) {
      first = i;
      break;
    }
  }
  return first >= 0 && isUtf8(body) ? first : -1;
}

/**
 * A decoder for `encoding`. UTF-8 and UTF-16 must be valid: a bad sequence throws InvalidBytes (never U+FFFD), whether
 * the encoding was detected or given. `bom`: bytes of byte-order mark to drop from the start. `offset`: byte offset in
 * the input of the first byte this decoder sees (when it starts mid-input), for the offsets InvalidBytes reports.
 */
export function createDecoder(encoding: Encoding, bom: number, offset = 0): Decoder {
  if (encoding === 'utf8') return new StrictUtf8Decoder(bom, offset);
  if (encoding === 'utf16le' || encoding === 'utf16be') return new Utf16Decoder(encoding === 'utf16be', bom, offset);
  // WHATWG TextDecoder treats 'latin1' as windows-1252; true ISO-8859-1 maps every byte to U+0000–U+00FF.
  if (encoding === 'latin1') return { write: (b) => b.toString('latin1'), end: () => '' };
  // Every byte decodes in windows-1252 (the five unassigned ones to C1 controls, as WHATWG says); no BOM to drop.
  const td = new TextDecoder('windows-1252');
  return { write: (b) => td.decode(b, { stream: true }), end: () => td.decode() };
}

/** A decoder that skips a byte-order mark and carries a character split across chunks to the next one. */
abstract class CarryingDecoder implements Decoder {
  /** The tail of the last chunk that did not end a character, put before the next chunk. */
  protected carry: Buffer | undefined;

  constructor(
    private skip: number, // byte-order mark bytes still to skip
    protected offset: number, // input offset of the next byte to decode
  ) {}

  /** `chunk` without the rest of the byte-order mark, after the carried tail. */
  protected joined(chunk: Buffer): Buffer {
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
    return buf;
  }

  abstract write(chunk: Buffer): string;
  abstract end(): string;
}

/**
 * UTF-8 that must be valid: each chunk is checked with the native `isUtf8`, and a character split across
 * chunks is carried to the next one. Decodes with Buffer#toString, the fastest UTF-8 path in Node.
 */
class StrictUtf8Decoder extends CarryingDecoder {
  write(chunk: Buffer): string {
    const buf = this.joined(chunk);
    const cut = completeLength(buf);
    const body = cut === buf.length ? buf : buf.subarray(0, cut);
    if (!isUtf8(body)) {
      const bad = firstInvalidUtf8(body);
      throw new InvalidBytes('UTF-8', this.offset + bad, hex(body[bad]!), body.toString('utf8', 0, bad));
    }
    // Copy the tail: the producer may reuse the chunk's memory.
    if (cut < buf.length) this.carry = Buffer.from(buf.subarray(cut));
    this.offset += cut;
    return body.toString('utf8');
  }

  end(): string {
    if (this.carry) throw new InvalidBytes('UTF-8', this.offset, hex(this.carry[0]!), '');
    return '';
  }
}

/**
 * UTF-16 that must be valid: no unpaired surrogate, an even number of bytes. A trailing odd byte or high surrogate is
 * carried to the next chunk. Decodes with Buffer#toString('utf16le') (big-endian input byte-swapped first).
 */
class Utf16Decoder extends CarryingDecoder {
  private readonly label: string;

  constructor(
    private readonly be: boolean,
    skip: number,
    offset: number,
  ) {
    super(skip, offset);
    this.label = be ? 'UTF-16BE' : 'UTF-16LE';
  }

  write(chunk: Buffer): string {
    const buf = this.joined(chunk);
    let n = buf.length & ~1;
    if (n >= 2) {
      const last = this.be ? (buf[n - 2]! << 8) | buf[n - 1]! : buf[n - 2]! | (buf[n - 1]! << 8);
      if (last >= 0xd800 && last <= 0xdbff) n -= 2; // its low half may be in the next chunk
    }
    const body = Buffer.from(buf.subarray(0, n)); // a copy: swapped in place for big-endian, and the producer may reuse the chunk
    if (this.be) body.swap16();
    const bad = firstInvalidUtf16(body);
    if (bad >= 0) {
      const unit = body[bad]! | (body[bad + 1]! << 8);
      throw new InvalidBytes(this.label, this.offset + bad, `an unpaired surrogate 0x${unit.toString(16).toUpperCase()}`, body.toString('utf16le', 0, bad));
    }
    if (n < buf.length) this.carry = Buffer.from(buf.subarray(n));
    this.offset += n;
    return body.toString('utf16le');
  }

  end(): string {
    if (!this.carry) return '';
    const what = this.carry.length === 1 ? 'an odd number of bytes: the last byte is half a character' : 'an unpaired surrogate at the end';
    throw new InvalidBytes(this.label, this.offset, what, '');
  }
}

/** Byte index of the first unpaired surrogate in little-endian UTF-16 `buf` (even length), or -1. */
export function firstInvalidUtf16(buf: Buffer): number {
  for (let i = 0; i + 1 < buf.length; i += 2) {
    const hi = buf[i + 1]!;
    if (hi < 0xd8 || hi > 0xdf) continue;
    if (hi >= 0xdc) return i; // a low surrogate with no high one before it
    const next = i + 3 < buf.length ? buf[i + 3]! : -1;
    if (next < 0xdc || next > 0xdf) return i;
    i += 2;
  }
  return -1;
}

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
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
