// One pass over an opened export, every record scored by each bound model: what `icp diff` and `icp report` read.
import { evaluate, leadId, newEvaluation, type Evaluation } from '../engine/evaluate.js';
import type { CsvReject, CsvRow } from '../io/csv-reader.js';
import type { OpenedInput } from './input.js';

/** One record as every model scored it; the evaluations are reused for the next record, so copy what you keep. */
export interface PassRow {
  item: CsvRow;
  /** The lead id (the id cell as in the file, or the line number when the rules say so). */
  id: string;
  /** Per model: [the main model, ...the `also` models], in that order. */
  evaluations: Evaluation[];
}

/** Counts of the pass: rows read = scored + rejected. */
export interface PassCounts {
  read: number;
  scored: number;
  rejected: number;
}

/** Read every record of `opened` once, score it with each bound model and hand it to `onRow` (awaited when it returns a promise); closes the input. */
export async function scoreEach(opened: OpenedInput, onRow: (row: PassRow) => void | Promise<void>, onReject: (r: CsvReject) => void = () => undefined): Promise<PassCounts> {
  const bounds = [opened.bound, ...opened.alsoBound];
  const evaluations = bounds.map((b) => newEvaluation(b.model));
  const counts: PassCounts = { read: 0, scored: 0, rejected: 0 };
  try {
    for await (const batch of opened.batches()) {
      for (const item of batch) {
        counts.read++;
        if (!('fields' in item)) {
          counts.rejected++;
          onReject(item);
          continue;
        }
        for (let k = 0; k < bounds.length; k++) evaluate(bounds[k]!, item.fields, evaluations[k]!);
        counts.scored++;
        // A sink that pushes back returns a promise: waiting for it keeps memory flat (--movers-out on a huge export).
        const p = onRow({ item, id: leadId(opened.bound, item.line), evaluations });
        if (p) await p;
      }
    }
  } finally {
    opened.close();
  }
  return counts;
}
