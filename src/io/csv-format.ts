// CSV output helpers: quoting one field, and neutralising spreadsheet formula injection.

const needsQuotes = new Map<string, RegExp>();

/**
 * Quote one field for CSV output with the given delimiter: quoted when it contains the delimiter, a quote,
 * CR or LF, or starts or ends with a space or tab (which spreadsheets and some parsers would trim).
 * Quotes inside are doubled. Anything else is returned unchanged, so plain values stay byte-for-byte.
 */
export function csvField(value: string, delimiter: string): string {
  let re = needsQuotes.get(delimiter);
  if (!re) {
    const d = delimiter.replace(/[\\^\]\-[]/g, '\\$&');
    re = new RegExp(`["\\r\\n${d}]|^[ \\t]|[ \\t]$`);
    needsQuotes.set(delimiter, re);
  }
  if (!re.test(value)) return value;
  return `"${value.replace(/"/g, '""')}"`;
}

/** A number as written in exports: -5, +3.25, -1,250.00, -1.250,5, -2e3. Safe to leave as it is. */
const PLAIN_NUMBER = /^[+-](?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Neutralise spreadsheet formula injection (OWASP "CSV injection"): a value starting with = + - @ TAB or CR
 * gets a leading apostrophe, which spreadsheets hide and which makes them show the cell as text.
 * Decision: a plain signed number (`-5`, `+3.5`, `-1,250.00`) is left as it is, since a spreadsheet reads it
 * as the number it is and it cannot run anything; everything else is prefixed, phone numbers such as
 * `+48 123 456 789` included (as text they also keep their formatting).
 */
export function excelSafe(value: string): string {
  if (value.length === 0) return value;
  const c = value.charCodeAt(0);
  // = + - @ TAB CR
  if (c !== 61 && c !== 43 && c !== 45 && c !== 64 && c !== 9 && c !== 13) return value;
  if ((c === 43 || c === 45) && PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}
