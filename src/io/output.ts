// Output sinks: buffered writes with back-pressure to stdout or to an atomically replaced file.
//
// Decision: a file is fsync'ed before it is renamed over the target (and its directory after, where the
// platform allows), so a crash or power cut leaves either yesterday's complete file or today's complete
// file, never an empty or half-written one. One fsync per run costs milliseconds.
import { createWriteStream } from 'node:fs';
import { chmod, open, rename, stat, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { InputError } from './errors.js';

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
  /** Flush everything; for a file, make it durable and rename it over the target. */
  close(): Promise<void>;
  /** Drop what is buffered; for a file, remove the temporary file so the target is untouched. */
  abort(): Promise<void>;
}

/** Where '-' writes to; tests and embedders may pass their own stream. */
export interface SinkOptions {
  stdout?: Writable;
}

/** Characters collected before a write to the stream. */
const FLUSH_AT = 64 * 1024;
/** The file stream's own buffer: a few flushes may be in flight while the next rows are scored. */
const FILE_HIGH_WATER = 1024 * 1024;

/**
 * '-' → stdout (never ended, since the process owns it); otherwise an ATOMIC file: writes go to a temporary file
 * in the same directory (`.<name>.<pid>.tmp`), which close() fsyncs and renames over the target, and abort()
 * removes, so yesterday's good output is untouched. Throws InputError when the file cannot be created.
 */
export async function openSink(target: string, options: SinkOptions = {}): Promise<TextSink> {
  if (target === '-') {
    const out = options.stdout ?? process.stdout;
    watchErrors(out);
    return new BufferedSink(out, async () => {}, async () => {});
  }
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.tmp`);
  let mode: number | undefined;
  try {
    const st = await stat(target);
    if (st.isDirectory()) throw new InputError(`cannot write ${target}: it is a directory`, 'give a file name');
    mode = st.mode & 0o7777; // keep the permissions of the file being replaced
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  // `flush: true` fsyncs the file before it is closed, i.e. before the rename.
  const stream = createWriteStream(tmp, { flags: 'w', flush: true, highWaterMark: FILE_HIGH_WATER });
  watchErrors(stream);
  try {
    await once(stream, 'ready');
    if (mode !== undefined) await chmod(tmp, mode);
  } catch (e) {
    stream.destroy();
    await unlink(tmp).catch(() => undefined);
    throw new InputError(`cannot write ${target}: ${describe(e)}`, 'check that the directory exists and is writable');
  }
  let settled = false; // renamed into place, or cleaned up
  const closed = () => (stream.closed ? Promise.resolve() : new Promise<void>((resolve) => stream.once('close', () => resolve())));
  const cleanup = async () => {
    if (settled) return;
    settled = true;
    stream.destroy();
    await closed();
    await unlink(tmp).catch(() => undefined);
  };
  const commit = async () => {
    try {
      stream.end();
      await closed();
      const err = streamErrors.get(stream);
      if (err) throw err;
      await rename(tmp, target);
      settled = true;
    } catch (e) {
      await cleanup();
      throw e;
    }
    await syncDir(dir);
  };
  return new BufferedSink(stream, commit, cleanup);
}

/** True for an EPIPE / closed-pipe error on stdout, which the CLI treats as a normal end (`icp score big.csv | head` exits 0). */
export function isBrokenPipe(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE';
}

/** The first error each stream reported; the listener also keeps an EPIPE on stdout from crashing the process. */
const streamErrors = new WeakMap<Writable, Error>();
const watched = new WeakSet<Writable>();

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

  constructor(
    private readonly stream: Writable,
    private readonly onClose: () => Promise<void>,
    private readonly onAbort: () => Promise<void>,
  ) {}

  write(s: string | Uint8Array, written?: () => void): void | Promise<void> {
    const err = streamErrors.get(this.stream);
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

  async close(): Promise<void> {
    if (this.closed) return;
    const err = streamErrors.get(this.stream);
    if (err) {
      this.closed = true;
      await this.onAbort();
      throw err;
    }
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.closed = true;
    try {
      if (chunk.length) {
        // Wait until the stream has taken the last chunk, so nothing is lost when the process ends.
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
      const late = streamErrors.get(this.stream);
      if (late) throw late;
    } catch (e) {
      await this.onAbort();
      throw e;
    }
    await this.onClose();
  }

  async abort(): Promise<void> {
    this.parts = [];
    this.size = 0;
    this.closed = true;
    await this.onAbort();
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; not possible on every platform (Windows), so best effort.
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

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return (e as Error).message;
}
