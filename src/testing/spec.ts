// The expectations file of `icp test` (`icp.test.yaml` beside `icp.yaml`), as a zod schema: validation and JSON Schema.
import { z } from 'zod';

const cellValue = z.union([z.string(), z.number(), z.boolean()]);

/** What a criterion's outcome must be: the outcome alone, or also its band or points. */
const CriterionExpectation = z.union([
  z.enum(['matched', 'not_matched', 'unknown']),
  z.strictObject({
    outcome: z.enum(['matched', 'not_matched', 'unknown']).optional(),
    band: z.string().optional().meta({ description: 'The band that must match (its label: ideal, acceptable, avoid, …).' }),
    points: z.number().optional().meta({ description: 'The points the criterion must add to its group.' }),
  }),
]);

const ScoreExpectation = z.union([
  z.number().meta({ description: 'The exact score.' }),
  z
    .strictObject({
      min: z.number().optional().meta({ description: 'The score is at least this.' }),
      max: z.number().optional().meta({ description: 'The score is at most this.' }),
    })
    .meta({ description: 'A score range (inclusive).' }),
]);

/** What must hold for one lead. At least one key. */
export const Expectation = z
  .strictObject({
    tier: z
      .union([z.string(), z.array(z.string()).min(1)])
      .optional()
      .meta({ description: 'The tier (or one of these tiers); disqualified leads have the disqualified tier (DQ).' }),
    score: ScoreExpectation.optional(),
    matrix: z.string().optional().meta({ description: 'The matrix cell, e.g. "A1".' }),
    disqualified: z
      .union([z.boolean(), z.strictObject({ reason: z.string().min(1).meta({ description: 'A reason that must be among the reasons given.' }) })])
      .optional()
      .meta({ description: 'true / false, or { reason: … }: disqualified with this reason.' }),
    reasons: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .meta({ description: 'Texts that must each appear among the top reasons (icp_reasons), e.g. "Requested a demo".' }),
    criteria: z
      .record(z.string(), CriterionExpectation)
      .optional()
      .meta({ description: 'Per criterion id: matched, not_matched or unknown, or { outcome, band, points }.' }),
  })
  .meta({ description: 'What must hold for the lead.' });

export const TestCase = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'What this test pins down, shown on its result line.' }),
    id: z.string().min(1).optional().meta({ description: 'A lead of the fixture file, by its id.' }),
    lead: z
      .record(z.string(), cellValue)
      .optional()
      .meta({ description: 'A lead written inline as column → value (logical column names or header names); other columns are empty.' }),
    expect: Expectation,
  })
  .meta({ description: 'One lead (by id in the fixture, or inline) and what must hold for it.' });

export const TestsFile = z
  .strictObject({
    version: z.literal(1).meta({ description: 'Format version of the expectations file.' }),
    rules: z.string().min(1).optional().meta({ description: 'The rules file these tests are for, relative to this file (default: --rules).' }),
    fixture: z.string().min(1).optional().meta({ description: 'A CSV export whose leads tests name by id, relative to this file.' }),
    as_of: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
      .optional()
      .meta({ description: 'The date recency is measured from (YYYY-MM-DD), so results do not change with the day.' }),
    tests: z.array(TestCase).min(1),
  })
  .meta({ title: 'icp tests file', description: 'Expectations that pin an icp scoring model down, run by `icp test`.' });

export type TestsData = z.output<typeof TestsFile>;
export type TestCaseData = z.output<typeof TestCase>;
export type ExpectationData = z.output<typeof Expectation>;

/** The JSON Schema of the tests file (draft-07, as the rules schema), as shipped in schema/icp-tests.schema.json. */
export function testsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(TestsFile, { target: 'draft-07', io: 'input' }) as Record<string, unknown>;
}
