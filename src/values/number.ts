// Human numbers as CRM exports write them: 1,250,000 · 1.250.000,50 · 1 250 000 · $5M · 2.5k · 5 mln · (1,000) · 12%.

/**
 * Decimal-separator convention. 'auto' = English ('.' decimal, ',' thousands) unless the value itself
 * says otherwise (1.250.000,50 or 12,5); 'comma' = European ('.', space or ' thousands, ',' decimal);
 * 'dot' = strictly English.
 */
export type DecimalMode = 'auto' | 'dot' | 'comma';

/** Suffix words (lower-case) and the factor they stand for: 2.5k, 5 mln. */
export const MULTIPLIERS: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  tys: 1e3,
  m: 1e6,
  mm: 1e6,
  mn: 1e6,
  mln: 1e6,
  mio: 1e6,
  million: 1e6,
  millions: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
  billions: 1e9,
  mld: 1e9,
  mrd: 1e9,
};

/** Currency marks allowed before the number (case-insensitive). */
export const CURRENCY = /^(?:\$|€|£|¥|₹|zł|zl|pln|usd|eur|gbp|chf|sek|nok|dkk|czk|jpy|cad|aud|us\$|c\$|a\$)/i;
/** Currency marks allowed after the number (case-insensitive). */
export const CURRENCY_END = /(?:\$|€|£|¥|₹|zł|zl|pln|usd|eur|gbp|chf|sek|nok|dkk|czk|jpy|cad|aud)$/i;
const SUFFIX = /^(.*\d)\s*([a-z]+)\.?$/i;

/** Fast path: optional minus, digits, optional dot and digits. */
function plain(s: string): boolean {
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= s.length) return false;
  let digits = 0;
  let dot = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot && digits > 0 && i < s.length - 1) dot = true;
    else return false;
  }
  return digits > 0;
}

/** True when every group after the first has exactly 3 digits and the first has 1–3. */
function validGroups(groups: string[]): boolean {
  if (groups.length === 0) return false;
  if (!/^\d{1,3}$/.test(groups[0]!)) return false;
  for (let i = 1; i < groups.length; i++) if (!/^\d{3}$/.test(groups[i]!)) return false;
  return true;
}

/** The unsigned digits-and-separators core → number, or undefined. */
function parseCore(core: string, decimal: DecimalMode): number | undefined {
  if (/^\d+(?:\.\d+)?e[+-]?\d+$/i.test(core)) return Number(core);
  if (!/^[\d.,' \u00a0\u202f]+$/.test(core) || !/^\d/.test(core) || !/\d$/.test(core)) return undefined;
  // Spaces and apostrophes only ever group thousands.
  const spaced = /[' \u00a0\u202f]/.test(core);
  const commas = (core.match(/,/g) ?? []).length;
  const dots = (core.match(/\./g) ?? []).length;
  let dec: ',' | '.' | '' = '';
  if (decimal === 'dot') dec = dots ? '.' : '';
  else if (decimal === 'comma') dec = commas ? ',' : '';
  else if (commas && dots) dec = core.lastIndexOf(',') > core.lastIndexOf('.') ? ',' : '.';
  else if (commas === 1 && !dots) dec = /,\d{3}$/.test(core) && !spaced ? '' : ',';
  else if (dots === 1 && !commas) dec = '.';
  else if (commas === 1 && spaced) dec = ',';
  let intPart = core;
  let frac = '';
  if (dec) {
    const at = core.lastIndexOf(dec);
    intPart = core.slice(0, at);
    frac = core.slice(at + 1);
    if (!/^\d+$/.test(frac) || intPart.includes(dec)) return undefined;
  }
  const thousands = dec === ',' ? '.' : dec === '.' ? ',' : commas ? ',' : '.';
  const groups = intPart.split(new RegExp(`[${thousands === '.' ? '\\.' : ','}' \\u00a0\\u202f]`));
  if (groups.length > 1 ? !validGroups(groups) : !/^\d+$/.test(intPart)) return undefined;
  // A thousands separator of the other kind left in the integer part is malformed (1,250.000.5).
  const digits = groups.join('');
  if (!/^\d+$/.test(digits)) return undefined;
  return Number(frac ? `${digits}.${frac}` : digits);
}

/**
 * Parse a human number; undefined when it is not one. Percentages return the number as written
 * (12% → 12). Indian grouping (12,50,000) is rejected: its groups are not of three digits.
 */
export function parseNumber(raw: string, decimal: DecimalMode = 'auto'): number | undefined {
  if (raw.length > 64) return undefined;
  let s = raw.trim();
  if (s === '') return undefined;
  if (plain(s) && (decimal !== 'comma' || !s.includes('.'))) return Number(s);
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  const sign = () => {
    const c = s[0];
    if (c === '-' || c === '−' || c === '+') {
      if (negative && c !== '+') return false;
      if (c !== '+') negative = true;
      s = s.slice(1).trimStart();
    }
    return true;
  };
  if (!sign()) return undefined;
  const cur = CURRENCY.exec(s);
  if (cur) {
    s = s.slice(cur[0].length).trimStart();
    if (!sign()) return undefined;
  }
  if (s.endsWith('%')) s = s.slice(0, -1).trimEnd();
  else {
    const curEnd = CURRENCY_END.exec(s);
    if (curEnd && curEnd.index > 0) s = s.slice(0, curEnd.index).trimEnd();
  }
  let mult = 1;
  const suf = SUFFIX.exec(s);
  if (suf) {
    const m = MULTIPLIERS[suf[2]!.toLowerCase()];
    if (m === undefined) return undefined;
    mult = m;
    s = suf[1]!;
  }
  if (s === '' || !/^\d/.test(s)) return undefined;
  const n = parseCore(s, decimal);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const v = mult === 1 ? n : Math.round(n * mult * 1e6) / 1e6;
  return negative ? -v : v;
}

/** True when the value would read differently under 'dot' and 'comma' (1,250 or 1.250). */
export function isAmbiguousNumber(raw: string): boolean {
  const s = raw.trim().replace(/^[-+−(]?\s*(?:\$|€|£)?\s*/, '');
  return /^\d{1,3}[.,]\d{3}(?:\s*[a-z%)]*)?$/i.test(s);
}

/**
 * A number as rules text shows it: integers with thousands commas (1,000,000), others as JavaScript writes them.
 * The same text as toLocaleString('en-US') for integers, without loading ICU's locale data at start-up.
 */
export function formatCount(n: number): string {
  if (!Number.isInteger(n)) return String(n);
  if (Object.is(n, -0)) return '-0';
  // The shortest digits that identify the number (as String writes them), written out in full: 1e21 has 22.
  let digits = String(n < 0 ? -n : n);
  const e = digits.indexOf('e+');
  if (e > 0) {
    const mantissa = digits.slice(0, e).replace('.', '');
    digits = mantissa.padEnd(Number(digits.slice(e + 2)) + 1, '0');
  }
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}
