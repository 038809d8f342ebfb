// Terminal width of rendered text, ANSI colour codes excluded: the one measure every text renderer pads by.

const ANSI = /\x1b\[[0-9;]*m/g;

/** Display width in terminal columns (ANSI codes excluded; one column per code point). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s.replace(ANSI, '')) n++;
  return n;
}

/** `s` padded with spaces on the right to `width` columns (unchanged when already as wide). */
export function padEnd(s: string, width: number): string {
  const d = width - displayWidth(s);
  return d > 0 ? s + ' '.repeat(d) : s;
}

/** `s` padded with spaces on the left to `width` columns (unchanged when already as wide). */
export function padStart(s: string, width: number): string {
  const d = width - displayWidth(s);
  return d > 0 ? ' '.repeat(d) + s : s;
}
