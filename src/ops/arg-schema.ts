// The argument schemas of the operator table, as small plain descriptors: rules/schema.ts turns them into zod
// (and so into the JSON Schema), and their TypeScript types are inferred from them. Pure, no zod here, so that
// lowering a Plan (in a worker thread too) does not load the validator.

/** The shape of an operator's argument in a rules file. */
export type ArgSchema =
  | { readonly type: 'number'; readonly min?: number }
  | { readonly type: 'string'; readonly minLength?: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'list'; readonly items: ArgSchema; readonly minItems?: number }
  | { readonly type: 'pair'; readonly items: ArgSchema }
  | { readonly type: 'union'; readonly of: readonly ArgSchema[] };

/** The TypeScript type of a value that satisfies the schema `S`. */
export type ArgOf<S> = S extends { type: 'number' }
  ? number
  : S extends { type: 'string' }
    ? string
    : S extends { type: 'boolean' }
      ? boolean
      : S extends { type: 'list'; items: infer I }
        ? ArgOf<I>[]
        : S extends { type: 'pair'; items: infer I }
          ? [ArgOf<I>, ArgOf<I>]
          : S extends { type: 'union'; of: readonly (infer U)[] }
            ? ArgOf<U>
            : never;

export const NUMBER = { type: 'number' } as const;
export const STRING = { type: 'string' } as const;
export const BOOLEAN = { type: 'boolean' } as const;
