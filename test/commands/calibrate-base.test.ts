// `icp calibrate --base`: the calibrated file's scores are the scorecard scale of the fitted log-odds on the training
// rows (table-driven over PDO, base, base odds and split), the base changes no ranking, and the usage errors of
// --base, --tier-shares and --tier-conversion.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { BASE_ID, fitCriteria } from '../../src/commands/calibrate.js';
import { labelledRows } from '../../src/commands/evaluate.js';
import { readRules, type Io } from '../../src/commands/shared.js';
import { fitPoints, fittedLogOdds } from '../../src/stats/calibrate.js';
import { scaledScore, scorecardScale } from '../../src/stats/scaling.js';
import { stratifiedSplit } from '../../src/stats/split.js';
import { run } from '../cli/harness.js';
import { HAND_RULES, syntheticCsv } from '../stats/synthetic.js';

let dir: string;
const at = (f: string) => join(dir, f);
const base = ['--outcome', 'Converted', '--as-of', '2026-11-01'];
const opts = { outcome: 'Converted', asOf: '2026-11-01', encoding: 'auto' };
const quiet: Io = {
  stdin: Readable.from([]),
  stdout: new Writable({ write: (_c, _e, done) => done() }),
  stderr: new Writable({ write: (_c, _e, done) => done() }),
  env: {},
  cwd: process.cwd(),
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'icp-calibrate-base-'));
  writeFileSync(at('leads.csv'), syntheticCsv({ rows: 3000, seed: 2 }));
  writeFileSync(at('hand.yaml'), HAND_RULES);
});

describe('icp calibrate --base: scores are the scaled fitted log-odds', () => {
  it.each([
    { pdo: 20, base: '600', odds: undefined, train: undefined },
    { pdo: 50, base: '600@1:19', odds: 1 / 19, train: undefined },
    { pdo: 30, base: '0@1:1', odds: 1, train: 0.7 },
    { pdo: 10, base: '-100@3:1', odds: 3, train: 0.6 },
  ])('--pdo $pdo --base $base (train $train)', async ({ pdo, base: b, odds, train }) => {
    const out = at(`base-${pdo}.yaml`);
    const args = ['calibrate', at('leads.csv'), '--rules', at('hand.yaml'), ...base, '--pdo', String(pdo), '--base', b, '-o', out, '--format', 'json'];
    if (train) args.push('--train', String(train), '--seed', '7');
    const r = await run(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);

    // The fit, done again from the same rows: deterministic, so it is the one the command wrote.
    const hand = await readRules(at('hand.yaml'));
    const before = await labelledRows(at('leads.csv'), hand.model, opts, quiet, true);
    const split = train ? stratifiedSplit(before.rows.label, train, 7) : undefined;
    const crit = fitCriteria(hand.model, hand.rules);
    const fit = fitPoints(crit, before.rows, split, { pdo, prior: 20 });
    let tp = 0;
    let tn = 0;
    for (let i = 0; i < before.rows.n; i++) if (!split || split[i]) before.rows.label[i] ? tp++ : tn++;
    const scale = scorecardScale(pdo, Number(b.split('@')[0]), odds ?? tp / tn);
    expect(report.scale.offset).toBeCloseTo(scale.offset, 5);
    expect(report.scale.baseOdds).toBeCloseTo(scale.baseOdds, 5);

    const cal = await readRules(out);
    const after = await labelledRows(at('leads.csv'), cal.model, opts, quiet, true);
    const baseAt = cal.model.criteria.findIndex((c) => c.id === BASE_ID);
    expect(baseAt).toBe(cal.model.criteria.length - 1);
    expect(cal.model.criteria[baseAt]!.points).toBe(Math.round(scaledScore(scale, fit.intercept)));
    // Per training row: score = offset + factor × fitted log-odds, up to the rounding of the points written (whole
    // points from 10, one decimal below; neutral shares to hundredths; points_per to hundredths per unit).
    let checked = 0;
    const c = after.rows.criteria;
    for (let i = 0; i < after.rows.n; i++) {
      if (split && !split[i]) continue;
      let tol = 0.5 + 0.01 * c;
      for (let k = 0; k < crit.length; k++) {
        const m = cal.model.criteria[k]!;
        tol += Math.abs(after.rows.points[i * c + k]!) >= 9.5 ? 0.5 : 0.05;
        if (m.kind === 'per') tol += 0.005 * 5 + 0.5;
        if (m.unknown.policy === 'neutral') tol += 0.005 * m.maxPoints;
      }
      const want = scaledScore(scale, fittedLogOdds(fit, crit, before.rows, i));
      expect(Math.abs(after.rows.score[i]! - want)).toBeLessThanOrEqual(tol);
      checked++;
    }
    expect(checked).toBe(fit.trainRows);
  });

  it('changes no ranking: with and without --base the criteria get the same points and scores move by the constant', async () => {
    await run(['calibrate', at('leads.csv'), '--rules', at('hand.yaml'), ...base, '--pdo', '20', '-o', at('nobase.yaml')]);
    await run(['calibrate', at('leads.csv'), '--rules', at('hand.yaml'), ...base, '--pdo', '20', '--base', '600@1:1', '-o', at('withbase.yaml')]);
    const a = await readRules(at('nobase.yaml'));
    const b = await readRules(at('withbase.yaml'));
    const constant = b.model.criteria.find((c) => c.id === BASE_ID)!.points;
    expect(a.model.criteria.map((c) => c.points)).toEqual(b.model.criteria.slice(0, -1).map((c) => c.points));
    const ra = await labelledRows(at('leads.csv'), a.model, opts, quiet);
    const rb = await labelledRows(at('leads.csv'), b.model, opts, quiet);
    for (let i = 0; i < ra.rows.n; i++) expect(rb.rows.score[i]! - ra.rows.score[i]!).toBeCloseTo(constant, 9);
  });

  it('run again with --base refits its own criterion in place; without --base keeps it and says so', async () => {
    await run(['calibrate', at('leads.csv'), '--rules', at('hand.yaml'), ...base, '--pdo', '20', '--base', '600', '-o', at('b1.yaml')]);
    await run(['calibrate', at('leads.csv'), '--rules', at('b1.yaml'), ...base, '--pdo', '20', '--base', '700', '-o', at('b2.yaml')]);
    const once = readFileSync(at('b1.yaml'), 'utf8');
    const twice = readFileSync(at('b2.yaml'), 'utf8');
    // The fit is the same (its own criterion is not fitted, the points_per cap reaches at the same units): only the
    // base, its comment, the header and the tiers' "was" differ.
    const numbersOf = (s: string) =>
      s
        .split('\n')
        .filter((l) => !l.trim().startsWith('#') && !l.includes('min:'))
        .join('\n')
        .replace(/(id: icp_base[^]*?points: )-?[\d.]+/, '$1N');
    expect(numbersOf(twice)).toBe(numbersOf(once));
    expect(twice.split('base points: ').length).toBe(2);
    expect(twice.split(`id: ${BASE_ID}`).length).toBe(2);
    expect(twice.split(`${BASE_ID}: { label: Base points }`).length).toBe(2);
    const pts = (t: string) => Number(/id: icp_base[^]*?points: (-?[\d.]+)/.exec(t)![1]);
    expect(pts(twice) - pts(once)).toBe(100);
    const kept = await run(['calibrate', at('leads.csv'), '--rules', at('b1.yaml'), ...base, '--pdo', '20', '-o', at('b3.yaml'), '--format', 'json']);
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout).notes.join('\n')).toContain(`${BASE_ID}: the base points were kept as they are`);
    expect(pts(readFileSync(at('b3.yaml'), 'utf8'))).toBe(pts(once));
    expect(readFileSync(at('b3.yaml'), 'utf8')).toContain('# icp calibrate: base points kept (not refitted: no --base given)');
  });
});

describe('icp calibrate: usage errors of --base and the tier options', () => {
  it.each([
    [['--base', '600@1'], '--base: "600@1" is not POINTS or POINTS@WON:LOST'],
    [['--base', 'lots'], '--base: "lots" is not POINTS or POINTS@WON:LOST'],
    [['--base', '600@0:19'], '--base: the odds in "600@0:19" must be above 0 on both sides'],
    [['--tier-shares', '20,30,50', '--tier-conversion', '40,20'], '--tier-shares and --tier-conversion cannot be used together'],
    [['--tier-conversion', '40'], '--tier-conversion: 1 target given, the model has 3 tiers'],
    [['--tier-conversion', '40,20,10'], '--tier-conversion: 3 targets given, the model has 3 tiers'],
    [['--tier-conversion', '20,40'], '--tier-conversion: the targets must not rise from a better tier to a worse one (20 then 40)'],
    [['--tier-conversion', '40,0'], '--tier-conversion: "40,0" is not a list of percentages above 0 and at most 100'],
    [['--tier-conversion', '140,20'], 'is not a list of percentages'],
    [['--tier-conversion', '40,'], 'is not a list of percentages'],
  ])('%j', async (extra, message) => {
    const r = await run(['calibrate', at('leads.csv'), '--rules', at('hand.yaml'), ...base, ...extra, '-o', at('never.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('icp calibrate --tier-conversion', () => {
  it('places each tier at its target on the training leads, with the evidence in its comment; an unmet one is said', async () => {
    const r = await run(['calibrate', at('leads.csv'), '--rules', at('hand.yaml'), ...base, '--tier-conversion', '45,45', '-o', at('conv.yaml'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.tierMethod).toBe('conversion');
    expect(rep.tiers[0]).toMatchObject({ tier: 'A', targetConversion: 0.45, met: true });
    expect(rep.tiers[0].conversion).toBeGreaterThanOrEqual(0.45);
    expect(rep.tiers[1]).toMatchObject({ tier: 'B', leads: 0, met: false });
    expect(rep.notes.join('\n')).toMatch(/tier B: target 45\.0% won not met on the leads \(the best any threshold gives is n=\d+/);
    const text = readFileSync(at('conv.yaml'), 'utf8');
    expect(text).toMatch(/# icp calibrate: A: the lowest threshold at which its leads convert at least 45\.0%: n=\d+, [\d.]+% won \[[\d.]+%–[\d.]+%\] \(was 20\)/);
    expect(text).toMatch(/# icp calibrate: B: no threshold gives 45\.0% won on the leads .*so it is left empty/);
    // The file agrees: evaluate's tier A is the same leads.
    const ev = JSON.parse((await run(['evaluate', at('leads.csv'), '--rules', at('conv.yaml'), ...base, '--format', 'json'])).stdout);
    expect(ev.tiers[0].leads).toBe(rep.tiers[0].leads);
    expect(ev.tiers[1].leads).toBe(0);
  });
});
