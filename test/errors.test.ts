// The one error class, exit statuses, and the printer's source line with a `^` under the column.
import { describe, expect, it } from 'vitest';
import { caretExcerpt, EXIT, formatDiagnostic, UserError, type Diagnostic } from '../src/errors.js';
import { InputError } from '../src/io/errors.js';

describe('caretExcerpt', () => {
  const cases: [string, string, number, number, string][] = [
    ['at the start', 'version: 2', 1, 1, '  1 | version: 2\n    | ^'],
    ['in the middle', '  - { id: a, group: fitt }', 7, 21, '  7 |   - { id: a, group: fitt }\n    |                     ^'],
    ['a tab shown as one space', '\tid: x', 12, 2, '  12 |  id: x\n     |  ^'],
    ['past the end (a missing value)', 'id:', 3, 4, '  3 | id:\n    |    ^'],
    ['a carriage return dropped', 'id: x\r', 2, 5, '  2 | id: x\n    |     ^'],
    ['astral characters count once', '😀😀: x', 1, 5, '  1 | 😀😀: x\n    |   ^'],
  ];
  it.each(cases)('%s', (_n, text, line, col, expected) => {
    expect(caretExcerpt(text, line, col)).toBe(expected);
  });

  it('cuts a long line around the column, and the caret stays under it', () => {
    const text = `${'a'.repeat(300)}X${'b'.repeat(300)}`;
    const [src, mark] = caretExcerpt(text, 9, 301).split('\n') as [string, string];
    expect(src.startsWith('  9 | …a')).toBe(true);
    expect(src.endsWith('b…')).toBe(true);
    expect(src.length).toBeLessThan(110);
    expect(src[mark.indexOf('^')]).toBe('X');
  });
});

describe('formatDiagnostic', () => {
  const d: Diagnostic = { severity: 'error', code: 'unknown-group', message: 'criterion "b" names group "fitt"', file: 'icp.yaml', line: 8, col: 21, hint: 'did you mean "fit"?' };
  it('file:line:col, the source line with a caret, then the hint', () => {
    expect(formatDiagnostic({ ...d, excerpt: '  - { id: b, group: fitt }' })).toBe(
      'icp.yaml:8:21: error: criterion "b" names group "fitt"\n  8 |   - { id: b, group: fitt }\n    |                     ^\n  hint: did you mean "fit"?',
    );
  });
  it('without a source line or column, one line and the hint', () => {
    expect(formatDiagnostic(d)).toBe('icp.yaml:8:21: error: criterion "b" names group "fitt"\n  hint: did you mean "fit"?');
    expect(formatDiagnostic({ ...d, col: undefined, excerpt: 'x' })).toBe('icp.yaml:8: error: criterion "b" names group "fitt"\n  hint: did you mean "fit"?');
  });
});

describe('the error class', () => {
  it('has a code from a closed set; InputError is a UserError with code input', () => {
    expect(new UserError('bad --format').code).toBe('usage');
    expect(new UserError('x', [], undefined, 'rules').code).toBe('rules');
    const e = new InputError('cannot decode', 'use --encoding');
    expect(e).toBeInstanceOf(UserError);
    expect([e.code, e.name, e.hint]).toEqual(['input', 'InputError', 'use --encoding']);
  });
  it('names the exit statuses', () => {
    expect(EXIT).toEqual({ ok: 0, failure: 1, error: 2, sighup: 129, sigint: 130, sigterm: 143 });
  });
});
