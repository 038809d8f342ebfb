// Reading an input gives it its own read settings; the model and its Plan are never changed by reading, so one
// model reads a day-first export and then a month-first one as each reads alone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openModelInput } from '../../src/commands/input.js';
import type { Io } from '../../src/commands/shared.js';
import { evaluate, newEvaluation } from '../../src/engine/evaluate.js';
import type { Model } from '../../src/engine/model.js';
import { traceOf } from '../../src/engine/trace.js';
import { compile } from '../helpers.js';

const RULES = `version: 1
id: id
columns:
  amount: { aliases: [Amount] }
groups: { fit: {} }
criteria:
  - { id: recent, group: fit, column: created, within_days: 30, points: 10 }
  - { id: big, group: fit, column: amount, gte: 1000, points: 5 }
tiers: [{ name: A, min: 10 }, { name: B }]
`;

const dir = mkdtempSync(join(tmpdir(), 'icp-read-'));
const file = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
// Day-first (25/10/2026) and month-first (10/25/2026) exports; 03/09/2026 reads by each file's order.
const DAY_FIRST = file('day-first.csv', 'id,created,Amount\nL1,25/10/2026,"1.500,5"\nL2,03/09/2026,900\n');
const MONTH_FIRST = file('month-first.csv', 'id,created,Amount\nL1,10/25/2026,"1,500.5"\nL2,09/03/2026,900\n');
const io: Io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env: {}, cwd: dir };
const AS_OF = Date.UTC(2026, 10, 1) / 86400000;

async function read(model: Model, path: string, decimal?: string) {
  const opened = await openModelInput(path, { decimal }, model, AS_OF, io);
  const e = newEvaluation(model);
  const out: unknown[] = [];
  for await (const batch of opened.batches()) {
    for (const item of batch) {
      if (!('fields' in item)) continue;
      evaluate(opened.bound, item.fields, e);
      out.push(traceOf(opened.bound, e, item.line));
    }
  }
  return { traces: out, settings: opened.bound.settings };
}

describe('read settings belong to the input, not the model', () => {
  it('a day-first file then a month-first file with the same model read as each alone', async () => {
    const aloneDay = await read(compile(RULES), DAY_FIRST, 'comma');
    const aloneMonth = await read(compile(RULES), MONTH_FIRST);
    const model = compile(RULES);
    const plan = JSON.stringify(model.plan);
    const day = await read(model, DAY_FIRST, 'comma');
    const month = await read(model, MONTH_FIRST);
    expect(day).toEqual(aloneDay);
    expect(month).toEqual(aloneMonth);
    expect(JSON.stringify(model.plan)).toBe(plan);

    const created = model.plan.columns.findIndex((c) => c.name === 'created');
    const amount = model.plan.columns.findIndex((c) => c.name === 'amount');
    expect(day.settings.columns[created]).toMatchObject({ dateOrder: 'DMY', header: 'created', field: 1 });
    expect(month.settings.columns[created]).toMatchObject({ dateOrder: 'MDY' });
    expect(day.settings.columns[amount]).toMatchObject({ decimal: 'comma', header: 'Amount' });
    expect(month.settings.columns[amount]).toMatchObject({ decimal: 'auto' });
    // Both files say the same thing: the same scores.
    const scores = (r: { traces: unknown[] }) => r.traces.map((t) => (t as { score: number }).score);
    expect(scores(day)).toEqual([15, 0]);
    expect(scores(month)).toEqual(scores(day));
  });

  it('the month-first file read first does not make the day-first one unknown', async () => {
    const model = compile(RULES);
    await read(model, MONTH_FIRST);
    const day = await read(model, DAY_FIRST, 'comma');
    expect(day.traces.map((t) => (t as { criteria: { outcome: string }[] }).criteria[0]!.outcome)).toEqual(['matched', 'not_matched']);
  });
});
