// A starter rules file as a yaml Document: columns, groups, criteria, tiers and the columns left out, each guess
// with a comment. The criteria come from a swappable source (heuristics by default; calibrated from outcomes in
// `init --outcome`). Pure: profile in, Document out.
import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { DEFAULT_PLACEHOLDERS } from '../values/index.js';
import type { CriterionInput, RulesInput } from '../rules/schema.js';
import { heuristicCriteria } from './criteria.js';
import { humanize, slug } from './names.js';
import type { CriteriaProposal, CriteriaSource, DraftContext, DraftCriterion } from './source.js';
import { dateOrderOf, isDateLike, type ColumnProfile, type ExportProfile } from './profile.js';
import { assignRoles, pct } from './roles.js';

export type { CriteriaProposal, CriteriaSource, DraftContext, DraftCriterion, DraftDisqualifier } from './source.js';

type GroupInput = RulesInput['groups'][string];
type ThresholdInput = NonNullable<RulesInput['tiers']>[number];

export interface DraftOptions {
  /** The editor modeline's schema path; none when undefined. */
  schemaPath?: string;
  /** A comment line under the modeline about the path (e.g. why it is absolute). */
  schemaNote?: string;
  /** Columns known to be the outcome (`--outcome`): left out, and given to the criteria source in the roles. */
  outcome?: readonly number[];
  criteria?: CriteriaSource;
  /** The export's decimal mode, when the user gave one: written as the rules-wide `decimal`. */
  decimal?: 'dot' | 'comma';
}

export interface Draft {
  doc: Document;
  /** The document as text (what init writes). */
  text: string;
  criteria: number;
  /** Columns declared in `columns:`. */
  columns: number;
  /** The id column's header, or null for line numbers. */
  id: string | null;
  /** Columns not scored, with why, in header order. */
  leftOut: { header: string; kind: string; why: string }[];
}

const GROUP_LABELS: Record<string, string> = { fit: 'Firmographic fit', engagement: 'Engagement', bant: 'BANT', relationship: 'Relationship' };
/** Share of a column from which a placeholder is frequent enough to be a real value, and said so. */
export const FREQUENT_PLACEHOLDER = 0.02;
const WIDTH = 100;

/** Build the starter rules Document for a profiled export. */
export function draftRules(profile: ExportProfile, options: DraftOptions = {}): Draft {
  const roles = assignRoles(profile, { outcome: options.outcome });
  const names = new Map<number, string>();
  const taken = new Set<string>();
  const ids = new Set<string>();
  const unique = (set: Set<string>, base: string): string => {
    let n = base;
    for (let k = 2; set.has(n); k++) n = `${base}_${k}`;
    set.add(n);
    return n;
  };
  const ctx: DraftContext = {
    profile,
    roles,
    column(index) {
      let n = names.get(index);
      if (n === undefined) {
        n = unique(taken, slug(profile.columns[index]!.header));
        names.set(index, n);
      }
      return n;
    },
    uniqueId: (base) => unique(ids, slug(base)),
  };
  const idName = roles.id.column === null ? null : ctx.column(roles.id.column);
  const proposal = (options.criteria ?? heuristicCriteria)(ctx);
  if (proposal.criteria.length === 0) proposal.criteria.push(placeholderCriterion(ctx));

  const groupIds = [...new Set(proposal.criteria.map((c) => c.rule.group))];
  const groups: Record<string, GroupInput> = {};
  for (const g of groupIds) groups[g] = proposal.groups?.[g]?.group ?? { label: GROUP_LABELS[g] ?? g, weight: 1 };
  const tiers = proposal.tiers ?? defaultTiers(proposal, groups);

  // Columns in header order, whatever order the criteria asked for them in.
  const declared = [...names.keys()].sort((a, b) => a - b);
  const columns: Record<string, unknown> = {};
  for (const i of declared) columns[names.get(i)!] = columnDef(profile.columns[i]!);
  // Every column a criterion could read (not the id, the outcome or after-the-fact ones), scored here or not yet.
  const readable = roles.columns.filter((c) => c.index !== roles.id.column && c.leftOut?.kind !== 'outcome' && c.leftOut?.kind !== 'after').map((c) => c.index);
  const placeholders = frequentPlaceholders(profile, readable);

  const data: Record<string, unknown> = {
    version: 1,
    name: profile.file.startsWith('<') ? 'ICP' : `ICP for ${baseName(profile.file)}`,
    id: idName ?? { line_number: true },
    columns,
    ...(proposal.placeholders ? { placeholders: proposal.placeholders } : placeholders.length ? { placeholders: [...DEFAULT_PLACEHOLDERS] } : {}),
    ...(options.decimal ? { decimal: options.decimal } : {}),
    unknown: 'zero',
    groups,
    criteria: proposal.criteria.map((c) => c.rule),
    ...(proposal.disqualifiers?.length ? { disqualifiers: proposal.disqualifiers.map((d) => d.rule) } : {}),
    tiers: tiers.tiers,
    reasons: 3,
  };
  const doc = new Document(data);

  // Opening comment.
  const head: string[] = [];
  if (options.schemaPath !== undefined) head.push(` yaml-language-server: $schema=${options.schemaPath}`);
  if (options.schemaNote) head.push(...wrap(options.schemaNote));
  if (head.length) head.push('');
  head.push(...wrap(`Starter icp rules guessed from the header and the first ${profile.rows} rows of ${profile.file}.`));
  head.push(...wrap(proposal.method ?? 'Every column, value list, band and point below is a guess from the column names and the sample: check each against your ICP.'));
  const input = profile.file.startsWith('<') ? '<export.csv>' : profile.file; // read from standard input
  head.push(`   icp validate --rules <this file> ${input}`, `   icp explain <lead-id> ${input} --rules <this file>`);
  doc.commentBefore = head.join('\n');

  const top = doc.contents as YAMLMap;
  keyComment(top, 'id', roles.id.column === null
    ? `No id column: ${roles.id.why}. A lead's id is the line its record starts on (the header is line 1).`
    : `The lead id (${JSON.stringify(profile.columns[roles.id.column]!.header)}): ${roles.id.why}.`);
  const idNode = pairValue(top, 'id');
  if (isMap(idNode)) idNode.flow = true; // id: { line_number: true }
  keyComment(top, 'columns', 'Logical columns → the header names they have in this export. Add other CRMs\' names to each list.');
  flowAll(pairValue(top, 'columns'), 1);
  if (proposal.placeholderNotes?.length) keyComment(top, 'placeholders', proposal.placeholderNotes.join('\n'));
  else if (placeholders.length) {
    keyComment(top, 'placeholders', 'Cell values read as "no value" (unknown). Some are frequent in this export: if one is a real value there, delete its line.');
    const seq = pairValue(top, 'placeholders');
    if (isSeq(seq)) {
      for (const item of seq.items) {
        const v = isScalar(item) ? String(item.value).toLowerCase() : '';
        const hits = placeholders.filter((h) => h.value === v);
        if (isScalar(item) && hits.length) item.comment = ` ${hits.map((h) => `${pct(h.share)} of ${JSON.stringify(h.header)} (${h.count} rows)`).join('; ')}`;
      }
    }
  }
  keyComment(top, 'unknown', 'What an unknown value (empty, a placeholder, or unparseable) scores: zero | neutral | penalty.');
  keyComment(top, 'groups', 'Groups add up to the total (weight × points, after each group\'s cap).');
  const groupMap = pairValue(top, 'groups');
  if (isMap(groupMap)) {
    for (const pair of groupMap.items) {
      const g = String((pair.key as { value?: unknown }).value);
      const v = pair.value as Node;
      const notes = proposal.groups?.[g]?.notes;
      if (!isMap(v)) continue;
      if (notes) {
        flowSmall(v);
        annotate(v, notes);
      } else v.flow = true;
    }
  }
  keyComment(top, 'criteria', undefined);
  const crits = pairValue(top, 'criteria');
  if (isSeq(crits)) {
    let group: string | undefined;
    crits.items.forEach((node, i) => {
      const c = proposal.criteria[i]!;
      if (!isMap(node)) return;
      const lines: string[] = [];
      if (c.rule.group !== group) {
        group = c.rule.group;
        lines.push(` --- ${groups[group]?.label ?? group} ${'-'.repeat(60)}`.slice(0, 72));
        if (i > 0) node.spaceBefore = true;
      } else node.spaceBefore = true;
      if (c.comment) lines.push(...wrap(c.comment));
      if (lines.length) node.commentBefore = lines.join('\n');
      flowSmall(node);
      annotate(node, c.notes ?? {});
    });
  }
  const dqs = pairValue(top, 'disqualifiers');
  if (isSeq(dqs)) {
    keyComment(top, 'disqualifiers', 'A lead matching one of these gets the DQ tier whatever its score, with the reason.');
    dqs.items.forEach((node, i) => {
      const d = proposal.disqualifiers![i]!;
      if (isMap(node)) {
        if (i > 0) node.spaceBefore = true;
        if (d.comment) node.commentBefore = wrap(d.comment).join('\n');
        flowSmall(node);
      }
    });
  }
  keyComment(top, 'tiers', tiers.comment);
  const tierSeq = pairValue(top, 'tiers');
  if (isSeq(tierSeq)) for (const t of tierSeq.items) if (isMap(t)) t.flow = true;
  keyComment(top, 'reasons', 'How many top reasons go into icp_reasons.');

  // Columns left out, at the end of the file.
  const skipped = new Map((proposal.skipped ?? []).map((s) => [s.index, s.why]));
  const leftOut: Draft['leftOut'] = [];
  for (const c of roles.columns) {
    if (names.has(c.index)) continue;
    const why = skipped.get(c.index) ?? c.leftOut?.why ?? 'recognised, but no criterion was written for it';
    const kind = skipped.has(c.index) ? 'skipped' : c.leftOut?.kind ?? 'unscored';
    leftOut.push({ header: c.header, kind, why });
  }
  if (leftOut.length) {
    const lines = [' Columns left out (not scored):'];
    const order = ['outcome', 'after'];
    const sorted = [...leftOut].sort((a, b) => rank(order, a.kind) - rank(order, b.kind));
    for (const l of sorted) lines.push(...wrap(`${JSON.stringify(l.header)}: ${l.kind === 'outcome' ? 'OUTCOME — ' : l.kind === 'after' ? 'AFTER THE FACT — ' : ''}${l.why}`, '   ', '     '));
    doc.comment = lines.join('\n');
  }

  return {
    doc,
    text: withNewline(doc.toString({ lineWidth: 0 })),
    criteria: proposal.criteria.length,
    columns: declared.length,
    id: roles.id.column === null ? null : profile.columns[roles.id.column]!.header,
    leftOut,
  };
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function rank(order: string[], kind: string): number {
  const i = order.indexOf(kind);
  return i < 0 ? order.length : i;
}

/** A column's definition: its header as the one alias, and a date order the sample proves. */
function columnDef(p: ColumnProfile): unknown {
  const order = isDateLike(p) ? dateOrderOf(p) : undefined;
  return order ? { aliases: [p.header], date_order: order } : [p.header];
}

/** Default placeholders that make up at least 2 % of a column's sample (and more than one row of it). */
function frequentPlaceholders(profile: ExportProfile, scored: readonly number[]): { value: string; header: string; count: number; share: number }[] {
  const out: { value: string; header: string; count: number; share: number }[] = [];
  for (const i of scored) {
    const p = profile.columns[i]!;
    for (const h of p.placeholders) {
      if (p.rows && h.count >= 2 && h.count / p.rows >= FREQUENT_PLACEHOLDER) out.push({ value: h.shown.toLowerCase(), header: p.header, count: h.count, share: h.count / p.rows });
    }
  }
  return out;
}

/** When nothing is recognised: one criterion that only shows the form, said so. */
function placeholderCriterion(ctx: DraftContext): DraftCriterion {
  const cols = ctx.profile.columns;
  const pick = cols.find((p) => p.present > 0 && ctx.roles.columns[p.index]!.leftOut?.kind !== 'outcome' && ctx.roles.columns[p.index]!.leftOut?.kind !== 'after' && p.index !== ctx.roles.id.column)
    ?? cols.find((p) => p.index === ctx.roles.id.column)
    ?? cols[0]!;
  const name = ctx.column(pick.index);
  return {
    rule: { id: ctx.uniqueId(`has_${name}`), label: `${humanize(pick.header)} given`, group: 'fit', column: name, present: true, points: 1 },
    comment: 'No column was recognised as a sign of fit or interest, so this criterion only shows the form: replace it with your own (see the columns left out at the end).',
  };
}

/** Tiers A–D at 60, 35 and 15 % of the most a lead can score, rounded and strictly decreasing. */
function defaultTiers(p: CriteriaProposal, groups: Record<string, GroupInput>): { tiers: ThresholdInput[]; comment: string } {
  let max = 0;
  for (const g of Object.keys(groups)) {
    const sum = p.criteria.filter((c) => c.rule.group === g).reduce((s, c) => s + Math.max(0, maxPoints(c.rule)), 0);
    const cap = groups[g]!.cap;
    max += (cap !== undefined ? Math.min(cap, sum) : sum) * (groups[g]!.weight ?? 1);
  }
  max = Math.round(max * 100) / 100;
  if (max < 4) {
    // Too few points for four tiers every lead can tell apart: the leads that get them all, and the rest.
    return {
      tiers: [{ name: 'A', min: Math.max(max, 0), label: 'hot' }, { name: 'B', label: 'cold' }],
      comment: `Tiers from best to worst (the most a lead can score here is ${max}, too little for more than two); the last one takes every lower score.`,
    };
  }
  const r = (x: number): number => (max >= 20 ? Math.round(x / 5) * 5 : Math.round(x));
  let a = r(max * 0.6);
  let b = r(max * 0.35);
  let c = r(max * 0.15);
  if (c < 1) c = 1;
  if (b <= c) b = c + 1;
  if (a <= b) a = b + 1;
  return {
    tiers: [{ name: 'A', min: a, label: 'hot' }, { name: 'B', min: b, label: 'warm' }, { name: 'C', min: c, label: 'cool' }, { name: 'D', label: 'cold' }],
    comment: `Tiers from best to worst (the most a lead can score here is ${max}); the last one takes every lower score.`,
  };
}

/** The most points a criterion can give (its cap for points_per). */
export function maxPoints(c: CriterionInput): number {
  if (c.bands) {
    const list = Array.isArray(c.bands) ? c.bands : Object.values(c.bands).filter((b) => b !== undefined);
    return Math.max(0, ...list.map((b) => b.points * (c.weight ?? 1)));
  }
  if (c.points_per !== undefined) return Math.max(0, (c.cap ?? 0));
  return Math.max(0, (c.points ?? 0) * (c.weight ?? 1));
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

function pairValue(map: YAMLMap, key: string): Node | undefined {
  return pairOf(map, key)?.value as Node | undefined;
}

/** A comment above a top-level key, with a blank line before it. */
function keyComment(map: YAMLMap, key: string, comment: string | undefined): void {
  const pair = pairOf(map, key);
  if (!pair || !isScalar(pair.key)) return;
  pair.key.spaceBefore = true;
  if (comment) pair.key.commentBefore = wrap(comment).join('\n');
}

/** End-of-line comments on a map's keys (on the value for scalars and flow collections, on the key for blocks). */
function annotate(map: YAMLMap, notes: Partial<Record<string, string>>): void {
  for (const [key, note] of Object.entries(notes)) {
    const pair = pairOf(map, key);
    if (!pair || !note) continue;
    const v = pair.value as Node | null;
    const inline = isScalar(v) || ((isMap(v) || isSeq(v)) && v.flow === true);
    // A note that would make a long line goes above its key instead.
    const long = inline && key.length + JSON.stringify(v.toJSON()).length + note.length > WIDTH - 10;
    if (inline && !long) v.comment = ` ${note}`;
    else if (isScalar(pair.key) && long) pair.key.commentBefore = wrap(note).join('\n');
    else if (isScalar(pair.key)) pair.key.comment = ` ${note}`;
  }
}

/** Flow style for short lists and small maps inside a criterion: `in: [a, b]`, `ideal: { gte: 5, points: 3 }`. */
function flowSmall(node: YAMLMap): void {
  for (const pair of node.items) {
    const v = pair.value as Node | null;
    if ((isSeq(v) || isMap(v)) && isSmall(v)) v.flow = true;
    else if (isMap(v)) flowSmall(v);
    else if (isSeq(v)) for (const item of v.items) if (isMap(item) && isSmall(item)) item.flow = true;
  }
}

function flowAll(node: Node | undefined, depth: number): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const v = pair.value as Node | null;
    if (isSeq(v)) v.flow = true;
    else if (isMap(v) && depth > 0) flowAll(v, depth - 1);
  }
}

/** Scalars only, and short when written. */
function isSmall(node: Node): boolean {
  if (isSeq(node)) return node.items.every((i) => isScalar(i)) && JSON.stringify(node.toJSON()).length <= 90;
  if (isMap(node)) return node.items.every((p) => isScalar(p.value) || (isSeq(p.value) && p.value.items.every((i) => isScalar(i)))) && JSON.stringify(node.toJSON()).length <= 90;
  return false;
}

/** Comment text as lines of at most ~100 characters; yaml adds the "#" before each. */
function wrap(text: string, first = ' ', rest = first): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line === '') line = (out.length ? rest : first) + word;
      else if (`${line} ${word}`.length > WIDTH) {
        out.push(line);
        line = rest + word;
      } else line += ` ${word}`;
    }
    out.push(line);
  }
  return out;
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}
