// Hostile rules files stay rules errors at file:line:col: alias bombs, non-finite or overflowing numbers, __proto__ keys.
import { describe, expect, it } from 'vitest';
import { compile, diagnose, rulesWith, scoreOne } from '../helpers.js';

/** Line 7 (the first criterion of rulesWith), at the column where `token` starts in it. */
const at7 = (criteria: string, token: string): string => `7:${criteria.indexOf(token) + 1}`;

const errs = (yaml: string) =>
  diagnose(yaml)
    .filter((d) => d.severity === 'error')
    .map((d) => ({ at: `${d.line}:${d.col}`, code: d.code, message: d.message }));

describe('alias bombs', () => {
  it('is a positioned error at the first alias, not a crash', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const p = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`);
    }
    const e = errs(`version: 1\n${levels.join('\n')}\n`);
    expect(e).toEqual([{ at: '3:8', code: 'yaml-alias-count', message: expect.stringMatching(/aliases in this file expand to more than 100 copies/) }]);
  });

  it('leaves ordinary anchors and aliases alone', () => {
    const yaml = rulesWith('  - { id: a, group: fit, column: y, is: true, points: 3 }', 'columns: { x: { aliases: &names [X, Ex] }, y: { aliases: *names } }\n');
    expect(errs(yaml)).toEqual([]);
    expect(compile(yaml).columns.find((c) => c.name === 'y')?.aliases).toEqual(['X', 'Ex']);
  });
});

describe('numbers that are not finite', () => {
  const cases: [string, string, string, string][] = [
    ['.inf points', '  - { id: a, group: fit, column: x, is: true, points: .inf }', '.inf', '.inf is not a finite number'],
    ['-.Inf threshold', '  - { id: a, group: fit, column: x, gte: -.Inf, points: 1 }', '-.Inf', '-.Inf is not a finite number'],
    ['.nan weight', '  - { id: a, group: fit, column: x, is: true, points: 1, weight: .nan }', '.nan', '.nan is not a finite number'],
    ['1e400 cap', '  - { id: a, group: fit, column: x, points_per: 1, cap: 1e400 }', '1e400', '1e400 is not a finite number'],
    ['in a numeric list', '  - { id: a, group: fit, column: x, in: [1, 1e999], points: 1 }', '1e999', '1e999 is not a finite number'],
    ['as equals', '  - { id: a, group: fit, column: x, equals: .inf, points: 1 }', '.inf', '.inf is not a finite number'],
    ['where text is expected', '  - { id: a, group: fit, column: x, is: true, points: 1, label: .inf }', '.inf', '.inf is not a finite number'],
  ];
  it.each(cases)('%s', (_n, criteria, token, message) => {
    expect(errs(rulesWith(criteria))).toEqual([{ at: at7(criteria, token), code: 'non-finite-number', message }]);
  });

  it('in a tier or a group weight', () => {
    const yaml = `version: 1\nid: id\ngroups: { fit: { weight: 1e500 } }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 1 }\ntiers: [{ name: A, min: -1e400 }, { name: B }]\n`;
    expect(errs(yaml).map((e) => `${e.at} ${e.message}`)).toEqual(['3:26 1e500 is not a finite number', '6:25 -1e400 is not a finite number']);
  });

  it('suggests quoting only where the text was written plain', () => {
    const d = diagnose(rulesWith('  - { id: a, group: fit, column: x, is: true, points: .inf }'))[0]!;
    expect(d.hint).toMatch(/quote it \("\.inf"\) if it is text/);
  });
});

describe('products beyond the range a score holds', () => {
  const cases: [string, string, string, RegExp][] = [
    ['points × weight', '  - { id: a, group: fit, column: x, is: true, points: 1e308, weight: 1e308 }', '1e308', /criterion "a" gives 1e\+308 × weight 1e\+308 = Infinity points, beyond the ±1,000,000,000,000 points/],
    ['large but finite', '  - { id: a, group: fit, column: x, is: true, points: 1e7, weight: 1e6 }', '1e7', /= 10000000000000 points/],
    ['a band', '  - { id: a, group: fit, column: x, bands: [{ lt: 5, points: 1 }, { gte: 5, points: 2e12 }] }', '[{', /band "band 2" gives 2000000000000/],
    ['points_per × weight', '  - { id: a, group: fit, column: x, points_per: 1e200, weight: 1e200, cap: 10 }', '1e200', /1e\+200 × weight 1e\+200 = Infinity points per unit/],
    ['a cap', '  - { id: a, group: fit, column: x, points_per: 1, cap: 1e13 }', '1e13', /criterion "a" has cap 10000000000000/],
    ['an unknown penalty', '  - { id: a, group: fit, column: x, is: true, points: 1, unknown: { policy: penalty, points: -1e15 } }', '{ policy', /scores -1000000000000000 points when unknown/],
  ];
  it.each(cases)('%s', (_n, criteria, token, message) => {
    const e = errs(rulesWith(criteria));
    expect(e.length, JSON.stringify(e)).toBe(1);
    expect(e[0]).toMatchObject({ at: at7(criteria, token), code: 'points-out-of-range' });
    expect(e[0]!.message).toMatch(message);
  });

  it('a group weight that multiplies its points out of range', () => {
    const yaml = `version: 1\nid: id\ngroups: { fit: { weight: 1e300 } }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 10 }\ntiers: [{ name: A }]\n`;
    expect(errs(yaml)).toEqual([{ at: '3:26', code: 'points-out-of-range', message: expect.stringMatching(/group "fit" gives up to 10 × weight 1e\+300/) }]);
  });

  it('criteria that each fit but add up to too much', () => {
    const many = Array.from({ length: 20 }, (_, i) => `  - { id: c${i}, group: fit, column: x, is: true, points: 9e10 }`).join('\n');
    expect(errs(rulesWith(many))).toEqual([{ at: '4:8', code: 'points-out-of-range', message: expect.stringMatching(/criteria of group "fit" add up to 1800000000000 points/) }]);
  });

  it('counts points_per without a cap as bounded by the data, not an error', () => {
    expect(errs(rulesWith('  - { id: a, group: fit, column: x, points_per: 5 }'))).toEqual([]);
  });

  it('has no model to score with', () => {
    expect(() => compile(rulesWith('  - { id: a, group: fit, column: x, is: true, points: 1e308, weight: 1e308 }'))).toThrow(/points-out-of-range|beyond/);
  });
});

describe('__proto__ and other names of Object.prototype', () => {
  const cases: [string, string, string][] = [
    ['a group', 'version: 1\nid: id\ngroups: { fit: {}, __proto__: { weight: 2 } }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 1 }\ntiers: [{ name: A }]\n', '3:20'],
    ['a column', 'version: 1\nid: id\ncolumns: { __proto__: [x] }\ngroups: { fit: {} }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 1 }\ntiers: [{ name: A }]\n', '3:12'],
    ['a synonym', 'version: 1\nid: id\ncolumns: { x: { aliases: [X], synonyms: { __proto__: [a] } } }\ngroups: { fit: {} }\ncriteria:\n  - { id: a, group: fit, column: x, in: [a], points: 1 }\ntiers: [{ name: A }]\n', '3:43'],
    ['a key of a criterion', 'version: 1\nid: id\ngroups: { fit: {} }\ncriteria:\n  - { id: a, group: fit, column: x, is: true, points: 1, __proto__: 1 }\ntiers: [{ name: A }]\n', '5:58'],
  ];
  it.each(cases)('under %s is an error, never dropped', (_n, yaml, at) => {
    expect(errs(yaml)).toEqual([{ at, code: 'reserved-name', message: '"__proto__" cannot be used as a name in a rules file' }]);
  });

  it('keeps constructor, toString and hasOwnProperty as ordinary names', () => {
    const yaml = `version: 1
id: id
columns:
  constructor: [Size]
  toString: { aliases: [Industry], synonyms: { hasOwnProperty: [saas, software] } }
groups:
  constructor: { weight: 2 }
  valueOf: {}
criteria:
  - { id: a, group: constructor, column: constructor, gte: 10, points: 5 }
  - { id: b, group: valueOf, column: toString, in: [hasOwnProperty], points: 3 }
tiers: [{ name: A, min: 10 }, { name: B }]
`;
    const model = compile(yaml);
    expect(model.groups.map((g) => g.id)).toEqual(['constructor', 'valueOf']);
    const t = scoreOne(model, { id: '1', Size: '50', Industry: 'SaaS' });
    expect(t.score).toBe(13);
    expect(scoreOne(model, { id: '2', Size: '5', Industry: 'constructor' }).score).toBe(0);
  });

  it('an undefined group named like a prototype property is an unknown group', () => {
    expect(errs(rulesWith('  - { id: a, group: toString, column: x, is: true, points: 1 }'))).toEqual([
      { at: '7:21', code: 'unknown-group', message: 'criterion "a" names group "toString", which is not defined' },
    ]);
  });
});
