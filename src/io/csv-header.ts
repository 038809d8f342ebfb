// The header line: its delimiter, where it ends, and unique keys for its names (blank and repeated ones included).

const CANDIDATES = [',', ';', '\t', '|'];

/**
 * Unique keys for header names, and warnings about blank and duplicate names. A name as written always
 * keeps its own key (so a header literally called "Email#2" or "column_4" is never shadowed); the
 * generated keys of blank and repeated names skip any key already taken.
 */
export function headerKeys(names: readonly string[]): { keys: string[]; issues: string[] } {
  const trimmed = names.map((n) => n.trim());
  const keys = new Array<string>(names.length);
  const used = new Set<string>();
  const columns = new Map<string, number[]>(); // trimmed name → 1-based columns, in order
  trimmed.forEach((t, i) => {
    if (t === '') return;
    const cols = columns.get(t);
    if (cols) cols.push(i + 1);
    else {
      columns.set(t, [i + 1]);
      keys[i] = t;
      used.add(t);
    }
  });
  const issues: string[] = [];
  trimmed.forEach((t, i) => {
    if (keys[i] !== undefined) return;
    const base = t === '' ? `column_${i + 1}` : t;
    let key = base;
    for (let k = 2; used.has(key); k++) key = `${base}#${k}`;
    used.add(key);
    keys[i] = key;
    if (t === '') issues.push(`header column ${i + 1} is blank; addressed as "${key}"`);
  });
  for (const [name, cols] of columns) {
    if (cols.length < 2) continue;
    const others = cols.slice(1).map((c) => `"${keys[c - 1]}"`);
    issues.push(
      cols.length === 2
        ? `header "${name}" appears twice (columns ${cols[0]} and ${cols[1]}); the second is addressed as ${others[0]}`
        : `header "${name}" appears ${cols.length} times (columns ${list(cols.map(String))}); the others are addressed as ${list(others)}`,
    );
  }
  return { keys, issues };
}

function list(items: string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * The delimiter of a header line: the most frequent of , ; TAB | outside quotes; ties or none → ','.
 * A quote opens a quoted field only at the start of a field, i.e. after any candidate.
 */
export function detectDelimiter(line: string): string {
  const counts = [0, 0, 0, 0];
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (inQuote) {
      if (ch === '"') {
        if (line[i + 1] === '"') i++;
        else inQuote = false;
      }
      continue;
    }
    const k = CANDIDATES.indexOf(ch);
    if (k !== -1) {
      counts[k]!++;
      fieldStart = true;
      continue;
    }
    if (ch === '"' && fieldStart) inQuote = true;
    fieldStart = false;
  }
  let best = 0;
  let tie = false;
  for (let k = 1; k < counts.length; k++) {
    if (counts[k]! > counts[best]!) {
      best = k;
      tie = false;
    } else if (counts[k] === counts[best]) tie = true;
  }
  return tie || counts[best] === 0 ? ',' : CANDIDATES[best]!;
}

/** Index of the first line break outside quotes (any candidate delimiter starts a field), or -1. */
export function firstLineEnd(text: string): number {
  let inQuote = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inQuote) {
      if (ch === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else inQuote = false;
      }
      continue;
    }
    if (ch === 10 || ch === 13) return i;
    if (ch === 34 && fieldStart) inQuote = true;
    fieldStart = ch === 44 || ch === 59 || ch === 9 || ch === 124;
  }
  return -1;
}
