// What every command needs from the edges: streams, colour decision, reading the rules file, --as-of.
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { UserError, formatDiagnostic, type Diagnostic } from '../errors.js';
import { loadRules, type LoadedRules } from '../rules/index.js';
import type { Model } from '../engine/model.js';
import type { RulesData } from '../rules/schema.js';
import { formatDay, parseIsoDay, type DateOrder, type DecimalMode } from '../values/index.js';
import { READ_BYTES } from '../io/decode.js';
import { describeFsError } from '../io/errors.js';
import { openOutputs, type InputSpec, type OutputSpec } from '../io/output.js';
import { Chalk } from 'chalk';

/** The process edges a command may touch; tests pass their own. */
export interface Io {
  stdin: Readable;
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Colour on a TTY only; never with NO_COLOR or TERM=dumb; --color/--no-color and FORCE_COLOR win. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (flag === true) return true;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function chalkFor(color: boolean): InstanceType<typeof Chalk> {
  return new Chalk({ level: color ? 1 : 0 });
}

/** Print diagnostics to stderr, errors red and warnings yellow when colour is on. */
export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], color: boolean): void {
  const c = chalkFor(color);
  for (const d of diagnostics) {
    const text = formatDiagnostic(d);
    io.stderr.write(`${d.severity === 'error' ? c.red(text) : c.yellow(text)}\n`);
  }
}

/** Read a rules file and load it (errors and warnings in `diagnostics`); throws UserError only when it cannot be read. */
export async function loadRulesFile(path: string): Promise<LoadedRules> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read rules file ${path}: ${describeFsError(e)}`, [], 'check the path given to --rules', 'rules');
  }
  return loadRules(text, path);
}

/** Read and compile a rules file; throws UserError (exit 2) listing every error. */
export async function readRules(path: string): Promise<LoadedRules & { model: Model; rules: RulesData }> {
  const loaded = await loadRulesFile(path);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length || !loaded.model || !loaded.rules) {
    throw new UserError(`${path}: ${errors.length} error${errors.length === 1 ? '' : 's'} in the rules file`, loaded.diagnostics, undefined, 'rules');
  }
  return { ...loaded, model: loaded.model, rules: loaded.rules };
}

/** --decimal and --date-order: how numbers and dates are read where the rules do not say (undefined when not given). */
export function readOverrides(opts: { decimal?: string; dateOrder?: string }): { decimal?: DecimalMode; dateOrder?: DateOrder } {
  return {
    decimal: opts.decimal === undefined ? undefined : choice<DecimalMode>('--decimal', opts.decimal, ['auto', 'dot', 'comma']),
    dateOrder:
      opts.dateOrder === undefined
        ? undefined
        : choice<DateOrder>('--date-order', opts.dateOrder.toUpperCase() === 'AUTO' ? 'auto' : opts.dateOrder.toUpperCase(), ['auto', 'MDY', 'DMY', 'YMD']),
  };
}

// Commands word file-system errors as the outputs do (one definition, in src/io/errors.ts).
export { describeFsError };

/** --as-of: a YYYY-MM-DD date, or today (UTC) when not given. Returns the day number and its text. */
export function resolveAsOf(value: string | undefined, now: Date = new Date()): { day: number; text: string } {
  if (value === undefined) {
    const day = Math.floor(now.getTime() / 86_400_000);
    return { day, text: formatDay(day) };
  }
  const day = parseIsoDay(value);
  if (day === undefined) throw new UserError(`--as-of: "${value}" is not a date`, [], 'use the form YYYY-MM-DD, e.g. --as-of 2026-11-01');
  return { day, text: formatDay(day) };
}

/**
 * --as-of and --as-of-column: one day for every row (resolveAsOf: given, else today), or each row's own date in a
 * column; both at once is a usage error. `text` names what recency is measured from, for reports.
 */
export function resolveAsOfSource(opts: { asOf?: string; asOfColumn?: string }, now: Date = new Date()): { choice: number | { column: string }; text: string; column?: string } {
  if (opts.asOfColumn === undefined) {
    const { day, text } = resolveAsOf(opts.asOf, now);
    return { choice: day, text };
  }
  if (opts.asOf !== undefined) {
    throw new UserError('--as-of and --as-of-column cannot be used together', [], "give --as-of <date> for one day for every lead, or --as-of-column <column> for each lead's own date");
  }
  const column = opts.asOfColumn.trim();
  if (column === '') throw new UserError('--as-of-column: no column named', [], 'e.g. --as-of-column "Create Date"');
  return { choice: { column }, text: `each lead's ${column}`, column };
}

/** A byte stream for an input path, '-' meaning stdin. Fails early, with a clear message, on a missing file. */
export async function openInput(path: string, io: Io): Promise<AsyncIterable<Buffer> & Readable> {
  if (path === '-') return io.stdin as AsyncIterable<Buffer> & Readable;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (e) {
    throw new UserError(`cannot read input ${path}: ${describeFsError(e)}`, [], 'give a CSV file, or - to read standard input');
  }
  return createReadStream(path, { highWaterMark: READ_BYTES });
}

/** Parse a choice option, with a clear message. */
export function choice<T extends string>(name: string, value: string, allowed: readonly T[], aliases: Record<string, T> = {}): T {
  const v = aliases[value] ?? value;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  throw new UserError(`${name}: "${value}" is not one of ${allowed.join(', ')}`);
}

/**
 * Write whole texts (a rules file, its tests) through one output group (src/io/output.ts): each to a temporary file
 * renamed over its target once all are complete, never over a file the command reads (`inputs`), and removed
 * again on a failure or a signal. `-` writes to standard output.
 */
export async function writeTexts(io: Io, outputs: readonly { spec: OutputSpec; text: string }[], inputs: readonly InputSpec[] = []): Promise<void> {
  const group = await openOutputs(
    outputs.map((o) => o.spec),
    { stdout: io.stdout, stdoutFd: io.stdout === process.stdout ? 1 : undefined, stdinFd: io.stdin === process.stdin ? 0 : undefined, inputs },
  );
  try {
    for (const [k, o] of outputs.entries()) {
      const p = group.sinks[k]!.write(o.text);
      if (p) await p;
    }
    await group.commit();
  } finally {
    await group.abort();
  }
}
