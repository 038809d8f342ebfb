// `icp init --from … --outcome …`: read every row's outcome and hand draft.ts the fitted criteria source.
import { UserError } from '../errors.js';
import type { CsvItem } from '../io/csv-reader.js';
import { outcomeCriteria } from '../init/from-outcomes.js';
import { MIN_CLASS } from '../stats/calibrate.js';
import { outcomeReader, parseOutcomeSpec } from '../stats/outcome.js';
import type { DecimalMode } from '../values/index.js';
import { findHeader } from '../plan/bind.js';
import type { CriteriaSource } from '../init/source.js';

/** The draft options for a fitted starter: the outcome column and the criteria source, from all rows. */
export async function outcomeSource(
  opts: { outcome?: string; negative?: string },
  header: readonly string[],
  sample: readonly { fields: readonly string[] }[],
  rest: AsyncIterator<CsvItem[]>,
  name: string,
  decimal: DecimalMode | undefined,
): Promise<{ outcome: number[]; criteria: CriteriaSource }> {
  const spec = parseOutcomeSpec(opts.outcome!, opts.negative);
  const col = findHeader(header, spec.column);
  if (col < 0) throw new UserError(`--outcome: no column "${spec.column}" in ${name}`, [], `headers: ${header.slice(0, 15).join(', ')}${header.length > 15 ? ', …' : ''}`);
  const read = outcomeReader(spec);
  const rows: (readonly string[])[] = [];
  const labels: number[] = [];
  let excluded = 0;
  const take = (fields: readonly string[]) => {
    const y = read(fields[col]);
    if (y < 0) excluded++;
    else {
      rows.push(fields);
      labels.push(y);
    }
  };
  for (const r of sample) take(r.fields);
  for (;;) {
    const r = await rest.next();
    if (r.done) break;
    for (const item of r.value) if ('fields' in item) take(item.fields);
  }
  const pos = labels.reduce((a, b) => a + b, 0);
  const neg = labels.length - pos;
  if (pos < MIN_CLASS || neg < MIN_CLASS) {
    throw new UserError(
      `${name}: too few ${pos < MIN_CLASS ? 'positives' : 'negatives'} to fit a starter: ${pos} positive and ${neg} negative rows${excluded ? ` (${excluded} with no known outcome left out)` : ''}; at least ${MIN_CLASS} of each are needed`,
      [],
      'with fewer, the fitted points are noise; use a longer history, check --outcome, or leave --outcome out for a starter guessed from the names',
    );
  }
  return { outcome: [col], criteria: outcomeCriteria({ rows, labels, decimal: decimal === 'auto' ? undefined : decimal }) };
}
