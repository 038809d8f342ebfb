// Where an output goes (standard output, a file to replace atomically, a device or FIFO written directly), and
// whether two of a run's files are one file.
import { constants, fstatSync, type Stats } from 'node:fs';
import { access, lstat, readlink, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from './errors.js';

/**
 * - `stdout`: the process's standard output (`-`, or a path that is the same file, such as `/dev/stdout`);
 * - `replace`: a regular file (or a new one), written to a temporary file beside it and renamed over it;
 * - `direct`: a FIFO or character device (`/dev/null`, a terminal, `mkfifo`), opened and written as it is:
 *   replacing it would turn it into a regular file.
 */
export type TargetKind = 'stdout' | 'replace' | 'direct';

/** An output target, classified before anything is written. */
export interface Target {
  /** The option that named it, for messages (`-o`, `--rejects`). */
  role: string;
  /** As the user gave it; `-` is standard output. */
  given: string;
  kind: TargetKind;
  /**
   * `replace`: the file to replace, i.e. the end of a chain of symlinks (so a link keeps pointing at the file,
   * and the temporary file is made in the directory of the file, not of the link); `direct`: as given.
   */
  path: string;
  /** The file as it is now (`device:inode`), when it exists; for `stdout`, that of the descriptor if known. */
  identity?: string;
  /** The absolute path without links, for files that do not exist yet (two new names can be one file too). */
  realPath?: string;
  /** `replace`: the permission bits of the file being replaced, kept by the new one. */
  mode?: number;
}

/** A file a run reads (the input) or writes: what same-file detection compares. */
export interface FileRef {
  role: string;
  given: string;
  identity?: string;
  realPath?: string;
  /** Standard output: equal to every other reference to it. */
  stdout?: boolean;
  /** A file the run reads, in words for messages (`the input`, `the rules file`). */
  reads?: string;
}

/** Hops through symlinks before giving up, as the kernel does (ELOOP). */
const MAX_LINKS = 40;

function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** The identity of an open descriptor (0 standard input, 1 standard output), or undefined when it has none to compare. */
export function descriptorIdentity(fd: number | undefined): string | undefined {
  if (fd === undefined) return undefined;
  try {
    return identityOf(fstatSync(fd));
  } catch {
    return undefined;
  }
}

/**
 * Classify an output target. `stdoutIdentity`: that of the process's standard output when the run writes to it
 * (a path naming the same file is standard output). Throws InputError (exit 2) for what cannot be an output: a
 * directory, a block device, a socket, a missing directory, a symlink loop.
 */
export async function classifyTarget(role: string, given: string, stdoutIdentity?: string): Promise<Target> {
  if (given === '-') return { role, given, kind: 'stdout', path: '-', identity: stdoutIdentity };
  const refuse = (why: string, hint = 'give the name of a file to write') => new InputError(`cannot write ${role} ${given}: ${why}`, hint);
  if (given === '') throw new InputError(`${role}: the file name is empty`, 'give the name of a file to write, or - for standard output');
  if (given.endsWith('/')) throw refuse('it names a directory');
  // Following links: a device or FIFO behind /dev/stdout (/proc/self/fd/1 → "pipe:[…]") cannot be resolved as a path.
  const st = await stat(given).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    if (e.code === 'ELOOP') throw refuse('too many levels of symbolic links');
    if (e.code === 'ENOTDIR') throw refuse('a part of the path is not a directory');
    if (e.code === 'EACCES') throw refuse('permission denied', 'check the permissions of the directories on the way');
    throw e;
  });
  if (st) {
    const identity = identityOf(st);
    if (stdoutIdentity !== undefined && identity === stdoutIdentity) return { role, given, kind: 'stdout', path: '-', identity };
    if (st.isDirectory()) throw refuse('it is a directory');
    if (st.isFIFO() || st.isCharacterDevice()) return { role, given, kind: 'direct', path: given, identity };
    if (st.isBlockDevice()) throw refuse('it is a block device (a disk), not a file');
    if (!st.isFile()) throw refuse('it is a socket or another special file');
    const path = await linkEnd(given, refuse);
    await writableDirectory(dirname(path), refuse);
    return { role, given, kind: 'replace', path, identity, realPath: await realpath(path), mode: st.mode & 0o7777 };
  }
  // Nothing there yet, or a link to nothing: the file is created where the last link points, as `>` does.
  const path = await linkEnd(given, refuse);
  const dir = dirname(path);
  await writableDirectory(dir, refuse);
  return { role, given, kind: 'replace', path, realPath: join(await realpath(dir), basename(path)) };
}

/** The end of a chain of symlinks starting at `p` (p itself when it is not a link); relative links resolve from their directory. */
async function linkEnd(p: string, refuse: (why: string) => InputError): Promise<string> {
  let path = p;
  for (let hops = 0; ; hops++) {
    const st = await lstat(path).catch(() => undefined);
    if (!st?.isSymbolicLink()) return path;
    if (hops >= MAX_LINKS) throw refuse('too many levels of symbolic links');
    const to = await readlink(path);
    path = to.startsWith('/') ? to : join(dirname(path), to);
  }
}

async function writableDirectory(dir: string, refuse: (why: string, hint?: string) => InputError): Promise<void> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) throw refuse('no such directory', 'check that the directory exists');
  if (!st.isDirectory()) throw refuse('a part of the path is not a directory');
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw refuse(`the directory ${dir} is not writable`, 'write somewhere you may create files');
  }
}

/**
 * The input as same-file detection sees it: `-` is standard input (compared by its descriptor's identity when
 * given), a path by the file it names now. A path that cannot be read gives a reference without identity (the
 * input's own error is reported where it is opened).
 */
export async function inputRef(role: string, given: string, reads = role === 'input' ? 'the input' : `the ${role} file`, stdinFd?: number): Promise<FileRef> {
  if (given === '-') return { role, given, reads, identity: descriptorIdentity(stdinFd) };
  const st = await stat(given).catch(() => undefined);
  const real = await realpath(given).catch(() => resolve(given));
  return { role, given, reads, identity: st ? identityOf(st) : undefined, realPath: real };
}

/** The reference same-file detection compares for a classified target. */
export function targetRef(t: Target): FileRef {
  return { role: t.role, given: t.given, identity: t.identity, realPath: t.realPath, stdout: t.kind === 'stdout' };
}

/** Whether two references are one file: both standard output, the same device and inode, or the same path without links. */
export function sameFile(a: FileRef, b: FileRef): boolean {
  if (a.stdout && b.stdout) return true;
  if (a.identity !== undefined && a.identity === b.identity) return true;
  return a.realPath !== undefined && a.realPath === b.realPath;
}

/**
 * Throws InputError (exit 2) naming the first two references that are one file. `files` lists the inputs first,
 * then the outputs: writing either of two such files would destroy the other, or mix two reports in one.
 */
export function assertDistinct(files: readonly FileRef[]): void {
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const a = files[i]!;
      const b = files[j]!;
      if (!sameFile(a, b)) continue;
      const name = (f: FileRef) => `${f.role} ${f.given}`;
      if (a.stdout && b.stdout) {
        const already = `${a.role === '-o' ? 'the scored output' : name(a)} already goes to standard output`;
        const why = b.given === '-' ? already : `it is where standard output goes, and ${already}`;
        throw new InputError(`${name(b)}: ${why}`, `give ${b.role} a file name of its own (or -o a file, to keep standard output for ${b.role})`);
      }
      const how = a.given === b.given ? '' : ' (through a link, or another name for it)';
      if (a.reads !== undefined) {
        const read = a.given === '-' ? 'the file standard input reads' : `${a.reads} ${a.given} itself`;
        const lost = a.reads === 'the input' ? 'the export' : a.reads;
        throw new InputError(`${name(b)} is ${read}${how}: writing it would destroy ${lost}`, `write ${b.role} to another file`);
      }
      throw new InputError(`${name(b)} and ${name(a)} are the same file${how}`, `give ${a.role} and ${b.role} different files`);
    }
  }
}
