// The one error class (a closed set of codes), diagnostics with positions, the exit statuses, and "did you mean".

/**
 * What a command returns, and the only numbers the process exits with (as ruff's ExitStatus): 0 success; 1 a
 * failure — a requested gate failed (--min-coverage, validate --strict with warnings, failed expectations) or the
 * run could not finish (an output that cannot be written, an unexpected error); 2 a usage, rules-file or input
 * error; 129 / 130 / 143 stopped by SIGHUP / SIGINT / SIGTERM (128 + the signal's number, as shells report it).
 */
export type ExitStatus = 0 | 1 | 2 | 129 | 130 | 143;

/** The exit statuses by name. */
export const EXIT = { ok: 0, failure: 1, error: 2, sighup: 129, sigint: 130, sigterm: 143 } as const satisfies Record<string, ExitStatus>;

/**
 * What kind of user mistake an error is: `usage` (an option or argument), `rules` (the rules file cannot be read or
 * has errors), `input` (the export cannot be read, decoded or bound to the rules), `not-found` (a lead asked for
 * is not in the export). Every one exits with status 2.
 */
export type ErrorCode = 'usage' | 'rules' | 'input' | 'not-found';

/** One problem found in a rules file, an input or the command line. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable machine-readable code, e.g. `unknown-key`, `band-overlap`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  /** How to fix it, e.g. 'did you mean "points"?'. */
  hint?: string;
  /** Path inside the rules document, e.g. ['criteria', 2, 'gte']. */
  path?: (string | number)[];
  /** The text of the source line at `line`, shown with a `^` under `col` (rules files). */
  excerpt?: string;
}

/** A user mistake (usage, rules file, input): printed without a stack trace, exit status 2. */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  readonly code: ErrorCode;
  constructor(message: string, diagnostics: Diagnostic[] = [], readonly hint?: string, code: ErrorCode = 'usage') {
    super(message);
    this.name = 'UserError';
    this.diagnostics = diagnostics;
    this.code = code;
  }
}

/** `file:line:col: severity: message`, the source line with a `^` under the column when known, then the hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.col ? `:${d.col}` : ''}` : ''}: ` : '';
  const excerpt = d.excerpt !== undefined && d.line && d.col ? `\n${caretExcerpt(d.excerpt, d.line, d.col)}` : '';
  return `${where}${d.severity}: ${d.message}${excerpt}${d.hint ? `\n  hint: ${d.hint}` : ''}`;
}

/** Widest excerpt shown; a longer line is cut around the column. */
const EXCERPT_WIDTH = 100;

/**
 * A source line under a `line |` gutter and a `^` under column `col` (1-based, in UTF-16 units as positions are
 * counted), as eemeli/yaml's prettifyError shows them. Tabs are shown as one space so that the caret lines up.
 */
export function caretExcerpt(text: string, line: number, col: number): string {
  let shown = text.replace(/\t/g, ' ').replace(/\r$/, '');
  let at = Math.min(Math.max(0, col - 1), shown.length);
  if (shown.length > EXCERPT_WIDTH) {
    const start = Math.max(0, Math.min(at - EXCERPT_WIDTH / 2, shown.length - EXCERPT_WIDTH));
    const end = start + EXCERPT_WIDTH;
    shown = `${start > 0 ? '…' : ''}${shown.slice(start, end)}${end < shown.length ? '…' : ''}`;
    at = at - start + (start > 0 ? 1 : 0);
  }
  const gutter = String(line);
  const pad = [...shown.slice(0, at)].length;
  return `  ${gutter} | ${shown}\n  ${' '.repeat(gutter.length)} | ${' '.repeat(pad)}^`;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `word` (case-insensitive), if close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(w.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}
