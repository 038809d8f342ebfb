// Worker thread of `icp score --jobs`: started early, while the main thread still reads the rules and the sample
// (parallel.ts); its first message says what to score (the Plan, the input's read settings and the output's,
// plain data), every later one is a piece, read by the run session of piece.ts. It lowers the Plan, so it loads
// neither the YAML parser nor zod, nor compiles rules.
import { parentPort } from 'node:worker_threads';
import { bindSettings } from '../engine/bind.js';
import { lowerPlan } from '../engine/lower.js';
import { PieceScorer } from './piece.js';
import type { PieceRequest, ReuseRequest, WorkerSetup } from './parallel.js';

function setUp(setup: WorkerSetup): PieceScorer {
  return new PieceScorer(bindSettings(lowerPlan(setup.plan), setup.settings, setup.asOf), setup.piece);
}

let scorer: PieceScorer | undefined;
parentPort!.on('message', (m: WorkerSetup | PieceRequest | ReuseRequest) => {
  if (scorer === undefined) {
    scorer = setUp(m as WorkerSetup);
    parentPort!.postMessage({ ready: true }); // pieces go to this thread from now on
    return;
  }
  if ('reuse' in m) {
    scorer.reuse(new Uint8Array(m.reuse));
    return;
  }
  const req = m as PieceRequest;
  const result = scorer.score(req.bytes, req.final, req.offset, req.line);
  // The output's memory moves to the main thread instead of being copied.
  parentPort!.postMessage({ seq: req.seq, result }, result.ok ? [result.out.buffer as ArrayBuffer] : []);
});
