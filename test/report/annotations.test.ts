// GitHub workflow commands: escaping, positions, and the cap per type with "+N more".
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithubAnnotations } from '../../src/report/annotations.js';

describe('GitHub annotations', () => {
  it('escapes %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
  });

  it('writes file, line and col (col only with a line), and a title', () => {
    expect(renderGithubAnnotations([{ severity: 'error', message: 'bad\nthing', file: 'dir/icp,1.yaml', line: 7, col: 5, title: 'icp: x' }])).toBe('::error file=dir/icp%2C1.yaml,line=7,col=5,title=icp%3A x::bad%0Athing\n');
    expect(renderGithubAnnotations([{ severity: 'warning', message: 'm', col: 3 }])).toBe('::warning::m\n');
    expect(renderGithubAnnotations([])).toBe('');
  });

  it('caps each type and says how many more there were', () => {
    const list = [
      ...Array.from({ length: 12 }, (_, i) => ({ severity: 'error' as const, message: `e${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ severity: 'warning' as const, message: `w${i}` })),
    ];
    const lines = renderGithubAnnotations(list, 10).trim().split('\n');
    expect(lines.filter((l) => l.startsWith('::error::e'))).toHaveLength(10);
    expect(lines.filter((l) => l.startsWith('::warning::w'))).toHaveLength(3);
    expect(lines[lines.length - 1]).toBe('::error::+2 more errors not shown (GitHub shows about 10 per type); see the job log');
  });
});
