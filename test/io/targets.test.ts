// Output targets: how each kind of path is classified, and when two references are one file.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertDistinct, classifyTarget, sameFile, type FileRef } from '../../src/io/targets.js';

describe('sameFile', () => {
  const ref = (r: Partial<FileRef>): FileRef => ({ role: '-o', given: 'x', ...r });
  it.each<[string, Partial<FileRef>, Partial<FileRef>, boolean]>([
    ['both standard output', { stdout: true }, { stdout: true }, true],
    ['same device and inode', { identity: '1:2' }, { identity: '1:2', realPath: '/b' }, true],
    ['other inode', { identity: '1:2' }, { identity: '1:3' }, false],
    ['same real path, not there yet', { realPath: '/d/new.csv' }, { realPath: '/d/new.csv' }, true],
    ['other real paths', { realPath: '/d/a.csv' }, { realPath: '/d/b.csv' }, false],
    ['nothing to compare', {}, {}, false],
    ['standard output and a file', { stdout: true, identity: '9:9' }, { identity: '1:2' }, false],
  ])('%s', (_name, a, b, same) => {
    expect(sameFile(ref(a), ref(b))).toBe(same);
    expect(sameFile(ref(b), ref(a))).toBe(same);
  });

  it('assertDistinct names the first pair, the input first', () => {
    expect(() =>
      assertDistinct([
        { role: 'input', given: 'in.csv', identity: '1:2', reads: 'the input' },
        { role: '-o', given: 'out.csv', identity: '1:5' },
        { role: '--rejects', given: 'r.csv', identity: '1:2' },
      ]),
    ).toThrow(/^--rejects r\.csv is the input in\.csv itself \(through a link, or another name for it\): writing it would destroy the export$/);
    expect(() => assertDistinct([{ role: 'input', given: 'a', identity: '1:1', reads: 'the input' }, { role: '-o', given: 'b', identity: '1:2' }])).not.toThrow();
    expect(() => assertDistinct([{ role: '--rules', given: 'icp.yaml', realPath: '/p/icp.yaml', reads: 'the rules file' }, { role: '-o', given: './icp.yaml', realPath: '/p/icp.yaml' }])).toThrow(
      /^-o \.\/icp\.yaml is the rules file icp\.yaml itself \(through a link, or another name for it\): writing it would destroy the rules file$/,
    );
  });
});

describe('classifyTarget', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'icp-targets-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tells standard output, files to replace (through links) and things written directly apart', async () => {
    await mkdir(join(dir, 'd'));
    await writeFile(join(dir, 'd', 'f.csv'), 'x');
    await symlink('d/f.csv', join(dir, 'link'));
    expect(spawnSync('mkfifo', [join(dir, 'fifo')]).status).toBe(0);
    expect(await classifyTarget('-o', '-')).toMatchObject({ kind: 'stdout', path: '-' });
    expect(await classifyTarget('-o', join(dir, 'link'))).toMatchObject({ kind: 'replace', path: join(dir, 'd', 'f.csv'), realPath: join(dir, 'd', 'f.csv') });
    expect(await classifyTarget('-o', join(dir, 'new.csv'))).toMatchObject({ kind: 'replace', path: join(dir, 'new.csv'), realPath: join(dir, 'new.csv') });
    expect(await classifyTarget('-o', join(dir, 'fifo'))).toMatchObject({ kind: 'direct', path: join(dir, 'fifo') });
    expect(await classifyTarget('-o', '/dev/null')).toMatchObject({ kind: 'direct', path: '/dev/null' });
  });
});
