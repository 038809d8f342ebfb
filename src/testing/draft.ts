// A starter expectations file for a rules file: a few leads of each tier, written inline, that pass today. Pure.
import { Document, YAMLMap, YAMLSeq } from 'yaml';
import { bindModel } from '../engine/bind.js';
import { evaluate, newEvaluation } from '../engine/evaluate.js';
import { TRUE, type Model } from '../engine/model.js';
import { traceInline } from './run.js';

export interface DraftTestsInput {
  model: Model;
  /** The export's header keys and a sample of its records (fields in header order). */
  header: readonly string[];
  rows: readonly { line: number; fields: readonly string[] }[];
  /** The day and date recency is measured from; written into the file so the tests do not drift. */
  asOfDay: number;
  asOf: string;
  /** Where the leads come from, for the file's comment. */
  source: string;
  /** Leads kept per tier (default 2). */
  perTier?: number;
  /** The modeline's schema path, or undefined for none. */
  schemaPath?: string;
}

/**
 * The expectations YAML: per tier (best first, disqualified last) up to `perTier` leads of the sample, each
 * written inline with the cells the rules read, expecting its tier (and its disqualifier reason). Inline leads keep
 * the file self-contained: it passes whatever happens to the export later, until the rules change.
 */
export function draftTests(input: DraftTestsInput): { text: string; tests: number } {
  const { model } = input;
  const { bound } = bindModel(model, input.header, input.asOfDay);
  if (!bound) return { text: '', tests: 0 };
  const e = newEvaluation(model);
  const per = input.perTier ?? 2;
  const tiers = [...model.tiers.map((t) => t.name), model.disqualifiedTier];
  const picked = new Map<string, { line: number; lead: Record<string, string>; reason?: string; id: string }[]>(tiers.map((t) => [t, []]));
  // The cells the rules read, by header: enough to score the lead the same way inline.
  const read = model.columns.filter((c) => c.used && bound.fieldIndex[c.index]! >= 0).map((c) => ({ header: bound.headers[c.index]!, field: bound.fieldIndex[c.index]! }));
  for (const r of input.rows) {
    evaluate(bound, r.fields, e);
    const list = picked.get(e.tier);
    if (!list || list.length >= per) continue;
    const lead: Record<string, string> = {};
    for (const c of read) {
      const v = r.fields[c.field] ?? '';
      if (v.trim() !== '') lead[c.header] = v;
    }
    const fired = model.disqualifiers.find((d) => e.dq[d.index] === TRUE);
    const id = model.idColumn === null ? `line ${r.line}` : (bound.row.cell(model.idColumn) ?? '').trim() || `line ${r.line}`;
    // Inline, a lead is read without the export's sample (a detected date order, say): keep only leads that score
    // the same way there, so the starter passes as written.
    if (traceInline(model, lead, input.asOfDay).tier !== e.tier) continue;
    list.push({ line: r.line, lead, reason: e.disqualified ? fired?.reason : undefined, id });
  }

  const doc = new Document({ version: 1, as_of: input.asOf, tests: [] as unknown[] });
  doc.commentBefore = [
    ...(input.schemaPath ? [` yaml-language-server: $schema=${input.schemaPath}`] : []),
    ' Expectations for the rules beside this file, run by `icp test --rules <rules>.yaml` (in CI too).',
    ` A starter written by icp init: ${per} lead(s) per tier from ${input.source}, as scored on ${input.asOf}.`,
    ' Edit them into what the model must keep doing: a lead that must stay hot, one that must be disqualified, …',
  ].join('\n');
  const seq = doc.get('tests') as YAMLSeq;
  let n = 0;
  for (const tier of tiers) {
    for (const p of picked.get(tier) ?? []) {
      const expect: Record<string, unknown> = { tier };
      if (p.reason) expect.disqualified = { reason: p.reason };
      const item = doc.createNode({ name: `${p.id} stays in tier ${tier}`, lead: p.lead, expect }) as YAMLMap;
      item.commentBefore = ` line ${p.line} of ${input.source}`;
      seq.add(item);
      n++;
    }
  }
  return { text: doc.toString({ lineWidth: 0 }), tests: n };
}
