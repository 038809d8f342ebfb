// Worker thread of `icp score --jobs`: compiles the same rules and scores the pieces it is sent (score-parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { bindModel } from '../engine/evaluate.js';
import { loadRules } from '../rules/index.js';
import { PieceScorer } from './score-piece.js';
import type { PieceRequest, WorkerSetup } from './score-parallel.js';

const setup = workerData as WorkerSetup;
const { model } = loadRules(setup.rulesText, setup.rulesPath);
if (!model) throw new Error(`${setup.rulesPath}: the rules no longer compile in the worker thread`);
// The settings the main thread fixed before scoring: options and the date orders detected from the sample.
model.columns.forEach((c, i) => {
  c.decimal = setup.columns[i]!.decimal;
  c.dateOrder = setup.columns[i]!.dateOrder;
});
const { bound } = bindModel(model, setup.headerKeys, setup.asOf);
if (!bound) throw new Error('the header no longer binds in the worker thread');
const scorer = new PieceScorer(bound, setup.piece);

parentPort!.on('message', (m: PieceRequest) => {
  const result = scorer.score(m.bytes, m.final, m.offset);
  // The output's memory moves to the main thread instead of being copied.
  parentPort!.postMessage({ seq: m.seq, result }, result.ok ? [result.out.buffer as ArrayBuffer] : []);
});
