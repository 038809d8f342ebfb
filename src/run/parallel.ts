// `icp score --jobs n`: the main thread cuts the export into pieces of whole records (src/io/pieces.ts) and scores
// them together with n - 1 worker threads, each running the run session on its pieces (piece.ts); results come
// back in input order, so the output is byte for byte the single-thread one, in every output format.
//
// Decisions:
// - A piece is scored with the ordinary tokenizer and accepted only if it ends exactly at a record end. Anything
//   else (a quote left open, a record larger than a piece, a lone CR, bytes invalid in the encoding) hands the
//   rest of the input, from the start of that piece, back to the ordinary reader (resumeCsv), which reports such
//   input exactly as a single pass does. So well-formed exports go fast, and odd ones lose nothing.
// - The main thread scores a piece itself whenever every worker already has PER_WORKER pieces waiting: the
//   load balances itself, and nothing waits for a worker to start.
// - Memory stays flat: at most `workers × PER_WORKER` pieces are in flight and AHEAD more wait their turn to be
//   written, in input order.
// - With --jobs n, workers are spawned before the main thread reads the rules (score.ts), so that their start-up
//   overlaps the main thread's, and they are told what to score once the header and sample are read. A worker
//   compiles the rules from the data the main thread validated: it loads neither the YAML parser nor zod. A piece
//   goes to a worker only once it says it is ready; until then the main thread scores them all.
// - By default a worker is started only when the work pays for it, decided from the work, not the file size: the
//   main thread scores the first PROBE_BYTES alone, which gives its pace on this model, export and machine as it
//   is loaded now, hence how long the rest would take on one thread. A worker costs about what the process took
//   to reach its first piece (Node start-up, compiling the rules, then warming up its JIT, on a machine as busy as
//   it is), and two threads on two cores do not score twice as fast; so a worker is started when the rest would
//   take more than WORKER_PAYS_AFTER times that start-up on one thread. Otherwise the rest is handed to the
//   ordinary single-thread reader, so the run is what --jobs 1 does (see decideWorkers).
// - Pieces are read again from the open input file (the one the header was read from, by position: renaming the
//   path changes nothing), from the byte offset where the data starts: the sample the rules detection read first
//   is not replayed, so this needs a regular file (not stdin or a pipe) and an encoding whose byte offsets follow
//   from the text (UTF-8, Latin-1, Windows-1252).
import { Worker } from 'node:worker_threads';
import type { AsOfSource, Plan, ReadSettings } from '../plan/types.js';
import type { InputFile } from '../io/input-file.js';
import type { ResumePoint } from '../io/csv-types.js';
import { cutPieces } from '../io/pieces.js';
import type { PieceDone, PieceResult, PieceScorer } from './piece.js';
import type { OutputSettings } from './sinks.js';

/** What a worker needs to score like the main thread (its first message): all plain data. */
export interface WorkerSetup {
  /** The Plan the main thread built from the rules: the worker only lowers it. */
  plan: Plan;
  /** One as-of day, or the as-of column as the main thread resolved it (--as-of-column). */
  asOf: AsOfSource;
  /** The input's read settings as the main thread fixed them (binding, options, detected date orders). */
  settings: ReadSettings;
  piece: OutputSettings;
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
/**
 * Bytes of each of the two probes the main thread scores alone before deciding whether a worker pays (the default,
 * without --jobs): the first warms its JIT up (on the bench export the first MiB took 3–20× as long as a later one),
 * the second gives the pace of the rest.
 */
export const PROBE_BYTES = 1024 * 1024;
/**
 * A worker is started when the rest of the input would take more than this many times what a worker costs on one
 * thread. It costs about what this thread took to reach the end of its warm-up: the process's start-up (Node, the
 * bundle, the rules) plus the first probe (JIT warm-up), on the machine as loaded as it is now; and two threads on
 * two cores scored the bench export ~1.5–1.7× as fast as one (efficiency e ≈ 0.8), so a worker costing C pays once
 * the work W left satisfies W > C + W / (2e), i.e. W > 2.7 C.
 */
export const WORKER_PAYS_AFTER = 3;

/** Whether to start workers, and from what (shown by --debug). */
export interface WorkerDecision {
  /** Seconds from the process's start to the end of the first probe: about what a worker costs. */
  cost: number;
  /** Bytes a second the main thread scored alone over the second probe. */
  rate: number;
  /** Bytes left after the probes, and the seconds they would take on one thread at that rate. */
  remaining: number;
  estimate: number;
  start: boolean;
}

/** See WORKER_PAYS_AFTER. Pure, so that the rule is tested as a table. */
export function decideWorkers(cost: number, probedBytes: number, probeSeconds: number, remaining: number): WorkerDecision {
  const rate = probedBytes / Math.max(probeSeconds, 1e-6);
  const estimate = Math.max(remaining, 0) / rate;
  return { cost, rate, remaining, estimate, start: estimate > WORKER_PAYS_AFTER * cost };
}

/** The default threads: up to `workers` more, if the work pays for them (see decideWorkers). */
export interface AdaptiveWorkers {
  workers: number;
  /** Set once decided. */
  decision?: WorkerDecision;
}

/** A piece scored, in input order; `release` once `out` is written, so that its buffer is used again. */
export interface ScoredPiece extends PieceDone {
  release(): void;
}

/** Sent to a worker to give back an output buffer it made, once the main thread has written it. */
export interface ReuseRequest {
  reuse: ArrayBuffer;
}

/** Where the ordinary reader must take over (`decided`: because workers would not pay, not because of the input). */
export interface Handover {
  resume: ResumePoint;
  decided?: boolean;
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
  /** Without --jobs: workers are added to `pool` only if the work pays for them. */
  adaptive?: AdaptiveWorkers,
): AsyncGenerator<ScoredPiece | Handover> {
  const workers = pool?.workers ?? [];
  const t0 = performance.now() / 1000; // seconds since the process started: its start-up
  const total = file.size - at.offset;
  let warm: { bytes: number; seconds: number } | undefined;
  let decided = false;
  const pending: Pending[] = [];
  let seq = 0;
  const dispatch = (bytes: Uint8Array, offset: number, start: number, lines: number, final: boolean) => {
    tally.pieces++;
    const w = workers.find((x) => x.ready && x.waiting.size < PER_WORKER);
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

  const pieces = cutPieces(file, at.offset, at.line);
  try {
    for await (const piece of pieces) {
      if ('tooLong' in piece) {
        // No record end in MAX_CARRY bytes: the ordinary reader, which handles huge records, reads on from there.
        if (yield* settle(true)) yield { resume: { ...at, offset: piece.offset, line: piece.line } };
        return;
      }
      dispatch(piece.bytes, piece.offset, piece.line, piece.lines, piece.final);
      if (piece.final) break;
      if (!(yield* settle(false))) return;
      const next = piece.offset + piece.bytes.length; // where the next piece starts, and on which line
      const line = piece.line + piece.lines;
      if (adaptive && !adaptive.decision) {
        // Two probes on this thread alone: the first PROBE_BYTES warm it up (its time is what a worker's own
        // warm-up costs), the next give the pace of the rest.
        const probed = next - at.offset;
        const now = performance.now() / 1000 - t0;
        if (warm === undefined && probed >= PROBE_BYTES) warm = { bytes: probed, seconds: now };
        if (warm !== undefined && probed - warm.bytes >= PROBE_BYTES) adaptive.decision = decideWorkers(t0 + warm.seconds, probed - warm.bytes, now - warm.seconds, total - probed);
      }
      if (adaptive?.decision && !decided) {
        decided = true;
        if (adaptive.decision.start && pool) pool.grow(adaptive.workers);
        else {
          // One thread does the rest: the ordinary reader, as --jobs 1 reads.
          if (yield* settle(true)) yield { resume: { ...at, offset: next, line }, decided: true };
          return;
        }
      }
    }
    yield* settle(true);
  } finally {
    await pieces.return(undefined);
    await pool?.stop();
  }
}

interface PoolWorker {
  /** It has compiled the rules: pieces sent now are scored at once. */
  ready: boolean;
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
  private setup: WorkerSetup | undefined;

  constructor(n: number) {
    for (let k = 0; k < n; k++) this.spawn();
  }

  /** The first message every worker gets: then it compiles the rules, and every later message is a piece. */
  configure(setup: WorkerSetup): void {
    this.setup = setup;
    for (const w of this.workers) w.configure(setup);
  }

  /** Start `n` more workers, configured as the others (call after configure). */
  grow(n: number): void {
    for (let k = 0; k < n; k++) {
      const w = this.spawn();
      if (this.setup) w.configure(this.setup);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }

  private spawn(): PoolWorker {
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
    worker.on('message', (m: { seq: number; result: PieceResult } | { ready: true }) => {
      if ('ready' in m) {
        pw.ready = true;
        return;
      }
      const done = waiting.get(m.seq);
      waiting.delete(m.seq);
      failures.delete(m.seq);
      done?.(m.result);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a worker thread stopped (exit code ${code})`)));
    let stopped = false;
    const pw: PoolWorker = {
      ready: false,
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
    };
    this.workers.push(pw);
    return pw;
  }
}
