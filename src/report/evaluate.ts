// Pure renderers of an evaluation against outcomes: (data, { color }) → string, as table, JSON or Markdown.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { EvaluationReport } from '../stats/evaluation.js';

export type EvaluateFormat = 'table' | 'json' | 'markdown';

/** The report with what it was run on: the object `--format json` prints (schema/icp-evaluate.schema.json). */
export interface EvaluateOutput extends EvaluationReport {
  input: string;
  rules: string;
  model?: string;
  asOf: string;
  asOfColumn?: string;
  outcome: { column: string; positive: string[]; negative: string[] } | { file: string; on: string; ids: number; unmatchedIds: number };
}

const pct = (x: number | null | undefined, d = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(d)}%`);
const dec = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const pts = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${x > 0 ? '+' : ''}${Math.round(x * 100) / 100}`);
const signed = (x: number, d = 2): string => (Number.isFinite(x) ? `${x > 0 ? '+' : ''}${x.toFixed(d)}` : '–');
const interval = (iv: [number, number] | null): string => (iv ? `${pct(iv[0])} – ${pct(iv[1])}` : '–');
const lift = (x: number | null): string => (x === null ? '–' : `${x.toFixed(2)}×`);

/** Round floats to 6 significant decimals so JSON output is stable and readable; null stays null. */
function tidy(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toFixed(6));
  if (Array.isArray(v)) return v.map(tidy);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tidy(x)]));
  return v;
}

export function renderEvaluateJson(r: EvaluateOutput): string {
  return `${JSON.stringify(tidy(r), null, 2)}\n`;
}

type Cell = string | { content: string; colSpan: number };

function table(head: string[], rows: Cell[][], color: boolean, align: ('left' | 'right')[]): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const t = new Table({ head: head.map((h) => c.bold(h)), style: { head: [], border: [], compact: true }, colAligns: align });
  for (const row of rows) t.push(row);
  return t.toString();
}

function outcomeText(r: EvaluateOutput): string {
  const o = r.outcome;
  if ('file' in o) return `outcomes ${o.file} on ${o.on} (${o.ids} ids, ${o.unmatchedIds} not found in the input)`;
  if (!o.positive.length) return `outcome ${o.column} (yes/no)`;
  return `outcome ${o.column} = ${o.positive.join(', ')}${o.negative.length ? ` vs ${o.negative.join(', ')}` : ''}`;
}

function countsLine(r: EvaluateOutput): string {
  const left = [`${r.excluded} outcome unknown`];
  if (r.excludedNoAsOf) left.push(`${r.excludedNoAsOf} without an as-of date`);
  if (r.rejected) left.push(`${r.rejected} unreadable`);
  return `rows used ${r.rows}: ${r.positives} positive, ${r.negatives} negative (base rate ${pct(r.baseRate)}); left out: ${left.join(', ')}`;
}

const rateRow = (name: string, x: { leads: number; positives: number; conversion: number | null; interval: [number, number] | null; lift: number | null }) => [
  name,
  String(x.leads),
  String(x.positives),
  pct(x.conversion),
  interval(x.interval),
  lift(x.lift),
];

/** Human report for the terminal. */
export function renderEvaluateTable(r: EvaluateOutput, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  out.push(`${c.bold('icp evaluate')} ${r.input} — rules ${r.rules}${r.model ? ` (${r.model})` : ''}, ${outcomeText(r)}, as of ${r.asOfColumn ? `each row's ${r.asOfColumn}` : r.asOf}`);
  out.push(countsLine(r));
  out.push(`ROC AUC ${c.bold(dec(r.auc))} · Gini ${dec(r.gini)} · KS ${dec(r.ks)}${r.ksScore !== null ? ` (at score ${r.ksScore})` : ''}`);
  out.push(
    table(
      ['top', 'leads', 'positives', 'share of positives', 'conversion', 'lift'],
      r.gains.map((g) => [pct(g.top, 0), dec(g.rows, g.rows % 1 ? 1 : 0), dec(g.positives, g.positives % 1 ? 1 : 0), pct(g.gain), pct(g.conversion), lift(g.lift)]),
      opts.color,
      ['left', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  const head = ['', 'leads', 'positives', 'conversion', '95% interval', 'lift'];
  const al: ('left' | 'right')[] = ['left', 'right', 'right', 'right', 'right', 'right'];
  out.push(table(['tier', ...head.slice(1)], r.tiers.filter((t, i) => t.leads > 0 || i < r.tiers.length - 1).map((t) => rateRow(t.label && t.label !== t.tier ? `${t.tier} (${t.label})` : t.tier, t)), opts.color, al));
  if (r.matrix.length) out.push(table(['cell', ...head.slice(1)], r.matrix.filter((m) => m.leads > 0).map((m) => rateRow(m.cell, m)), opts.color, al));
  out.push(
    table(
      ['decile', 'scores', 'leads', 'positives', 'conversion'],
      r.deciles.map((d) => [String(d.decile), d.minScore === null ? 'disqualified' : d.minScore === d.maxScore ? String(d.minScore) : `${d.minScore} – ${d.maxScore}`, String(d.leads), String(d.positives), pct(d.conversion)]),
      opts.color,
      ['right', 'right', 'right', 'right', 'right'],
    ),
  );
  const rows: Cell[][] = [];
  for (const k of r.criteria) {
    rows.push([{ content: `${c.bold(k.id)}${k.label !== k.id ? ` (${k.label})` : ''} · IV ${dec(k.iv, 3)} ${k.strength} · alone AUC ${dec(k.auc)}`, colSpan: 7 }]);
    for (const l of k.levels) {
      const flagged = k.flags.some((f) => f.level === l.level);
      rows.push([`  ${flagged ? c.yellow(`! ${l.level}`) : l.level}`, pct(l.share), String(l.leads), pct(l.conversion), interval(l.interval), pts(l.points), signed(l.woe)]);
    }
  }
  out.push(table(['criterion / level', 'share', 'leads', 'conversion', '95% interval', 'points', 'WoE'], rows, opts.color, ['left', 'right', 'right', 'right', 'right', 'right', 'right']));
  for (const w of r.warnings) out.push(c.yellow(`warning: ${w.message}`));
  return `${out.join('\n')}\n`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(head: string[], rows: string[][], right: boolean[]): string {
  const lines = [`| ${head.map(mdEscape).join(' | ')} |`, `|${right.map((x) => (x ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map((x) => mdEscape(x)).join(' | ')} |`);
  return lines.join('\n');
}

/** Markdown, e.g. for a CI job summary or a pull request comment. */
export function renderEvaluateMarkdown(r: EvaluateOutput): string {
  const out: string[] = [];
  out.push(`### icp evaluate: ${mdEscape(r.input)}`, '');
  out.push(`Rules \`${mdEscape(r.rules)}\`${r.model ? ` (${mdEscape(r.model)})` : ''}, ${mdEscape(outcomeText(r))}, as of ${r.asOfColumn ? `each row's ${mdEscape(r.asOfColumn)}` : r.asOf}.`, '');
  out.push(`${countsLine(r).replace(/^rows used/, 'Rows used')}.`, '');
  out.push(`**ROC AUC ${dec(r.auc)}** · Gini ${dec(r.gini)} · KS ${dec(r.ks)}`, '');
  const right = [false, true, true, true, true, true];
  out.push(mdTable(['Top', 'Leads', 'Positives', 'Share of positives', 'Conversion', 'Lift'], r.gains.map((g) => [pct(g.top, 0), dec(g.rows, g.rows % 1 ? 1 : 0), dec(g.positives, g.positives % 1 ? 1 : 0), pct(g.gain), pct(g.conversion), lift(g.lift)]), right), '');
  out.push(mdTable(['Tier', 'Leads', 'Positives', 'Conversion', '95% interval', 'Lift'], r.tiers.filter((t, i) => t.leads > 0 || i < r.tiers.length - 1).map((t) => rateRow(t.tier, t)), right), '');
  if (r.matrix.length) out.push(mdTable(['Cell', 'Leads', 'Positives', 'Conversion', '95% interval', 'Lift'], r.matrix.filter((m) => m.leads > 0).map((m) => rateRow(m.cell, m)), right), '');
  out.push(mdTable(['Decile', 'Scores', 'Leads', 'Positives', 'Conversion'], r.deciles.map((d) => [String(d.decile), d.minScore === null ? 'disqualified' : `${d.minScore} – ${d.maxScore}`, String(d.leads), String(d.positives), pct(d.conversion)]), [true, true, true, true, true]), '');
  const rows: string[][] = [];
  for (const k of r.criteria) {
    for (const l of k.levels) rows.push([k.id, l.level, pct(l.share), String(l.leads), pct(l.conversion), pts(l.points), signed(l.woe), dec(l.iv, 3)]);
  }
  out.push(mdTable(['Criterion', 'Level', 'Share', 'Leads', 'Conversion', 'Points', 'WoE', 'IV'], rows, [false, false, true, true, true, true, true, true]), '');
  for (const w of r.warnings) out.push(`> warning: ${mdEscape(w.message)}`, '');
  return `${out.join('\n')}\n`;
}

export function renderEvaluate(r: EvaluateOutput, format: EvaluateFormat, opts: { color: boolean }): string {
  if (format === 'json') return renderEvaluateJson(r);
  if (format === 'markdown') return renderEvaluateMarkdown(r);
  return renderEvaluateTable(r, opts);
}
