// `icp score` never destroys a file: same-file refusal, gates before the rename, special targets, failing
// outputs, signals mid-write. The built binary, as a nightly job runs it.
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, linkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, icp, ROOT } from './harness.js';

const RULES = join(ROOT, 'test/fixtures/score/rules.yaml');
const LEADS = readFileSync(join(ROOT, 'test/fixtures/score/leads.csv'), 'utf8');
const AS_OF = ['--as-of', '2026-11-01'];
const HEADER = LEADS.slice(0, LEADS.indexOf('\r\n') + 2);
const ROW = '00042,ceo@acme.com,CEO,SaaS,250,2026-10-31,Yes,12,"Met at expo, wants ""pricing"""\r\n';
/** A row one field short, so rejected, whose raw text (the rejects report's `raw` cell) starts with a formula. */
const SHORT = '=HYPERLINK("http://evil.example"),a@b.com,CEO,SaaS,250,2026-10-31,Yes,12\r\n';

/** A fresh directory holding in.csv (the fixture export: one rejected row), old.csv-style yesterday files as asked. */
function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'icp-safety-'));
  writeFileSync(join(dir, 'in.csv'), LEADS);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const ls = (dir: string) => readdirSync(dir).sort();
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const run = (dir: string, args: string[]) => icp(['score', 'in.csv', '--rules', RULES, ...AS_OF, ...args], { cwd: dir });
/** What a plain run writes to standard output. */
const expectedScored = () => icp(['score', '-', '--rules', RULES, ...AS_OF, '-q'], { input: LEADS }).stdout;

describe('files are never destroyed', () => {
  it('refuses -o and --rejects naming one file: exit 2, one message, the old file untouched', () => {
    const dir = workdir({ 'good.csv': 'yesterday\n' });
    const r = run(dir, ['-o', 'good.csv', '--rejects', 'good.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('icp: --rejects good.csv and -o good.csv are the same file\n  hint: give -o and --rejects different files\n');
    expect(read(dir, 'good.csv')).toBe('yesterday\n');
    expect(ls(dir)).toEqual(['good.csv', 'in.csv']);
  });

  it.each([
    ['-o', 'in.csv'],
    ['--rejects', 'in.csv'],
    ['-o', 'link.csv'],
    ['--rejects', 'hard.csv'],
  ])('refuses %s %s when that is the input (by name, symlink or hard link)', (option, target) => {
    const dir = workdir();
    symlinkSync('in.csv', join(dir, 'link.csv'));
    linkSync(join(dir, 'in.csv'), join(dir, 'hard.csv'));
    const r = run(dir, [option, target]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^icp: ${option} ${target} is the input in.csv itself.*: writing it would destroy the export\n  hint: `));
    expect(read(dir, 'in.csv')).toBe(LEADS);
    expect(ls(dir)).toEqual(['hard.csv', 'in.csv', 'link.csv']);
  });

  it('refuses -o naming the rules file', () => {
    const dir = workdir();
    writeFileSync(join(dir, 'icp.yaml'), readFileSync(RULES));
    const r = icp(['score', 'in.csv', '--rules', 'icp.yaml', '-o', 'icp.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('icp: -o icp.yaml is the rules file icp.yaml itself: writing it would destroy the rules file\n  hint: write -o to another file\n');
    expect(read(dir, 'icp.yaml')).toBe(readFileSync(RULES, 'utf8'));
  });

  it('refuses -o naming the file standard input reads', () => {
    const dir = workdir();
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" score - --rules "${RULES}" -o in.csv < in.csv`], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^icp: -o in\.csv is the file standard input reads/);
    expect(read(dir, 'in.csv')).toBe(LEADS);
  });

  it('refuses --rejects - while the scored CSV goes to standard output, and --rejects on the file standard output goes to', () => {
    const dir = workdir();
    const r = run(dir, ['--rejects', '-']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^icp: --rejects -: the scored output already goes to standard output\n  hint: /);
    const redirected = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" score in.csv --rules "${RULES}" --rejects out.txt -q > out.txt`], { cwd: dir, encoding: 'utf8' });
    expect(redirected.status).toBe(2);
    expect(redirected.stderr).toMatch(/--rejects out\.txt: it is where standard output goes/);
    // With the scored CSV in a file, standard output is free for the rejects; the summary moves to stderr.
    const free = run(dir, ['-o', 'out.csv', '--rejects', '-']);
    expect(free.code).toBe(0);
    expect(free.stdout).toMatch(/^line,reason,raw\n7,"expected 9 fields, found 8 \(row is short\)",/);
    expect(free.stderr).toMatch(/rows read 6 = written 5 \+ rejected 1/);
  });

  it('a --rejects path that cannot be written exits 2 before anything is written: no temporary -o left', () => {
    const dir = workdir({ 'out.csv': 'yesterday\n' });
    const r = run(dir, ['-o', 'out.csv', '--rejects', '/nonexistent/r.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('icp: cannot write --rejects /nonexistent/r.csv: no such directory\n  hint: check that the directory exists\n');
    expect(ls(dir)).toEqual(['in.csv', 'out.csv']);
    expect(read(dir, 'out.csv')).toBe('yesterday\n');
  });

  it('-o naming a directory stays an error', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'sub'));
    const r = run(dir, ['-o', 'sub']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^icp: cannot write -o sub: it is a directory\n/);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
  });
});

describe('gates are decided before the rename', () => {
  it.each([
    ['--strict', ['--strict'], 2, /^icp: 1 row rejected \(--strict\)\n/],
    ['--min-coverage', ['--min-coverage', '0.9'], 1, /^icp: coverage below 0\.9: .*employees.*\n/],
  ])('%s failing: both old files untouched, the new ones kept as .rejected-run, the message says where', (_name, gate, code, message) => {
    const dir = workdir({ 'out.csv': 'yesterday\n', 'rej.csv': 'old rejects\n', 'out.csv.rejected-run': 'an older failed run\n' });
    const r = run(dir, ['-o', 'out.csv', '--rejects', 'rej.csv', '--summary', 'none', ...gate]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("  -o out.csv is unchanged; this run's output is in out.csv.rejected-run\n  --rejects rej.csv is unchanged; this run's output is in rej.csv.rejected-run\n");
    expect(read(dir, 'out.csv')).toBe('yesterday\n');
    expect(read(dir, 'rej.csv')).toBe('old rejects\n');
    expect(read(dir, 'out.csv.rejected-run')).toBe(expectedScored());
    expect(read(dir, 'rej.csv.rejected-run')).toMatch(/^line,reason,raw\n7,/);
    expect(ls(dir)).toEqual(['in.csv', 'out.csv', 'out.csv.rejected-run', 'rej.csv', 'rej.csv.rejected-run']);
    // The next run that passes replaces both and clears the held-back files.
    const ok = run(dir, ['-o', 'out.csv', '--rejects', 'rej.csv', '--summary', 'none']);
    expect(ok.code).toBe(0);
    expect(read(dir, 'out.csv')).toBe(expectedScored());
    expect(ls(dir)).toEqual(['in.csv', 'out.csv', 'rej.csv']);
  });

  it('a failed gate with the CSV on standard output still exits with the gate\'s code and holds back the rejects file', () => {
    const dir = workdir();
    const r = run(dir, ['--rejects', 'rej.csv', '--strict', '--summary', 'none']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(expectedScored());
    expect(r.stderr).toBe("icp: 1 row rejected (--strict)\n  --rejects rej.csv is unchanged; this run's output is in rej.csv.rejected-run\n");
    expect(ls(dir)).toEqual(['in.csv', 'rej.csv.rejected-run']);
  });
});

describe('special targets', () => {
  it('-o through a symlink writes the link\'s target; the link stays', () => {
    const dir = workdir();
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'scored.csv'), 'yesterday\n');
    symlinkSync('data/scored.csv', join(dir, 'latest.csv'));
    const r = run(dir, ['-o', 'latest.csv', '-q']);
    expect(r.code).toBe(0);
    expect(lstatSync(join(dir, 'latest.csv')).isSymbolicLink()).toBe(true);
    expect(read(dir, 'data/scored.csv')).toBe(expectedScored());
    expect(ls(join(dir, 'data'))).toEqual(['scored.csv']);
  });

  it('-o /dev/stdout on a pipe is written directly, with the summary on stderr', () => {
    const dir = workdir();
    const r = run(dir, ['-o', '/dev/stdout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expectedScored());
    expect(r.stderr).toMatch(/^icp score in\.csv — rules/);
    expect(ls(dir)).toEqual(['in.csv']);
  });

  it('-o a FIFO writes into the FIFO, which stays a FIFO', async () => {
    const dir = workdir();
    expect(spawnSync('mkfifo', [join(dir, 'pipe')]).status).toBe(0);
    const reader = spawn('cat', ['pipe'], { cwd: dir });
    let got = '';
    reader.stdout.on('data', (c) => (got += String(c)));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const r = await start(dir, ['-o', 'pipe', '-q']).done;
    await readerDone;
    expect(r.code).toBe(0);
    expect(got).toBe(expectedScored());
    expect(lstatSync(join(dir, 'pipe')).isFIFO()).toBe(true);
    expect(ls(dir)).toEqual(['in.csv', 'pipe']);
  });

  it.skipIf(process.getuid?.() !== 0)('-o a character device node (mknod fakenull c 1 3) writes it and leaves it a device', () => {
    const dir = workdir();
    expect(spawnSync('mknod', [join(dir, 'fakenull'), 'c', '1', '3']).status).toBe(0);
    const r = run(dir, ['-o', 'fakenull', '-q']);
    expect(r.code).toBe(0);
    const st = lstatSync(join(dir, 'fakenull'));
    expect(st.isCharacterDevice()).toBe(true);
    expect(st.rdev).toBe(statSync('/dev/null').rdev);
    expect(ls(dir)).toEqual(['fakenull', 'in.csv']);
  });

  it('a full device (-o /dev/full) exits 1 naming it; the rejects file keeps yesterday\'s report, no temporary file', () => {
    const dir = workdir({ 'rej.csv': 'old rejects\n' });
    const r = run(dir, ['-o', '/dev/full', '--rejects', 'rej.csv', '--summary', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('icp: cannot write -o /dev/full: no space left on the device\n');
    expect(read(dir, 'rej.csv')).toBe('old rejects\n');
    expect(ls(dir)).toEqual(['in.csv', 'rej.csv']);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });
});

it('--excel-safe neutralises formulas in the rejects report too', () => {
  const dir = workdir();
  writeFileSync(join(dir, 'in.csv'), HEADER + ROW + SHORT);
  const r = run(dir, ['-o', 'out.csv', '--rejects', 'rej.csv', '-q', '--excel-safe']);
  expect(r.code).toBe(0);
  expect(read(dir, 'rej.csv')).toBe(`line,reason,raw\n3,"expected 9 fields, found 8 (row is short)","'${SHORT.trimEnd().replace(/"/g, '""')}"\n`);
  const plain = run(dir, ['-o', 'out.csv', '--rejects', 'rej.csv', '-q']);
  expect(plain.code).toBe(0);
  expect(read(dir, 'rej.csv')).toContain(',"=HYPERLINK(""');
});

/** `icp score` as a child process, for tests that need the run to go on while they act. */
function start(dir: string, args: string[]): { pid: number; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, 'score', 'in.csv', '--rules', RULES, ...AS_OF, ...args], { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += String(c)));
  return { pid: child.pid!, done: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr }))) };
}

/** Wait until `test` holds, polling; fails after `ms`. */
async function until(test: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The temporary files in `dir` with some bytes written. */
const writtenTemps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp') && statSync(join(dir, n)).size > 0);

describe('a signal mid-write removes the temporary files and leaves the old ones', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s → exit %i', async (signal, code) => {
    const dir = workdir({ 'out.csv': 'yesterday\n', 'rej.csv': 'old rejects\n' });
    // Standard input kept open: the run is certainly mid-write when the signal comes.
    const child = spawn(process.execPath, [BIN, 'score', '-', '--rules', RULES, ...AS_OF, '-o', 'out.csv', '--rejects', 'rej.csv'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    child.stdin.write(HEADER + SHORT + ROW.repeat(5000)); // ~400 KB: more than one flush of the output
    await until(() => writtenTemps(dir).length > 0, 20_000, 'the output is being written');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toHaveLength(2); // -o and --rejects, each its own
    child.kill(signal);
    const [exit, bySignal] = await closed;
    child.stdin.destroy();
    expect([exit, bySignal]).toEqual([code, null]);
    expect(stderr).toBe(`icp: stopped by ${signal}; no output file was replaced\n`);
    expect(ls(dir)).toEqual(['in.csv', 'out.csv', 'rej.csv']);
    expect(read(dir, 'out.csv')).toBe('yesterday\n');
    expect(read(dir, 'rej.csv')).toBe('old rejects\n');
  });

  it('SIGTERM while two threads score a large file: only the old file remains', async () => {
    const dir = workdir({ 'out.csv': 'yesterday\n' });
    writeFileSync(join(dir, 'in.csv'), HEADER + ROW.repeat(300_000)); // ~24 MB
    const run = start(dir, ['-o', 'out.csv', '--jobs', '2', '-q']);
    await until(() => writtenTemps(dir).length > 0, 30_000, 'the output is being written');
    process.kill(run.pid, 'SIGTERM');
    const r = await run.done;
    expect([r.code, r.signal]).toEqual([143, null]);
    expect(ls(dir)).toEqual(['in.csv', 'out.csv']);
    expect(read(dir, 'out.csv')).toBe('yesterday\n');
    expect(existsSync(join(dir, 'out.csv.rejected-run'))).toBe(false);
  });
});
