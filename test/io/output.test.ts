// Output sinks: atomic replacement of files, large batched writes with back-pressure, broken pipes.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/io/errors.js';
import { isBrokenPipe, openSink, type TextSink } from '../../src/io/output.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(sink: TextSink, s: string): Promise<void> {
  const p = sink.write(s);
  if (p) await p;
}

describe('file sink', () => {
  it('writes bytes in order with the text around them, and waits for drain after bytes too', async () => {
    const target = join(dir, 'mixed.csv');
    const sink = await openSink(target);
    const big = new TextEncoder().encode(`${'é'.repeat(600_000)}\n`); // above the stream's buffer: must drain
    await put(sink, 'a,b\n');
    const p = sink.write(big);
    expect(p).toBeInstanceOf(Promise);
    await p;
    await put(sink, 'c,d\n');
    sink.write(new Uint8Array(0));
    await put(sink, 'e\n');
    await sink.close();
    expect(await readFile(target, 'utf8')).toBe(`a,b\n${'é'.repeat(600_000)}\nc,d\ne\n`);
  });

  it('says when the stream is done with bytes (so that their buffer can be reused), after they are in the file', async () => {
    const target = join(dir, 'reuse.csv');
    const sink = await openSink(target);
    const bytes = new TextEncoder().encode('x,y\n'.repeat(10_000));
    const done: string[] = [];
    const p = sink.write(bytes, () => done.push('bytes'));
    if (p) await p;
    await put(sink, 'z\n');
    sink.write(new Uint8Array(0), () => done.push('empty'));
    expect(done).toContain('empty'); // nothing to write: at once
    await sink.close();
    expect(done.sort()).toEqual(['bytes', 'empty']);
    expect(await readFile(target, 'utf8')).toBe(`${'x,y\n'.repeat(10_000)}z\n`);
  });

  it('abort() leaves the existing target untouched and no temporary file behind', async () => {
    const target = join(dir, 'scored.csv');
    await writeFile(target, 'yesterday\n');
    const sink = await openSink(target);
    for (let i = 0; i < 5000; i++) await put(sink, `row ${i},today\n`);
    expect(await readdir(dir)).toContain(`.scored.csv.${process.pid}.tmp`);
    await sink.abort();
    expect(await readFile(target, 'utf8')).toBe('yesterday\n');
    expect(await readdir(dir)).toEqual(['scored.csv']);
  });

  it('close() replaces the target whole, keeping its permissions', async () => {
    const target = join(dir, 'scored.csv');
    await writeFile(target, 'yesterday\n');
    await chmod(target, 0o640);
    const sink = await openSink(target);
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      const line = `row ${i},today,é\n`;
      expected += line;
      await put(sink, line);
    }
    expect(await readFile(target, 'utf8')).toBe('yesterday\n');
    await sink.close();
    expect(await readFile(target, 'utf8')).toBe(expected);
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['scored.csv']);
    await sink.abort(); // after a successful close, abort changes nothing
    expect(await readFile(target, 'utf8')).toBe(expected);
  });

  it('creates a new file, empty output included', async () => {
    const target = join(dir, 'new.csv');
    const sink = await openSink(target);
    await sink.close();
    expect(await readFile(target, 'utf8')).toBe('');
  });

  it('a missing directory or a directory as target is an InputError', async () => {
    await expect(openSink(join(dir, 'nope', 'out.csv'))).rejects.toBeInstanceOf(InputError);
    await expect(openSink(join(dir, 'nope', 'out.csv'))).rejects.toThrow(/cannot write .*out\.csv: no such directory/);
    await expect(openSink(dir)).rejects.toThrow(/it is a directory/);
    expect(await readdir(dir)).toEqual([]);
  });
});

/** A stream that takes a while per write and records what it was given. */
class SlowStream extends Writable {
  writes: string[] = [];
  maxBuffered = 0;
  constructor(highWaterMark: number) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.writes.push(chunk);
    setTimeout(cb, 1);
  }
}

describe('stdout sink', () => {
  it('writes few large chunks and waits for drain under back-pressure', async () => {
    const out = new SlowStream(100 * 1024);
    const sink = await openSink('-', { stdout: out });
    let expected = '';
    let waits = 0;
    for (let i = 0; i < 20_000; i++) {
      const line = `${i},${'x'.repeat(90)}\n`;
      expected += line;
      const p = sink.write(line);
      if (p) {
        waits++;
        await p;
      }
      out.maxBuffered = Math.max(out.maxBuffered, out.writableLength);
    }
    await sink.close();
    expect(out.writes.join('')).toBe(expected);
    expect(out.writes.length).toBeLessThanOrEqual(Math.ceil(expected.length / (64 * 1024)) + 1);
    expect(out.writes.slice(0, -1).every((w) => w.length >= 64 * 1024)).toBe(true);
    expect(waits).toBeGreaterThan(0);
    // Never more than one flush beyond the stream's high-water mark.
    expect(out.maxBuffered).toBeLessThanOrEqual(100 * 1024 + 64 * 1024 + 100);
    expect(out.writableEnded).toBe(false); // stdout is never ended
  });

  it('close() hands over a small remainder', async () => {
    const out = new SlowStream(1024);
    const sink = await openSink('-', { stdout: out });
    await put(sink, 'a,b\n');
    await put(sink, '1,2\n');
    expect(out.writes).toEqual([]);
    await sink.close();
    expect(out.writes).toEqual(['a,b\n1,2\n']);
  });

  it('an EPIPE surfaces as an error isBrokenPipe recognises, without crashing', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const sink = await openSink('-', { stdout: out });
    let caught: unknown;
    try {
      for (let i = 0; i < 100_000; i++) await put(sink, `${i},${'y'.repeat(50)}\n`);
    } catch (e) {
      caught = e;
    }
    expect(isBrokenPipe(caught)).toBe(true);
    await expect(sink.close()).rejects.toMatchObject({ code: 'EPIPE' });
  });

  it('a real pipe closed by the reader (`| head -c 1`) ends in a broken-pipe error', async () => {
    const child = spawn('head', ['-c', '1'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const sink = await openSink('-', { stdout: child.stdin });
    let caught: unknown;
    try {
      for (let i = 0; i < 1_000_000; i++) await put(sink, `${i},${'z'.repeat(100)}\n`);
      await sink.close();
    } catch (e) {
      caught = e;
    }
    expect(isBrokenPipe(caught)).toBe(true);
  });
});

describe('isBrokenPipe', () => {
  it('only for EPIPE', () => {
    expect(isBrokenPipe(Object.assign(new Error('x'), { code: 'EPIPE' }))).toBe(true);
    expect(isBrokenPipe(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(false);
    expect(isBrokenPipe(new Error('EPIPE'))).toBe(false);
    expect(isBrokenPipe(null)).toBe(false);
    expect(isBrokenPipe('EPIPE')).toBe(false);
  });
});
