// The evaluation arrays as a sink of the run session (LabelledRows): the same rows whether the sink's own selection
// leaves unlabelled rows unscored (icp evaluate, calibrate) or it shares a session that scores every row (icp report
// --outcome, in the one pass that also makes the report); and report --outcome now reads standard input too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { labelledRows, outcomeLabels } from '../../src/commands/evaluate.js';
import { LabelledRows } from '../../src/commands/evaluate-engine.js';
import { openModelInput } from '../../src/commands/input.js';
import type { Io } from '../../src/commands/shared.js';
import { SummaryStats } from '../../src/report/stats.js';
import { loadRules } from '../../src/rules/index.js';
import { Session } from '../../src/run/session.js';
import { Summary } from '../../src/run/sinks.js';
import { parseIsoDay } from '../../src/values/index.js';
import { icp, ROOT } from '../cli/harness.js';

const io: Io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: ROOT };
const INPUT = join(ROOT, 'examples', 'leads.csv');
const model = loadRules(readFileSync(join(ROOT, 'rules', 'b2b-saas.yaml'), 'utf8'), 'b2b-saas.yaml').model!;

describe('LabelledRows', () => {
  it.each([
    { outcome: 'Converted', negative: undefined },
    // Only some rows labelled: the others are excluded, counted the same both ways.
    { outcome: 'Lifecycle Stage=Customer', negative: 'Lead' },
  ])('keeps the same rows alone or beside other sinks in a session that scores every row: --outcome $outcome', async ({ outcome, negative }) => {
    const opts = { outcome, negative, asOf: '2026-11-01' };
    const alone = await labelledRows(INPUT, model, opts, io);

    const labels = await outcomeLabels(INPUT, opts, io);
    const opened = await openModelInput(INPUT, {}, model, parseIsoDay('2026-11-01')!, io);
    labels.onHeader?.(opened.header.keys, opened.bound.fieldIndex[model.idColumn!]!);
    const rows = new LabelledRows(opened.bound, labels);
    const stats = new SummaryStats(model);
    const session = new Session([opened.bound], [new Summary(stats, opened.bound), rows]);
    await session.run(opened.batches());
    opened.close();
    const shared = rows.result(session.counts.rejected);

    expect(session.counts.skipped).toBe(0); // every row scored, for the summary
    expect(shared).toEqual(alone.rows);
    expect(shared.n + shared.excluded).toBe(stats.written);
    if (negative) expect(shared.excluded).toBeGreaterThan(0);
  });
});

describe('icp report --outcome', () => {
  it('reads the export once, so standard input works as a file does', () => {
    const args = ['--rules', 'rules/b2b-saas.yaml', '--outcome', 'Converted', '--as-of', '2026-11-01', '-o', '-'];
    const file = icp(['report', 'examples/leads.csv', ...args]);
    const stdin = icp(['report', '-', ...args], { input: readFileSync(INPUT) });
    expect(file.code).toBe(0);
    expect(stdin.code).toBe(0);
    expect(file.stdout).toContain('id="outcome"');
    expect(stdin.stdout.replaceAll('&lt;stdin&gt;', 'examples/leads.csv')).toBe(file.stdout);
  });
});
