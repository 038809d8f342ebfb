// The one place where an export is opened for a model: reader settings, header binding, per-column
// detection on a sample, and replay of that sample — shared by score, explain and validate so they agree.
import { Command } from 'commander';
import { UserError } from '../errors.js';
import { bindSettings, type BoundModel } from '../engine/bind.js';
import type { Model } from '../engine/model.js';
import { bindHeader } from '../plan/bind.js';
import type { SampleRow } from '../plan/detect.js';
import { asOfColumn, readSettings, settleFromSample } from '../plan/read-settings.js';
import type { AsOfSource } from '../plan/types.js';
import { openCsv, type CsvItem, type Encoding, type HeaderInfo } from '../io/csv-reader.js';
import { InputFile } from '../io/input-file.js';
import { choice, describeFsError, readOverrides, type Io } from './shared.js';

export const ENCODINGS = ['auto', 'utf8', 'utf16le', 'utf16be', 'windows-1252', 'latin1'] as const;
const ENCODING_ALIASES: Record<string, (typeof ENCODINGS)[number]> = {
  'utf-8': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  cp1252: 'windows-1252',
  'iso-8859-1': 'latin1',
};

/** --encoding: a name from ENCODINGS or a common spelling of one (utf-8, cp1252, iso-8859-1…). */
export function parseEncoding(value: string | undefined): Encoding | 'auto' {
  return choice('--encoding', value ?? 'auto', ENCODINGS, ENCODING_ALIASES) as Encoding | 'auto';
}

/** Rows read before scoring starts, to detect per-column date orders; they are then replayed. */
export const SAMPLE_ROWS = 1000;

export interface InputOptions {
  delimiter?: string;
  encoding?: string;
  decimal?: string;
  dateOrder?: string;
}

/** Options shared by commands that read an export. */
export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--delimiter <char>', 'field delimiter: , ; | or tab (default: detected from the header)')
    .option('--encoding <name>', `input encoding: ${ENCODINGS.join(', ')}`, 'auto')
    .option('--decimal <mode>', 'decimal separator of numbers where the rules do not say: auto, dot or comma')
    .option('--date-order <order>', 'day/month order of dates where the rules do not say: auto, MDY, DMY or YMD');
}

/** Parse --delimiter: one character, or the names tab / comma / semicolon / pipe. */
export function parseDelimiter(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const named: Record<string, string> = { tab: '\t', '\\t': '\t', comma: ',', semicolon: ';', pipe: '|' };
  const d = named[v.toLowerCase()] ?? v;
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new UserError(`--delimiter: "${v}" is not a single delimiter character`, [], 'use , ; | or tab');
  }
  return d;
}

/**
 * Open the input file at `path` (not '-'), once for the whole run: throws UserError (exit 2) when it cannot be read.
 * Every later reader of the run reads this open file (see InputFile), so the path may change meanwhile.
 */
export async function openInputFile(path: string): Promise<InputFile> {
  try {
    return await InputFile.open(path);
  } catch (e) {
    throw new UserError(`cannot read input ${path}: ${describeFsError(e)}`, [], 'give a CSV file, or - to read standard input');
  }
}

/** The bytes of `path` ('-' = stdin) and how to stop reading them; reads `file` when given (the caller closes it). */
export async function inputBytes(path: string, io: Io, file?: InputFile): Promise<{ bytes: AsyncIterable<Buffer>; close(): void }> {
  if (path === '-') return { bytes: io.stdin as AsyncIterable<Buffer>, close: () => io.stdin.destroy() };
  const f = file ?? (await openInputFile(path));
  const bytes = f.bytes(0);
  return {
    bytes,
    close: () => {
      void bytes.return(undefined);
      if (!file) void f.close().catch(() => undefined);
    },
  };
}

/** The warning for an input whose last record (on `line`) has no line break after it. */
export function unterminatedWarning(input: string, line: number): string {
  return `${input === '-' ? '<stdin>' : input}: the last record (line ${line}) does not end with a line break: the export may have been cut off`;
}

/** What recency is measured from: one day (a day number), or each row's own date in a column (--as-of-column). */
export type AsOfChoice = number | { column: string };

export interface OpenedInput {
  header: HeaderInfo;
  /** The model bound with this input's read settings (bound.settings). */
  bound: BoundModel;
  /** The models given as `also`, bound to the same header with the same detection (for diff and report --base). */
  alsoBound: BoundModel[];
  /** Header issues, optional columns absent, detection warnings: printed or summarised by the command. */
  warnings: string[];
  /** All data records in order, the sample first. Breaking out stops reading. */
  batches(): AsyncGenerator<CsvItem[]>;
  /** Stop reading and release the input. */
  close(): void;
}

/**
 * Open `path` ('-' = stdin) for `model` (and the `also` models, bound to the same header), reading `file` when given
 * (opened by the caller, who closes it; `close` only stops this reader): throws UserError (exit 2) when the input
 * does not fit the rules.
 */
export async function openModelInput(path: string, opts: InputOptions, model: Model, asOf: AsOfChoice, io: Io, also: readonly Model[] = [], file?: InputFile): Promise<OpenedInput> {
  const [bound, ...alsoBound] = await openModels(path, opts, [model, ...also], asOf, io, file);
  return { ...bound!, alsoBound: alsoBound.map((b) => b.bound) };
}

/** Open the input once for several models: each bound to the header and given the sample's date orders. */
async function openModels(path: string, opts: InputOptions, models: readonly Model[], asOf: AsOfChoice, io: Io, file?: InputFile): Promise<Omit<OpenedInput, 'alsoBound'>[]> {
  const { decimal, dateOrder } = readOverrides(opts);
  const name = path === '-' ? '<stdin>' : path;
  const input = await inputBytes(path, io, file);
  let source;
  try {
    source = await openCsv(input.bytes, { delimiter: parseDelimiter(opts.delimiter), encoding: parseEncoding(opts.encoding) }, name);
  } catch (e) {
    input.close();
    throw e;
  }
  const header = source.header;
  const close = () => input.close();

  const warnings = [...header.issues];
  const binds = models.map((model) => {
    const bind = bindHeader(model.plan, header.keys);
    if (!bind.ok) {
      close();
      const errors = bind.issues.filter((i) => i.severity === 'error');
      throw new UserError(
        `${name}: ${errors.length} column${errors.length === 1 ? '' : 's'} the rules need ${errors.length === 1 ? 'is' : 'are'} missing or ambiguous`,
        errors.map((i) => ({ severity: 'error', code: i.code, message: i.message, hint: i.hint, file: name, line: header.line })),
      );
    }
    for (const i of bind.issues) if (i.severity === 'warning') warnings.push(`${i.message}${i.hint ? ` (${i.hint})` : ''}`);
    return bind;
  });

  // Read a sample for per-column detection, keeping it to replay.
  const it = source.batches();
  const buffered: CsvItem[][] = [];
  const sample: SampleRow[] = [];
  let done = false;
  while (sample.length < SAMPLE_ROWS) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    buffered.push(r.value);
    for (const item of r.value) if ('fields' in item) sample.push(item);
  }
  const said = new Set<string>();
  const bounds = models.map((model, k) => {
    // This input's own read settings: the model (and its Plan) are never changed by reading.
    const settled = settleFromSample(model.plan, readSettings(model.plan, binds[k]!, header, { decimal, dateOrder }), sample);
    const errors = settled.issues.filter((i) => i.severity === 'error');
    if (errors.length) {
      close();
      throw new UserError(
        `${name}: ambiguous dates`,
        errors.map((i) => ({ severity: 'error', code: 'mixed-date-order', message: i.message, hint: i.hint, file: name })),
      );
    }
    let source: AsOfSource = { day: typeof asOf === 'number' ? asOf : NaN };
    if (typeof asOf !== 'number') {
      const found = asOfColumn(model.plan, settled.settings, header.keys, asOf.column, sample, { dateOrder });
      if (found.column === undefined) {
        close();
        const keys = header.keys;
        throw new UserError(`--as-of-column: no column "${asOf.column}" in ${name} or in the rules`, [], `headers: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''}`);
      }
      const bad = found.issues.find((i) => i.severity === 'error');
      if (bad) {
        close();
        throw new UserError(`${name}: ambiguous dates in the --as-of-column`, [{ severity: 'error', code: 'mixed-date-order', message: bad.message, hint: bad.hint, file: name }]);
      }
      settled.issues.push(...found.issues);
      source = { column: found.column };
    }
    for (const i of settled.issues) {
      const w = `${i.message}${i.hint ? ` (${i.hint})` : ''}`;
      if (!said.has(w)) warnings.push(w);
      said.add(w);
    }
    return bindSettings(model, settled.settings, source);
  });

  async function* batches(): AsyncGenerator<CsvItem[]> {
    try {
      while (buffered.length) yield buffered.shift()!;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      await it.return(undefined);
    }
  }
  return bounds.map((b) => ({ header, bound: b, warnings, batches, close }));
}
