// The operator keys of a condition, apart from the zod schema so that compiling rules (which a worker thread
// does from already validated data) does not load zod.

/** The operator keys, for compiling and for "exactly one operator" checks. */
export const OPERATOR_KEYS = [
  'equals',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'contains',
  'matches',
  'present',
  'missing',
  'is',
  'within_days',
  'older_than_days',
] as const;
export type OperatorKey = (typeof OPERATOR_KEYS)[number];
