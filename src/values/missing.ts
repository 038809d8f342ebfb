// Placeholders that mean "no value", and normalisation of categorical text.

/** Cell values treated as missing by default (compared trimmed and case-insensitively). */
export const DEFAULT_PLACEHOLDERS: readonly string[] = [
  '',
  '-',
  '--',
  '—',
  '?',
  'n/a',
  'na',
  '#n/a',
  'n.a.',
  'null',
  'nil',
  'none',
  'unknown',
  'not provided',
  'not available',
  'select',
  '(blank)',
  '(none)',
  '(not set)',
  'tbd',
];

/** A fast membership test (trimmed, case-insensitive) for a placeholder list. */
export function makeIsMissing(placeholders: readonly string[]): (raw: string) => boolean {
  const set = new Set(placeholders.map((p) => p.trim().toLowerCase()));
  const longest = Math.max(0, ...[...set].map((p) => p.length));
  const empty = set.has('');
  // Most cells are not placeholders: reject them on their first character without allocating.
  const firsts = new Set([...set].filter((p) => p.length > 0).map((p) => p.charCodeAt(0)));
  return (raw: string) => {
    if (raw.length === 0) return empty;
    let c = raw.charCodeAt(0);
    if (c > 32 && c !== 160) {
      if (raw.length > longest) return false;
      if (c >= 65 && c <= 90) c += 32;
      if (!firsts.has(c)) return false;
    }
    return set.has(raw.trim().toLowerCase());
  };
}

/** Normalise categorical text: trim, collapse inner whitespace, lower-case, NFC. */
export function normalizeText(raw: string): string {
  // One pass to see what is needed; most values need at most a lower-casing.
  let upper = false;
  let nonAscii = false;
  let collapse = false;
  const n = raw.length;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 65 && c <= 90) upper = true;
    else if (c > 127) nonAscii = true;
    else if (c <= 32 && (c !== 32 || i === 0 || i === n - 1 || raw.charCodeAt(i + 1) === 32)) collapse = true;
  }
  let s = raw;
  if (collapse || nonAscii) s = s.trim();
  if (upper || nonAscii) s = s.toLowerCase();
  if (collapse || nonAscii) s = s.replace(/\s+/g, ' ');
  if (nonAscii) s = s.normalize('NFC');
  return s;
}

/** Split a multi-value cell ("SaaS; Fintech") on separators (default ';'), normalised, empties dropped. */
export function splitMulti(raw: string, separators: readonly string[] = [';']): string[] {
  let parts = separators.length === 1 ? raw.split(separators[0]!) : [raw];
  if (separators.length > 1) for (const sep of separators) parts = parts.flatMap((p) => p.split(sep));
  const out: string[] = [];
  for (const p of parts) {
    const n = normalizeText(p);
    if (n) out.push(n);
  }
  return out;
}
