// Boolean-ish cell values: yes/no, true/false, y/n, 1/0, x, on/off, checked/unchecked, t/f.
/** Words read as true (after trim and lower-casing). */
export const TRUE_WORDS = new Set(['yes', 'y', 'true', 't', '1', 'x', 'on', 'checked', 'ja', 'oui', 'si', 'tak']);
/** Words read as false. */
export const FALSE_WORDS = new Set(['no', 'n', 'false', 'f', '0', 'off', 'unchecked', 'nein', 'non', 'nie']);

/** Parse a boolean-ish value (trimmed, case-insensitive). undefined for anything else, including empty. */
export function parseBool(raw: string): boolean | undefined {
  if (raw.length > 12) return undefined;
  const v = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}
