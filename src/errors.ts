// Diagnostics with positions, and the error type the CLI turns into exit code 2.

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
}

/** A user mistake (usage, rules file or input): printed without a stack trace, exit code 2. */
export class UserError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(message: string, diagnostics: Diagnostic[] = [], readonly hint?: string) {
    super(message);
    this.name = 'UserError';
    this.diagnostics = diagnostics;
  }
}

/** `file:line:col: error: message (hint)` — one line per diagnostic. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.col ? `:${d.col}` : ''}` : ''}: ` : '';
  return `${where}${d.severity}: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}`;
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
