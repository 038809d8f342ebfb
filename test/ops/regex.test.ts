// `matches` patterns: RE2 semantics in linear time on whole cells, unsupported features named, JavaScript's answers kept.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPattern, compilePattern } from '../../src/ops/regex.js';
import { compile, scoreOne, rulesWith } from '../helpers.js';

const N = 100_000;

// Patterns that pass a nested-repetition heuristic yet backtrack exponentially (or as a high power of n) in
// JavaScript's engine: each of these took from seconds to hours on a 64-character cell.
const hostile: [string, string, boolean][] = [
  ['\\d+\\d+\\d+x', '1'.repeat(N), false],
  ['\\d+\\d+\\d+x', `${'1'.repeat(N)}x`, true],
  ['a*a*a*a*a*a*b', 'a'.repeat(N), false],
  ['a*a*a*a*a*a*b', `${'a'.repeat(N)}b`, true],
  ['.+.+.+x', 'y'.repeat(N), false],
  ['.+.+.+x', `${'y'.repeat(N)}x`, true],
  ['[\\w.]+[\\w.]+@', 'a.'.repeat(N / 2), false],
  ['[\\w.]+[\\w.]+@', `${'a.'.repeat(N / 2)}@`, true],
  ['^\\w+\\s?\\w+\\s?\\w+\\s?\\w+\\s?x$', 'ab '.repeat(N / 3), false],
  ['^\\w+\\s?\\w+\\s?\\w+\\s?\\w+\\s?x$', 'ab ab ab abx', true],
  ['(a+){5}b', 'a'.repeat(N), false],
  ['(a+){5}b', `${'a'.repeat(N)}b`, true],
  ['^(a?){30}a{30}$', 'a'.repeat(N), false],
  ['^(a?){30}a{30}$', 'a'.repeat(45), true],
  ['^(a+)+$', `${'a'.repeat(N)}!`, false],
  ['(x+x+)+y', 'x'.repeat(N), false],
];

describe('linear-time matching', () => {
  it.each(hostile)('/%s/ on a long cell', (pattern, text, expected) => {
    expect(checkPattern(pattern, false)).toBeUndefined();
    expect(compilePattern(pattern, false)(text)).toBe(expected);
  });

  it('matches against the whole cell: a match after 100,000 characters counts', () => {
    const test = compilePattern('@rival\\.com$', false);
    expect(test(`${'x'.repeat(N)}@rival.com`)).toBe(true);
    expect(test(`${'x'.repeat(N)}@rival.com.pl`)).toBe(false);
  });

  it('is case-insensitive unless asked, with Unicode case folding', () => {
    expect(compilePattern('^vp\\b', false)('VP Sales')).toBe(true);
    expect(compilePattern('^vp\\b', true)('VP Sales')).toBe(false);
    expect(compilePattern('^vp\\b', true)('vp Sales')).toBe(true);
    expect(compilePattern('zażółć', false)('ZAŻÓŁĆ gęślą')).toBe(true);
  });

  it('scores a hostile pattern on a 100,000-character cell through the engine', () => {
    const model = compile(rulesWith('  - { id: a, group: fit, column: t, matches: "a*a*a*a*a*a*b", points: 7 }'));
    expect(scoreOne(model, { id: '1', t: 'a'.repeat(N) }).score).toBe(0);
    expect(scoreOne(model, { id: '2', t: `${'a'.repeat(N)}b` }).score).toBe(7);
  });
});

describe('patterns RE2 cannot run', () => {
  const cases: [string, RegExp, RegExp][] = [
    ['(ab)\\1', /no back-references such as "\\1"/, /\(ab\)\(ab\)/],
    ['(?<w>a)\\k<w>', /no back-references such as "\\k<name>"/, /write the repeated text out/],
    ['foo(?=bar)', /no lookahead such as "\(\?=…\)"/, /combine conditions/],
    ['foo(?!bar)', /no lookahead such as "\(\?!…\)"/, /not: \{ matches/],
    ['(?<=@)gmail', /no lookbehind such as "\(\?<=…\)"/, /all: \[/],
    ['(?<!no )demo', /no lookbehind such as "\(\?<!…\)"/, /combine conditions/],
    ['(unclosed', /^invalid regular expression: missing closing \): `\(unclosed`$/, /RE2 syntax/],
    ['a{2,1}', /invalid repeat count/, /RE2 syntax/],
    ['caf\\u00e9', /invalid escape sequence: `\\u`/, /\\x\{00e9\}/],
    ['end\\Z', /invalid escape sequence/, /\\z/],
  ];
  it.each(cases)('%s', (pattern, message, hint) => {
    const p = checkPattern(pattern, false);
    expect(p?.message).toMatch(message);
    expect(p?.hint).toMatch(hint);
  });

  it('does not mistake escaped or bracketed characters for these features', () => {
    for (const ok of ['\\(?=x', '[(?=]x', '[]1]', '\\\\1', 'a\\.b', '(?i)x', '(?:ab)+', '(?P<n>a)', '(?<n>a)']) {
      expect(checkPattern(ok, false), ok).toBeUndefined();
    }
  });
});

describe('agrees with JavaScript on the patterns both accept', () => {
  // Differential: RE2 and V8 give the same answer for the everyday syntax of rules files (classes, alternation,
  // anchors, word boundaries, bounded repetition) on ASCII and Latin text.
  const atoms = ['a', 'b', 'ab', '.', '\\d', '\\w', '\\s', '[a-c]', '[^a]', '\\b', '(a|bc)', '(?:ab|c)', '(?:x?)', '@', '\\.'];
  const quant = ['', '', '*', '+', '?', '{2}', '{1,3}'];
  const pattern = fc
    .tuple(fc.boolean(), fc.array(fc.tuple(fc.constantFrom(...atoms), fc.constantFrom(...quant)), { minLength: 1, maxLength: 5 }), fc.boolean())
    .map(([start, parts, end]) => `${start ? '^' : ''}${parts.map(([a, q]) => (a === '\\b' ? a : a + q)).join('')}${end ? '$' : ''}`);
  const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'B', 'x', '1', ' ', '.', '@', 'é', '_'), maxLength: 12 });
  it('on generated patterns and cells', () => {
    fc.assert(
      fc.property(pattern, text, fc.boolean(), (p, t, cs) => {
        expect(checkPattern(p, cs)).toBeUndefined();
        expect(compilePattern(p, cs)(t)).toBe(new RegExp(p, cs ? 'u' : 'iu').test(t));
      }),
      { numRuns: 2000 },
    );
  });
});
