// Worker thread of `icp score --jobs`: started early, while the main thread still reads the rules and the sample
// (score-parallel.ts); its first message says what to score (the validated rules, the header, the settings), every
// later one is a piece. It compiles the rules from validated data, so it loads neither the YAML parser nor zod.
import { parentPort } from 'node:worker_threads';
import { bindModel } from '../engine/evaluate.js';
import { compileRules } from '../rules/compile.js';
import { PieceScorer } from './score-piece.js';
import type { PieceRequest, ReuseRequest, WorkerSetup } from './score-parallel.js';

function setUp(setup: WorkerSetup): PieceScorer {
  const { model } = compileRules(setup.rules);
  if (!model) throw new Error(`${setup.rulesPath}: the rules no longer compile in the worker thread`);
  // The settings the main thread fixed before scoring: options and the date orders detected from the sample.
  model.columns.forEach((c, i) => {
    c.decimal = setup.columns[i]!.decimal;
    c.dateOrder = setup.columns[i]!.dateOrder;
  });
  const { bound } = bindModel(model, setup.headerKeys, setup.asOf);
  if (!bound) throw new Error('the header no longer binds in the worker thread');
  return new PieceScorer(bound, setup.piece);
}

let scorer: PieceScorer | undefined;
parentPort!.on('message', (m: WorkerSetup | PieceRequest | ReuseRequest) => {
  if (scorer === undefined) {
    scorer = setUp(m as WorkerSetup);
    return;
  }
  if ('reuse' in m) {
    scorer.reuse(new Uint8Array(m.reuse));
    return;
  }
  const req = m as PieceRequest;
  const result = scorer.score(req.bytes, req.final, req.offset);
  // The output's memory moves to the main thread instead of being copied.
  parentPort!.postMessage({ seq: req.seq, result }, result.ok ? [result.out.buffer as ArrayBuffer] : []);
});
