// RE2 patterns → a small tree of exact code-point sets, for engines whose regular expressions are not RE2 (PostgreSQL)
// or are an older RE2 (ClickHouse 18.16): case folding, \d \s \w, `.` and classes become explicit sets, so the
// pattern means the same whatever the engine's locale or Unicode tables. Pure.
import { RE2JS } from 're2js';
import { SqlUnsupported } from '../dialect.js';

/** Inclusive code-point ranges, sorted and disjoint. */
export type Ranges = [number, number][];

/** A parsed pattern, reduced to what matters for "does it match somewhere". */
export type Node =
  | { kind: 'set'; ranges: Ranges }
  | { kind: 'cat'; items: Node[] }
  | { kind: 'alt'; alts: Node[] }
  | { kind: 'rep'; node: Node; min: number; max: number | null }
  | { kind: 'group'; node: Node; capture: boolean }
  | { kind: 'assert'; what: 'bot' | 'eot' | 'bol' | 'eol' | 'word' | 'notword' };

const MAX_CP = 0x10ffff;

/** Sort, merge and normalise ranges. */
export function normalize(r: Ranges): Ranges {
  const s = r.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Ranges = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Every code point not in the ranges. */
export function complement(r: Ranges): Ranges {
  const out: Ranges = [];
  let next = 0;
  for (const [a, b] of normalize(r)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

const DIGIT: Ranges = [[0x30, 0x39]];
const WORD: Ranges = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
// RE2's \s: [\t\n\f\r ] (not \v).
const SPACE: Ranges = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
const POSIX: Record<string, Ranges> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: DIGIT,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: WORD,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

// Case folding as RE2 does it: the code points a simple upper/lower mapping connects, each confirmed by re2js.
let links: Map<number, number[]> | undefined;
function caseLinks(): Map<number, number[]> {
  if (links) return links;
  links = new Map();
  const add = (a: number, b: number) => {
    if (a === b) return;
    (links!.get(a) ?? links!.set(a, []).get(a)!).push(b);
    (links!.get(b) ?? links!.set(b, []).get(b)!).push(a);
  };
  for (let cp = 0; cp < 0x20000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    for (const m of [ch.toLowerCase(), ch.toUpperCase()]) {
      const c = m.codePointAt(0)!;
      if (m.length === String.fromCodePoint(c).length) add(cp, c);
    }
  }
  return links;
}
const orbits = new Map<number, number[]>();
/** The code points RE2 treats as equal to `cp` under (?i), `cp` included. */
export function foldOrbit(cp: number): number[] {
  const known = orbits.get(cp);
  if (known) return known;
  const seen = new Set([cp]);
  const todo = [cp];
  const l = caseLinks();
  while (todo.length) for (const n of l.get(todo.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), todo.push(n));
  const re = RE2JS.compile(`\\x{${cp.toString(16)}}`, RE2JS.CASE_INSENSITIVE);
  const out = [...seen].filter((c) => c === cp || re.matcher(String.fromCodePoint(c)).matches()).sort((a, b) => a - b);
  orbits.set(cp, out);
  return out;
}

/** Ranges with every member's case-fold orbit added (only cased code points, all below U+20000, have one). */
function fold(r: Ranges): Ranges {
  const l = caseLinks();
  const extra: Ranges = [];
  for (const [a, b] of r) {
    for (let cp = a; cp <= Math.min(b, 0x1ffff); cp++) if (l.has(cp)) for (const o of foldOrbit(cp)) extra.push([o, o]);
  }
  return normalize([...r, ...extra]);
}

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
}

/**
 * Parse an RE2 pattern (one icp has already compiled with re2js) into a Node. `what` names the pattern in
 * messages. Features that do not change which texts match (capture names, laziness) are dropped; those with no
 * exact translation throw SqlUnsupported.
 */
export function parseRe2(pattern: string, caseSensitive: boolean, what: string): Node {
  const cps = [...pattern].map((c) => c.codePointAt(0)!);
  let pos = 0;
  const peek = (k = 0) => cps[pos + k];
  const ch = (k = 0) => (cps[pos + k] === undefined ? '' : String.fromCodePoint(cps[pos + k]!));
  const fail = (feature: string, why: string): never => {
    throw new SqlUnsupported(feature, `${what}: ${why}`);
  };

  const literal = (cp: number, f: Flags): Node => ({ kind: 'set', ranges: f.i ? normalize(foldOrbit(cp).map((c) => [c, c])) : [[cp, cp]] });

  const hex = (digits: string): number => {
    const n = parseInt(digits, 16);
    if (!(n >= 0 && n <= MAX_CP)) fail('regex-escape', `\\x{${digits}} is not a code point`);
    return n;
  };

  // An escape after the backslash at pos: a code point, or a set (\d \s \w and negations), or an assertion.
  const escape = (inClass: boolean): { cp: number } | { ranges: Ranges } | { assert: Node } => {
    const c = ch();
    pos++;
    switch (c) {
      case 'd': return { ranges: DIGIT };
      case 'D': return { ranges: complement(DIGIT) };
      case 'w': return { ranges: WORD };
      case 'W': return { ranges: complement(WORD) };
      case 's': return { ranges: SPACE };
      case 'S': return { ranges: complement(SPACE) };
      case 'a': return { cp: 7 };
      case 'f': return { cp: 12 };
      case 't': return { cp: 9 };
      case 'n': return { cp: 10 };
      case 'r': return { cp: 13 };
      case 'v': return { cp: 11 };
      case 'x': {
        if (ch() === '{') {
          const end = cps.indexOf(0x7d, pos);
          const digits = String.fromCodePoint(...cps.slice(pos + 1, end));
          pos = end + 1;
          return { cp: hex(digits) };
        }
        const digits = ch() + ch(1);
        pos += 2;
        return { cp: hex(digits) };
      }
      case 'p':
      case 'P':
        return fail('regex-unicode-class', `the Unicode class \\${c}${ch() === '{' ? '{…}' : ch()} has no exact equivalent here (write the characters as a class such as [a-zà-ÿ])`);
      case 'C':
        return fail('regex-any-byte', '\\C (any byte) has no equivalent in a text engine');
      case 'b':
        if (inClass) return fail('regex-escape', '\\b inside a class');
        return { assert: { kind: 'assert', what: 'word' } };
      case 'B':
        if (inClass) return fail('regex-escape', '\\B inside a class');
        return { assert: { kind: 'assert', what: 'notword' } };
      case 'A':
        return { assert: { kind: 'assert', what: 'bot' } };
      case 'z':
        return { assert: { kind: 'assert', what: 'eot' } };
      default: {
        if (/[0-7]/.test(c)) {
          // RE2 octal: \0, \012, \123 (up to three digits; \1-\9 alone are back-references, which re2js refuses).
          let digits = c;
          while (digits.length < 3 && /[0-7]/.test(ch())) digits += ch(), pos++;
          return { cp: parseInt(digits, 8) };
        }
        if (/[A-Za-z0-9]/.test(c)) return fail('regex-escape', `the escape \\${c}`);
        return { cp: cps[pos - 1]! };
      }
    }
  };

  const parseClass = (f: Flags): Node => {
    pos++; // [
    let negated = false;
    if (ch() === '^') (negated = true), pos++;
    const items: Ranges = [];
    let first = true;
    while (pos < cps.length && (ch() !== ']' || first)) {
      first = false;
      if (ch() === '[' && ch(1) === ':') {
        let end = pos + 2;
        while (end < cps.length && !(cps[end] === 0x3a && cps[end + 1] === 0x5d)) end++;
        const name = String.fromCodePoint(...cps.slice(pos + 2, end));
        const neg = name.startsWith('^');
        const r = POSIX[neg ? name.slice(1) : name];
        if (!r) return fail('regex-class', `the class [:${name}:]`);
        items.push(...(neg ? complement(r) : r));
        pos = end + 2;
        continue;
      }
      let lo: number;
      if (ch() === '\\') {
        pos++;
        const e = escape(true);
        if ('ranges' in e) {
          items.push(...e.ranges);
          continue;
        }
        if ('assert' in e) return fail('regex-escape', 'an assertion inside a class');
        lo = e.cp;
      } else lo = peek()!, pos++;
      let hi = lo;
      if (ch() === '-' && ch(1) !== ']' && ch(1) !== '') {
        pos++;
        if (ch() === '\\') {
          pos++;
          const e = escape(true);
          if (!('cp' in e)) return fail('regex-class', 'a class range ending in a class');
          hi = e.cp;
        } else hi = peek()!, pos++;
      }
      items.push([lo, hi]);
    }
    pos++; // ]
    let r = normalize(items);
    if (f.i) r = fold(r);
    return { kind: 'set', ranges: negated ? complement(r) : r };
  };

  const parseAlt = (f: Flags): Node => {
    const alts: Node[] = [parseCat(f)];
    while (ch() === '|') {
      pos++;
      alts.push(parseCat(f));
    }
    return alts.length === 1 ? alts[0]! : { kind: 'alt', alts };
  };

  const parseCat = (flags: Flags): Node => {
    const f = { ...flags };
    const items: Node[] = [];
    while (pos < cps.length && ch() !== '|' && ch() !== ')') {
      let atom: Node | undefined;
      const c = ch();
      if (c === '(') {
        pos++;
        if (ch() === '?') {
          pos++;
          if (ch() === 'P' || ch() === '<') {
            // (?P<name>…) or (?<name>…): a capturing group; its name does not change what matches.
            while (ch() !== '>') pos++;
            pos++;
            const inner = parseAlt(f);
            pos++; // )
            atom = { kind: 'group', node: inner, capture: true };
          } else {
            let on = true;
            const g = { ...f };
            while (ch() !== ')' && ch() !== ':') {
              const fl = ch();
              pos++;
              if (fl === '-') on = false;
              else if (fl === 'i' || fl === 'm' || fl === 's') g[fl] = on;
              else if (fl === 'U') {
                // Ungreedy: which texts match does not depend on greediness.
              } else fail('regex-flag', `the flag ${fl}`);
            }
            if (ch() === ')') {
              pos++;
              Object.assign(f, g);
              continue;
            }
            pos++; // :
            const inner = parseAlt(g);
            pos++; // )
            atom = { kind: 'group', node: inner, capture: false };
          }
        } else {
          const inner = parseAlt(f);
          pos++; // )
          atom = { kind: 'group', node: inner, capture: true };
        }
      } else if (c === '[') atom = parseClass(f);
      else if (c === '.') {
        pos++;
        atom = { kind: 'set', ranges: f.s ? [[0, MAX_CP]] : complement([[10, 10]]) };
      } else if (c === '^') {
        pos++;
        atom = { kind: 'assert', what: f.m ? 'bol' : 'bot' };
      } else if (c === '$') {
        pos++;
        atom = { kind: 'assert', what: f.m ? 'eol' : 'eot' };
      } else if (c === '\\') {
        pos++;
        if (ch() === 'Q') {
          pos++;
          while (pos < cps.length && !(ch() === '\\' && ch(1) === 'E')) items.push(literal(peek()!, f)), pos++;
          pos += 2;
          continue;
        }
        const e = escape(false);
        atom = 'cp' in e ? literal(e.cp, f) : 'ranges' in e ? { kind: 'set', ranges: normalize(e.ranges) } : e.assert;
      } else {
        pos++;
        atom = literal(cps[pos - 1]!, f);
      }
      // Quantifiers (a '?' after one only makes it lazy: the same texts match).
      for (;;) {
        const q = ch();
        let min = -1;
        let max: number | null = null;
        if (q === '*') (min = 0), pos++;
        else if (q === '+') (min = 1), pos++;
        else if (q === '?') (min = 0), (max = 1), pos++;
        else if (q === '{') {
          const m = /^\{(\d+)(,(\d*))?\}/.exec(String.fromCodePoint(...cps.slice(pos, pos + 24)));
          if (!m) break;
          min = Number(m[1]);
          max = m[2] === undefined ? min : m[3] === '' ? null : Number(m[3]);
          pos += m[0].length;
        } else break;
        if (ch() === '?') pos++;
        if (atom.kind === 'assert') continue; // x* of an assertion: RE2 allows it; (a)* of nothing matches
        atom = { kind: 'rep', node: atom, min, max };
      }
      items.push(atom);
    }
    return items.length === 1 ? items[0]! : { kind: 'cat', items };
  };

  const tree = parseAlt({ i: !caseSensitive, m: false, s: false });
  if (pos < cps.length) fail('regex-syntax', `unexpected ")" at character ${pos + 1}`);
  return tree;
}

/** How an engine writes the parts of a Node. */
export interface RegexSyntax {
  /** A set of code points as one atom. */
  set(ranges: Ranges): string;
  assert(what: 'bot' | 'eot' | 'bol' | 'eol' | 'word' | 'notword'): string;
  /** The largest count {m,n} allows. */
  maxRepeat: number;
  name: string;
}

/**
 * A Node as an engine's pattern text. Capturing groups stay capturing, numbered as written; with `onlyGroup`, that
 * group alone captures (for engines whose extract() returns the first group) and the others become (?:…).
 */
export function emit(tree: Node, syn: RegexSyntax, what: string, onlyGroup?: number): string {
  let groups = 0;
  const go = (n: Node): string => {
    switch (n.kind) {
      case 'set':
        return syn.set(n.ranges);
      case 'cat':
        return n.items.map(go).join('');
      case 'alt':
        return n.alts.map(go).join('|');
      case 'group': {
        const number = n.capture ? ++groups : 0;
        const keep = n.capture && (onlyGroup === undefined || onlyGroup === number);
        return `(${keep ? '' : '?:'}${go(n.node)})`;
      }
      case 'assert':
        return syn.assert(n.what);
      case 'rep':
        return rep(n);
    }
  };
  const rep = (n: Extract<Node, { kind: 'rep' }>): string => {
    {
      const inner = go(n.node);
      const atom = n.node.kind === 'set' || n.node.kind === 'group' ? inner : `(?:${inner})`;
      if ((n.max ?? n.min) > syn.maxRepeat) {
        throw new SqlUnsupported('regex-repeat', `${what}: a repeat count above ${syn.maxRepeat} (${syn.name} allows no more)`);
      }
      if (n.min === 0 && n.max === null) return `${atom}*`;
      if (n.min === 1 && n.max === null) return `${atom}+`;
      if (n.min === 0 && n.max === 1) return `${atom}?`;
      return n.max === null ? `${atom}{${n.min},}` : n.max === n.min ? `${atom}{${n.min}}` : `${atom}{${n.min},${n.max}}`;
    }
  };
  return go(tree);
}
