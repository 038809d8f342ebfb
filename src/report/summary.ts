// Pure renderers of the score summary: (data, { color }) → string, as table, JSON or Markdown.
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { SummaryData } from './stats.js';

export type SummaryFormat = 'table' | 'json' | 'markdown';

const pct = (x: number | null): string => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);
const num = (x: number | null): string => (x === null ? '–' : String(x));

/** The matrix table's corner names its axes: the group whose score cuts the rows (↓), and the columns' (→). */
function matrixCorner(m: NonNullable<SummaryData['matrix']>): string {
  return `${m.rowGroup} ↓ ${m.columnGroup} →`;
}

/** Why the disqualified table can add up to more leads than the DQ tier holds. */
function severalReasons(n: number): string {
  return `${n} lead${n === 1 ? ' has' : 's have'} more than one reason (counted under each)`;
}

/** JSON: stable key order, for scripts and for comparing runs. */
export function renderSummaryJson(s: SummaryData): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

function table(head: string[], rows: (string | number)[][], color: boolean, align: ('left' | 'right')[]): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const t = new Table({
    head: head.map((h) => c.bold(h)),
    style: { head: [], border: [], compact: true },
    colAligns: align,
  });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

/** Human summary for the terminal. */
export function renderSummaryTable(s: SummaryData, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  const balance = s.rowsRead === s.rowsWritten + s.rowsRejected;
  out.push(
    `${c.bold('icp score')} ${s.input} — rules ${s.rules}${s.model ? ` (${s.model})` : ''}, as of ${s.asOf}`,
    `rows read ${s.rowsRead} = written ${s.rowsWritten} + rejected ${s.rowsRejected ? c.yellow(String(s.rowsRejected)) : 0}${balance ? '' : c.red('  (MISMATCH)')}`,
  );
  out.push(
    table(
      ['tier', 'leads', 'share', 'avg score'],
      s.tiers.map((t) => [t.label && t.label !== t.name ? `${t.name} (${t.label})` : t.name, t.count, pct(t.share), num(t.avgScore)]),
      opts.color,
      ['left', 'right', 'right', 'right'],
    ),
  );
  if (s.matrix) {
    out.push(
      table(
        [matrixCorner(s.matrix), ...s.matrix.columns],
        s.matrix.rows.map((r, i) => [r, ...s.matrix!.counts[i]!]),
        opts.color,
        ['left', ...s.matrix.columns.map(() => 'right' as const)],
      ),
    );
  }
  if (s.disqualified.length) {
    out.push(table(['disqualified by', 'leads'], s.disqualified.map((d) => [d.reason, d.count]), opts.color, ['left', 'right']));
    if (s.disqualifiedSeveralReasons) out.push(severalReasons(s.disqualifiedSeveralReasons));
  }
  if (s.distribution.length) {
    const peak = Math.max(...s.distribution.map((d) => d.count));
    out.push(
      `score min ${num(s.score.min)} · mean ${num(s.score.mean)} · max ${num(s.score.max)}`,
      table(
        ['score', 'leads', ''],
        s.distribution.map((d) => [`${d.from} – ${d.to}`, d.count, c.cyan('█'.repeat(Math.max(1, Math.round((d.count / peak) * 30))))]),
        opts.color,
        ['left', 'right', 'left'],
      ),
    );
  }
  out.push(
    table(
      ['column', 'header', 'usable', 'coverage'],
      s.coverage.map((k) => [k.column, k.header ?? c.yellow('(absent)'), k.usable, k.share !== null && k.share < 0.5 ? c.yellow(pct(k.share)) : pct(k.share)]),
      opts.color,
      ['left', 'left', 'right', 'right'],
    ),
  );
  if (s.rejects.length) {
    out.push(table(['rejected because', 'rows', 'first on line'], s.rejects.map((r) => [r.reason, r.count, r.firstLine]), opts.color, ['left', 'right', 'right']));
  }
  for (const w of s.warnings) out.push(c.yellow(`warning: ${w}`));
  return `${out.join('\n')}\n`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mdTable(head: string[], rows: (string | number)[][], right: boolean[]): string {
  const lines = [`| ${head.map(mdEscape).join(' | ')} |`, `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map((x) => mdEscape(String(x))).join(' | ')} |`);
  return lines.join('\n');
}

/** Markdown, e.g. for a CI job summary ($GITHUB_STEP_SUMMARY). */
export function renderSummaryMarkdown(s: SummaryData): string {
  const out: string[] = [];
  out.push(`### icp score: ${mdEscape(s.input)}`, '');
  out.push(`Rules \`${mdEscape(s.rules)}\`${s.model ? ` (${mdEscape(s.model)})` : ''}, as of ${s.asOf}.`, '');
  out.push(`Rows read **${s.rowsRead}** = written **${s.rowsWritten}** + rejected **${s.rowsRejected}**.`, '');
  out.push(mdTable(['Tier', 'Leads', 'Share', 'Avg score'], s.tiers.map((t) => [t.label && t.label !== t.name ? `${t.name} (${t.label})` : t.name, t.count, pct(t.share), num(t.avgScore)]), [false, true, true, true]), '');
  if (s.matrix) {
    out.push(mdTable([matrixCorner(s.matrix), ...s.matrix.columns], s.matrix.rows.map((r, i) => [r, ...s.matrix!.counts[i]!]), [false, ...s.matrix.columns.map(() => true)]), '');
  }
  if (s.disqualified.length) {
    out.push(mdTable(['Disqualified by', 'Leads'], s.disqualified.map((d) => [d.reason, d.count]), [false, true]), '');
    if (s.disqualifiedSeveralReasons) out.push(severalReasons(s.disqualifiedSeveralReasons), '');
  }
  if (s.distribution.length) {
    out.push(`Score min ${num(s.score.min)} · mean ${num(s.score.mean)} · max ${num(s.score.max)}`, '');
    out.push(mdTable(['Score', 'Leads'], s.distribution.map((d) => [`${d.from} – ${d.to}`, d.count]), [false, true]), '');
  }
  out.push(mdTable(['Column', 'Header', 'Usable', 'Coverage'], s.coverage.map((k) => [k.column, k.header ?? '(absent)', k.usable, pct(k.share)]), [false, false, true, true]), '');
  if (s.rejects.length) out.push(mdTable(['Rejected because', 'Rows', 'First on line'], s.rejects.map((r) => [r.reason, r.count, r.firstLine]), [false, true, true]), '');
  for (const w of s.warnings) out.push(`> warning: ${mdEscape(w)}`, '');
  return `${out.join('\n')}\n`;
}

export function renderSummary(s: SummaryData, format: SummaryFormat, opts: { color: boolean }): string {
  if (format === 'json') return renderSummaryJson(s);
  if (format === 'markdown') return renderSummaryMarkdown(s);
  return renderSummaryTable(s, opts);
}
