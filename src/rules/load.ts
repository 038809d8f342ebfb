// Rules source text → validated data, with every problem mapped to file:line:col. Pure: no file I/O.
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { closest, type Diagnostic } from '../errors.js';
import { Rules, type RulesData } from './schema.js';

/** A parsed YAML document with the means to turn a data path into a source position. */
export interface RulesSource {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
}

export interface LoadResult {
  /** The validated rules, or undefined when there were errors. */
  rules?: RulesData;
  /** With schema errors: the parts of the file that are valid on their own, so they can be checked further. */
  partial?: PartialRules;
  source: RulesSource;
  diagnostics: Diagnostic[];
}

/**
 * The rules of a file with schema errors, less the parts that have them: every criterion, disqualifier and tier
 * with an error is left out, a group with one is kept empty, and any other key with one is dropped. Compiling it
 * finds the semantic errors of the rest (an unknown group, overlapping bands, a bad pattern), so that `icp validate`
 * reports every error in one run.
 */
export interface PartialRules {
  /** The rules left (`criteria` may be empty: every criterion had an error). */
  rules: RulesData;
  /**
   * The top-level keys something was left out of, or replaced in (a group emptied, an `id` made up); '*' when an
   * unknown top-level key was left out, which may be any part misspelt.
   */
  pruned: ReadonlySet<string>;
  /** A path in `rules` → the same node's path in the document. */
  documentPath(path: readonly (string | number)[]): (string | number)[];
}

/** Parse and validate a rules file's text. Collects every error rather than stopping at the first. */
export function parseRules(text: string, file: string): LoadResult {
  const lineCounter = new LineCounter();
  // Keys are checked for uniqueness below, in linear time: yaml's own check compares each key with every earlier
  // one of its mapping (~12 s for a mapping of 5,000 columns).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const source: RulesSource = { file, doc, lineCounter };
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    diagnostics.push({
      severity: 'error',
      code: `yaml-${e.code.toLowerCase().replace(/_/g, '-')}`,
      message: firstLine(e.message),
      file,
      line: pos.line,
      col: pos.col,
      hint: YAML_HINTS[e.code],
    });
  }
  diagnostics.push(...duplicateKeys(source));
  if (diagnostics.length > 0) return { source, diagnostics };
  diagnostics.push(...documentProblems(source, text));
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    diagnostics.push(aliasBomb(source, e));
    return { source, diagnostics };
  }
  if (data === null || data === undefined) {
    diagnostics.push({
      severity: 'error',
      code: 'empty-rules',
      message: 'the rules file is empty',
      file,
      line: 1,
      col: 1,
      hint: 'start from a template: icp init --template b2b-saas',
    });
    return { source, diagnostics };
  }
  // jitless: zod would otherwise compile each object schema into a function on first use, which costs more than
  // it saves for the one parse a run makes (cold, ~30 ms against ~16 ms for bench/rules.yaml).
  const parsed = Rules.safeParse(data, { reportInput: true, jitless: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(...issueToDiagnostics(issue, [], source));
    return { source, diagnostics: dedupe(diagnostics), partial: validParts(data, parsed.error.issues) };
  }
  if (diagnostics.length > 0) return { source, diagnostics };
  return { rules: parsed.data, source, diagnostics };
}

const LISTS = ['criteria', 'disqualifiers', 'tiers'] as const;
/** The schema of the parts left: every criterion may have been left out, and the disqualifiers and tiers be checked still. */
const PartialSchema = Rules.extend({ criteria: Rules.shape.criteria.unwrap().array() });
const REQUIRED = new Set(['version', 'id', 'groups', 'criteria']);

/** The valid parts of `data` (see PartialRules), or undefined when what is broken is the file's frame. */
function validParts(data: unknown, firstIssues: readonly Issue[]): PartialRules | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const rules = structuredClone(data) as Record<string, unknown>;
  // For each list, the document index of every item still in it.
  const origin = new Map<string, number[]>();
  const pruned = new Set<string>();
  let issues = firstIssues;
  for (let round = 0; round < 3; round++) {
    const drop = new Map<string, Set<number>>();
    for (const issue of issues) {
      const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const targets = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...at, k]) : [at];
      for (const t of targets) {
        const [top, item] = t;
        if (typeof top !== 'string') return undefined;
        // An unknown top-level key may be any part misspelt ("tier:"): '*' stands for every part.
        pruned.add(top in Rules.shape ? top : '*');
        const list = (LISTS as readonly string[]).includes(top) ? rules[top] : undefined;
        if (Array.isArray(list) && typeof item === 'number') {
          if (!drop.has(top)) drop.set(top, new Set());
          drop.get(top)!.add(item);
        } else if (top === 'groups' && typeof item === 'string' && isPlainObject(rules.groups)) {
          if (issue.code === 'invalid_key') delete rules.groups[item];
          else rules.groups[item] = {};
        } else if (top === 'columns' && typeof item === 'string' && isPlainObject(rules.columns)) delete rules.columns[item];
        else if (top === 'version') rules.version = 1;
        else if (top === 'id' && t.length === 1) rules.id = 'id'; // any column will do to check the rest
        else if (!REQUIRED.has(top)) delete rules[top];
        else return undefined;
      }
    }
    for (const [key, items] of drop) {
      const list = rules[key] as unknown[];
      const from = origin.get(key) ?? list.map((_, i) => i);
      origin.set(key, from.filter((_, i) => !items.has(i)));
      rules[key] = list.filter((_, i) => !items.has(i));
      // Every tier or disqualifier left out: as if the file had none (the errors that depend on them are not reported).
      if (key !== 'criteria' && (rules[key] as unknown[]).length === 0) delete rules[key];
    }
    const again = PartialSchema.safeParse(rules, { jitless: true });
    if (again.success) {
      return {
        rules: again.data,
        pruned,
        documentPath: (path) => {
          const from = typeof path[0] === 'string' ? origin.get(path[0]) : undefined;
          return from && typeof path[1] === 'number' ? [path[0]!, from[path[1]] ?? path[1], ...path.slice(2)] : [...path];
        },
      };
    }
    issues = again.error.issues;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Expansions of aliases allowed while converting the document (yaml's guard against "billion laughs" files). */
const MAX_ALIAS_COUNT = 100;

/**
 * Problems the data model cannot show once converted, found on the document itself: a non-finite number (`.inf`,
 * `.nan`, `1e400`) would be an opaque "expected a number" from the schema, and a `__proto__` key would be dropped
 * silently by the conversion to plain objects (it sets the prototype), wherever names are the user's.
 */
function documentProblems(source: RulesSource, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (offset: number, code: string, message: string, hint: string): void => {
    const pos = source.lineCounter.linePos(offset);
    out.push({ severity: 'error', code, message, file: source.file, line: pos.line, col: pos.col, hint });
  };
  visit(source.doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__' && pair.key.range) {
        at(pair.key.range[0], 'reserved-name', '"__proto__" cannot be used as a name in a rules file', 'rename it; other names such as constructor or toString are ordinary names');
      }
    },
    Scalar(_, node) {
      if (typeof node.value === 'number' && !Number.isFinite(node.value) && node.range) {
        const written = text.slice(node.range[0], node.range[1]).trim();
        at(
          node.range[0],
          'non-finite-number',
          `${written} is not a finite number`,
          node.type === 'PLAIN' ? `use a number between -1e308 and 1e308, or quote it ("${written}") if it is text` : 'use a number between -1e308 and 1e308',
        );
      }
    },
  });
  return out;
}

/** A key written twice in one mapping (as yaml's uniqueKeys reports it: same code, message and position). */
function duplicateKeys(source: RulesSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(source.doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (!seen.has(pair.key.value)) {
          seen.add(pair.key.value);
          continue;
        }
        const pos = source.lineCounter.linePos(pair.key.range?.[0] ?? 0);
        out.push({ severity: 'error', code: 'yaml-duplicate-key', message: 'Map keys must be unique', file: source.file, line: pos.line, col: pos.col, hint: YAML_HINTS.DUPLICATE_KEY });
      }
    },
  });
  return out;
}

/** An alias expansion beyond MAX_ALIAS_COUNT (or any other failure to convert), at the first alias. */
function aliasBomb(source: RulesSource, e: unknown): Diagnostic {
  let offset = 0;
  visit(source.doc, {
    Alias(_, node) {
      if (node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  const pos = source.lineCounter.linePos(offset);
  const excessive = /alias count/i.test((e as Error)?.message ?? '');
  return {
    severity: 'error',
    code: excessive ? 'yaml-alias-count' : 'yaml-invalid',
    message: excessive
      ? `the aliases in this file expand to more than ${MAX_ALIAS_COUNT} copies of their anchors (a "billion laughs" file)`
      : `the YAML document cannot be read: ${(e as Error)?.message ?? String(e)}`,
    file: source.file,
    line: pos.line,
    col: pos.col,
    hint: excessive ? 'write the repeated parts out, or use fewer aliases (*name) of anchors (&name) that hold aliases themselves' : undefined,
  };
}

/** Position of a data path in the document: the node at the path, or its closest existing ancestor. */
export function positionOf(source: RulesSource, path: readonly (string | number)[], at: 'key' | 'value' = 'value'): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    if (at === 'key' && n === path.length && n > 0) {
      const parent = sub.length > 1 ? source.doc.getIn(sub.slice(0, -1), true) : source.doc.contents;
      if (isMap(parent)) {
        const last = sub[sub.length - 1];
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === last);
        const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
        if (range) return source.lineCounter.linePos(range[0]);
      }
      continue;
    }
    const node = (sub.length === 0 ? source.doc.contents : source.doc.getIn(sub, true)) as Node | null | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      return source.lineCounter.linePos(node.range[0]);
    }
  }
  return { line: 1, col: 1 };
}

/** Build a positioned diagnostic for a data path. */
export function diagnosticAt(
  source: RulesSource,
  path: (string | number)[],
  code: string,
  message: string,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
  at: 'key' | 'value' = 'value',
): Diagnostic {
  const pos = positionOf(source, path, at);
  return { severity, code, message, file: source.file, line: pos.line, col: pos.col, hint, path };
}

const YAML_HINTS: Partial<Record<string, string>> = {
  DUPLICATE_KEY: 'each key may appear once in a mapping; remove or rename one',
  BLOCK_AS_IMPLICIT_KEY: 'a value containing ": " must be quoted, e.g. name: "ICP (v2: EMEA)"',
  MULTILINE_IMPLICIT_KEY: 'a value containing ": " must be quoted',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation of this line against its siblings',
};

type Issue = z.core.$ZodIssue;

function issueToDiagnostics(issue: Issue, base: PropertyKey[], source: RulesSource): Diagnostic[] {
  const path = [...base, ...issue.path].filter((p): p is string | number => typeof p !== 'symbol');
  const where = describePath(path);
  // A non-finite number is reported where it is written, by documentProblems.
  if (typeof issue.input === 'number' && !Number.isFinite(issue.input)) return [];
  switch (issue.code) {
    case 'unrecognized_keys':
      // __proto__ is reported as a reserved name by documentProblems, wherever it is.
      return issue.keys.filter((key) => key !== '__proto__').map((key) => {
        const allowed = allowedKeysAt(path);
        const guess = closest(key, allowed);
        return diagnosticAt(
          source,
          [...path, key],
          'unknown-key',
          `unknown key "${key}"${where ? ` in ${where}` : ''}`,
          guess ? `did you mean "${guess}"?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined,
          'error',
          'key',
        );
      });
    case 'invalid_union': {
      // A missing key that may take several forms (id: a column, or { line_number: true }).
      if (issue.input === undefined && path.length > 0) {
        return issueToDiagnostics({ code: 'invalid_type', expected: 'string', input: undefined, path: [], message: '' } as Issue, path, source);
      }
      const branches = issue.errors ?? [];
      // Prefer the branch whose type matched (its issues are deeper than the union itself).
      const deep = branches.filter((b) => b.length > 0 && b.every((i) => i.path.length > 0 || i.code !== 'invalid_type'));
      if (deep.length > 0) {
        deep.sort((a, b) => a.length - b.length);
        return deep[0]!.flatMap((i) => issueToDiagnostics(i, path, source));
      }
      const expected = branches
        .map((b) => b.find((i) => i.code === 'invalid_type' && i.path.length === 0))
        .filter((i): i is z.core.$ZodIssueInvalidType => i !== undefined)
        .map((i) => i.expected);
      const uniq = [...new Set(expected)];
      return [
        diagnosticAt(
          source,
          path,
          'invalid-type',
          `${where || 'value'}: expected ${uniq.length ? uniq.join(' or ') : 'a different value'}`,
          unionHint(path),
        ),
      ];
    }
    case 'invalid_type': {
      const missing = issue.input === undefined;
      if (missing) {
        const parentPath = path.slice(0, -1);
        return [
          diagnosticAt(
            source,
            parentPath,
            'missing-key',
            `${describePath(parentPath) || 'the rules file'} is missing the required key "${String(path[path.length - 1])}"`,
            `add "${String(path[path.length - 1])}: …" (expected ${issue.expected})`,
          ),
        ];
      }
      return [
        diagnosticAt(
          source,
          path,
          'invalid-type',
          `${where}: expected ${article(issue.expected)}, found ${describeValue(issue.input)}`,
          unionHint(path),
        ),
      ];
    }
    case 'invalid_value': {
      const guess = typeof issue.input === 'string' ? closest(issue.input, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      return [
        diagnosticAt(
          source,
          path,
          'invalid-value',
          `${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeValue(issue.input)}`,
          guess ? `did you mean "${guess}"?` : undefined,
        ),
      ];
    }
    default:
      return [diagnosticAt(source, path, issue.code ?? 'invalid', `${where || 'rules'}: ${issue.message}`)];
  }
}

function unionHint(path: (string | number)[]): string | undefined {
  const last = path[path.length - 1];
  if (last === 'unknown') return 'use zero, neutral or penalty, or { policy: penalty, points: -5 }';
  if (last === 'bands') return 'use ideal / acceptable / avoid keys, or a list of bands';
  if (last === 'id' && path.length === 1) return 'name the id column, or write id: { line_number: true } when the export has none';
  return undefined;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** `criteria[2].bands.ideal` style path for messages. */
export function describePath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** The diagnostics without repeats (same line, column and message), in their order. */
export function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.col}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// Walk the zod schema along a data path to list the keys an object there accepts, for "did you mean".
type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

function allowedKeysAt(path: (string | number)[]): string[] {
  let frontier: AnySchema[] = [Rules as unknown as AnySchema];
  for (const p of path) {
    const next: AnySchema[] = [];
    for (const s of frontier.flatMap(unwrap)) {
      const def = s._zod.def;
      if (def.type === 'object' && typeof p === 'string') {
        const shape = def.shape as Record<string, AnySchema>;
        if (shape[p]) next.push(shape[p]);
      } else if (def.type === 'array' && typeof p === 'number') next.push(def.element as AnySchema);
      else if (def.type === 'record') next.push(def.valueType as AnySchema);
      else if (def.type === 'tuple' && typeof p === 'number') {
        const item = (def.items as AnySchema[])[p];
        if (item) next.push(item);
      }
    }
    frontier = next;
  }
  const keys = new Set<string>();
  for (const s of frontier.flatMap(unwrap)) {
    if (s._zod.def.type === 'object') for (const k of Object.keys(s._zod.def.shape as object)) keys.add(k);
  }
  return [...keys];
}

function unwrap(s: AnySchema): AnySchema[] {
  const def = s._zod.def;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return unwrap(def.innerType as AnySchema);
  if (def.type === 'union') return (def.options as AnySchema[]).flatMap(unwrap);
  if (def.type === 'lazy') return unwrap((def.getter as () => AnySchema)());
  if (def.type === 'pipe') return unwrap(def.in as AnySchema);
  return [s];
}
