// Outputs of a run: opened together, written with back-pressure, then committed all together or none.
//
// Decisions (see the README's "Output files"):
// - A file is written to a temporary file beside it (its own for each output), fsync'ed, and only renamed over
//   the target once every output of the run is complete and every gate passed; the renames follow each other
//   synchronously, so no signal handler of ours runs between them. A crash or power cut leaves either
//   yesterday's complete file or today's complete file, never a half-written one.
// - On a failed gate, each new file is kept beside its target as `<name>.rejected-run` (replacing an earlier
//   one), so that a nightly job's failure can be looked into without running it again; a successful run
//   removes an earlier `.rejected-run`, so one lying there always comes from the latest run.
// - Temporary files are listed in one process-wide registry that removes them on SIGINT / SIGTERM / SIGHUP
//   (then exit 128 + signal number, as shells report a process killed by one) and when the process exits.
import { constants as fsConstants, createWriteStream, renameSync, unlinkSync, write as fsWrite, writev as fsWritev, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { constants as osConstants } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { describeFsError, InputError } from './errors.js';
import { assertDistinct, classifyTarget, descriptorIdentity, inputRef, targetRef, type FileRef, type Target } from './targets.js';

/** A buffered text sink: collects strings and writes them in large chunks (~64 KiB), awaiting 'drain' on back-pressure. */
export interface TextSink {
  /**
   * Returns a Promise only when the buffer was flushed and the stream needs draining: `const p = sink.write(s);
   * if (p) await p;`. Throws the stream's error (e.g. EPIPE) once one occurred. Bytes (UTF-8 text encoded
   * elsewhere, e.g. by a worker thread) go to the stream at once, after the text written before them; `written`,
   * if given, is called once the stream is done with them (written, or failed), so that their memory can be
   * reused.
   */
  write(s: string | Uint8Array, written?: () => void): void | Promise<void>;
}

/** One output of a run. */
export interface OutputSpec {
  /** The option that names it, for messages: `-o`, `--rejects`. */
  role: string;
  /** A path, or `-` for standard output. */
  target: string;
}

/** A file the run reads, which no output may be. */
export interface InputSpec {
  role: string;
  /** A path, or `-` for standard input. */
  path: string;
  /** In words, for messages, e.g. `the rules file` (default: `the input` for the role `input`, else `the <role> file`). */
  reads?: string;
}

/** The file operations a group's commit relies on; tests replace them to inject failures (a full disk at the end). */
export interface OutputFs {
  /** Make a temporary file durable (fsync). */
  sync(file: FileHandle, path: string): Promise<void>;
  /** Rename a complete temporary file over its target. */
  rename(from: string, to: string): void;
}

export interface OutputGroupOptions {
  /** Where `-` writes; tests and embedders may pass their own stream (default: process.stdout). */
  stdout?: Writable;
  /**
   * The descriptors of standard output and input when they are the process's (1 and 0), so that a path naming
   * the same file as standard output is written as standard output, and an input read from standard input is
   * recognised among the outputs. Leave out when `stdout` is not the process's.
   */
  stdoutFd?: number;
  stdinFd?: number;
  /** Files the run reads: an output naming one of them is refused (exit 2). */
  inputs?: readonly InputSpec[];
  /** See OutputFs (tests only). */
  fs?: Partial<OutputFs>;
}

/** Where an output of a run ended up after a failed gate. */
export interface HeldBack {
  role: string;
  /** The target as given. */
  given: string;
  /** The new output, kept beside the target; undefined when it was written directly (standard output, a device, a FIFO). */
  keptAt?: string;
}

/** The suffix of the file a failed gate's new output is kept in, beside its target. */
export const REJECTED_RUN_SUFFIX = '.rejected-run';

/** An output failed to be written (a full disk, an I/O error): exit 1, with a message naming the file. */
export class OutputError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/** True for an EPIPE / closed-pipe error on stdout, which the CLI treats as a normal end (`icp score big.csv | head` exits 0). */
export function isBrokenPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE';
}

/**
 * Open every output of a run before anything is written: classify each target (see targets.ts), refuse two
 * that are one file (or one that is an input), then create the temporary files and open the devices. When one
 * cannot be opened, those already opened are removed again and InputError (exit 2) is thrown.
 *
 *     const outputs = await openOutputs([{ role: '-o', target: 'scored.csv' }, { role: '--rejects', target: 'r.csv' }]);
 *     try {
 *       const [out, rejects] = outputs.sinks; // write with backpressure: `const p = out.write(s); if (p) await p;`
 *       …
 *       const result = await outputs.finish(() => gateFailure()); // prepare, decide, then commit or hold back
 *     } finally {
 *       await outputs.abort(); // nothing once committed or held back; else removes the temporary files
 *     }
 */
export async function openOutputs(specs: readonly OutputSpec[], options: OutputGroupOptions = {}): Promise<OutputGroup> {
  const stdoutIdentity = descriptorIdentity(options.stdoutFd);
  const targets: Target[] = [];
  for (const s of specs) targets.push(await classifyTarget(s.role, s.target, stdoutIdentity));
  const inputs: FileRef[] = [];
  for (const i of options.inputs ?? []) inputs.push(await inputRef(i.role, i.path, i.reads, options.stdinFd));
  assertDistinct([...inputs, ...targets.map(targetRef)]);
  const fs: OutputFs = { sync: (f) => f.sync(), rename: renameSync, ...options.fs };
  const outputs: Output[] = [];
  try {
    for (const t of targets) outputs.push(await openOutput(t, options.stdout ?? process.stdout, fs));
  } catch (e) {
    for (const o of outputs) await o.discard();
    throw e;
  }
  return new OutputGroup(outputs, fs);
}

/** The outputs of one run, committed all together or none; see openOutputs. */
export class OutputGroup {
  /** One sink per spec, in the order given. */
  readonly sinks: readonly TextSink[];
  private state: 'open' | 'prepared' | 'committed' | 'held' | 'aborted' = 'open';
  /** Why the group was aborted, when it was by a failure: what a later commit or holdBack throws again. */
  private failure: unknown;
  private held: HeldBack[] | undefined;

  constructor(
    private readonly outputs: readonly Output[],
    private readonly fs: OutputFs,
  ) {
    this.sinks = outputs.map((o) => o.sink);
  }

  /** Whether any output goes to standard output (then messages and summaries belong on stderr). */
  get usesStdout(): boolean {
    return this.outputs.some((o) => o.target.kind === 'stdout');
  }

  /** The classified targets, in the order given. */
  get targets(): readonly Target[] {
    return this.outputs.map((o) => o.target);
  }

  /**
   * Write what is buffered, end each file and fsync it (standard output is flushed, never ended). Nothing is
   * renamed yet. On failure every temporary file is removed and the error (OutputError, or the broken pipe) thrown.
   */
  async prepare(): Promise<void> {
    this.usable();
    if (this.state !== 'open') return;
    try {
      for (const o of this.outputs) await o.prepare(this.fs);
    } catch (e) {
      await this.abort();
      this.failure = e;
      throw e;
    }
    this.state = 'prepared';
  }

  /** Throws when the group can no longer be committed or held back: aborted (again its failure, if any), or settled the other way. */
  private usable(want?: 'committed' | 'held'): void {
    if (this.state === 'aborted') throw this.failure ?? new Error('the outputs were aborted');
    if ((this.state === 'committed' || this.state === 'held') && want !== this.state) throw new Error(`the outputs were already ${this.state === 'held' ? 'held back' : 'committed'}`);
  }

  /** Prepare, then rename every temporary file over its target, one right after the other. Again: nothing. */
  async commit(): Promise<void> {
    this.usable('committed');
    if (this.state === 'committed') return;
    await this.prepare();
    this.state = 'committed';
    const done: string[] = [];
    for (const o of this.outputs) {
      if (o.tmp === undefined) continue;
      try {
        this.fs.rename(o.tmp, o.target.path);
      } catch (e) {
        await this.discardAll();
        const kept = done.length ? `; already replaced: ${done.join(', ')}` : '; no output was replaced';
        throw new OutputError(`cannot replace ${o.target.path}: ${describeFsError(e, true)}${kept}`, (e as NodeJS.ErrnoException).code);
      }
      untrack(o.tmp);
      done.push(o.target.path);
    }
    for (const o of this.outputs) if (o.tmp !== undefined) removeQuietly(o.target.path + REJECTED_RUN_SUFFIX);
    await syncDirs(this.outputs);
  }

  /**
   * A gate failed: prepare, then keep each new file beside its target as `<name>.rejected-run` (replacing an
   * earlier one); the targets stay as they were. Returns where each output went, in the order given.
   */
  async holdBack(): Promise<HeldBack[]> {
    this.usable('held');
    if (this.held) return this.held;
    await this.prepare();
    this.state = 'held';
    const held: HeldBack[] = this.outputs.map((o) => ({ role: o.target.role, given: o.target.given }));
    this.held = held;
    for (const [i, o] of this.outputs.entries()) {
      if (o.tmp === undefined) continue;
      const keptAt = o.target.path + REJECTED_RUN_SUFFIX;
      try {
        this.fs.rename(o.tmp, keptAt);
        held[i]!.keptAt = keptAt;
      } catch {
        removeQuietly(o.tmp); // the target stays untouched either way; the message says nothing was kept
      }
      untrack(o.tmp);
    }
    await syncDirs(this.outputs);
    return held;
  }

  /**
   * Prepare every output, then call `decide` (every output is complete and durable by then): when it returns
   * undefined, commit; otherwise hold the outputs back and return its verdict with where they went.
   */
  async finish<T>(decide: () => T | undefined | Promise<T | undefined>): Promise<{ committed: true } | { committed: false; verdict: T; held: HeldBack[] }> {
    await this.prepare();
    let verdict: T | undefined;
    try {
      verdict = await decide();
    } catch (e) {
      await this.abort();
      throw e;
    }
    if (verdict === undefined) {
      await this.commit();
      return { committed: true };
    }
    return { committed: false, verdict, held: await this.holdBack() };
  }

  /** Remove every temporary file, leaving every target as it was. Does nothing once committed or held back; safe to call twice. */
  async abort(): Promise<void> {
    if (this.state === 'committed' || this.state === 'held' || this.state === 'aborted') return;
    this.state = 'aborted';
    await this.discardAll();
  }

  private async discardAll(): Promise<void> {
    for (const o of this.outputs) await o.discard();
  }
}

/** "-o scored.csv is unchanged; this run's output is in scored.csv.rejected-run": a line per output that is not standard output. */
export function describeHeldBack(held: readonly HeldBack[]): string[] {
  return held.flatMap((h) => {
    if (h.given === '-') return []; // a pipe's reader had it as it came, as always
    if (h.keptAt === undefined) return [`${h.role} ${h.given}: written directly as the run went (not a file that can be held back)`];
    return [`${h.role} ${h.given} is unchanged; this run's output is in ${h.keptAt}`];
  });
}

// ---------------------------------------------------------------------------------------------------------------
// One output: standard output, a temporary file renamed into place, or a device or FIFO written directly.

/** Characters collected before a write to the stream. */
const FLUSH_AT = 64 * 1024;
/** The file stream's own buffer: a few flushes may be in flight while the next rows are scored. */
const FILE_HIGH_WATER = 1024 * 1024;

interface Output {
  readonly target: Target;
  readonly sink: BufferedSink;
  /** The temporary file (for `replace` targets). */
  readonly tmp?: string;
  prepare(fs: OutputFs): Promise<void>;
  /** Close and remove what was written (the temporary file); a target written directly keeps what it got. */
  discard(): Promise<void>;
}

let tmpSeq = 0;

async function openOutput(t: Target, stdout: Writable, fs: OutputFs): Promise<Output> {
  if (t.kind === 'stdout') {
    watchErrors(stdout);
    const sink = new BufferedSink(stdout);
    return { target: t, sink, prepare: () => sink.finish().catch((e) => Promise.reject(writeError(t, e))), discard: async () => sink.drop() };
  }
  let fh: FileHandle;
  let tmp: string | undefined;
  try {
    if (t.kind === 'direct') {
      // As it is: no O_CREAT or O_TRUNC (a FIFO's open waits for its reader, as `> fifo` does).
      fh = await open(t.path, fsConstants.O_WRONLY);
    } else {
      for (;;) {
        tmp = join(dirname(t.path), `.${basename(t.path)}.${process.pid}.${++tmpSeq}.tmp`);
        track(tmp); // before it exists: a signal during the open still removes it
        try {
          fh = await open(tmp, 'wx', t.mode ?? 0o666); // O_EXCL: never through a link planted under that name
          break;
        } catch (e) {
          untrack(tmp);
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
            tmp = undefined;
            throw e;
          }
        }
      }
      if (t.mode !== undefined) await fh.chmod(t.mode); // keep the permissions of the file replaced (the umask cut them)
    }
  } catch (e) {
    if (tmp !== undefined) {
      removeQuietly(tmp);
      untrack(tmp);
    }
    throw new InputError(`cannot write ${t.role} ${t.given}: ${describeFsError(e, true)}`, 'check that the directory exists and is writable');
  }
  // The FileHandle alone closes the descriptor. A file stream's destroy() closes its fd whatever autoClose says, and
  // does so after a write in flight ends: by then the number may belong to a file opened since (EBADF there, or worse).
  const stream = createWriteStream('', { fd: fh.fd, autoClose: false, highWaterMark: FILE_HIGH_WATER, fs: KEEP_FD });
  watchErrors(stream);
  const sink = new BufferedSink(stream);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close().catch(() => undefined);
  };
  return {
    target: t,
    sink,
    tmp,
    async prepare(ops) {
      try {
        await sink.finish();
        await endStream(stream);
        if (tmp !== undefined) await ops.sync(fh, tmp);
        closed = true;
        await fh.close();
      } catch (e) {
        throw isBrokenPipe(e) ? e : writeError(t, e);
      }
    },
    async discard() {
      sink.drop();
      stream.destroy();
      if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve())); // the write in flight has ended
      await close();
      if (tmp !== undefined) {
        removeQuietly(tmp);
        untrack(tmp);
      }
    },
  };
}

/** The file stream's system calls, but for close, which is the FileHandle's. */
const KEEP_FD = { write: fsWrite, writev: fsWritev, close: (_fd: number, cb: (e: NodeJS.ErrnoException | null) => void) => cb(null) };

function endStream(stream: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const err = errorOf(stream);
    if (err) return reject(err);
    const fail = (e: Error) => reject(e);
    stream.once('error', fail);
    stream.end((e?: Error | null) => {
      stream.off('error', fail);
      // The 'error' event may come after this callback: the stream's own record of it does not.
      const late = e ?? errorOf(stream);
      if (late) reject(late);
      else resolve();
    });
  });
}

function writeError(t: Target, e: unknown): Error {
  if (e instanceof OutputError || isBrokenPipe(e)) return e as Error;
  const code = (e as NodeJS.ErrnoException).code;
  const where = t.kind === 'stdout' ? `${t.role} (standard output)` : `${t.role} ${t.given}`;
  const hint = t.kind === 'replace' ? `${t.given} is unchanged; free some space (or write elsewhere) and run again` : undefined;
  return new OutputError(`cannot write ${where}: ${describeFsError(e, true)}`, code, hint);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

async function syncDirs(outputs: readonly Output[]): Promise<void> {
  // Makes the renames themselves durable; not possible on every platform (Windows), so best effort.
  const dirs = new Set(outputs.filter((o) => o.tmp !== undefined).map((o) => dirname(o.target.path)));
  for (const dir of dirs) {
    try {
      const d = await open(dir, 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
    } catch {
      /* best effort */
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The registry of live temporary files, removed on signals and at exit.

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  const files = [...live];
  removeLiveTemporaryFiles();
  try {
    const clear = process.stderr.isTTY ? '\r\x1b[K' : ''; // over a progress line, if one is drawn
    writeSync(2, `${clear}icp: stopped by ${signal}${files.length ? '; no output file was replaced' : ''}\n`);
  } catch {
    /* stderr gone */
  }
  process.exit(128 + (osConstants.signals[signal] ?? 0));
}

function track(path: string): void {
  live.add(path);
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', removeLiveTemporaryFiles);
}

function untrack(path: string): void {
  live.delete(path);
  if (live.size || !installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off('exit', removeLiveTemporaryFiles);
}

/** The temporary files of outputs not yet committed or removed (what a signal would remove). */
export function liveTemporaryFiles(): string[] {
  return [...live];
}

function removeLiveTemporaryFiles(): void {
  for (const f of live) removeQuietly(f);
  live.clear();
}

// ---------------------------------------------------------------------------------------------------------------
// Buffered writing with back-pressure.

/** The first error each stream reported; the listener also keeps an EPIPE on stdout from crashing the process. */
const streamErrors = new WeakMap<Writable, Error>();
const watched = new WeakSet<Writable>();

/** The stream's first error, also before its 'error' event was emitted. */
function errorOf(stream: Writable): Error | undefined {
  return streamErrors.get(stream) ?? stream.errored ?? undefined;
}

function watchErrors(stream: Writable): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (e: Error) => {
    if (!streamErrors.has(stream)) streamErrors.set(stream, e);
  });
}

class BufferedSink implements TextSink {
  private parts: string[] = [];
  private size = 0;
  private closed = false;

  constructor(private readonly stream: Writable) {}

  write(s: string | Uint8Array, written?: () => void): void | Promise<void> {
    const err = errorOf(this.stream);
    if (err) throw err;
    if (this.closed) throw new Error('write after close');
    if (typeof s !== 'string') {
      if (this.size) this.stream.write(this.take());
      if (s.length === 0) {
        written?.();
        return undefined;
      }
      if (this.stream.write(s, written)) return undefined;
      return this.drained();
    }
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_AT) return this.flush();
  }

  /** Hand the buffer to the stream; a Promise when the stream asks us to wait for 'drain'. */
  private flush(): Promise<void> | undefined {
    if (this.size === 0) return undefined;
    if (this.stream.write(this.take())) return undefined;
    return this.drained();
  }

  /** The buffered text as one string; the buffer is emptied. */
  private take(): string {
    const chunk = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    return chunk;
  }

  private drained(): Promise<void> {
    const stream = this.stream;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', fail);
        stream.off('close', closed);
        const err = streamErrors.get(stream);
        if (err) reject(err);
        else resolve();
      };
      const fail = (e: Error) => {
        streamErrors.set(stream, streamErrors.get(stream) ?? e);
        done();
      };
      const closed = () => {
        if (!streamErrors.has(stream)) streamErrors.set(stream, Object.assign(new Error('the output stream closed early'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
        done();
      };
      stream.on('drain', done);
      stream.on('error', fail);
      stream.on('close', closed);
    });
  }

  /** Hand over the rest and wait until the stream has taken it (so nothing is lost when the process ends). Throws the stream's error. */
  async finish(): Promise<void> {
    if (this.closed) return;
    const err = errorOf(this.stream);
    this.closed = true;
    if (err) throw err;
    const chunk = this.take();
    if (chunk.length) {
      await new Promise<void>((resolve, reject) => {
        const fail = (e: Error) => reject(e);
        this.stream.once('error', fail);
        this.stream.write(chunk, (e) => {
          this.stream.off('error', fail);
          if (e) reject(e);
          else resolve();
        });
      });
    }
    const late = errorOf(this.stream);
    if (late) throw late;
  }

  /** Forget what is buffered; later writes throw. */
  drop(): void {
    this.parts = [];
    this.size = 0;
    this.closed = true;
  }
}
