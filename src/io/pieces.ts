// Cutting the data of an open input file into pieces of (probably) whole records, by scanning its bytes: what the
// threads of a run share (src/run/parallel.ts). The cut is a guess that the scorer of a piece checks.
//
// A piece ends after a line feed with an even number of quotes before it (since the last cut). That guess is
// checked, not trusted: a piece is read with the ordinary tokenizer and accepted only if it ends exactly at a
// record end (see src/run/piece.ts); anything else hands the rest back to the ordinary reader.
// Line numbers are physical in every piece: each piece's line breaks are counted as it is cut (a LF, or a CR not
// followed by a LF, as the tokenizer counts them), so every piece is read from its own first line.
import { READ_BYTES } from './decode.js';
import type { InputFile } from './input-file.js';

/**
 * Bytes read at a time; a piece is what ends at the last record end of such a read. Kept small for the same
 * reason as every input's reads (READ_BYTES): text decoded from larger pieces can land in V8's large-object space,
 * which only a full collection frees.
 */
export const PIECE_BYTES = READ_BYTES;
/** No record end found in this many bytes: leave the rest to the ordinary reader (which handles huge records). */
export const MAX_CARRY = 8 * 1024 * 1024;

/** A run of bytes that probably holds whole records, from a record start. */
export interface CutPiece {
  /** The piece's bytes: valid until the next piece is asked for (copy them to keep them). */
  bytes: Uint8Array;
  /** Byte offset of the piece in the input, and the physical line it starts on. */
  offset: number;
  line: number;
  /** Line breaks the piece holds (countLineBreaks). */
  lines: number;
  /** The input ends with this piece (it may end without a line break). */
  final: boolean;
}

/** No record end in MAX_CARRY bytes from `offset` (on `line`): the ordinary reader takes over there. */
export interface NoRecordEnd {
  tooLong: true;
  offset: number;
  line: number;
}

/**
 * The bytes of `file` from `offset` (a record start, on physical `line`) to its end, cut into pieces in order;
 * ends with a NoRecordEnd instead when a record seems larger than MAX_CARRY. Breaking out stops reading.
 */
export async function* cutPieces(file: InputFile, offset: number, line: number, chunkBytes = PIECE_BYTES): AsyncGenerator<CutPiece | NoRecordEnd> {
  const stream = file.bytes(offset, chunkBytes);
  try {
    let carry: Buffer | undefined;
    let carryOffset = offset;
    let scanned = 0; // bytes of the carry already scanned
    let inQuote = false;
    const piece = (bytes: Uint8Array, final: boolean): CutPiece => {
      const lines = countLineBreaks(bytes);
      const p = { bytes, offset: carryOffset, line, lines, final };
      line += lines;
      carryOffset += bytes.length;
      return p;
    };
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf: Buffer = carry && carry.length ? Buffer.concat([carry, chunk]) : chunk;
      // The last line feed outside quotes. `q` and `lf`: the next quote and line feed at or after `i` (-1: none
      // left), looked up again only once passed, so a chunk is scanned once however its quotes and lines mix.
      let cut = -1;
      let i = scanned;
      let q = -2;
      let lf = -2;
      for (;;) {
        if (q !== -1 && q < i) q = buf.indexOf(34, i);
        if (inQuote) {
          if (q < 0) break;
          inQuote = false;
          i = q + 1;
          continue;
        }
        if (lf !== -1 && lf < i) lf = buf.indexOf(10, i);
        if (lf >= 0 && (q < 0 || lf < q)) {
          cut = lf;
          i = lf + 1;
          continue;
        }
        if (q < 0) break;
        inQuote = true;
        i = q + 1;
      }
      if (cut >= 0) {
        const p = piece(buf.subarray(0, cut + 1), false);
        carry = Buffer.from(buf.subarray(cut + 1));
        yield p;
      } else carry = buf === chunk ? Buffer.from(buf) : buf;
      scanned = carry.length;
      if (carry.length > MAX_CARRY) {
        yield { tooLong: true, offset: carryOffset, line };
        return;
      }
    }
    if (carry && carry.length) yield piece(carry, true);
  } finally {
    await stream.return(undefined);
  }
}

/** Line breaks in `bytes` as the tokenizer counts them: each LF, and each CR not followed by a LF. */
export function countLineBreaks(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  for (let i = bytes.indexOf(13); i !== -1; i = bytes.indexOf(13, i + 1)) if (bytes[i + 1] !== 10) n++;
  return n;
}
