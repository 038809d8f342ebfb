#!/usr/bin/env node
// `npm run bench`: throughput and peak memory of `icp score` (and `icp explain`) against the floor set by the CSV
// parser alone, on a synthetic export. A measurement, not a test: it always exits 0 unless it cannot run at all.
//
//   node scripts/bench.mjs [--sizes 18k,100k,1m] [--quick] [--reps N] [--json] [--profile | --profile-only]
//
// What runs (each in its own child process, so its peak RSS is its own; every run is timed from spawn to exit,
// Node start-up included, the same for every measurement):
//   (a)  floor:   csv-parse 7 with default options, streaming from a file read stream, counting records with
//                 the 'data' event (this script re-run as `--floor <file>`). No decoding checks, no scoring.
//   (a2) reader:  icp's own reader (dist/io/input-file.js InputFile + dist/io/csv-reader.js openCsv, as `icp score`
//                 reads), counting records —
//                 informative: the part of (b) that is reading (this script re-run as `--reader <file>`).
//   (b)  score:   node bin/icp.js score <file> --rules bench/rules.yaml --as-of 2026-11-01 -o <tmp> --quiet
//                 (default threads: 2 on a machine with 2 or more CPUs; the targets are judged on this)
//   (b1) score --jobs 1: the same on one thread. Target: the default (b) is never slower than this, judged on the
//                 median of the paired ratios (b)/(b1) of each repetition (the two run back to back).
//   (c)  explain: node bin/icp.js explain <id> <largest file> --rules …, for the last lead and the first lead.
// Repetitions are interleaved (a, a2, b, b1, a, a2, b, b1, …) after one untimed warm-up, so drift hits all alike.
//
// Peak RSS: each child runs under GNU time (`/usr/bin/time -f '%e %U %S %M' -o <file>`), which reports the
// child's getrusage ru_maxrss (KiB) and its user/system CPU seconds. Where /usr/bin/time is missing (or not
// GNU), a preload hook (`NODE_OPTIONS=--require bench/out/.rusage-hook.cjs`) makes every Node child write its
// own process.resourceUsage() (maxRSS, CPU) to a file at exit; both read the same kernel counter.
//
// Data: scripts/bench-data.mjs (fixed seed) writes bench/out/leads-<size>-<hash>.csv, where <hash> is the hash
// of the generator's source: a file is generated only when missing, and files of older generators are removed.
//
// Units: MB = 10^6 bytes (throughput and RSS alike); s = seconds of wall-clock time. "peak RSS" is the highest of
// the repetitions (the RSS targets use it); RSS varies from run to run with when V8 collects garbage.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DUCKDB_KINDS, duckdbSection } from './bench-duckdb.mjs';
import { calibrateSection } from './bench-calibrate.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const GENERATOR = join(ROOT, 'scripts', 'bench-data.mjs');
const OUT_DIR = join(ROOT, 'bench', 'out');
const RULES = join(ROOT, 'bench', 'rules.yaml');
const BIN = join(ROOT, 'bin', 'icp.js');
const UNBUNDLED = join(ROOT, 'scripts', 'icp-unbundled.mjs');
const AS_OF = '2026-11-01';
const MB = 1e6;

const TARGETS = {
  throughputShare: 0.85, // score rows/s ≥ 0.85 × floor rows/s
  rssGrowth: 1.3, // score peak RSS(1M) ≤ 1.3 × RSS(100k)
  rssMaxMB: 200, // score peak RSS(1M) < 200 MB
  // explain(first lead) ≤ 0.2 × explain(last lead) on the largest file: it stopped reading at the match. Not 0.1:
  // the first lead costs a fixed start-up (Node, rules, the 1000-row detection sample, ~0.4 s here), so a faster
  // reader would push a correct early stop over a tighter ratio.
  explainShare: 0.2,
  // The default threads never slower than --jobs 1: the median over repetitions of (default / --jobs 1), each pair run
  // back to back. 1.05, not 1: where the default chooses one thread both run the same code, and a pair still differs
  // by a few per cent on this VM.
  defaultVsOneThread: 1.05,
};

// ---------------------------------------------------------------------------------------------------------
// Child modes: the floor and the reader, run as `node scripts/bench.mjs --floor|--reader <file>`.

async function floorChild(file) {
  const { parse } = await import('csv-parse');
  let records = 0;
  await new Promise((res, rej) => {
    const parser = parse();
    parser.on('data', () => {
      records++;
    });
    parser.on('end', res);
    parser.on('error', rej);
    createReadStream(file).on('error', rej).pipe(parser);
  });
  // Default options: the header is a record too.
  process.stdout.write(`${JSON.stringify({ records, rows: records - 1 })}\n`);
}

async function readerChild(file) {
  const { openCsv } = await import(pathToFileURL(join(ROOT, 'dist', 'io', 'csv-reader.js')).href);
  // The input exactly as `icp score` opens it (dist/io/input-file.js: its chunk size matters for speed and RSS),
  // falling back to a default file stream if that module is gone.
  const inputFile = await import(pathToFileURL(join(ROOT, 'dist', 'io', 'input-file.js')).href).catch(() => ({}));
  const stream = inputFile.InputFile ? (await inputFile.InputFile.open(file)).bytes() : createReadStream(file);
  const source = await openCsv(stream, {}, file);
  let rows = 0;
  let rejects = 0;
  for await (const batch of source.batches()) for (const item of batch) 'fields' in item ? rows++ : rejects++;
  process.stdout.write(`${JSON.stringify({ rows, rejects })}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Small helpers.

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmt = (n, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const log = (s) => process.stderr.write(`${s}\n`);

const usageError = (message) => Object.assign(new Error(message), { usage: true });

function parseSize(s) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw usageError(`--sizes: "${s}" is not a size such as 100k, 1m or 250000`);
  const n = Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n < 1) throw usageError(`--sizes: "${s}" is not a whole number of rows`);
  return n;
}

function sizeLabel(n) {
  if (n % 1e6 === 0) return `${n / 1e6}m`;
  if (n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}

function cpuModel() {
  const cpus = os.cpus();
  let model = cpus[0]?.model?.trim() || 'unknown';
  // Some VMs report a bare family name; lscpu may know more.
  try {
    const out = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
    const name = /^Model name:\s*(.+)$/m.exec(out)?.[1]?.trim();
    if (name && name.length > model.length) model = name;
  } catch {
    /* no lscpu */
  }
  return { model, cores: cpus.length };
}

function gitInfo() {
  const run = (args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  const head = run(['rev-parse', '--short', 'HEAD']);
  if (head.status !== 0) return undefined;
  const dirty = (run(['status', '--porcelain', '--', 'src']).stdout ?? '').trim() !== '';
  return { commit: head.stdout.trim(), srcDirty: dirty };
}

/** Newest mtime of the files under `dir` with names ending in `ext`. */
function newest(dir, ext) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (e.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

// ---------------------------------------------------------------------------------------------------------
// Running a child and measuring it.

/** How peak RSS and CPU time are read: GNU time if it works here, else the preload hook. */
function rssMethod() {
  if (existsSync('/usr/bin/time')) {
    const f = join(OUT_DIR, `.time-probe-${process.pid}`);
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', f, process.execPath, '-e', '0'], { encoding: 'utf8' });
    try {
      const parts = readFileSync(f, 'utf8').trim().split(/\s+/).map(Number);
      if (r.status === 0 && parts.length === 4 && parts.every(Number.isFinite) && parts[3] > 1000) return 'gnu-time';
    } catch {
      /* not GNU time */
    } finally {
      rmSync(f, { force: true });
    }
  }
  return 'hook';
}

const HOOK = `// Written by scripts/bench.mjs: report this process's own peak RSS and CPU time at exit.
const { writeFileSync } = require('node:fs');
const out = process.env.ICP_BENCH_RUSAGE;
if (out) process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ maxRssKiB: u.maxRSS, user: u.userCPUTime / 1e6, sys: u.systemCPUTime / 1e6 }));
});
`;

/**
 * Run `node <args>` with stdout captured (or ignored) and return wall seconds, CPU seconds, peak RSS (KiB),
 * exit code, stdout and stderr.
 */
async function measure(method, nodeArgs, { captureStdout = false } = {}) {
  const statFile = join(OUT_DIR, `.rusage-${process.pid}.txt`);
  rmSync(statFile, { force: true });
  let cmd;
  let args;
  const env = { ...process.env, NO_COLOR: '1' };
  if (method === 'gnu-time') {
    cmd = '/usr/bin/time';
    args = ['-f', '%e %U %S %M', '-o', statFile, process.execPath, ...nodeArgs];
  } else {
    const hook = join(OUT_DIR, '.rusage-hook.cjs');
    writeFileSync(hook, HOOK);
    cmd = process.execPath;
    args = nodeArgs;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(hook)}`.trim();
    env.ICP_BENCH_RUSAGE = statFile;
  }
  const load = os.loadavg()[0];
  const t0 = performance.now();
  const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s) => (stderr += s));
  const code = await new Promise((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, sig) => res(c ?? (sig ? 128 : 1)));
  });
  const wall = (performance.now() - t0) / 1000;
  let maxRssKiB = NaN;
  let cpu = NaN;
  try {
    const text = readFileSync(statFile, 'utf8');
    if (method === 'gnu-time') {
      // The last line holds the numbers (GNU time writes "Command exited with non-zero status" first).
      const [, user, sys, rss] = text.trim().split('\n').pop().trim().split(/\s+/).map(Number);
      maxRssKiB = rss;
      cpu = user + sys;
    } else {
      const u = JSON.parse(text);
      maxRssKiB = u.maxRssKiB;
      cpu = u.user + u.sys;
    }
  } catch {
    /* the child died before reporting */
  }
  rmSync(statFile, { force: true });
  return { wall, cpu, rssMB: (maxRssKiB * 1024) / MB, code, stdout, stderr, load };
}

// ---------------------------------------------------------------------------------------------------------
// Data sets.

function generatorHash() {
  return createHash('sha256').update(readFileSync(GENERATOR)).digest('hex').slice(0, 10);
}

async function ensureData(rows, hash) {
  const label = sizeLabel(rows);
  const file = join(OUT_DIR, `leads-${label}-${hash}.csv`);
  const meta = `${file.slice(0, -4)}.json`;
  if (existsSync(file) && existsSync(meta)) return { file, ...JSON.parse(readFileSync(meta, 'utf8')) };
  log(`generating ${fmtInt(rows)} rows → ${relative(ROOT, file)} …`);
  const t = performance.now();
  const { generate, leadId } = await import(pathToFileURL(GENERATOR).href);
  const s = generate(rows, file);
  const info = { rows, bytes: s.bytes, quotedNotesShare: s.quotedNotes / rows, quotedRowsShare: s.quotedRows / rows, firstId: leadId(0), lastId: leadId(rows - 1), generatorHash: hash };
  writeFileSync(meta, `${JSON.stringify(info, null, 2)}\n`);
  log(`  ${(s.bytes / MB).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { file, ...info };
}

/** Remove data generated by other versions of the generator (they are large). */
function removeStale(hash) {
  if (!existsSync(OUT_DIR)) return;
  for (const name of readdirSync(OUT_DIR)) {
    const m = /^leads-[^-]+-([0-9a-f]{10})\.(csv|json)$/.exec(name);
    if (m && m[1] !== hash) {
      unlinkSync(join(OUT_DIR, name));
      log(`removed stale ${name}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// CPU profile summary.

const CATEGORIES = [
  ['parse', 'parse / read (csv-parse, dist/io/csv-reader, csv-parser, decode)', (u) => /\/node_modules\/csv-parse\/|\/dist\/io\/(csv-reader|csv-parser|decode)\.js$/.test(u)],
  ['evaluate', 'evaluate (dist/engine, dist/values)', (u) => /\/dist\/(engine|values)\//.test(u)],
  ['write', 'serialise / write (dist/io/output, csv-format, commands/score, score-format, dist/run)', (u) => /\/dist\/io\/(output|csv-format)\.js$|\/dist\/commands\/score(-format)?\.js$|\/dist\/run\//.test(u)],
  ['stats', 'summary statistics (dist/report)', (u) => /\/dist\/report\//.test(u)],
  ['startup', 'start-up: rules, CLI, libraries (dist/rules, dist/commands, node_modules)', (u) => /\/dist\/|\/node_modules\//.test(u)],
  ['node', 'Node internals (streams, fs, promises)', (u) => u.startsWith('node:')],
];

function categorise(frame) {
  const fn = frame.functionName;
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)' || fn === '(root)') return 'program';
  const url = frame.url ?? '';
  for (const [key, , test] of CATEGORIES) if (test(url)) return key;
  return url ? 'other' : 'native';
}

const CATEGORY_LABELS = {
  ...Object.fromEntries(CATEGORIES.map(([k, label]) => [k, label])),
  gc: 'garbage collector',
  native: 'native / builtins without a script',
  program: '(program): V8 and native code outside JS',
  idle: '(idle): waiting for I/O',
  other: 'other',
};

/** Self time by category and by function, and inclusive time of a few pipeline functions, from a .cpuprofile. */
export function summariseProfile(path) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i + 1] ?? 0; // time until the next sample is spent where this sample is
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  // Inclusive time per node (children listed by id).
  const incl = new Map();
  const inclusive = (n) => {
    if (incl.has(n.id)) return incl.get(n.id);
    let t = self.get(n.id) ?? 0;
    for (const c of n.children ?? []) t += inclusive(byId.get(c));
    incl.set(n.id, t);
    return t;
  };
  const root = p.nodes[0];
  inclusive(root);
  const total = incl.get(root.id);
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  // Builtins, RegExp code and Node internals have no script of ours: charge them to the nearest caller in dist/ or
  // node_modules (e.g. the UTF-8 encoding inside stream.write to io/output's flush), else keep their own category.
  const charged = (n) => {
    const own = categorise(n.callFrame);
    if (own !== 'native' && own !== 'node' && own !== 'other') return own;
    for (let a = parent.get(n.id); a; a = parent.get(a.id)) {
      const c = categorise(a.callFrame);
      if (c !== 'native' && c !== 'node' && c !== 'other' && c !== 'program') return c;
    }
    return own;
  };
  const cats = new Map();
  const catsCharged = new Map();
  const fns = new Map();
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    if (!t) continue;
    const cat = categorise(n.callFrame);
    cats.set(cat, (cats.get(cat) ?? 0) + t);
    const cc = charged(n);
    catsCharged.set(cc, (catsCharged.get(cc) ?? 0) + t);
    const url = n.callFrame.url ? relative(ROOT, fileURLToPath(n.callFrame.url.startsWith('file:') ? n.callFrame.url : pathToFileURL(n.callFrame.url))).replace(/^node_modules\//, '') : '';
    const where = n.callFrame.url?.startsWith('node:') ? n.callFrame.url : url;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${where}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    const f = fns.get(key) ?? { fn: key, cat, ms: 0 };
    f.ms += t;
    fns.set(key, f);
  }
  // Inclusive time of named pipeline steps: the outermost frames of each name (no double counting of recursion).
  const steps = {};
  const visit = (n, inside) => {
    const name = n.callFrame.functionName;
    const tracked = ['runScore', 'evaluate', 'addedValues', 'topReasons', 'dqReasons', 'add', 'records', 'parse', 'write', 'flush', 'csvField', 'scoreCriterion', 'usable'];
    let now = inside;
    if (tracked.includes(name) && n.callFrame.url.includes('/dist/') && !inside.has(name)) {
      const key = `${name} (${relative(join(ROOT, 'dist'), fileURLToPath(n.callFrame.url))})`;
      steps[key] = (steps[key] ?? 0) + incl.get(n.id);
      now = new Set(inside).add(name);
    }
    for (const c of n.children ?? []) visit(byId.get(c), now);
  };
  visit(root, new Set());
  const us = (x) => x / 1000;
  return {
    totalMs: us(total),
    categories: [...cats].map(([k, t]) => ({ category: k, label: CATEGORY_LABELS[k] ?? k, ms: us(t), share: t / total })).sort((a, b) => b.ms - a.ms),
    categoriesCharged: [...catsCharged].map(([k, t]) => ({ category: k, label: CATEGORY_LABELS[k] ?? k, ms: us(t), share: t / total })).sort((a, b) => b.ms - a.ms),
    topFunctions: [...fns.values()].sort((a, b) => b.ms - a.ms).slice(0, 25).map((f) => ({ function: f.fn, category: f.cat, ms: us(f.ms), share: f.ms / total })),
    inclusive: Object.entries(steps).map(([k, t]) => ({ function: k, ms: us(t), share: t / total })).sort((a, b) => b.ms - a.ms),
  };
}

function printProfile(s, out) {
  out(`\nCPU profile: ${fmt(s.totalMs / 1000)} s sampled`);
  out('self time by category (where the sampled frame\'s own code is):');
  for (const c of s.categories) out(`  ${fmt(100 * c.share, 1).padStart(5)} %  ${fmt(c.ms / 1000).padStart(6)} s  ${c.label}`);
  // The four headline groups the issue asks for, with builtins and Node internals charged to their caller.
  const get = (k) => s.categoriesCharged.find((c) => c.category === k)?.share ?? 0;
  const parse = get('parse');
  const evaluate = get('evaluate');
  const write = get('write');
  out('self time with builtins / Node internals charged to their caller in dist/ (e.g. UTF-8 encoding → write):');
  for (const c of s.categoriesCharged) out(`  ${fmt(100 * c.share, 1).padStart(5)} %  ${fmt(c.ms / 1000).padStart(6)} s  ${c.label}`);
  out(`  → parse ${fmt(100 * parse, 1)} % · evaluate ${fmt(100 * evaluate, 1)} % · serialise/write ${fmt(100 * write, 1)} % · other ${fmt(100 * (1 - parse - evaluate - write), 1)} % (GC ${fmt(100 * get('gc'), 1)} %, start-up ${fmt(100 * get('startup'), 1)} %)`);
  out('inclusive time of pipeline steps (outermost call of each):');
  for (const f of s.inclusive) out(`  ${fmt(100 * f.share, 1).padStart(5)} %  ${f.function}`);
  out('top functions by self time:');
  for (const f of s.topFunctions) out(`  ${fmt(100 * f.share, 1).padStart(5)} %  ${fmt(f.ms, 0).padStart(6)} ms  [${f.category}] ${f.function}`);
}

// ---------------------------------------------------------------------------------------------------------
// The benchmark.

const HELP = `usage: node scripts/bench.mjs [options]    (npm run bench -- [options])

  --sizes <list>     row counts to measure, e.g. 100k,1m (default 18k,100k,1m: 5, 27 and 275 MB)
  --quick            100k only
  --reps <n>         repetitions of each measurement (default 5 for ≤ 200k rows, else 3)
  --json             write the results as JSON to standard output (the table goes to standard error)
  --profile          also record a CPU profile of one \`icp score\` run on the smallest size and summarise it
  --profile-only     only the profile
  --summarise <f>    summarise an existing .cpuprofile and exit
  --rss-method <m>   how peak RSS is read: auto (default: /usr/bin/time when it is GNU time), time, hook
  -h, --help         this help

Data is generated into bench/out/ (gitignored) by scripts/bench-data.mjs when missing. The script always exits 0
once it ran: targets are reported as PASS / FAIL, not enforced.`;

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--floor') return floorChild(argv[1]);
  if (argv[0] === '--reader') return readerChild(argv[1]);

  const { values: o } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      quick: { type: 'boolean' },
      reps: { type: 'string' },
      json: { type: 'boolean' },
      profile: { type: 'boolean' },
      'profile-only': { type: 'boolean' },
      summarise: { type: 'string' },
      'rss-method': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (o.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (o.summarise) {
    printProfile(summariseProfile(o.summarise), (s) => process.stdout.write(`${s}\n`));
    return;
  }
  const sizes = [...new Set((o.quick ? ['100k'] : (o.sizes ?? '18k,100k,1m').split(',')).map(parseSize))].sort((a, b) => a - b);
  const repsOverride = o.reps === undefined ? undefined : Number(o.reps);
  if (repsOverride !== undefined && !(Number.isInteger(repsOverride) && repsOverride >= 1)) throw usageError(`--reps: "${o.reps}" is not a positive whole number`);
  const repsFor = (rows) => repsOverride ?? (rows <= 200_000 ? 5 : 3);
  const out = o.json ? (s) => process.stderr.write(`${s}\n`) : (s) => process.stdout.write(`${s}\n`);

  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
    log('icp is not built: run `npm run build` first (bench measures the built binary bin/icp.js → dist/).');
    process.exitCode = 2;
    return;
  }
  const notes = [];
  const srcNewest = newest(join(ROOT, 'src'), '.ts');
  const distNewest = newest(join(ROOT, 'dist'), '.js');
  if (srcNewest > distNewest + 1000) notes.push('src/ has changes newer than dist/: run `npm run build` for up-to-date figures');

  mkdirSync(OUT_DIR, { recursive: true });
  const hash = generatorHash();
  removeStale(hash);
  const forced = o['rss-method'];
  if (forced !== undefined && !['auto', 'time', 'hook'].includes(forced)) throw usageError(`--rss-method: "${forced}" is not auto, time or hook`);
  const method = forced === 'hook' ? 'hook' : forced === 'time' ? 'gnu-time' : rssMethod();
  const cpu = cpuModel();
  const machine = {
    cpu: cpu.model,
    cores: cpu.cores,
    memoryGB: +(os.totalmem() / 1e9).toFixed(1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAvgStart: os.loadavg().map((x) => +x.toFixed(2)),
  };
  const startedAt = new Date();
  log(`icp bench — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; peak RSS via ${method === 'gnu-time' ? '/usr/bin/time' : 'preload hook'}`);
  if (machine.loadAvgStart[0] > cpu.cores / 2) notes.push(`load average was ${machine.loadAvgStart[0]} at the start (${cpu.cores} cores): other work may slow the runs and widen the spread`);

  // Rules must compile (and validate, where `icp validate` exists).
  const hasCommand = (name) => spawnSync(process.execPath, [BIN, name, '--help'], { cwd: ROOT, stdio: 'ignore' }).status === 0;
  if (hasCommand('validate')) {
    const v = spawnSync(process.execPath, [BIN, 'validate', '--rules', RULES], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (v.status !== 0) {
      log(`bench/rules.yaml does not validate:\n${v.stdout}${v.stderr}`);
      process.exitCode = 2;
      return;
    }
  } else notes.push('`icp validate` is not available yet: the rules were only checked by compiling them in `icp score`');
  const explainAvailable = hasCommand('explain');

  const profileOnly = o['profile-only'] === true;
  const datasets = [];
  for (const rows of profileOnly ? sizes.slice(0, 1) : sizes) datasets.push(await ensureData(rows, hash));

  const measurements = [];
  const scoreOut = join(OUT_DIR, `.scored-${process.pid}.csv`);
  const failures = [];
  const run = async (kind, ds, nodeArgs, check) => {
    const r = await measure(method, nodeArgs, { captureStdout: kind === 'floor' || kind === 'reader' });
    const problem = r.code !== 0 ? `exit code ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` : check?.(r);
    if (problem) failures.push(`${kind} ${sizeLabel(ds.rows)}: ${problem}`);
    return problem ? undefined : r;
  };
  const floorArgs = (ds) => [SELF, '--floor', ds.file];
  const readerArgs = (ds) => [SELF, '--reader', ds.file];
  const scoreArgs = (ds, jobs = []) => [BIN, 'score', ds.file, '--rules', RULES, '--as-of', AS_OF, '-o', scoreOut, '--quiet', ...jobs];
  const explainArgs = (ds, id) => [BIN, 'explain', id, ds.file, '--rules', RULES, '--as-of', AS_OF];
  const countCheck = (ds, key) => (r) => {
    let n;
    try {
      n = JSON.parse(r.stdout)[key];
    } catch {
      return `unexpected output: ${r.stdout.slice(0, 200)}`;
    }
    return n === ds.rows ? undefined : `counted ${n} rows, expected ${ds.rows}`;
  };
  const scoreCheck = (ds) => () => {
    const size = existsSync(scoreOut) ? statSync(scoreOut).size : 0;
    rmSync(scoreOut, { force: true });
    return size > ds.bytes ? undefined : `output is ${size} bytes, smaller than the input`;
  };

  for (const ds of profileOnly ? [] : datasets) {
    const reps = repsFor(ds.rows);
    const label = sizeLabel(ds.rows);
    log(`\n${label}: ${fmtInt(ds.rows)} rows, ${(ds.bytes / MB).toFixed(1)} MB — warm-up, then ${reps} × (floor, reader, score, score --jobs 1)`);
    await run('floor', ds, floorArgs(ds)); // warm-up: page cache, disk
    const runs = { floor: [], reader: [], score: [], 'score-1': [] };
    const pairs = []; // default / --jobs 1, run back to back, in alternating order
    for (let i = 0; i < reps; i++) {
      const f = await run('floor', ds, floorArgs(ds), countCheck(ds, 'rows'));
      if (f) runs.floor.push(f);
      const rd = await run('reader', ds, readerArgs(ds), countCheck(ds, 'rows'));
      if (rd) runs.reader.push(rd);
      let s;
      let s1;
      if (i % 2 === 0) {
        s = await run('score', ds, scoreArgs(ds), scoreCheck(ds));
        s1 = await run('score-1', ds, scoreArgs(ds, ['--jobs', '1']), scoreCheck(ds));
      } else {
        s1 = await run('score-1', ds, scoreArgs(ds, ['--jobs', '1']), scoreCheck(ds));
        s = await run('score', ds, scoreArgs(ds), scoreCheck(ds));
      }
      if (s) runs.score.push(s);
      if (s1) runs['score-1'].push(s1);
      if (s && s1) pairs.push(s.wall / s1.wall);
      log(`  rep ${i + 1}/${reps}: floor ${fmt(f?.wall)} s · reader ${fmt(rd?.wall)} s · score ${fmt(s?.wall)} s · score --jobs 1 ${fmt(s1?.wall)} s (load ${fmt(os.loadavg()[0])})`);
    }
    for (const kind of ['floor', 'reader', 'score', 'score-1']) if (runs[kind].length) measurements.push(summarise(kind, ds, runs[kind]));
    if (pairs.length) measurements.find((m) => m.id === 'score' && m.size === sizeLabel(ds.rows)).pairedVsOneThread = { median: +median(pairs).toFixed(3), all: pairs.map((x) => +x.toFixed(3)) };
  }
  rmSync(scoreOut, { force: true });

  if (profileOnly) {
    // Only the profile.
  } else if (explainAvailable) {
    // The last lead of the largest file (reads it all), and the first lead of every file: that time must not grow
    // with the file, which is what proves explain stops reading at the match.
    const big = datasets[datasets.length - 1];
    for (const ds of datasets) {
      const reps = repsFor(ds.rows);
      const withLast = ds === big;
      log(`\nexplain on ${sizeLabel(ds.rows)}: ${reps} × (${withLast ? `last lead ${ds.lastId}, ` : ''}first lead ${ds.firstId})`);
      const runs = { 'explain-last': [], 'explain-first': [] };
      for (let i = 0; i < reps; i++) {
        const l = withLast ? await run('explain-last', ds, explainArgs(ds, ds.lastId)) : undefined;
        if (l) runs['explain-last'].push(l);
        const f = await run('explain-first', ds, explainArgs(ds, ds.firstId));
        if (f) runs['explain-first'].push(f);
        log(`  rep ${i + 1}/${reps}: ${withLast ? `last ${fmt(l?.wall)} s · ` : ''}first ${fmt(f?.wall)} s`);
      }
      for (const kind of ['explain-last', 'explain-first']) if (runs[kind].length) measurements.push(summarise(kind, ds, runs[kind]));
    }
  } else notes.push('`icp explain` is not available yet (`icp explain --help` failed): explain was skipped');

  // DuckDB running icp's own SQL, beside icp score in the same run (scripts/bench-duckdb.mjs).
  const duckdbTargets = profileOnly ? [] : await duckdbSection({ datasets, reps: Math.min(3, repsFor(datasets[0].rows)), run, summarise, measurements, notes, log, rules: RULES, asOf: AS_OF, outDir: OUT_DIR });

  if (!profileOnly) await calibrateSection({ notes, log, outDir: OUT_DIR });

  let profile;
  if (o.profile || o['profile-only']) profile = await runProfile(datasets[0], method);

  machine.loadAvgEnd = os.loadavg().map((x) => +x.toFixed(2));
  const targets = [...evaluateTargets(measurements, datasets), ...duckdbTargets];
  for (const f of failures) notes.push(`failed run: ${f}`);
  const result = {
    tool: 'icp bench',
    schema: 1,
    date: startedAt.toISOString(),
    durationSeconds: +((Date.now() - startedAt.getTime()) / 1000).toFixed(1),
    machine,
    git: gitInfo(),
    rssMethod: method === 'gnu-time' ? '/usr/bin/time -f %M (ru_maxrss of the child)' : 'process.resourceUsage().maxRSS via --require hook',
    config: { sizes, reps: Object.fromEntries(sizes.map((n) => [sizeLabel(n), repsFor(n)])), rules: 'bench/rules.yaml', asOf: AS_OF, units: { MB: 1e6, time: 's (wall clock, spawn to exit)' } },
    datasets: datasets.map((d) => ({ size: sizeLabel(d.rows), file: relative(ROOT, d.file), rows: d.rows, bytes: d.bytes, bytesPerRow: +(d.bytes / d.rows).toFixed(1), quotedNotesShare: +d.quotedNotesShare.toFixed(4), quotedRowsShare: +d.quotedRowsShare.toFixed(4), generatorHash: d.generatorHash })),
    measurements,
    targets,
    profile,
    notes,
  };
  printTable(result, out);
  if (profile) printProfile(profile, out);
  if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

function summarise(kind, ds, runs) {
  const walls = runs.map((r) => r.wall);
  const med = median(walls);
  const rss = runs.map((r) => r.rssMB);
  return {
    id: kind,
    size: sizeLabel(ds.rows),
    rows: ds.rows,
    bytes: ds.bytes,
    reps: runs.length,
    seconds: { median: +med.toFixed(3), min: +Math.min(...walls).toFixed(3), max: +Math.max(...walls).toFixed(3), all: walls.map((w) => +w.toFixed(3)) },
    cpuSeconds: { median: +median(runs.map((r) => r.cpu)).toFixed(3) },
    // Explain reads up to its lead only: rows/s and MB/s are meaningful for the last lead (whole file) alone.
    rowsPerSecond: kind === 'explain-first' ? null : Math.round(ds.rows / med),
    mbPerSecond: kind === 'explain-first' ? null : +(ds.bytes / MB / med).toFixed(2),
    peakRssMB: { max: +Math.max(...rss).toFixed(1), median: +median(rss).toFixed(1), min: +Math.min(...rss).toFixed(1), all: rss.map((x) => +x.toFixed(1)) },
    loadAvg1m: { max: +Math.max(...runs.map((r) => r.load)).toFixed(2) },
  };
}

function evaluateTargets(ms, datasets) {
  const get = (id, size) => ms.find((m) => m.id === id && m.size === size);
  const targets = [];
  for (const d of datasets) {
    const size = sizeLabel(d.rows);
    const f = get('floor', size);
    const s = get('score', size);
    if (f && s) {
      const ratio = f.seconds.median / s.seconds.median;
      const rd = get('reader', size);
      if (rd) targets.push({ id: `reader-share-${size}`, info: true, description: `score throughput vs icp's own reader alone (${size})`, value: +(rd.seconds.median / s.seconds.median).toFixed(3), threshold: null, pass: null, detail: `${fmtInt(s.rowsPerSecond)} vs ${fmtInt(rd.rowsPerSecond)} rows/s: the rest is evaluation, serialisation and writing` });
      const s1 = get('score-1', size);
      if (s1) targets.push({ id: `throughput-1-thread-${size}`, info: true, description: `score --jobs 1 throughput vs parse-only floor (${size})`, value: +(f.seconds.median / s1.seconds.median).toFixed(3), threshold: null, pass: null, detail: `${fmtInt(s1.rowsPerSecond)} rows/s, ${fmt(s1.peakRssMB.max, 1)} MB peak RSS; default threads ${fmt(s1.seconds.median / s.seconds.median)}× as fast` });
      if (s.pairedVsOneThread) {
        const p = s.pairedVsOneThread;
        targets.push({ id: `default-vs-1-thread-${size}`, description: `default threads never slower than --jobs 1: paired ratio ≤ ${TARGETS.defaultVsOneThread} (${size})`, value: p.median, threshold: TARGETS.defaultVsOneThread, pass: p.median <= TARGETS.defaultVsOneThread, detail: `median of ${p.all.length} pairs run back to back: ${p.all.join(', ')}` });
      }
      targets.push({ id: `throughput-${size}`, description: `score throughput ≥ ${TARGETS.throughputShare}× parse-only floor (${size})`, value: +ratio.toFixed(3), threshold: TARGETS.throughputShare, pass: ratio >= TARGETS.throughputShare, detail: `${fmtInt(s.rowsPerSecond)} vs ${fmtInt(f.rowsPerSecond)} rows/s; fastest runs ${fmt(f.seconds.min / s.seconds.min)}×; CPU-time ratio ${fmt(f.cpuSeconds.median / s.cpuSeconds.median)}×` });
    }
  }
  const small = get('score', '100k');
  const big = get('score', '1m');
  if (small && big) {
    const g = big.peakRssMB.max / small.peakRssMB.max;
    targets.push({ id: 'rss-growth', description: `score peak RSS 1m ≤ ${TARGETS.rssGrowth}× 100k`, value: +g.toFixed(3), threshold: TARGETS.rssGrowth, pass: g <= TARGETS.rssGrowth, detail: `${fmt(big.peakRssMB.max, 1)} MB vs ${fmt(small.peakRssMB.max, 1)} MB` });
  }
  if (big) targets.push({ id: 'rss-max', description: `score peak RSS 1m < ${TARGETS.rssMaxMB} MB`, value: big.peakRssMB.max, threshold: TARGETS.rssMaxMB, pass: big.peakRssMB.max < TARGETS.rssMaxMB, detail: `${fmt(big.peakRssMB.max, 1)} MB` });
  const last = ms.find((m) => m.id === 'explain-last');
  const firsts = ms.filter((m) => m.id === 'explain-first');
  const first = last && firsts.find((m) => m.size === last.size);
  if (last && first) {
    const r = first.seconds.median / last.seconds.median;
    // On a small file the fixed start-up dominates both runs: the ratio then says nothing about early stop.
    if (last.rows < 1_000_000) {
      targets.push({ id: 'explain-early-stop', info: true, description: `explain first lead vs last lead (${last.size}; judged on 1m rows)`, value: +r.toFixed(3), threshold: null, pass: null, detail: `first ${fmt(first.seconds.median)} s vs last ${fmt(last.seconds.median)} s` });
      return targets;
    }
    targets.push({ id: 'explain-early-stop', description: `explain stops at the match: first lead ≤ ${TARGETS.explainShare}× last lead (${last.size})`, value: +r.toFixed(3), threshold: TARGETS.explainShare, pass: r <= TARGETS.explainShare, detail: `first ${fmt(first.seconds.median)} s vs last ${fmt(last.seconds.median)} s (${fmt(1 / r, 1)}× faster)` });
  }
  if (firsts.length > 1) {
    const a = firsts[0];
    const b = firsts[firsts.length - 1];
    const g = b.seconds.median / a.seconds.median;
    // Informative: ~0.4 s runs are too sensitive to other load on a small machine for a pass/fail line.
    targets.push({ id: 'explain-flat', info: true, description: `explain first lead vs file size: ${b.size} / ${a.size}`, value: +g.toFixed(3), threshold: null, pass: null, detail: `${fmt(b.seconds.median)} s vs ${fmt(a.seconds.median)} s (≈ 1 when reading stops at the match)` });
  }
  return targets;
}

const KIND_LABEL = {
  floor: '(a) parse floor: csv-parse',
  reader: '(a2) icp reader only',
  score: '(b) icp score',
  'score-1': '(b1) icp score --jobs 1',
  'explain-last': '(c) explain last lead',
  'explain-first': '(c) explain first lead',
};

function printTable(r, out) {
  out(`\nicp bench · ${r.date.slice(0, 10)} · ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGB} GB) · Node ${r.machine.node} · ${r.machine.platform}`);
  out(`git ${r.git ? `${r.git.commit}${r.git.srcDirty ? ' + uncommitted src/ changes' : ''}` : 'n/a'} · load avg ${r.machine.loadAvgStart[0]} → ${r.machine.loadAvgEnd[0]} · peak RSS via ${r.rssMethod}`);
  for (const d of r.datasets) out(`data ${d.size}: ${d.file} · ${fmtInt(d.rows)} rows · ${fmt(d.bytes / MB, 1)} MB (${d.bytesPerRow} B/row) · ${fmt(100 * d.quotedNotesShare, 1)} % quoted notes, ${fmt(100 * d.quotedRowsShare, 1)} % rows with a quoted field`);
  const head = ['size', 'measurement', 'reps', 'median s', 'min–max s', 'cpu s', 'rows/s', 'MB/s', 'peak RSS MB', 'RSS min–max'];
  const rows = r.measurements.map((m) => [
    m.size,
    KIND_LABEL[m.id] ?? DUCKDB_KINDS[m.id] ?? m.id,
    String(m.reps),
    fmt(m.seconds.median, 3),
    `${fmt(m.seconds.min, 2)}–${fmt(m.seconds.max, 2)}`,
    fmt(m.cpuSeconds.median, 2),
    m.rowsPerSecond === null ? '–' : fmtInt(m.rowsPerSecond),
    m.mbPerSecond === null ? '–' : fmt(m.mbPerSecond, 1),
    fmt(m.peakRssMB.max, 1),
    `${fmt(m.peakRssMB.min, 0)}–${fmt(m.peakRssMB.max, 0)}`,
  ]);
  if (!rows.length) {
    for (const n of r.notes) out(`note: ${n}`);
    return;
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const right = new Set([2, 3, 4, 5, 6, 7, 8, 9]);
  const line = (cells) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  out('');
  out(line(head));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) out(line(row));
  if (r.targets.length) {
    out('\ntargets (reported, not enforced):');
    const tw = Math.max(...r.targets.map((t) => t.description.length));
    for (const t of r.targets) out(`  ${t.info ? 'INFO' : t.pass ? 'PASS' : 'FAIL'}  ${t.description.padEnd(tw)}  ${String(t.value).padStart(7)}  ${t.detail}`);
  }
  for (const n of r.notes) out(`note: ${n}`);
}

async function runProfile(ds, method) {
  const dir = join(OUT_DIR, 'profile');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const outFile = join(OUT_DIR, `.scored-profile-${process.pid}.csv`);
  // One thread: a profile covers the thread it runs on, and on one thread that is all of the work. The compiled
  // modules, not the bundle, so that time is charged to the files it is spent in (start-up is slower that way).
  log(`\nprofiling one \`icp score --jobs 1\` on ${sizeLabel(ds.rows)} → ${relative(ROOT, dir)}/score.cpuprofile`);
  const r = await measure(method, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', 'score.cpuprofile', '--cpu-prof-interval', '500', UNBUNDLED, 'score', ds.file, '--rules', RULES, '--as-of', AS_OF, '-o', outFile, '--quiet', '--jobs', '1']);
  rmSync(outFile, { force: true });
  if (r.code !== 0) {
    log(`profile run failed (exit ${r.code}): ${r.stderr}`);
    return undefined;
  }
  return { file: relative(ROOT, join(dir, 'score.cpuprofile')), size: sizeLabel(ds.rows), wallSeconds: +r.wall.toFixed(3), ...summariseProfile(join(dir, 'score.cpuprofile')) };
}

// `npm run bench | head`: the reader going away is a normal end.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main().catch((e) => {
  const usage = e?.usage || String(e?.code ?? '').startsWith('ERR_PARSE_ARGS');
  process.stderr.write(usage ? `bench: ${e.message}\n(run with --help for usage)\n` : `bench: ${e?.stack ?? e}\n`);
  process.exitCode = 2;
});
