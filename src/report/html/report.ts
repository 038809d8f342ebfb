// `icp report`: one self-contained HTML page of a run, as a pure function of the run's aggregates (no rows).
import type { LeadsDiff } from '../../diff/compare.js';
import { whyMoved } from '../../diff/compare.js';
import type { RulesChange } from '../../diff/rules-change.js';
import type { SummaryData } from '../stats.js';
import type { EvaluationReport } from '../../stats/evaluation.js';
import { barChart, COLORS, esc, fmt, heatmap, histogram, intervalChart, lineChart, pct, resetIds, stackedBars } from './svg.js';

/** How often one criterion matched, did not, or was unknown over the scored leads, and what it added on average. */
export interface CriterionHits {
  id: string;
  label: string;
  group: string;
  matched: number;
  notMatched: number;
  unknown: number;
  /** Mean contribution to the score over all scored leads, in points. */
  meanContribution: number;
}

/** The best-scoring leads of one tier (the report shows at most a few per tier). */
export interface TopLeads {
  tier: string;
  label: string | null;
  /** Leads in this tier in the whole input. */
  total: number;
  leads: { id: string; line: number; score: number; reasons: string }[];
}

/** `icp evaluate`'s report, as the page shows it (the same data, rendered twice). */
export type EvaluationView = EvaluationReport;

/** Everything the page shows. JSON-safe; bounded in size whatever the input. */
export interface ReportData {
  title: string;
  version: string;
  rules: string;
  input: string;
  asOf: string;
  summary: SummaryData;
  criteria: CriterionHits[];
  topLeads: TopLeads[];
  evaluation: (EvaluationView & { outcome: string }) | null;
  diff: { base: string; changes: RulesChange[]; leads: LeadsDiff } | null;
}

const STYLE = `
:root{color-scheme:light;--ink:#222;--muted:#666;--line:#ddd;--accent:${COLORS.primary}}
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1040px;margin:0 auto;padding:24px 20px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:12px 0;color:var(--muted)}.meta dt{font-weight:600;color:var(--ink)}.meta dd{margin:0}
.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.kpi{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:130px}.kpi b{display:block;font-size:22px}
figure{margin:10px 0 18px}figcaption{color:var(--muted);font-size:13px;margin-top:2px}
svg.chart{max-width:100%;height:auto;font-size:12px}svg .lbl{fill:var(--ink)}svg .val{fill:var(--ink);font-weight:600}svg .val.inv{fill:#fff}svg .tick,svg .axis{fill:var(--muted)}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13.5px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f7f9}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer}table.sortable th[aria-sort=ascending]::after{content:" ▲"}table.sortable th[aria-sort=descending]::after{content:" ▼"}
input[type=search]{padding:6px 10px;border:1px solid #bbb;border-radius:4px;width:min(360px,100%)}
details summary{cursor:pointer;color:var(--accent)}.warn{background:#fff4e5;border-left:4px solid ${COLORS.secondary};padding:6px 10px;margin:6px 0}
.note{color:var(--muted);font-size:13px}
@media print{body{font-size:11px}main{max-width:none;padding:0}h2{break-after:avoid}figure,table{break-inside:avoid}input[type=search],.noprint{display:none}details{display:block}details>*{display:block}}
`;

// Filter and sort for the lead tables: plain DOM, no library, nothing fetched.
const SCRIPT = `
document.querySelectorAll('input[data-filter]').forEach(function(box){var t=document.getElementById(box.getAttribute('data-filter'));box.addEventListener('input',function(){var q=box.value.toLowerCase();t.querySelectorAll('tbody tr').forEach(function(r){r.hidden=q!==''&&r.textContent.toLowerCase().indexOf(q)<0;});});});
document.querySelectorAll('table.sortable').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){th.tabIndex=0;function go(){var asc=th.getAttribute('aria-sort')!=='ascending';t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');var b=t.tBodies[0];var rows=Array.prototype.slice.call(b.rows);var num=th.classList.contains('n');rows.sort(function(x,y){var a=x.cells[i].textContent,c=y.cells[i].textContent;var r=num?parseFloat(a.replace(/[^0-9.-]/g,''))-parseFloat(c.replace(/[^0-9.-]/g,'')):a.localeCompare(c);return asc?r:-r;});rows.forEach(function(r){b.appendChild(r);});}th.addEventListener('click',go);th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});});});
`;

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], o: { numeric?: readonly boolean[]; id?: string; sortable?: boolean; caption?: string } = {}): string {
  const cls = (i: number) => (o.numeric?.[i] ? ' class="n"' : '');
  const cell = (v: string | number, i: number) => `<td${cls(i)}>${typeof v === 'number' ? fmt(v) : esc(v)}</td>`;
  return `<table${o.id ? ` id="${o.id}"` : ''}${o.sortable ? ' class="sortable"' : ''}>${o.caption ? `<caption class="note">${esc(o.caption)}</caption>` : ''}<thead><tr>${head.map((h, i) => `<th scope="col"${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

function figure(svg: string, caption: string, data?: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}</figcaption>${data ? `<details class="noprint-data"><summary>the numbers</summary>${data}</details>` : ''}</figure>`;
}

function section(id: string, title: string, body: string): string {
  return `<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${esc(title)}</h2>${body}</section>`;
}

/** The whole page. Deterministic: the same data gives the same bytes (no dates, no random ids). */
export function renderReportHtml(d: ReportData): string {
  resetIds();
  const s = d.summary;
  const scored = s.rowsWritten;
  const parts: string[] = [];

  parts.push(`<header><h1>${esc(d.title)}</h1><p class="note">Lead scoring report by icp ${esc(d.version)}</p>
<dl class="meta"><dt>rules</dt><dd>${esc(d.rules)}${s.model ? ` (${esc(s.model)})` : ''}</dd><dt>input</dt><dd>${esc(d.input)}</dd><dt>as of</dt><dd>${esc(d.asOf)}</dd>
<dt>rows</dt><dd>read ${fmt(s.rowsRead)} = written ${fmt(s.rowsWritten)} + rejected ${fmt(s.rowsRejected)}</dd></dl>
<div class="kpis">${kpi('leads scored', fmt(scored))}${kpi('mean score', s.score.mean === null ? '–' : fmt(s.score.mean))}${s.tiers[0] ? kpi(`in tier ${s.tiers[0].name}`, pct(s.tiers[0].share)) : ''}${d.evaluation ? kpi(`ROC AUC vs ${d.evaluation.outcome}`, d.evaluation.auc === null ? '–' : d.evaluation.auc.toFixed(3)) : ''}${d.diff ? kpi(`changed tier vs base`, pct(d.diff.leads.changedShare)) : ''}</div></header>`);

  const tierBars = s.tiers.map((t) => ({ label: t.label && t.label !== t.name ? `${t.name} (${t.label})` : t.name, value: t.count, note: `${fmt(t.count)} · ${pct(t.share)}`, color: t.label === 'disqualified' ? COLORS.negative : COLORS.primary }));
  let tiers = figure(barChart(tierBars, { title: 'Leads per tier', desc: s.tiers.map((t) => `${t.name}: ${t.count} leads (${pct(t.share)})`).join('; ') }), 'Leads per tier, best first; disqualified leads last.', table(['tier', 'leads', 'share', 'avg score'], s.tiers.map((t) => [t.name, t.count, pct(t.share), t.avgScore === null ? '–' : t.avgScore]), { numeric: [false, true, true, true] }));
  if (s.matrix) {
    const m = s.matrix as NonNullable<SummaryData['matrix']> & { rowGroup?: string; columnGroup?: string };
    tiers += figure(
      heatmap(m.rows, m.columns, m.counts, { title: 'Tier matrix', desc: m.rows.map((r, i) => m.columns.map((c, j) => `${r}${c}: ${m.counts[i]![j]}`).join(', ')).join('; '), rowAxis: m.rowGroup ?? 'rows', colAxis: m.columnGroup ?? 'columns' }),
      `Leads per matrix cell (${m.rowGroup ?? 'rows'} × ${m.columnGroup ?? 'columns'}); disqualified leads are not in the matrix.`,
    );
  }
  parts.push(section('tiers', 'Tiers', tiers));

  parts.push(
    section(
      'scores',
      'Score distribution',
      `<p>min ${s.score.min === null ? '–' : fmt(s.score.min)} · mean ${s.score.mean === null ? '–' : fmt(s.score.mean)} · max ${s.score.max === null ? '–' : fmt(s.score.max)}</p>` +
        figure(histogram(s.distribution, { title: 'Score distribution', desc: s.distribution.map((b) => `${fmt(b.from)} to ${fmt(b.to)}: ${b.count}`).join('; ') }), 'Leads per score range.', table(['from', 'to', 'leads'], s.distribution.map((b) => [b.from, b.to, b.count]), { numeric: [true, true, true] })),
    ),
  );

  if (d.criteria.length) {
    const items = d.criteria.map((c) => ({
      label: c.label,
      parts: [
        { label: 'matched', value: c.matched, color: COLORS.primary },
        { label: 'not matched', value: c.notMatched, color: COLORS.muted },
        { label: 'unknown', value: c.unknown, color: COLORS.secondary, hatch: true },
      ],
    }));
    parts.push(
      section(
        'criteria',
        'What drives the scores',
        figure(stackedBars(items, { title: 'Criteria: matched, not matched, unknown', desc: d.criteria.map((c) => `${c.label}: ${c.matched} matched, ${c.notMatched} not, ${c.unknown} unknown`).join('; ') }), 'Share of scored leads each criterion matched (blue), did not match (grey) or could not tell (orange, hatched).') +
          table(['criterion', 'group', 'matched', 'not matched', 'unknown', 'avg points'], [...d.criteria].sort((a, b) => Math.abs(b.meanContribution) - Math.abs(a.meanContribution)).map((c) => [c.label, c.group, pct(share(c.matched, scored)), pct(share(c.notMatched, scored)), pct(share(c.unknown, scored)), c.meanContribution]), { numeric: [false, false, true, true, true, true], sortable: true, caption: 'Sorted by average contribution to the score (largest first).' }),
      ),
    );
  }

  const cov = [...s.coverage].sort((a, b) => (a.share ?? -1) - (b.share ?? -1));
  parts.push(
    section(
      'coverage',
      'Column coverage',
      figure(barChart(cov.map((c) => ({ label: c.column, value: c.share ?? 0, note: c.share === null ? 'absent' : pct(c.share), color: (c.share ?? 0) < 0.5 ? COLORS.negative : COLORS.primary })), { title: 'Column coverage, worst first', desc: cov.map((c) => `${c.column}: ${c.share === null ? 'absent' : pct(c.share)}`).join('; '), max: 1 }), 'Share of rows where the column is present and reads as the rules need; below 50 % in vermillion.', table(['column', 'header', 'usable', 'coverage'], cov.map((c) => [c.column, c.header ?? '(absent)', c.usable, c.share === null ? '–' : pct(c.share)]), { numeric: [false, false, true, true] })),
    ),
  );

  if (s.disqualified.length) {
    parts.push(section('disqualified', 'Disqualified by reason', figure(barChart(s.disqualified.map((q) => ({ label: q.reason, value: q.count, color: COLORS.negative })), { title: 'Disqualified leads by reason', desc: s.disqualified.map((q) => `${q.reason}: ${q.count}`).join('; ') }), 'A lead can have several reasons; it counts once under each.')));
  }

  if (d.topLeads.length) {
    const rows = d.topLeads.flatMap((t) => t.leads.map((l) => [t.tier, l.id, l.score, l.reasons, l.line] as (string | number)[]));
    const shown = d.topLeads.map((t) => `${t.tier}: ${t.leads.length} of ${fmt(t.total)}`).join(', ');
    parts.push(section('leads', 'Top leads per tier', `<p class="note">The best-scoring leads of each tier (${esc(shown)}). Click a column to sort.</p><label>Search leads <input type="search" data-filter="lead-table" placeholder="id, tier or reason"></label>${table(['tier', 'lead', 'score', 'reasons', 'line'], rows, { numeric: [false, false, true, false, true], id: 'lead-table', sortable: true })}`));
  }

  if (d.evaluation) parts.push(evaluationSection(d.evaluation));
  if (d.diff) parts.push(diffSection(d.diff));
  if (s.rejects.length) parts.push(section('rejects', 'Rows that could not be read', table(['reason', 'rows'], s.rejects.map((r) => [r.reason, r.count]), { numeric: [false, true] })));
  if (s.warnings.length) parts.push(section('warnings', 'Warnings', s.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join('')));

  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(d.title)} — icp report</title><style>${STYLE}</style></head>
<body><main>${parts.join('\n')}</main><script>${SCRIPT}</script></body></html>
`;
}

const share = (k: number, total: number): number => (total ? k / total : 0);
const kpi = (label: string, value: string): string => `<div class="kpi"><b>${esc(value)}</b>${esc(label)}</div>`;

function evaluationSection(e: EvaluationView & { outcome: string }): string {
  let body = `<p>${fmt(e.rows)} leads with a known outcome, ${fmt(e.positives)} positive (base rate ${e.baseRate === null ? '–' : pct(e.baseRate)}). ROC AUC ${e.auc === null ? '–' : e.auc.toFixed(3)} · Gini ${e.gini === null ? '–' : e.gini.toFixed(3)} · KS ${e.ks === null ? '–' : e.ks.toFixed(3)}.</p>`;
  for (const w of e.warnings) body += `<p class="warn">${esc(w.message)}</p>`;
  const curve: [number, number][] = [[0, 0], ...e.gains.map((g) => [g.top, g.gain] as [number, number])];
  if (!e.gains.some((g) => g.top === 1)) curve.push([1, 1]);
  body += `<h3>Gains</h3>${figure(
    lineChart(
      [
        { name: 'this model', points: curve, color: COLORS.primary },
        { name: 'random order', points: [[0, 0], [1, 1]], color: COLORS.secondary, dashed: true },
      ],
      { title: 'Gains: share of positives found in the top share of scores', desc: e.gains.map((g) => `top ${pct(g.top, 0)}: ${pct(g.gain)} of positives, lift ${g.lift.toFixed(2)}`).join('; '), xLabel: 'top share of leads by score', yLabel: 'share of positives found' },
    ),
    'The higher the curve above the diagonal, the better the order.',
    table(['top', 'leads', 'positives', 'found', 'lift'], e.gains.map((g) => [pct(g.top, 0), g.rows, g.positives, pct(g.gain), g.lift.toFixed(2)]), { numeric: [true, true, true, true, true] }),
  )}`;
  body += `<h3>Conversion per tier</h3>${figure(
    intervalChart(e.tiers.map((t) => ({ label: t.label && t.label !== t.tier ? `${t.tier} (${t.label})` : t.tier, value: t.conversion, low: t.interval?.[0] ?? null, high: t.interval?.[1] ?? null, note: t.conversion === null ? undefined : `${pct(t.conversion)} (${t.positives}/${t.leads})` })), { title: 'Conversion per tier with 95 % intervals', desc: e.tiers.map((t) => `${t.tier}: ${t.conversion === null ? 'no leads' : pct(t.conversion)}`).join('; '), reference: e.baseRate === null ? undefined : { value: e.baseRate, label: `base rate ${pct(e.baseRate)}` } }),
    'Dots: conversion; whiskers: 95 % Wilson interval; dashed line: the base rate.',
  )}`;
  body += `<h3>Calibration by score decile</h3>${figure(
    intervalChart(e.deciles.map((q) => ({ label: q.minScore === null ? `decile ${q.decile} (disqualified)` : `decile ${q.decile} (${fmt(q.minScore)}–${q.maxScore === null ? '–' : fmt(q.maxScore)})`, value: q.leads ? q.conversion : null, low: null, high: null, note: `${pct(q.conversion)} (${q.positives}/${q.leads})` })), { title: 'Conversion per score decile', desc: e.deciles.map((q) => `decile ${q.decile}: ${pct(q.conversion)}`).join('; ') }),
    'Decile 1 holds the highest scores (disqualified leads rank last): conversion should fall from the top down.',
  )}`;
  const rows = e.criteria.flatMap((c) => c.levels.map((l, i) => [i === 0 ? c.label : '', l.level, pct(l.share), l.conversion === null ? '–' : pct(l.conversion), l.woe, l.points === null ? '–' : l.points, i === 0 ? `${c.iv.toFixed(3)} (${c.strength})` : '', i === 0 ? c.flags.map((f) => f.message).join(' ') : ''] as (string | number)[]));
  body += `<h3>Evidence per criterion</h3>${table(['criterion', 'level', 'share', 'conversion', 'WoE', 'avg points', 'IV', 'flags'], rows, { numeric: [false, false, true, true, true, true, false, false] })}`;
  return section('outcome', `Against outcomes (${e.outcome})`, body);
}

function diffSection(d: NonNullable<ReportData['diff']>): string {
  const l = d.leads;
  const after = l.tiersAfter.map((t) => t.tier);
  const before = l.tiersBefore.map((t) => t.tier);
  let body = `<p>Against <code>${esc(d.base)}</code>: ${fmt(l.changedTier)} of ${fmt(l.leads)} leads changed tier (${pct(l.changedShare)}); score change mean ${l.scoreDelta.mean === null ? '–' : fmt(l.scoreDelta.mean)}, ${fmt(l.scoreDelta.up)} up, ${fmt(l.scoreDelta.down)} down.</p>`;
  body += figure(
    heatmap(before, after, before.map((b) => after.map((a) => l.transitions[b]?.[a] ?? 0)), { title: 'Tier transitions', desc: before.map((b) => after.map((a) => `${b}→${a}: ${l.transitions[b]?.[a] ?? 0}`).join(', ')).join('; '), rowAxis: 'before', colAxis: 'after' }),
    'Leads per tier before (rows) and after (columns) the change; the diagonal did not move.',
  );
  if (d.changes.length) body += `<h3>The rules change</h3><ul>${d.changes.slice(0, 40).map((c) => `<li>${esc(c.text)}</li>`).join('')}${d.changes.length > 40 ? `<li>and ${d.changes.length - 40} more</li>` : ''}</ul>`;
  if (l.moverGroups.length) body += `<h3>Movers by cause</h3><ul>${l.moverGroups.slice(0, 25).map((g) => `<li>${esc(g.text)}</li>`).join('')}${l.moverGroups.length > 25 ? `<li>and ${l.moverGroups.length - 25} more groups</li>` : ''}</ul>`;
  if (l.movers.length) {
    body += `<h3>Leads that changed tier</h3>${table(['lead', 'before', 'after', 'why'], l.movers.slice(0, 50).map((m) => [m.id, `${m.before.tier} ${fmt(m.before.score)}`, `${m.after.tier} ${fmt(m.after.score)}`, whyMoved(m, 2)]), { sortable: true, caption: l.moversNotShown ? `The first ${l.movers.length} of ${l.changedTier}.` : undefined })}`;
  }
  return section('diff', 'Against the base rules', body);
}
