// The shape of `icp evaluate --format json`, as zod: the JSON Schema in schema/icp-evaluate.schema.json is generated
// from it, and tests check real output against it.
import { z } from 'zod';

const n = z.number();
const nn = z.number().nullable();
const interval = z.tuple([n, n]).nullable().meta({ description: '95 % Wilson interval of the conversion (z = 1.96); null without leads.' });
const rate = {
  leads: n,
  positives: n,
  conversion: nn.meta({ description: 'positives / leads; null without leads.' }),
  interval,
  lift: nn.meta({ description: 'conversion over the base rate.' }),
};

export const EvaluateJson = z
  .object({
    input: z.string(),
    rules: z.string(),
    model: z.string().optional(),
    asOf: z.string().meta({ description: 'The --as-of date (YYYY-MM-DD).' }),
    asOfColumn: z.string().optional().meta({ description: "With --as-of-column: recency was measured as of each row's date in this column." }),
    outcome: z.union([
      z.object({ column: z.string(), positive: z.array(z.string()), negative: z.array(z.string()) }),
      z.object({ file: z.string(), on: z.string(), ids: n, unmatchedIds: n }),
    ]),
    rows: n.meta({ description: 'Rows used: outcome known and readable.' }),
    positives: n,
    negatives: n,
    excluded: n.meta({ description: 'Rows left out because their outcome is unknown.' }),
    excludedNoAsOf: n.meta({ description: 'Rows left out because --as-of-column had no date.' }),
    rejected: n.meta({ description: 'Rows that could not be read.' }),
    baseRate: nn,
    auc: nn.meta({ description: 'ROC AUC; ties count ½; disqualified leads rank below all others. null without positives or negatives.' }),
    gini: nn.meta({ description: '2·AUC − 1.' }),
    ks: nn.meta({ description: 'Largest gap between the cumulative shares of positives and negatives (cuts between equal scores only).' }),
    ksScore: nn,
    gains: z.array(
      z.object({
        top: n.meta({ description: 'Share of leads, best scores first (0.05 = top 5 %).' }),
        rows: n,
        positives: n.meta({ description: 'Positives in the top share; a tie at the cut counts pro rata.' }),
        gain: nn.meta({ description: 'Share of all positives captured.' }),
        conversion: nn,
        lift: nn,
      }),
    ),
    tiers: z.array(z.object({ tier: z.string(), label: z.string(), ...rate })),
    matrix: z.array(z.object({ cell: z.string(), ...rate })),
    deciles: z.array(z.object({ decile: n, leads: n, positives: n, conversion: n, minScore: nn, maxScore: nn })),
    criteria: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        group: z.string(),
        iv: n.meta({ description: 'Information value over the levels (WoE smoothed with one pseudo-lead per level at the base rate).' }),
        strength: z.enum(['useless', 'weak', 'medium', 'strong', 'suspicious']),
        auc: nn.meta({ description: 'AUC of the criterion alone, its levels ranked by their conversion.' }),
        levels: z.array(
          z.object({
            level: z.string(),
            kind: z.enum(['band', 'matched', 'none', 'value', 'unknown']),
            share: n,
            ...rate,
            points: nn.meta({ description: 'Mean points the level added to the score (weights, decay and caps applied).' }),
            woe: n.meta({ description: 'Weight of evidence, ln(share of positives / share of negatives); > 0 converts above the base rate.' }),
            iv: n,
          }),
        ),
        flags: z.array(z.object({ code: z.enum(['sign', 'unknown-policy', 'leakage', 'useless']), level: z.string().optional(), message: z.string() })),
      }),
    ),
    warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .meta({ title: 'icp evaluate --format json', description: 'The evaluation of an icp model against outcomes.' });

/** The JSON Schema (draft-07) of `icp evaluate --format json`. */
export function evaluateJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(EvaluateJson, { target: 'draft-07', io: 'output' }), null, 2)}\n`;
}
