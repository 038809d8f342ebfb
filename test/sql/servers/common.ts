// What the PostgreSQL and ClickHouse test harnesses share: column types, tab-separated rows, ports, processes, clean-up.
import { spawn, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

/** A column type as the tests name it; each harness maps it to its engine's type (always nullable). */
export type ColumnType = 'text' | 'double' | 'numeric' | 'bigint' | 'date' | 'timestamp' | 'timestamptz' | 'boolean';

/** A column of a fixture table. */
export interface ColumnDef {
  name: string;
  type: ColumnType;
}

/**
 * A cell as loaded or read back: the value's text, or null for SQL NULL. Loaded values are written as each type
 * reads them in tab-separated form: ISO `YYYY-MM-DD` dates, `YYYY-MM-DD HH:MM:SS` timestamps (`…+00` with a time
 * zone: UTC), `true`/`false`
 * booleans (the ClickHouse harness turns them into 1/0), numbers as JavaScript prints them.
 */
export type Cell = string | null;

/** A query's result: the column names in order, then the rows. */
export interface ResultSet {
  columns: string[];
  rows: Cell[][];
}

/** What a test can do with a running server (or cluster). */
export interface SqlServer {
  readonly engine: 'postgres' | 'clickhouse';
  /** Run statements that return no rows (PostgreSQL: a whole script; ClickHouse: one statement). */
  exec(sql: string): Promise<void>;
  /** Run one SELECT statement (no trailing semicolon needed) and read its rows; NULL stays distinct from ''. */
  query(sql: string): Promise<ResultSet>;
  /** Create `table` with these columns and load the rows (ClickHouse: through the Distributed table). */
  load(table: string, columns: readonly ColumnDef[], rows: readonly Cell[][]): Promise<void>;
  /** Stop the server(s) and remove their directories. Safe to call twice. */
  stop(): Promise<void>;
}

const ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0', "'": "'", '\\': '\\' };

/** One field of PostgreSQL's COPY text format or ClickHouse's TabSeparated: `\N` is NULL, backslash escapes. */
export function unescapeField(field: string): Cell {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/gs, (all, c: string) => ESCAPES[c] ?? c);
}

/** The text of a cell in the COPY text / TabSeparated input format. */
export function escapeField(cell: Cell): string {
  if (cell === null) return '\\N';
  return cell.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Tab-separated rows as both engines write them, with the column names on the first line. */
export function parseTsvWithHeader(text: string): ResultSet {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = lines.shift();
  if (header === undefined) throw new Error('the query returned no header line');
  const columns = header.split('\t').map((c) => unescapeField(c) ?? '');
  const rows = lines.map((line, i) => {
    const cells = line.split('\t').map(unescapeField);
    if (cells.length !== columns.length) {
      throw new Error(`result line ${i + 2} has ${cells.length} fields, the header ${columns.length}: ${line.slice(0, 200)}`);
    }
    return cells;
  });
  return { columns, rows };
}

/** Rows in the tab-separated input format. */
export function toTsv(rows: readonly Cell[][]): string {
  return rows.map((r) => r.map(escapeField).join('\t') + '\n').join('');
}

/** A local TCP port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Distinct free ports (asked for one at a time, so the OS does not hand out one twice while they are open). */
export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  while (out.length < n) {
    const p = await freePort();
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** The result of a finished process. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program to its end, feeding `input` on standard input; never throws for a non-zero exit. */
export function run(cmd: string, args: readonly string[], input = '', opts: SpawnOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin!.on('error', () => {}); // a program that exits early closes its input: its exit code tells
    child.stdin!.end(input);
  });
}

/** Like run(), but a non-zero exit is an error carrying the program's standard error. */
export async function runOk(cmd: string, args: readonly string[], input = '', opts: SpawnOptions = {}): Promise<string> {
  const r = await run(cmd, args, input, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.code}:\n${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

// Clean-up that must happen even when a test process dies: kill server processes, remove temp directories.
const emergency = new Map<number, () => void>();
let nextId = 0;
let hooked = false;

/**
 * Register a synchronous clean-up to run if the process exits before the server is stopped; returns the function
 * that unregisters it (call it once the orderly stop is done).
 */
export function onExit(fn: () => void): () => void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const f of emergency.values()) {
        try {
          f();
        } catch {
          // nothing more can be done while exiting
        }
      }
    });
  }
  const id = nextId++;
  emergency.set(id, fn);
  return () => emergency.delete(id);
}

/** Send a signal to a process, ignoring one that has already gone. */
export function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Wait until `ready()` resolves true, polling; throws what `ready()` throws, or `describe()` after `ms`. */
export async function waitFor(ready: () => Promise<boolean>, ms: number, describe: () => string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await ready()) return;
    if (Date.now() > until) throw new Error(describe());
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Remove a directory tree, ignoring one already removed. */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}
