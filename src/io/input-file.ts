// An input file opened once: every reader of a run (header, sample, pieces, the reader after a handover) reads
// the same open file by positional reads, so renaming or deleting the path during a run changes nothing.
import { open, type FileHandle } from 'node:fs/promises';
import { READ_BYTES } from './decode.js';

/** An open input file; `close` once every reader is done. */
export class InputFile {
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    /** A regular file: it can be read from any offset, any number of times (a pipe or FIFO once, from its start). */
    readonly regular: boolean,
    /** Its size when opened (0 for a pipe). */
    readonly size: number,
  ) {}

  /** Open `path` for reading. Throws the fs error (ENOENT, EACCES, EISDIR…) for the caller to word. */
  static async open(path: string): Promise<InputFile> {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR' });
      return new InputFile(path, handle, st.isFile(), st.isFile() ? st.size : 0);
    } catch (e) {
      await handle.close();
      throw e;
    }
  }

  /**
   * The bytes from `offset` to the end, READ_BYTES at a time, each chunk in memory of its own. A regular file is
   * read by position, so several readers may read it in turn or at once; a pipe only once, from offset 0.
   */
  async *bytes(offset = 0, chunkBytes = READ_BYTES): AsyncGenerator<Buffer> {
    if (!this.regular && offset !== 0) throw new Error(`${this.path} is not a regular file: it cannot be read from byte ${offset}`);
    // One read ahead, as a file stream reads: the next chunk arrives while the caller works on this one (without
    // it, every read's round trip through the thread pool added to the run: +15-20 % wall time to read an export).
    let next = this.read(offset, chunkBytes);
    try {
      for (;;) {
        const buf = await next;
        if (buf === undefined) return;
        next = this.read(offset += buf.length, chunkBytes);
        yield buf;
      }
    } finally {
      next.catch(() => undefined); // a read ahead nobody wants any more
    }
  }

  private async read(pos: number, chunkBytes: number): Promise<Buffer | undefined> {
    if (this.closed) return undefined;
    const buf = Buffer.allocUnsafeSlow(chunkBytes);
    const { bytesRead } = await this.handle.read(buf, 0, chunkBytes, this.regular ? pos : null);
    if (bytesRead === 0) return undefined;
    return bytesRead === chunkBytes ? buf : buf.subarray(0, bytesRead);
  }

  /** Close the file (once; later calls do nothing). A reader still iterating ends at its next read. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
