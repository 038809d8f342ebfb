// `icp score --jobs n`: the main thread reads the export in pieces of whole records and scores them together with
// n - 1 worker threads; results come back in input order, so the output is byte for byte the single-thread one.
//
// Decisions:
// - Pieces are cut where a record probably ends: after a line break with an even number of quotes before it
//   (since the last cut). That guess is checked, not trusted: a piece is scored with the ordinary tokenizer
//   and accepted only if it ends exactly at a record end. Anything else (a quote left open, a record larger
//   than a piece, a lone CR, bytes invalid in the encoding) hands the rest of the input, from the start of that
//   piece, back to the ordinary reader (resumeCsv), which reports such input exactly as a single pass does.
//   So well-formed exports go fast, and odd ones lose nothing.
// - The main thread scores a piece itself whenever every worker already has PER_WORKER pieces waiting: the
//   load balances itself, and nothing waits for a worker to start.
// - Memory stays flat: at most `workers × PER_WORKER` pieces are in flight and AHEAD more wait their turn to be
//   written, in input order.
// - Workers are spawned before the main thread reads the rules (score.ts), so that their start-up overlaps the
//   main thread's, and they are told what to score once the header and sample are read. A worker compiles the
//   rules from the data the main thread validated: it loads neither the YAML parser nor zod, and is ready in
//   ~0.1 s. Started that way a worker paid on the 2-core VM even for a one-criterion model (100k rows: 1.28 s
//   against 1.59 s when it started only after timing the first pieces; 1M: 5.6 s against 6.5 s), so every file
//   of PARALLEL_MIN_BYTES or more is shared, without a decision from the pace.
// - Pieces are read again from the open input file (the one the header was read from, by position: renaming the
//   path changes nothing), from the byte offset where the data starts: the sample the rules detection read first
//   is not replayed, so this needs a regular file (not stdin or a pipe) and an encoding whose byte offsets follow
//   from the text (UTF-8, Latin-1, Windows-1252).
// - Line numbers are physical in every piece: the main thread counts each piece's line breaks as it cuts it (a
//   LF, or a CR not followed by a LF, as the tokenizer counts them), so every piece is read from its own first
//   line, and a piece's count must agree with the tokenizer's.
import { Worker } from 'node:worker_threads';
import { READ_BYTES } from '../io/decode.js';
import type { Plan, ReadSettings } from '../plan/types.js';
import type { InputFile } from '../io/input-file.js';
import type { ResumePoint } from '../io/csv-types.js';
import type { PieceDone, PieceResult, PieceScorer, PieceSettings } from './score-piece.js';

/** What a worker needs to score like the main thread (its first message): all plain data. */
export interface WorkerSetup {
  /** The Plan the main thread built from the rules: the worker only lowers it. */
  plan: Plan;
  asOf: number;
  /** The input's read settings as the main thread fixed them (binding, options, detected date orders). */
  settings: ReadSettings;
  piece: PieceSettings;
}

/** A piece sent to a worker; `bytes` is transferred. */
export interface PieceRequest {
  seq: number;
  offset: number;
  /** Physical line where the piece starts. */
  line: number;
  bytes: Uint8Array;
  final: boolean;
}

/**
 * Bytes read at a time; a piece is what ends at the last record end of such a read. Kept small for the same
 * reason as every input's reads (READ_BYTES): text decoded from larger pieces can land in V8's large-object space,
 * which only a full collection frees.
 */
export const PIECE_BYTES = READ_BYTES;
/**
 * Pieces waiting per worker before the main thread scores one itself. With 32 KiB pieces, 2 (about 5 ms of work)
 * let a worker run dry while the main thread read, wrote and scored its own: 4 was 7–8 % faster on the 100k bench
 * export (paired medians of two interleaved rounds of 8 and 10 runs; 6 was 3–4 % faster), and the worker takes a
 * larger share of the pieces (52–67 % in five runs, against 52–54 %). Peak RSS at 1M rows: +5 MB.
 */
const PER_WORKER = 4;
/** Pieces scored but not yet written (waiting for an earlier one): lets the main thread run ahead of a worker. */
const AHEAD = 16;
/**
 * The worker's young generation, in MB (V8's default here is 48: two 16 MB semi-spaces and new large objects).
 * Measured on the 1M bench export, two runs each: peak RSS 192–201 MB with the default, 176–182 MB with 24, at
 * the same speed; 12 was no smaller and slower. The main thread keeps the default: its smaller semi-spaces cost
 * 20–40 % in speed.
 */
const WORKER_YOUNG_MB = 24;
/** No record end found in this many bytes: leave the rest to the ordinary reader (which handles huge records). */
const MAX_CARRY = 8 * 1024 * 1024;

/** A piece scored, in input order; `release` once `out` is written, so that its buffer is used again. */
export interface ScoredPiece extends PieceDone {
  release(): void;
}

/** Sent to a worker to give back an output buffer it made, once the main thread has written it. */
export interface ReuseRequest {
  reuse: ArrayBuffer;
}

/** Where the ordinary reader must take over. */
export interface Handover {
  resume: ResumePoint;
}

/** How the work was shared (for --debug). */
export interface PieceTally {
  pieces: number;
  /** Pieces sent to worker threads. */
  byWorkers: number;
}

interface Pending {
  offset: number;
  /** Physical line where the piece starts, and its line breaks as counted when it was cut. */
  line: number;
  lines: number;
  result: PieceResult | undefined;
  promise: Promise<PieceResult>;
  /** Who made the output: its buffer goes back there. */
  maker: { reuse(out: Uint8Array): void };
}

/**
 * Score the data records of `file`, from `at.offset` (where they start) to its end: yields the scored pieces in
 * input order; when a piece is not sure (see above), yields a Handover as the last item. Breaking out of the loop
 * stops the workers and this reader (the caller closes the file).
 */
export async function* scoreInPieces(
  file: InputFile,
  at: ResumePoint,
  local: PieceScorer,
  /** Workers spawned and configured by the caller, or none (all pieces on this thread). Stopped at the end. */
  pool: WorkerPool | undefined,
  tally: PieceTally = { pieces: 0, byWorkers: 0 },
): AsyncGenerator<ScoredPiece | Handover> {
  const workers = pool?.workers ?? [];
  const stream = file.bytes(at.offset, PIECE_BYTES);
  const pending: Pending[] = [];
  let line = at.line; // where the next piece to be cut starts
  let seq = 0;
  const dispatch = (bytes: Uint8Array, offset: number, final: boolean) => {
    tally.pieces++;
    const lines = countLineBreaks(bytes);
    const start = line;
    line += lines;
    const w = workers.find((x) => x.waiting.size < PER_WORKER);
    if (w === undefined) {
      const result = local.score(bytes, final, offset, start);
      pending.push({ offset, line: start, lines, result, promise: Promise.resolve(result), maker: local });
      return;
    }
    tally.byWorkers++;
    const copy = new Uint8Array(bytes); // its own memory, to transfer
    const p: Pending = { offset, line: start, lines, result: undefined, promise: undefined!, maker: w };
    p.promise = w.send({ seq: seq++, offset, line: start, bytes: copy, final }).then((r) => (p.result = r));
    p.promise.catch(() => undefined); // a failure is thrown where the piece is awaited, or not at all after a handover
    pending.push(p);
  };
  // Yield finished pieces in order: all of them when `all`, else those done plus enough to bound memory.
  async function* settle(all: boolean): AsyncGenerator<ScoredPiece | Handover, boolean> {
    while (pending.length && (all || pending[0]!.result !== undefined || pending.length > workers.length * PER_WORKER + AHEAD)) {
      const p = pending[0]!;
      const r = p.result ?? (await p.promise);
      pending.shift();
      if (!r.ok) {
        yield { resume: { ...at, offset: p.offset, line: p.line } };
        return false;
      }
      // Two counts of the same line breaks (the tokenizer counts a last record without one as a line too): a
      // difference is a bug here, never to be written as wrong line numbers.
      const lines = p.lines + (r.unterminated === undefined ? 0 : 1);
      if (r.lines !== lines) throw new Error(`a piece at byte ${p.offset} holds ${lines} lines, but its records ${r.lines}`);
      const { maker } = p;
      yield Object.assign(r, { release: () => maker.reuse(r.out) });
    }
    return true;
  }

  try {
    let carry: Buffer | undefined;
    let carryOffset = at.offset;
    let scanned = 0; // bytes of the carry already scanned
    let inQuote = false;
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
        dispatch(buf.subarray(0, cut + 1), carryOffset, false);
        carry = Buffer.from(buf.subarray(cut + 1));
        carryOffset += cut + 1;
      } else carry = buf === chunk ? Buffer.from(buf) : buf;
      scanned = carry.length;
      if (!(yield* settle(false))) return;
      if (carry.length > MAX_CARRY) {
        if (yield* settle(true)) yield { resume: { ...at, offset: carryOffset, line } };
        return;
      }
    }
    if (carry && carry.length) dispatch(carry, carryOffset, true);
    yield* settle(true);
  } finally {
    await stream.return(undefined);
    await pool?.stop();
  }
}

/** Line breaks in `bytes` as the tokenizer counts them: each LF, and each CR not followed by a LF. */
export function countLineBreaks(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  for (let i = bytes.indexOf(13); i !== -1; i = bytes.indexOf(13, i + 1)) if (bytes[i + 1] !== 10) n++;
  return n;
}

interface PoolWorker {
  waiting: Map<number, (r: PieceResult) => void>;
  /** Post the setup (WorkerPool.configure). */
  configure(setup: WorkerSetup): void;
  send(req: PieceRequest): Promise<PieceResult>;
  /** Give back (move) the buffer of an output this worker made, once written. */
  reuse(out: Uint8Array): void;
  stop(): Promise<void>;
}

/**
 * Worker threads, spawned as early as the main thread knows it will read pieces (before it reads the rules), so
 * that their start-up (Node, the engine's modules) overlaps the main thread's; `configure` then tells them what
 * to score. `stop` ends them (every path that spawned them must call it, or they keep the process alive).
 */
export class WorkerPool {
  readonly workers: PoolWorker[] = [];

  constructor(n: number) {
    for (let k = 0; k < n; k++) this.spawn();
  }

  /** The first message every worker gets: then it compiles the rules, and every later message is a piece. */
  configure(setup: WorkerSetup): void {
    for (const w of this.workers) w.configure(setup);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }

  private spawn(): void {
    const worker = new Worker(new URL('./score-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    const waiting = new Map<number, (r: PieceResult) => void>();
    const failures = new Map<number, (e: Error) => void>();
    let failed: Error | undefined;
    const fail = (e: Error) => {
      failed ??= e;
      for (const f of failures.values()) f(failed);
      waiting.clear();
      failures.clear();
    };
    worker.on('message', (m: { seq: number; result: PieceResult }) => {
      const done = waiting.get(m.seq);
      waiting.delete(m.seq);
      failures.delete(m.seq);
      done?.(m.result);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
    let stopped = false;
    this.workers.push({
      waiting,
      configure: (setup) => worker.postMessage(setup),
      send(req) {
        if (failed) return Promise.reject(failed);
        return new Promise<PieceResult>((resolve, reject) => {
          waiting.set(req.seq, resolve);
          failures.set(req.seq, reject);
          worker.postMessage(req, [req.bytes.buffer as ArrayBuffer]);
        });
      },
      reuse(out) {
        if (failed || stopped) return;
        const buf = out.buffer as ArrayBuffer;
        worker.postMessage({ reuse: buf } satisfies ReuseRequest, [buf]);
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        worker.removeAllListeners('exit');
        await worker.terminate();
      },
    });
  }
}
