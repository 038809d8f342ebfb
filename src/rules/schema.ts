// The rules-file format, as a zod schema: the single source of truth for validation and the JSON Schema.
import { z } from 'zod';
import type { ArgOf, ArgSchema } from '../ops/arg-schema.js';
import { OPERATOR_KEYS, OPERATOR_OPTIONS, RULE_OPERATORS, type OperatorKey } from '../ops/operators.js';

const id = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'an id starts with a letter and uses only letters, digits, "_" and "-"');

const name = z.string().min(1);

const missingPolicyName = z.enum(['zero', 'neutral', 'penalty']);

/** How a criterion scores when its value is unknown (missing, a placeholder, or unparseable). */
export const MissingPolicy = z
  .union([
    missingPolicyName,
    z.strictObject({
      policy: missingPolicyName,
      share: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .meta({ description: 'For policy "neutral": the share of the criterion\'s maximum points given (default 0.5).' }),
      points: z
        .number()
        .optional()
        .meta({ description: 'For policy "penalty": the points given, usually negative (default -5).' }),
    }),
  ])
  .meta({
    description:
      'What an unknown value scores: "zero" (nothing), "neutral" (a share of the maximum points), or "penalty" (fixed points).',
    examples: ['zero', 'neutral', { policy: 'penalty', points: -5 }],
  });

const dateOrder = z.enum(['auto', 'MDY', 'DMY', 'YMD']);
const decimalMode = z.enum(['auto', 'dot', 'comma']);

/** A logical column: the header names it may have in different CRMs, and how to read its values. */
export const ColumnDef = z.union([
  z.array(name).min(1).meta({ description: 'Header names this column may have, first found wins.' }),
  z.strictObject({
    aliases: z.array(name).min(1).optional().meta({
      description: 'Header names this column may have in different exports (case- and space-insensitive); first found wins.',
      examples: [['Number of Employees', 'NumberOfEmployees', 'No. of Employees', 'employees']],
    }),
    required: z
      .boolean()
      .optional()
      .meta({ description: 'false: a missing column is a warning and every value is unknown (default true: an error).' }),
    synonyms: z
      .record(z.string(), z.array(z.string()))
      .optional()
      .meta({
        description: 'Canonical value → variants that mean the same (case- and space-insensitive).',
        examples: [{ software: ['saas', 'software as a service', 'technolgy'] }],
      }),
    separator: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .meta({ description: 'Separator(s) of multi-value cells such as "SaaS; Fintech" (default ";").' }),
    date_order: dateOrder.optional().meta({ description: 'Day/month order of dates such as 03/04/2020.' }),
    decimal: decimalMode.optional().meta({ description: 'Decimal separator of numbers: dot (1,250.5) or comma (1.250,5).' }),
  }),
]);

/** A derived value computed from columns, from a small closed set of functions. */
export const Derived = z
  .strictObject({
    ratio: z.tuple([name, name]).optional().meta({ description: '[a, b] → a / b (unknown when b is 0).' }),
    difference: z.tuple([name, name]).optional().meta({ description: '[a, b] → a − b.' }),
    days_between: z.tuple([name, name]).optional().meta({ description: '[from, to] → days from the first date to the second.' }),
    days_since: name.optional().meta({ description: 'column → days from that date to --as-of.' }),
    count: name.optional().meta({ description: 'column → number of values in a multi-value cell.' }),
  })
  .meta({ description: 'A derived value: exactly one of ratio, difference, days_between, days_since, count.' });

/** The operator keys of a condition and their argument types, from the operator table. */
type OperatorFields = { [K in OperatorKey]?: ArgOf<(typeof RULE_OPERATORS)[K]['arg']> } & {
  [K in keyof typeof OPERATOR_OPTIONS]?: ArgOf<(typeof OPERATOR_OPTIONS)[K]['arg']>;
};

/** The zod schema of an operator argument descriptor (src/ops/arg-schema.ts). */
function argZod(a: ArgSchema): z.ZodType {
  switch (a.type) {
    case 'number':
      return a.min === undefined ? z.number() : z.number().min(a.min);
    case 'string':
      return a.minLength === undefined ? z.string() : z.string().min(a.minLength);
    case 'boolean':
      return z.boolean();
    case 'list': {
      const list = z.array(argZod(a.items));
      return a.minItems === undefined ? list : list.min(a.minItems);
    }
    case 'pair':
      return z.tuple([argZod(a.items), argZod(a.items)]);
    case 'union':
      return z.union(a.of.map(argZod) as [z.ZodType, z.ZodType, ...z.ZodType[]]);
  }
}

function argMeta(d: { description: string; examples?: readonly unknown[] }): { description: string; examples?: unknown[] } {
  return d.examples ? { description: d.description, examples: [...d.examples] } : { description: d.description };
}

/** Operator keys shared by conditions, bands and criteria (exactly one per condition), from the operator table. */
const operatorShape = {
  ...Object.fromEntries(OPERATOR_KEYS.map((k) => [k, argZod(RULE_OPERATORS[k].arg).optional().meta(argMeta(RULE_OPERATORS[k]))])),
  ...Object.fromEntries(Object.entries(OPERATOR_OPTIONS).map(([k, o]) => [k, argZod(o.arg).optional().meta(argMeta(o))])),
} as { [K in keyof OperatorFields]-?: z.ZodOptional<z.ZodType<OperatorFields[K] & {}>> };

/** The shape of a condition, declared by hand because the schema is recursive. */
export interface ConditionShape extends OperatorFields {
  column?: string;
  value?: z.output<typeof Derived>;
  all?: ConditionShape[];
  any?: ConditionShape[];
  not?: ConditionShape;
}

/** A condition on one column (or a derived value), or a combination of conditions. */
export const Condition: z.ZodType<ConditionShape> = z
  .strictObject({
    column: name.optional().meta({ description: 'Logical column name (see columns) or header name.' }),
    value: Derived.optional(),
    ...operatorShape,
    get all() {
      return z.array(Condition).min(1).optional().meta({ description: 'All of these conditions hold.' });
    },
    get any() {
      return z.array(Condition).min(1).optional().meta({ description: 'At least one of these conditions holds.' });
    },
    get not() {
      return Condition.optional().meta({ description: 'This condition does not hold.' });
    },
  })
  .meta({ id: 'Condition', description: 'A condition: one operator on a column or derived value, or all / any / not.' });

export type ConditionInput = z.input<typeof Condition>;

/** all / any / not of a criterion or disqualifier (Condition is defined by now: no getters needed here). */
const combinatorShape = {
  all: z.array(Condition).min(1).optional(),
  any: z.array(Condition).min(1).optional(),
  not: Condition.optional(),
};

const Band = z
  .strictObject({
    label: z.string().optional(),
    ...operatorShape,
    points: z.number().meta({ description: 'Points when this band matches (negative allowed).' }),
  })
  .meta({ description: 'A band: one operator on the criterion value, and the points it gives.' });

const Decay = z
  .strictObject({
    date: name.meta({ description: 'Column holding the date of the activity.' }),
    half_life_days: z.number().positive().meta({ description: 'Points halve every this many days before --as-of.' }),
  })
  .meta({ description: 'Recency decay: points × 0.5^(days since date / half_life_days).' });

export const Criterion = z
  .strictObject({
    id: id.meta({ description: 'Stable id, used in explanations and outputs.' }),
    label: z.string().optional().meta({ description: 'Human label used in reasons (default: the id).' }),
    group: id.meta({ description: 'The group this criterion adds to (see groups).' }),
    column: name.optional().meta({ description: 'Logical column name (see columns) or header name.' }),
    value: Derived.optional(),
    ...operatorShape,
    ...combinatorShape,
    points: z.number().optional().meta({ description: 'Points when the condition holds (negative allowed).' }),
    bands: z
      .union([
        z.strictObject({ ideal: Band.optional(), acceptable: Band.optional(), avoid: Band.optional() }),
        z.array(Band).min(1),
      ])
      .optional()
      .meta({
        description: 'Bands of the value, first match wins: either ideal / acceptable / avoid, or a list.',
      }),
    points_per: z
      .number()
      .optional()
      .meta({ description: 'Points per unit of the numeric value (e.g. 2 per email click); use with cap.' }),
    cap: z.number().optional().meta({ description: 'Most points this criterion can give.' }),
    floor: z.number().optional().meta({ description: 'Fewest (most negative) points this criterion can give.' }),
    weight: z.number().min(0).optional().meta({ description: 'Multiplier of this criterion\'s points (default 1).' }),
    decay: z
      .union([Decay, z.literal(false)])
      .optional()
      .meta({ description: 'Recency decay of this criterion, or false to opt out of its group\'s decay.' }),
    unknown: MissingPolicy.optional(),
  })
  .meta({ description: 'A scoring criterion: points, bands or points_per, with a condition on a column.' });

export type CriterionInput = z.input<typeof Criterion>;

export const Disqualifier = z
  .strictObject({
    id: id,
    reason: z.string().min(1).meta({ description: 'Why such a lead is disqualified, shown to sales.' }),
    column: name.optional(),
    value: Derived.optional(),
    ...operatorShape,
    ...combinatorShape,
  })
  .meta({ description: 'A lead matching this condition is disqualified, whatever its score.' });

export const Group = z.strictObject({
  label: z.string().optional(),
  weight: z.number().min(0).optional().meta({ description: 'Multiplier of the group subtotal in the total (default 1).' }),
  cap: z.number().optional().meta({ description: 'Most points the group can contribute before weighting.' }),
  floor: z.number().optional().meta({ description: 'Fewest points the group can contribute before weighting.' }),
  decay: Decay.optional().meta({ description: 'Default decay for the criteria of this group.' }),
  unknown: MissingPolicy.optional().meta({ description: 'Default missing-data policy for this group.' }),
});

const Threshold = z.strictObject({
  name: z.string().min(1),
  min: z.number().optional().meta({ description: 'Lowest score for this tier; the last tier may omit it (everything else).' }),
  label: z.string().optional(),
});

const MatrixAxis = z.strictObject({
  group: id,
  tiers: z.array(Threshold).min(1),
});

export const Rules = z
  .strictObject({
    version: z.literal(1).meta({ description: 'Rules format version.' }),
    name: z.string().optional(),
    description: z.string().optional(),
    id: z
      .union([
        name,
        z.strictObject({
          line_number: z.literal(true).meta({ description: 'The lead id is the line where its record starts (the header is line 1).' }),
        }),
      ])
      .meta({
        description: 'Logical column (or header) holding the lead id, or { line_number: true } when the export has no unique id.',
        examples: ['lead_id', { line_number: true }],
      }),
    columns: z.record(z.string(), ColumnDef).optional().meta({ description: 'Logical columns and their header aliases.' }),
    placeholders: z
      .array(z.string())
      .optional()
      .meta({ description: 'Cell values that mean "no value" (default: "", N/A, -, null, none, unknown, Select, …).' }),
    date_order: dateOrder.optional(),
    decimal: decimalMode.optional(),
    unknown: MissingPolicy.optional().meta({
      description: 'Default missing-data policy: what a criterion scores when its value is unknown (default "zero").',
    }),
    groups: z.record(id, Group).meta({ description: 'Score groups such as fit, engagement, bant, relationship.' }),
    total: z
      .strictObject({
        method: z.enum(['sum', 'weighted_average']).meta({
          description:
            'sum: Σ weight × group points. weighted_average: each group as 0–100 % of its maximum, averaged by weight.',
        }),
      })
      .optional(),
    criteria: z.array(Criterion).min(1),
    disqualifiers: z.array(Disqualifier).optional(),
    disqualified_tier: z.string().min(1).optional().meta({ description: 'Tier name of disqualified leads (default "DQ").' }),
    tiers: z.array(Threshold).min(1).optional().meta({ description: 'Tiers from best to worst by minimum total score.' }),
    matrix: z
      .strictObject({ rows: MatrixAxis, columns: MatrixAxis })
      .optional()
      .meta({ description: 'A tier matrix on two group scores, e.g. fit A–D × engagement 1–4 → "A1".' }),
    reasons: z.number().int().min(0).max(20).optional().meta({ description: 'How many top reasons to write (default 3).' }),
  })
  .meta({ title: 'icp rules file', description: 'An Ideal Customer Profile scoring model for the icp command-line tool.' });

export type RulesInput = z.input<typeof Rules>;
export type RulesData = z.output<typeof Rules>;
