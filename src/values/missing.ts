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
  return (raw: string) => {
    if (raw.length === 0) return empty;
    if (raw.length > longest + 8) return false;
    return set.has(raw.trim().toLowerCase());
  };
}

/** Normalise categorical text: trim, collapse inner whitespace, lower-case, NFC. */
export function normalizeText(raw: string): string {
  let s = raw.trim().toLowerCase();
  if (/\s\s|[\t\n\r\u00a0]/.test(s)) s = s.replace(/\s+/g, ' ');
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(s)) s = s.normalize('NFC');
  return s;
}

/** Split a multi-value cell ("SaaS; Fintech") on separators (default ';'), normalised, empties dropped. */
export function splitMulti(raw: string, separators: readonly string[] = [';']): string[] {
  let parts = [raw];
  for (const sep of separators) parts = parts.flatMap((p) => p.split(sep));
  const out: string[] = [];
  for (const p of parts) {
    const n = normalizeText(p);
    if (n) out.push(n);
  }
  return out;
}
