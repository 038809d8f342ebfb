// Pure renderers of `icp diff`: text for the terminal, JSON for scripts, Markdown sized for a pull-request comment.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import { whyMoved, type LeadsDiff, type Mover } from '../diff/compare.js';
import type { RulesChange } from '../diff/rules-change.js';

export type DiffFormat = 'text' | 'json' | 'markdown';

/** Outcome figures of one model (with `icp diff --outcome`). */
export interface OutcomeSide {
  auc: number | null;
  tiers: { tier: string; leads: number; positives: number; conversion: number | null; low: number | null; high: number | null }[];
}

/** Everything `icp diff` reports (the JSON format is this object). */
export interface DiffReport {
  input: string;
  base: string;
  rules: string;
  as_of: string;
  /** The rules change itself, from the two Plans. */
  changes: RulesChange[];
  leads: LeadsDiff;
  outcome: { column: string; rows: number; positives: number; before: OutcomeSide; after: OutcomeSide } | null;
}

/** GitHub rejects comments longer than 65,536 characters; the Markdown stays under this, summarising the rest. */
export const MARKDOWN_LIMIT = 60_000;

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const signed = (x: number | null): string => (x === null ? '–' : x > 0 ? `+${x}` : String(x));

/** The transition matrix as rows of cells: a header row, then one row per old tier with counts and a total. */
function transitionRows(d: LeadsDiff): string[][] {
  const before = d.tiersBefore.map((t) => t.tier);
  const after = d.tiersAfter.map((t) => t.tier);
  const rows: string[][] = [['before \\ after', ...after, 'total']];
  for (const b of before) {
    const row = d.transitions[b] ?? {};
    const total = Object.values(row).reduce((s, n) => s + n, 0);
    rows.push([b, ...after.map((a) => String(row[a] ?? 0)), String(total)]);
  }
  rows.push(['total', ...after.map((a) => String(d.tiersAfter.find((t) => t.tier === a)?.leads ?? 0)), String(d.leads)]);
  return rows;
}

function moverLine(m: Mover): string {
  return `${m.id} (line ${m.line}): ${m.before.tier} ${m.before.score} → ${m.after.tier} ${m.after.score} — ${whyMoved(m)}`;
}

function headline(r: DiffReport): string {
  const l = r.leads;
  const s = l.scoreDelta;
  return `${l.leads} leads · ${l.changedTier} changed tier (${pct(l.changedShare)}) · score change mean ${signed(s.mean)} (from ${signed(s.min)} to ${signed(s.max)}): ${s.up} up, ${s.down} down, ${s.same} unchanged`;
}

export function renderDiffText(r: DiffReport, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [`${c.bold('icp diff')} ${r.input} — rules ${r.rules} against ${r.base}, as of ${r.as_of}`, ''];
  out.push(c.bold(`rules change (${r.changes.length})`));
  if (r.changes.length === 0) out.push('  none: the two rules files mean the same model');
  for (const ch of r.changes) out.push(`  ${ch.change === 'added' ? c.green('+') : ch.change === 'removed' ? c.red('-') : c.yellow('~')} ${ch.text}`);
  out.push('', headline(r));
  const t = new Table({ style: { head: [], border: [], compact: true } });
  const rows = transitionRows(r.leads);
  t.push(...rows.map((row, i) => (i === 0 ? row.map((x) => c.bold(x)) : row)));
  out.push(c.bold('tier transitions (rows: before, columns: after)'), t.toString());
  if (r.outcome) {
    const o = r.outcome;
    out.push('', c.bold(`against ${o.column}: ${o.positives} positive of ${o.rows} leads`), `  ROC AUC ${fmtAuc(o.before.auc)} → ${fmtAuc(o.after.auc)}`);
    for (const side of ['before', 'after'] as const) {
      out.push(`  conversion per tier ${side}: ${o[side].tiers.map((x) => `${x.tier} ${x.conversion === null ? '–' : pct(x.conversion)} (${x.positives}/${x.leads})`).join(', ')}`);
    }
  }
  if (r.leads.moverGroups.length) {
    out.push('', c.bold('movers by cause'));
    for (const g of r.leads.moverGroups.slice(0, 20)) out.push(`  ${g.text}${g.examples.length ? ` (e.g. ${g.examples.join(', ')})` : ''}`);
    if (r.leads.moverGroups.length > 20) out.push(`  and ${r.leads.moverGroups.length - 20} more groups`);
  }
  for (const [title, list] of [
    ['largest moves up', r.leads.largestUp],
    ['largest moves down', r.leads.largestDown],
  ] as const) {
    if (!list.length) continue;
    out.push('', c.bold(title));
    for (const m of list) out.push(`  ${m.id} (line ${m.line}): ${m.before} → ${m.after} (${signed(m.delta)})${m.tierBefore !== m.tierAfter ? `, ${m.tierBefore} → ${m.tierAfter}` : ''}`);
  }
  if (r.leads.movers.length) {
    out.push('', c.bold(`leads that changed tier${r.leads.moversNotShown ? ` (first ${r.leads.movers.length} of ${r.leads.changedTier})` : ''}`));
    for (const m of r.leads.movers) out.push(`  ${moverLine(m)}`);
  }
  return `${out.join('\n')}\n`;
}

const fmtAuc = (x: number | null): string => (x === null ? '–' : x.toFixed(3));

function md(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(rows: string[][]): string {
  const [head, ...body] = rows;
  return [`| ${head!.map(md).join(' | ')} |`, `|${head!.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...body.map((r) => `| ${r.map(md).join(' | ')} |`)].join('\n');
}

/**
 * Markdown for a pull-request comment or a job summary: the rules change, the headline, the transition matrix,
 * outcome figures, then movers — summarised so the whole stays under `limit` characters ("and N more").
 */
export function renderDiffMarkdown(r: DiffReport, limit = MARKDOWN_LIMIT): string {
  const head: string[] = [`### icp diff: ${md(r.input)}`, '', `Rules \`${md(r.rules)}\` against \`${md(r.base)}\`, as of ${r.as_of}.`, ''];
  head.push(`**${headline(r)}**`, '');
  head.push(`#### Rules change (${r.changes.length})`, '');
  if (r.changes.length === 0) head.push('None: the two rules files mean the same model.', '');
  const changeLines = r.changes.map((ch) => `- ${ch.change === 'added' ? '➕' : ch.change === 'removed' ? '➖' : '✏️'} ${md(ch.text)}`);
  const tail: string[] = ['', '#### Tier transitions (rows: before, columns: after)', '', mdTable(transitionRows(r.leads)), ''];
  if (r.outcome) {
    const o = r.outcome;
    tail.push(`#### Against \`${md(o.column)}\` (${o.positives} positive of ${o.rows})`, '', `ROC AUC **${fmtAuc(o.before.auc)} → ${fmtAuc(o.after.auc)}**`, '');
    const tiers = [...new Set([...o.before.tiers.map((t) => t.tier), ...o.after.tiers.map((t) => t.tier)])];
    const conv = (side: OutcomeSide, tier: string) => {
      const x = side.tiers.find((t) => t.tier === tier);
      return x && x.conversion !== null ? `${pct(x.conversion)} (${x.positives}/${x.leads})` : '–';
    };
    tail.push(mdTable([['tier', 'conversion before', 'conversion after'], ...tiers.map((t) => [t, conv(o.before, t), conv(o.after, t)])]), '');
  }
  const groups = r.leads.moverGroups.map((g) => `- ${md(g.text)}${g.examples.length ? ` (e.g. ${g.examples.map((e) => `\`${md(e)}\``).join(', ')})` : ''}`);
  const moves = [...r.leads.largestUp, ...r.leads.largestDown].map((m) => `| ${md(m.id)} | ${m.line} | ${m.before} | ${m.after} | ${signed(m.delta)} | ${md(m.tierBefore)} → ${md(m.tierAfter)} |`);
  const movers = r.leads.movers.map((m) => `- ${md(moverLine(m))}`);

  // Fill sections in order of value, each cut with "and N more" when the budget runs out.
  let budget = limit - [...head, ...tail].join('\n').length - 400;
  const take = (lines: string[], what: string): string[] => {
    const kept: string[] = [];
    for (const l of lines) {
      if (l.length + 1 > budget) break;
      kept.push(l);
      budget -= l.length + 1;
    }
    if (kept.length < lines.length) kept.push(`- … and ${lines.length - kept.length} more ${what}`);
    return kept;
  };
  const out = [...head, ...take(changeLines, 'changes'), ...tail];
  if (groups.length) out.push('#### Movers by cause', '', ...take(groups, 'groups'), '');
  if (moves.length) out.push('#### Largest moves', '', '| lead | line | before | after | change | tier |', '| --- | ---: | ---: | ---: | ---: | --- |', ...take(moves, 'moves').map((l) => (l.startsWith('- …') ? `| ${l.slice(2)} | | | | | |` : l)), '');
  if (movers.length) {
    out.push(`#### Leads that changed tier${r.leads.moversNotShown ? ` (first ${r.leads.movers.length} of ${r.leads.changedTier})` : ''}`, '', '<details><summary>show</summary>', '', ...take(movers, 'leads'), '', '</details>', '');
  }
  return `${out.join('\n')}\n`;
}

export function renderDiffJson(r: DiffReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

export function renderDiff(r: DiffReport, format: DiffFormat, opts: { color: boolean }): string {
  if (format === 'json') return renderDiffJson(r);
  if (format === 'markdown') return renderDiffMarkdown(r);
  return renderDiffText(r, opts);
}
