// Three-valued (Kleene) logic, one definition for every engine: a condition on an unknown value is neither
// true nor false, and all / any / not combine such values. Pure.

export const FALSE = 0;
export const TRUE = 1;
export const UNKNOWN = 2;
/** FALSE, TRUE or UNKNOWN. */
export type Truth = 0 | 1 | 2;

/**
 * all: FALSE when any part is FALSE, else UNKNOWN when any part is UNKNOWN, else TRUE. Parts are evaluated on
 * `x` in order, and not past the first FALSE.
 */
export function kleeneAll<X>(parts: readonly ((x: X) => Truth)[], x: X): Truth {
  let unknown = false;
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i]!(x);
    if (t === FALSE) return FALSE;
    if (t === UNKNOWN) unknown = true;
  }
  return unknown ? UNKNOWN : TRUE;
}

/** any: TRUE when any part is TRUE, else UNKNOWN when any part is UNKNOWN, else FALSE; stops at the first TRUE. */
export function kleeneAny<X>(parts: readonly ((x: X) => Truth)[], x: X): Truth {
  let unknown = false;
  for (let i = 0; i < parts.length; i++) {
    const t = parts[i]!(x);
    if (t === TRUE) return TRUE;
    if (t === UNKNOWN) unknown = true;
  }
  return unknown ? UNKNOWN : FALSE;
}

/** not: UNKNOWN stays UNKNOWN. */
export function kleeneNot(t: Truth): Truth {
  return t === UNKNOWN ? UNKNOWN : t === TRUE ? FALSE : TRUE;
}
