// The criteria source of `icp init --from … --outcome …`: a starter fitted on the whole export's outcomes
// (src/stats/starter.ts), written through draft.ts's seam with each band's evidence in the comments. Pure.
import type { CriterionInput } from '../rules/schema.js';
import { DEFAULT_PLACEHOLDERS, type DecimalMode } from '../values/index.js';
import { fitStarter, starterRules, type StarterOptions } from '../stats/starter.js';
import { humanize } from './names.js';
import type { CriteriaProposal, CriteriaSource } from './source.js';

/** Columns a fitted starter must not score, whatever the data says: they are not signs of fit or interest. */
const NOT_SCORED = new Set(['outcome', 'after', 'id', 'contact', 'empty']);

export interface OutcomeData {
  /** Every row with a known outcome (not only the profile's sample), fields in header order. */
  rows: readonly (readonly string[])[];
  labels: ArrayLike<number>;
  decimal?: DecimalMode;
  /** Day recency is measured from; default: the latest date in the export's date columns. */
  asOf?: number;
  options?: StarterOptions;
}

/** A criteria source whose bands and points are fitted from outcomes. */
export function outcomeCriteria(data: OutcomeData): CriteriaSource {
  return (ctx) => {
    const candidates = ctx.roles.columns.filter((c) => c.index !== ctx.roles.id.column && !NOT_SCORED.has(c.leftOut?.kind ?? '')).map((c) => c.index);
    const header = ctx.profile.columns.map((c) => c.header);
    const s = fitStarter({ header, rows: data.rows, labels: data.labels, candidates, placeholders: DEFAULT_PLACEHOLDERS, decimal: data.decimal, asOf: data.asOf }, data.options);
    const rules = starterRules(s, (i) => ctx.column(i), (base) => ctx.uniqueId(base), humanize);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const proposal: CriteriaProposal = {
      criteria: rules.map((r) => ({ rule: r.rule as unknown as CriterionInput, comment: r.comment })),
      skipped: s.skipped.map((k) => ({ index: k.column, why: k.why })),
      tiers: {
        tiers: s.tiers.map((t, i) => ({ name: 'ABCDEFGH'[i]!, ...(t.min === undefined ? {} : { min: t.min }) })),
        comment: `Tiers at ${s.tiers.map((t) => pct(t.share)).join(' / ')} of the leads, best first; on this export they converted ${s.tiers.map((t) => (t.leads ? pct(t.positives / t.leads) : '–')).join(' / ')} (base rate ${pct(s.positives / s.rows)}).`,
      },
      method:
        `Points fitted from the outcomes of ${s.rows} rows (${s.positives} positive): weight of evidence per band (shrunk towards the base rate), ` +
        `a logistic regression on those, ${s.pdo} points double the odds (see docs/calibration.md). Check each band: the data can only say what went with winning before.`,
      placeholders: s.placeholders,
      ...(s.realValues.length ? { placeholderNotes: s.realValues.map((r) => `not a placeholder here: ${r.why}`) } : {}),
    };
    return proposal;
  };
}
