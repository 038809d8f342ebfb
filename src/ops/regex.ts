// The `matches` operator's regular expressions: RE2 syntax and semantics (re2js), linear in the cell's length. Pure.
import { RE2JS } from 're2js';

/** Why a pattern cannot be used, and how to rewrite it. */
export interface PatternProblem {
  message: string;
  hint: string;
}

/** A compiled pattern: whether it matches anywhere in a text (unanchored, as JavaScript's `RegExp.test`). */
export type PatternTest = (text: string) => boolean;

const COMBINE_HINT = 'combine conditions instead, e.g. all: [{ matches: "foo" }, { not: { matches: "foobar" } }]';

/**
 * Features RE2 leaves out on purpose, since no engine can run them in linear time: named by what the user wrote,
 * with a rewrite. Checked before compiling because re2js's own messages name them obliquely ("invalid named capture").
 */
function unsupportedFeature(pattern: string): PatternProblem | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<'))) {
        return {
          message: `regular expressions run in linear time (RE2 syntax), which has no back-references such as "${next === 'k' ? '\\k<name>' : `\\${next}`}"`,
          hint: 'write the repeated text out, e.g. (ab)\\1 as (ab)(ab), or test each part with its own condition',
        };
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A ']' right after '[' or '[^' is a literal member, not the end of the class.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const look = /^\(\?(<?[=!])/.exec(pattern.slice(i, i + 4));
      if (look) {
        const what = look[1]!.startsWith('<') ? 'lookbehind' : 'lookahead';
        return {
          message: `regular expressions run in linear time (RE2 syntax), which has no ${what} such as "(?${look[1]}…)"`,
          hint: COMBINE_HINT,
        };
      }
    }
  }
  return undefined;
}

/** Hints for JavaScript escapes that RE2 spells differently. */
const ESCAPE_HINTS: Record<string, string> = {
  u: 'RE2 writes a code point as \\x{00e9}, not \\u00e9',
  c: 'RE2 has no control escapes \\cX; write \\x01 … \\x1f',
  Z: 'RE2 has no \\Z; use $ (end of text) or \\z',
};

function compileRaw(pattern: string, caseSensitive: boolean): RE2JS {
  return RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
}

/** Why `pattern` cannot be used as a `matches` argument, or undefined when it compiles. */
export function checkPattern(pattern: string, caseSensitive: boolean): PatternProblem | undefined {
  const unsupported = unsupportedFeature(pattern);
  if (unsupported) return unsupported;
  try {
    compileRaw(pattern, caseSensitive);
    return undefined;
  } catch (e) {
    // re2js applies case-insensitivity as a (?i) prefix, which its messages then quote as if the user wrote it.
    const text = String((e as Error).message ?? e)
      .replace(/^error parsing regexp: /, '')
      .replace('`(?i)', '`');
    const escape = /invalid escape sequence: `\\(.)/.exec(text)?.[1];
    return {
      message: `invalid regular expression: ${text}`,
      hint: (escape && ESCAPE_HINTS[escape]) || 'patterns use RE2 syntax (as in Go, DuckDB and ClickHouse); escape a literal character with \\, e.g. \\. or \\(',
    };
  }
}

/**
 * Compile a pattern checked by `checkPattern`: case-insensitive unless `caseSensitive`. The match runs on the whole
 * text in time linear in its length, whatever the pattern, so no cell length limit is needed.
 */
export function compilePattern(pattern: string, caseSensitive: boolean): PatternTest {
  const re = compileRaw(pattern, caseSensitive);
  return (text) => re.test(text);
}
