// Source-preserving rules edits: numbers replaced in place, notes above their line, keys added with the map's
// indentation, the header block replaced on a second run; every other byte unchanged.
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { SourceEdits, formatNumber } from '../../src/commands/calibrate-yaml.js';

const TEXT = `# my model
version: 1   # keep this comment
criteria:
  - id: a
    points: 15            # why fifteen
    bands:
      ideal:      { gte: 5, points: 3 }
tiers:
  - { name: A, min: 70, label: hot }
  - { name: B }
`;

const edits = (text = TEXT) => new SourceEdits(text, parseDocument(text));

describe('SourceEdits', () => {
  it('replaces a number where it stands and notes the evidence above its line, indented alike', () => {
    const e = edits();
    e.setNumber(['criteria', 0, 'points'], 9.5, 'n=10');
    e.setNumber(['criteria', 0, 'bands', 'ideal', 'points'], -2, 'n=4');
    e.setNumber(['tiers', 0, 'min'], 42);
    expect(e.apply()).toBe(`# my model
version: 1   # keep this comment
criteria:
  - id: a
    # icp calibrate: n=10
    points: 9.5            # why fifteen
    bands:
      # icp calibrate: n=4
      ideal:      { gte: 5, points: -2 }
tiers:
  - { name: A, min: 42, label: hot }
  - { name: B }
`);
  });

  it('adds a key after the last line of a block map, or replaces its value', () => {
    const e = edits();
    e.setKey(['criteria', 0], 'unknown', '{ policy: penalty, points: -3 }', 'unknown n=7');
    const out = e.apply();
    expect(out).toContain(`      ideal:      { gte: 5, points: 3 }
    # icp calibrate: unknown n=7
    unknown: { policy: penalty, points: -3 }
tiers:`);
    const again = edits(out);
    again.setKey(['criteria', 0], 'unknown', 'zero', 'unknown n=8');
    expect(again.apply()).toContain(`    # icp calibrate: unknown n=8
    unknown: zero
tiers:`);
  });

  it('writes the header before the first non-comment line and replaces it (and old notes) when run again', () => {
    const e = edits();
    e.header(['first line', 'second line']);
    e.setNumber(['criteria', 0, 'points'], 1, 'old');
    const once = e.apply();
    expect(once.startsWith('# my model\n# icp calibrate: first line\n#   second line\nversion: 1')).toBe(true);
    const e2 = edits(once);
    e2.header(['new']);
    e2.setNumber(['criteria', 0, 'points'], 2, 'new note');
    const twice = e2.apply();
    expect(twice.startsWith('# my model\n# icp calibrate: new\nversion: 1')).toBe(true);
    expect(twice).not.toContain('old');
    expect(twice.match(/icp calibrate/g)).toHaveLength(2);
  });

  it('replaces a block node by lines at its indentation', () => {
    const e = edits();
    e.replaceNode(['criteria', 0, 'bands'], '[{ lt: 1, points: 1 }]', ['- { lt: 1, points: 1 }', '# icp calibrate: n=3', '- { gte: 1, points: 2 }']);
    expect(e.apply()).toContain(`    bands:
      - { lt: 1, points: 1 }
      # icp calibrate: n=3
      - { gte: 1, points: 2 }
tiers:`);
  });

  it.each([
    [3, '3'],
    [2.345, '2.35'],
    [-0.001, '0'],
    [1e-9, '0'],
  ])('formatNumber(%f) = %s', (x, want) => expect(formatNumber(x)).toBe(want));
});
