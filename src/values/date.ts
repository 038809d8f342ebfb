// Dates as exports write them → whole days since 1970-01-01 (UTC). ISO, US, European, month names, epoch.

export type DateOrder = 'auto' | 'MDY' | 'DMY' | 'YMD';

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function ymd(y: number, m: number, d: number): number | undefined {
  if (!(m >= 1 && m <= 12 && d >= 1 && y >= 1 && y <= 9999) || d > daysInMonth(y, m)) return undefined;
  return daysFromCivil(y, m, d);
}

/** Month names and abbreviations (lower-case) → month number. */
export const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
  dec: 12, december: 12,
};

// Optional time of day after a date: " 13:45", "T13:45:00.000Z", " 7:05 PM", "+02:00" — ignored.
const TIME = String.raw`(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?`;
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME}$`);
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})${TIME}$`);
const DAY_MONTHNAME = new RegExp(String.raw`^(\d{1,2})[\s\-/.]+([A-Za-z]{3,9})\.?[\s\-/.,]+(\d{4})${TIME}$`);
const MONTHNAME_DAY = new RegExp(String.raw`^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})${TIME}$`);

const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : NaN;
};

const PLAIN_TIME = /^[T ]\d{1,2}:\d{2}(?::\d{2})?$/;

/**
 * The common case without the big regular expressions: "YYYY-MM-DD", alone or with a plain " HH:MM[:SS]" or
 * "THH:MM[:SS]" (YEAR_FIRST reads these the same way; zones, fractions and AM/PM fall through to it).
 * The day (undefined: not a real date such as 2025-02-30), or null when `s` has another form.
 */
function isoPrefix(s: string): number | undefined | null {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return null;
  const y = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const m = digit(s, 5) * 10 + digit(s, 6);
  const d = digit(s, 8) * 10 + digit(s, 9);
  if (y !== y || m !== m || d !== d) return null;
  // Only a plain " HH:MM[:SS]" or "THH:MM[:SS]" is taken here; zones, fractions and AM/PM go through YEAR_FIRST.
  if (s.length > 10 && !PLAIN_TIME.test(s.slice(10))) return null;
  return ymd(y, m, d);
}

function fullYear(y: string): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n <= 69 ? 2000 + n : 1900 + n;
}

/**
 * Parse a date to whole days since 1970-01-01 (UTC; a time of day, and any zone offset, are dropped:
 * the calendar date as written counts). undefined when not a date, or when 'auto' meets an ambiguous
 * day/month order (03/04/2020). Digits only: 8 = YYYYMMDD, 9–10 = epoch seconds, 12–13 = epoch ms.
 */
export function parseDate(raw: string, order: DateOrder = 'auto'): number | undefined {
  if (raw.length > 64) return undefined;
  const s = raw.trim();
  if (s.length < 6) return undefined;
  const c0 = s.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) {
    const iso = isoPrefix(s);
    if (iso !== null) return iso;
    let m = YEAR_FIRST.exec(s);
    if (m) return ymd(Number(m[1]), Number(m[3]), Number(m[4]));
    m = YEAR_LAST.exec(s);
    if (m) {
      const a = Number(m[1]);
      const b = Number(m[3]);
      const y = fullYear(m[4]!);
      if (order === 'MDY') return ymd(y, a, b);
      if (order === 'DMY') return ymd(y, b, a);
      if (order === 'YMD') return undefined;
      if (a === b) return ymd(y, a, b);
      if (a > 12 && b <= 12) return ymd(y, b, a);
      if (b > 12 && a <= 12) return ymd(y, a, b);
      return undefined;
    }
    if (/^\d+$/.test(s)) {
      if (s.length === 8) return ymd(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6)));
      if (s.length === 9 || s.length === 10) return Math.floor(Number(s) / 86400);
      if (s.length === 12 || s.length === 13) return Math.floor(Number(s) / 86_400_000);
      return undefined;
    }
    m = DAY_MONTHNAME.exec(s);
    if (m) {
      const mon = MONTHS[m[2]!.toLowerCase()];
      return mon ? ymd(Number(m[3]), mon, Number(m[1])) : undefined;
    }
    return undefined;
  }
  const m = MONTHNAME_DAY.exec(s);
  if (m) {
    const mon = MONTHS[m[1]!.toLowerCase()];
    return mon ? ymd(Number(m[3]), mon, Number(m[2])) : undefined;
  }
  return undefined;
}

/**
 * Which day/month orders a value is consistent with, for per-column detection: 'iso' (unambiguous:
 * year first, month name, epoch, or day = month), 'MDY' (10/20/2016), 'DMY' (20.10.2016),
 * 'either' (03/04/2020), or 'none' (not a date).
 */
export function dateOrderEvidence(raw: string): 'iso' | 'MDY' | 'DMY' | 'either' | 'none' {
  const s = raw.trim();
  const m = YEAR_LAST.exec(s);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const y = fullYear(m[4]!);
    const asMdy = ymd(y, a, b) !== undefined;
    const asDmy = ymd(y, b, a) !== undefined;
    if (asMdy && asDmy) return a === b ? 'iso' : 'either';
    if (asMdy) return 'MDY';
    if (asDmy) return 'DMY';
    return 'none';
  }
  return parseDate(s) === undefined ? 'none' : 'iso';
}

/** 'YYYY-MM-DD' → day number, or undefined; strict, for --as-of. */
export function parseIsoDay(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? ymd(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
}

/** Day number → 'YYYY-MM-DD'. */
export function formatDay(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
