// Outputs of a run: atomic replacement, each output its own temporary file, same-file refusal, gates before the
// rename, committing together, special targets (links, FIFOs, devices), large batched writes, broken pipes.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, openSync, closeSync, fstatSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { chmod, link, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/io/errors.js';
import { describeHeldBack, isBrokenPipe, liveTemporaryFiles, openOutputs, OutputError, type OutputGroup, type OutputGroupOptions, type TextSink } from '../../src/io/output.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'icp-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  expect(liveTemporaryFiles()).toEqual([]); // every test settles its outputs
});

async function put(sink: TextSink, s: string): Promise<void> {
  const p = sink.write(s);
  if (p) await p;
}

/** One output, as `-o target`. */
async function one(target: string, options: OutputGroupOptions = {}): Promise<{ group: OutputGroup; sink: TextSink }> {
  const group = await openOutputs([{ role: '-o', target }], options);
  return { group, sink: group.sinks[0]! };
}

/** `-o out` and `--rejects rej`, each written with `text`. */
async function pair(out: string, rej: string, options: OutputGroupOptions = {}): Promise<OutputGroup> {
  const group = await openOutputs(
    [
      { role: '-o', target: out },
      { role: '--rejects', target: rej },
    ],
    options,
  );
  await put(group.sinks[0]!, 'scored,today\n'.repeat(10_000));
  await put(group.sinks[1]!, 'line,reason,raw\n3,short,x\n');
  return group;
}

const TEMP = /^\..+\.\d+\.\d+\.tmp$/;

describe('a file output', () => {
  it('writes bytes in order with the text around them, and waits for drain after bytes too', async () => {
    const target = join(dir, 'mixed.csv');
    const { group, sink } = await one(target);
    const big = new TextEncoder().encode(`${'é'.repeat(600_000)}\n`); // above the stream's buffer: must drain
    await put(sink, 'a,b\n');
    const p = sink.write(big);
    expect(p).toBeInstanceOf(Promise);
    await p;
    await put(sink, 'c,d\n');
    sink.write(new Uint8Array(0));
    await put(sink, 'e\n');
    await group.commit();
    expect(await readFile(target, 'utf8')).toBe(`a,b\n${'é'.repeat(600_000)}\nc,d\ne\n`);
  });

  it('says when the stream is done with bytes (so that their buffer can be reused), after they are in the file', async () => {
    const target = join(dir, 'reuse.csv');
    const { group, sink } = await one(target);
    const bytes = new TextEncoder().encode('x,y\n'.repeat(10_000));
    const done: string[] = [];
    const p = sink.write(bytes, () => done.push('bytes'));
    if (p) await p;
    await put(sink, 'z\n');
    sink.write(new Uint8Array(0), () => done.push('empty'));
    expect(done).toContain('empty'); // nothing to write: at once
    await group.commit();
    expect(done.sort()).toEqual(['bytes', 'empty']);
    expect(await readFile(target, 'utf8')).toBe(`${'x,y\n'.repeat(10_000)}z\n`);
  });

  it('abort() leaves the existing target untouched and no temporary file behind', async () => {
    const target = join(dir, 'scored.csv');
    await writeFile(target, 'yesterday\n');
    const { group, sink } = await one(target);
    for (let i = 0; i < 5000; i++) await put(sink, `row ${i},today\n`);
    const names = await readdir(dir);
    expect(names.filter((n) => TEMP.test(n))).toHaveLength(1);
    expect(liveTemporaryFiles()).toEqual([join(dir, names.find((n) => TEMP.test(n))!)]);
    await group.abort();
    expect(await readFile(target, 'utf8')).toBe('yesterday\n');
    expect(await readdir(dir)).toEqual(['scored.csv']);
    expect(liveTemporaryFiles()).toEqual([]);
    expect(() => sink.write('late\n')).toThrow();
  });

  it('abort() with a write in flight closes its descriptor once, not a file opened after it', async () => {
    // A file stream's destroy() used to close the fd when the write in flight ended, after the FileHandle had
    // closed it and the number had gone to the next open: readFile then failed with EBADF (seen in CI).
    const target = join(dir, 'scored.csv');
    for (let i = 0; i < 20; i++) {
      await writeFile(target, 'yesterday\n');
      const { group, sink } = await one(target);
      const pending = sink.write(new Uint8Array(32 << 20).fill(65)); // 32 MiB: still being written when abort() comes
      const settled = pending?.then(() => 'drained', () => 'closed early');
      await group.abort();
      const fd = openSync(target, 'r'); // takes the lowest free number: the one just closed
      try {
        await new Promise((r) => setTimeout(r, 50)); // a late close of that number would come now
        if (settled) expect(await settled).toBe('closed early'); // a writer waiting for room hears that the run is over
        expect(fstatSync(fd).size).toBe(10);
        expect(readFileSync(fd, 'utf8')).toBe('yesterday\n');
      } finally {
        closeSync(fd);
      }
    }
  });

  it('commit() replaces the target whole, keeping its permissions', async () => {
    const target = join(dir, 'scored.csv');
    await writeFile(target, 'yesterday\n');
    await chmod(target, 0o640);
    const { group, sink } = await one(target);
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      const line = `row ${i},today,é\n`;
      expected += line;
      await put(sink, line);
    }
    await group.prepare();
    expect(await readFile(target, 'utf8')).toBe('yesterday\n'); // complete and synced, not yet renamed
    await group.commit();
    expect(await readFile(target, 'utf8')).toBe(expected);
    expect((await stat(target)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['scored.csv']);
    await group.abort(); // after a commit, abort changes nothing
    expect(await readFile(target, 'utf8')).toBe(expected);
  });

  it('creates a new file, empty output included', async () => {
    const target = join(dir, 'new.csv');
    const { group } = await one(target);
    await group.commit();
    expect(await readFile(target, 'utf8')).toBe('');
  });

  it('a missing directory, a file used as a directory, a directory or an empty name as target is an InputError; nothing is created', async () => {
    await writeFile(join(dir, 'file'), 'x');
    await expect(one(join(dir, 'nope', 'out.csv'))).rejects.toBeInstanceOf(InputError);
    await expect(one(join(dir, 'nope', 'out.csv'))).rejects.toThrow(/cannot write -o .*out\.csv: no such directory/);
    await expect(one(join(dir, 'file', 'out.csv'))).rejects.toThrow(/a part of the path is not a directory/);
    await expect(one(dir)).rejects.toThrow(/it is a directory/);
    await expect(one(join(dir, 'new') + '/')).rejects.toThrow(/cannot write -o .*new\/: it names a directory/);
    await expect(one('')).rejects.toThrow(/^-o: the file name is empty$/);
    expect(await readdir(dir)).toEqual(['file']);
  });
});

describe('outputs of one run', () => {
  it('each output has its own temporary file, and both are committed', async () => {
    const out = join(dir, 'scored.csv');
    const rej = join(dir, 'rejects.csv');
    const group = await pair(out, rej);
    const temps = (await readdir(dir)).filter((n) => TEMP.test(n));
    expect(temps).toHaveLength(2);
    expect(temps.some((n) => n.startsWith('.scored.csv.'))).toBe(true);
    expect(temps.some((n) => n.startsWith('.rejects.csv.'))).toBe(true);
    await group.commit();
    expect(await readFile(out, 'utf8')).toBe('scored,today\n'.repeat(10_000));
    expect(await readFile(rej, 'utf8')).toBe('line,reason,raw\n3,short,x\n');
    expect((await readdir(dir)).sort()).toEqual(['rejects.csv', 'scored.csv']);
  });

  it('refuses two outputs that are one file, by name, through a link, by hard link, or two new names through a linked directory', async () => {
    const good = join(dir, 'good.csv');
    await writeFile(good, 'yesterday\n');
    await symlink('good.csv', join(dir, 'link.csv'));
    await link(good, join(dir, 'hard.csv'));
    await mkdir(join(dir, 'real'));
    await symlink('real', join(dir, 'alias'));
    const cases: [string, string, RegExp][] = [
      [good, good, /--rejects .*good\.csv and -o .*good\.csv are the same file$/],
      [good, join(dir, 'link.csv'), /are the same file \(through a link, or another name for it\)/],
      [join(dir, 'hard.csv'), good, /are the same file \(through a link/],
      [join(dir, 'real', 'new.csv'), join(dir, 'alias', 'new.csv'), /are the same file/],
      [join(dir, 'new.csv'), join(dir, '.', 'new.csv'), /are the same file/],
    ];
    for (const [a, b, message] of cases) {
      const e = await pair(a, b).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InputError);
      expect((e as Error).message).toMatch(message);
    }
    expect(await readFile(good, 'utf8')).toBe('yesterday\n');
    expect((await readdir(dir)).sort()).toEqual(['alias', 'good.csv', 'hard.csv', 'link.csv', 'real']);
    expect(await readdir(join(dir, 'real'))).toEqual([]);
  });

  it('refuses an output that is an input: by name, link or hard link, and standard input by its descriptor', async () => {
    const input = join(dir, 'in.csv');
    await writeFile(input, 'id\n1\n');
    await symlink('in.csv', join(dir, 'link.csv'));
    await link(input, join(dir, 'hard.csv'));
    for (const target of [input, join(dir, 'link.csv'), join(dir, 'hard.csv')]) {
      await expect(one(target, { inputs: [{ role: 'input', path: input }] })).rejects.toThrow(/-o .* is the input .*in\.csv itself.*: writing it would destroy the export/);
    }
    const fd = openSync(input, 'r');
    try {
      await expect(one(join(dir, 'hard.csv'), { inputs: [{ role: 'input', path: '-' }], stdinFd: fd })).rejects.toThrow(/-o .*hard\.csv is the file standard input reads/);
    } finally {
      closeSync(fd);
    }
    expect(await readFile(input, 'utf8')).toBe('id\n1\n');
    expect((await readdir(dir)).sort()).toEqual(['hard.csv', 'in.csv', 'link.csv']);
  });

  it('refuses a second output to standard output, also by a path that is standard output', async () => {
    const out = new SlowStream(1024);
    await expect(pair('-', '-', { stdout: out })).rejects.toThrow(/^--rejects -: the scored output already goes to standard output$/);
    const redirected = join(dir, 'stdout.txt');
    await writeFile(redirected, '');
    const fd = openSync(redirected, 'a');
    try {
      await expect(pair('-', redirected, { stdout: out, stdoutFd: fd })).rejects.toThrow(/--rejects .*stdout\.txt: it is where standard output goes, and the scored output already goes there|already goes to standard output/);
      // Alone, such a path is written as standard output (never replaced behind the descriptor's back).
      const { group, sink } = await one(redirected, { stdout: out, stdoutFd: fd });
      expect(group.usesStdout).toBe(true);
      await put(sink, 'a\n');
      await group.commit();
      expect(out.writes.join('')).toBe('a\n');
    } finally {
      closeSync(fd);
    }
    expect(await readdir(dir)).toEqual(['stdout.txt']);
  });

  it('a second output that cannot be written (missing directory) stops before any temporary file is made', async () => {
    const out = join(dir, 'scored.csv');
    await writeFile(out, 'yesterday\n');
    await expect(pair(out, join(dir, 'nonexistent', 'r.csv'))).rejects.toThrow(/cannot write --rejects .*r\.csv: no such directory/);
    expect(await readdir(dir)).toEqual(['scored.csv']);
  });

  it('a full disk when the second output is synced keeps both old files and removes both temporary files', async () => {
    const out = join(dir, 'scored.csv');
    const rej = join(dir, 'rejects.csv');
    await writeFile(out, 'yesterday\n');
    await writeFile(rej, 'old rejects\n');
    const synced: string[] = [];
    const group = await pair(out, rej, {
      fs: {
        async sync(file, path) {
          synced.push(path);
          if (path.includes('rejects')) throw Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' });
          await file.sync();
        },
      },
    });
    const e = await group.commit().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutputError);
    expect((e as OutputError).message).toMatch(/^cannot write --rejects .*rejects\.csv: no space left on the device$/);
    expect((e as OutputError).hint).toMatch(/rejects\.csv is unchanged/);
    expect(synced).toHaveLength(2); // the first was synced: the failure came at the very end
    expect(await readFile(out, 'utf8')).toBe('yesterday\n');
    expect(await readFile(rej, 'utf8')).toBe('old rejects\n');
    expect((await readdir(dir)).sort()).toEqual(['rejects.csv', 'scored.csv']);
  });

  it('a rename that fails leaves no temporary file, and says which outputs were replaced', async () => {
    const out = join(dir, 'scored.csv');
    const rej = join(dir, 'rejects.csv');
    await writeFile(out, 'yesterday\n');
    await writeFile(rej, 'old rejects\n');
    const group = await pair(out, rej, {
      fs: {
        rename(from, to) {
          throw Object.assign(new Error(`EIO: ${from} → ${to}`), { code: 'EIO' });
        },
      },
    });
    await expect(group.commit()).rejects.toThrow(/cannot replace .*scored\.csv: input\/output error; no output was replaced/);
    expect(await readFile(out, 'utf8')).toBe('yesterday\n');
    expect(await readFile(rej, 'utf8')).toBe('old rejects\n');
    expect((await readdir(dir)).sort()).toEqual(['rejects.csv', 'scored.csv']);
  });

  it('a write failure on a device written directly (/dev/full) keeps the other output old and removes its temporary file', async () => {
    const rej = join(dir, 'rejects.csv');
    await writeFile(rej, 'old rejects\n');
    const group = await pair('/dev/full', rej);
    const e = await group.commit().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OutputError);
    expect((e as Error).message).toBe('cannot write -o /dev/full: no space left on the device');
    expect(await readFile(rej, 'utf8')).toBe('old rejects\n');
    expect(await readdir(dir)).toEqual(['rejects.csv']);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });
});

describe('gates decided before the rename', () => {
  it('a failed gate keeps the old files and the new ones beside them as .rejected-run, replacing an earlier one', async () => {
    const out = join(dir, 'scored.csv');
    const rej = join(dir, 'rejects.csv');
    await writeFile(out, 'yesterday\n');
    await writeFile(join(dir, 'scored.csv.rejected-run'), 'an earlier failed run\n');
    const group = await pair(out, rej);
    const r = await group.finish(() => ({ code: 1, message: 'coverage below 0.9' }));
    expect(r.committed).toBe(false);
    if (r.committed) return;
    expect(r.verdict).toEqual({ code: 1, message: 'coverage below 0.9' });
    expect(r.held).toEqual([
      { role: '-o', given: out, keptAt: `${out}.rejected-run` },
      { role: '--rejects', given: rej, keptAt: `${rej}.rejected-run` },
    ]);
    expect(describeHeldBack(r.held)).toEqual([
      `-o ${out} is unchanged; this run's output is in ${out}.rejected-run`,
      `--rejects ${rej} is unchanged; this run's output is in ${rej}.rejected-run`,
    ]);
    expect(await readFile(out, 'utf8')).toBe('yesterday\n');
    expect(await readFile(`${out}.rejected-run`, 'utf8')).toBe('scored,today\n'.repeat(10_000));
    expect(await readFile(`${rej}.rejected-run`, 'utf8')).toBe('line,reason,raw\n3,short,x\n');
    expect((await readdir(dir)).sort()).toEqual(['rejects.csv.rejected-run', 'scored.csv', 'scored.csv.rejected-run']);
  });

  it('a passed gate commits, and removes a .rejected-run an earlier run left', async () => {
    const out = join(dir, 'scored.csv');
    const rej = join(dir, 'rejects.csv');
    await writeFile(`${out}.rejected-run`, 'an earlier failed run\n');
    const group = await pair(out, rej);
    const decided: string[] = [];
    const r = await group.finish(async () => {
      decided.push((await readdir(dir)).filter((n) => TEMP.test(n)).length === 2 ? 'outputs complete, not yet renamed' : 'too early');
      return undefined;
    });
    expect(r).toEqual({ committed: true });
    expect(decided).toEqual(['outputs complete, not yet renamed']);
    expect((await readdir(dir)).sort()).toEqual(['rejects.csv', 'scored.csv']);
  });

  it('a gate that throws removes the temporary files', async () => {
    const out = join(dir, 'scored.csv');
    const group = await pair(out, join(dir, 'rejects.csv'));
    await expect(
      group.finish(() => {
        throw new Error('gate broke');
      }),
    ).rejects.toThrow('gate broke');
    expect(await readdir(dir)).toEqual([]);
  });

  it('settles once: a commit after a failure throws that failure again, and a group held back cannot be committed', async () => {
    const out = join(dir, 'scored.csv');
    const failing = await pair(out, join(dir, 'rejects.csv'), {
      fs: {
        sync() {
          return Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' }));
        },
      },
    });
    const first = await failing.commit().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(OutputError);
    await expect(failing.commit()).rejects.toBe(first);
    await expect(failing.holdBack()).rejects.toBe(first);
    const aborted = await pair(out, join(dir, 'rejects.csv'));
    await aborted.abort();
    await expect(aborted.commit()).rejects.toThrow('the outputs were aborted');
    const held = await pair(out, join(dir, 'rejects.csv'));
    const h = await held.holdBack();
    expect(await held.holdBack()).toBe(h);
    await expect(held.commit()).rejects.toThrow('the outputs were already held back');
    const committed = await pair(out, join(dir, 'rejects.csv'));
    await committed.commit();
    await committed.commit();
    await expect(committed.holdBack()).rejects.toThrow('the outputs were already committed');
    expect((await readdir(dir)).sort()).toEqual(['rejects.csv', 'scored.csv']); // the commit cleared what the held-back run kept
  });

  it('says an output written directly or to standard output could not be held back', () => {
    expect(describeHeldBack([{ role: '-o', given: '-' }, { role: '--rejects', given: '/dev/null' }])).toEqual(['--rejects /dev/null: written directly as the run went (not a file that can be held back)']);
  });
});

describe('special targets', () => {
  it('through a chain of symlinks, writes the last target atomically in its own directory; the links stay links', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'scored.csv'), 'yesterday\n');
    await symlink('data/scored.csv', join(dir, 'first.csv'));
    await symlink(join(dir, 'first.csv'), join(dir, 'latest.csv')); // absolute link to a relative one
    const { group, sink } = await one(join(dir, 'latest.csv'));
    await put(sink, 'today\n'.repeat(20_000));
    expect((await readdir(join(dir, 'data'))).filter((n) => TEMP.test(n))).toHaveLength(1);
    await group.commit();
    expect(lstatSync(join(dir, 'latest.csv')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'first.csv')).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'data', 'scored.csv'), 'utf8')).toBe('today\n'.repeat(20_000));
    expect((await readdir(dir)).sort()).toEqual(['data', 'first.csv', 'latest.csv']);
    expect(await readdir(join(dir, 'data'))).toEqual(['scored.csv']);
  });

  it('through a link to nothing yet, creates the file it points to', async () => {
    await mkdir(join(dir, 'data'));
    await symlink('data/new.csv', join(dir, 'link.csv'));
    const { group, sink } = await one(join(dir, 'link.csv'));
    await put(sink, 'x\n');
    await group.commit();
    expect(lstatSync(join(dir, 'link.csv')).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'data', 'new.csv'), 'utf8')).toBe('x\n');
  });

  it('a symlink loop is refused', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(one(join(dir, 'a'))).rejects.toThrow(/too many levels of symbolic links/);
  });

  it('a FIFO is written directly and stays a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const chunks: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (c) => chunks.push(c as Buffer));
    const ended = new Promise((resolve) => reader.on('end', resolve));
    const { group, sink } = await one(fifo); // waits for the reader, as `> fifo` does
    expect(group.usesStdout).toBe(false);
    await put(sink, 'a,b\n'.repeat(50_000));
    await group.commit();
    await ended;
    expect(Buffer.concat(chunks).toString()).toBe('a,b\n'.repeat(50_000));
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  // `mknod fakenull c 1 3`, as in the report that found -o replacing device nodes (as root, /dev/null itself).
  const root = process.getuid?.() === 0;
  it.skipIf(!root)('a character device is written directly and stays a device; a failed gate cannot hold it back', async () => {
    const dev = join(dir, 'fakenull');
    expect(spawnSync('mknod', [dev, 'c', '1', '3']).status).toBe(0);
    const { group, sink } = await one(dev);
    await put(sink, 'into the void\n'.repeat(10_000));
    const r = await group.finish(() => 'failed');
    expect(r.committed).toBe(false);
    if (!r.committed) expect(r.held).toEqual([{ role: '-o', given: dev }]);
    const st = lstatSync(dev);
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe(statSync('/dev/null').rdev);
    expect(await readdir(dir)).toEqual(['fakenull']);
  });

  it.skipIf(!root)('a block device is refused', async () => {
    const dev = join(dir, 'disk');
    expect(spawnSync('mknod', [dev, 'b', '7', '200']).status).toBe(0);
    await expect(one(dev)).rejects.toThrow(/it is a block device/);
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

describe('standard output', () => {
  it('writes few large chunks and waits for drain under back-pressure', async () => {
    const out = new SlowStream(100 * 1024);
    const { group, sink } = await one('-', { stdout: out });
    expect(group.usesStdout).toBe(true);
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
    await group.commit();
    expect(out.writes.join('')).toBe(expected);
    expect(out.writes.length).toBeLessThanOrEqual(Math.ceil(expected.length / (64 * 1024)) + 1);
    expect(out.writes.slice(0, -1).every((w) => w.length >= 64 * 1024)).toBe(true);
    expect(waits).toBeGreaterThan(0);
    // Never more than one flush beyond the stream's high-water mark.
    expect(out.maxBuffered).toBeLessThanOrEqual(100 * 1024 + 64 * 1024 + 100);
    expect(out.writableEnded).toBe(false); // stdout is never ended
  });

  it('commit() hands over a small remainder', async () => {
    const out = new SlowStream(1024);
    const { group, sink } = await one('-', { stdout: out });
    await put(sink, 'a,b\n');
    await put(sink, '1,2\n');
    expect(out.writes).toEqual([]);
    await group.commit();
    expect(out.writes).toEqual(['a,b\n1,2\n']);
  });

  it('an EPIPE surfaces as an error isBrokenPipe recognises, without crashing, and removes the other outputs', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const rej = join(dir, 'rejects.csv');
    const group = await openOutputs(
      [
        { role: '-o', target: '-' },
        { role: '--rejects', target: rej },
      ],
      { stdout: out },
    );
    let caught: unknown;
    try {
      for (let i = 0; i < 100_000; i++) await put(group.sinks[0]!, `${i},${'y'.repeat(50)}\n`);
    } catch (e) {
      caught = e;
    }
    expect(isBrokenPipe(caught)).toBe(true);
    await expect(group.commit()).rejects.toMatchObject({ code: 'EPIPE' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('a real pipe closed by the reader (`| head -c 1`) ends in a broken-pipe error', async () => {
    const child = spawn('head', ['-c', '1'], { stdio: ['pipe', 'ignore', 'ignore'] });
    const { group, sink } = await one('-', { stdout: child.stdin });
    let caught: unknown;
    try {
      for (let i = 0; i < 1_000_000; i++) await put(sink, `${i},${'z'.repeat(100)}\n`);
      await group.commit();
    } catch (e) {
      caught = e;
    }
    await group.abort();
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
