// Pure renderers of one lead's evaluation trace: a readable table for people, JSON for scripts.
import { Chalk } from 'chalk';
import type { CriterionTrace, DisqualifierTrace, GroupTrace, InputTrace, LeadTrace } from '../engine/trace.js';
import { displayWidth, padEnd, padStart } from './width.js';

export type ExplainFormat = 'text' | 'json';

/** Longest cell text shown in the text table; JSON always has the whole value. */
const MAX_CELL = 32;

/**
 * JSON: the trace itself, one compact line per lead — the very object `icp score --format jsonl`
 * writes for that lead, so scripts can rely on one shape. Key order is the trace's, hence stable.
 */
export function renderExplainJson(trace: LeadTrace): string {
  return `${JSON.stringify(trace)}\n`;
}

/** `15` → "+15", `-5` → "-5", `0` → "0". */
export function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A cell value as it appears in the file, quoted, escaped and shortened for one table cell. */
function shown(raw: string): string {
  const q = JSON.stringify(raw);
  if (displayWidth(q) <= MAX_CELL) return q;
  return `${[...q].slice(0, MAX_CELL - 2).join('')}…"`;
}

/** "employees "1,200" → 1200", "industry (empty)", "tags (column absent)", "employees "50-100" (unparseable)". */
export function describeInput(i: InputTrace): string {
  if (i.raw === null) return `${i.column} (column absent)`;
  if (i.status === 'missing') return i.raw.trim() === '' ? `${i.column} (empty)` : `${i.column} ${shown(i.raw)} (missing)`;
  if (i.status === 'unparseable') return `${i.column} ${shown(i.raw)} (unparseable)`;
  const raw = i.raw.trim();
  const p = i.parsed;
  // Show the parsed value only when reading it changed something beyond case and spacing.
  const same = typeof p === 'string' ? p === raw.toLowerCase().replace(/\s+/g, ' ') : typeof p === 'number' ? String(p) === raw : false;
  return same || p === null ? `${i.column} ${shown(i.raw)}` : `${i.column} ${shown(i.raw)} → ${String(p)}`;
}

/** The rule column: the condition, the band matched, or the per-unit rate. */
function ruleText(c: CriterionTrace): string {
  if (c.kind === 'bands') {
    if (c.band !== null) {
      // condition lists every band as "label: condition → points"; show the matched one.
      const part = c.condition.split('; ').find((p) => p.startsWith(`${c.band}: `));
      return part ? part.replace(/ → -?[\d.]+$/, '') : c.band;
    }
    return c.outcome === 'unknown' ? 'bands: value unknown' : 'no band matched';
  }
  return c.condition;
}

/** How the points came about: base × weight × decay, cap, unknown policy, group multiplier. */
function calcText(c: CriterionTrace, g: GroupTrace | undefined): string {
  let s = '';
  if (c.outcome === 'unknown') s = `unknown → ${c.unknown_policy ?? 'zero'}`;
  else {
    const steps: string[] = [];
    if (c.weight !== 1) steps.push(`× weight ${c.weight}`);
    if (c.decay && c.decay.factor !== 1) steps.push(`× decay ${Math.round(c.decay.factor * 1000) / 1000} (${c.decay.days} d)`);
    // Nothing to show for a criterion that gave nothing (an unmatched condition is 0 × anything).
    if ((steps.length || c.capped) && !(c.base === 0 && c.points === 0)) {
      s = `${c.base} ${steps.join(' ')}`.trim();
      if (c.capped) s += ` → ${c.cap !== null && c.points === c.cap ? 'cap' : 'floor'} ${c.points}`;
      else s += ` = ${c.points}`;
    }
  }
  if (g && g.multiplier !== 1 && c.points !== 0) s = `${s ? `${s} ` : `${c.points} `}× ${g.multiplier}`;
  return s;
}

type Cells = [mark: string, label: string, points: string, value: string, calc: string, rule: string];
type Line = { cells: Cells } | { text: string; points?: string };

/**
 * Text: the lead's score and tier, then one row per criterion (contribution, value seen, arithmetic,
 * condition or band), each group's cap and subtotal, the disqualifiers, the sum that makes
 * the score, and the distance to the next tier up.
 */
export function renderExplainText(t: LeadTrace, opts: { color: boolean }): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const pts = (n: number): string => (n > 0 ? c.green(signed(n)) : n < 0 ? c.red(signed(n)) : c.dim('0'));
  const mark = (o: CriterionTrace['outcome']): string => (o === 'matched' ? c.green('✓') : o === 'unknown' ? c.yellow('?') : c.dim('·'));
  const tierText = t.disqualified ? c.red.bold(t.tier) : c.bold(t.tier_label ? `${t.tier} (${t.tier_label})` : t.tier);

  const out: string[] = [];
  out.push(`${c.bold(`lead ${t.id}`)}${t.line !== undefined ? ` · line ${t.line}` : ''} · as of ${t.as_of ?? 'unknown (no date in the --as-of-column)'}`);
  out.push(`score ${c.bold(String(t.score))} · tier ${tierText}${t.matrix !== null ? ` · matrix ${c.bold(t.matrix)}` : ''}`);
  out.push('');

  const lines: Line[] = [];
  for (const g of t.groups) {
    const crits = t.criteria.filter((x) => x.group === g.id);
    const facts = [`weight ${g.weight}`];
    if (g.cap !== null) facts.push(`cap ${g.cap}`);
    if (g.floor !== null) facts.push(`floor ${g.floor}`);
    if (g.multiplier !== g.weight) facts.push(`× ${g.multiplier} per point in the score`);
    lines.push({ text: `${c.bold(g.id)}${g.label !== g.id ? ` — ${g.label}` : ''} ${c.dim(`(${facts.join(', ')})`)}` });
    for (const x of crits) {
      const label = x.band !== null ? `${x.label}: ${x.band}` : x.label;
      lines.push({
        cells: [
          mark(x.outcome),
          x.outcome === 'unknown' ? c.yellow(label) : label,
          pts(x.contribution),
          shownInputs(x).map(describeInput).join('; '),
          x.outcome === 'unknown' ? c.yellow(calcText(x, g)) : calcText(x, g),
          ruleText(x),
        ],
      });
    }
    if (g.adjustment !== 0) {
      const why = g.adjustment < 0 ? `capped at ${g.cap}` : `raised to the floor ${g.floor}`;
      lines.push({ text: `    subtotal ${g.raw}, ${why}`, points: pts(g.adjustment_contribution) });
    }
    const mult = g.multiplier !== 1 ? ` × ${g.multiplier}` : '';
    lines.push({ text: `    ${c.bold(`= ${g.id} ${g.subtotal}`)}${mult}`, points: c.bold(signed(g.contribution)) });
  }
  if (t.disqualifiers.length) {
    lines.push({ text: c.bold('disqualifiers') });
    for (const d of t.disqualifiers) lines.push({ cells: dqCells(d, c) });
  }
  out.push(...layout(lines));
  out.push('');

  const sum = t.groups.map((g, i) => `${i === 0 ? '' : g.contribution < 0 ? '- ' : '+ '}${g.id} ${i === 0 ? g.contribution : Math.abs(g.contribution)}`).join(' ');
  out.push(`score ${c.bold(String(t.score))} = ${sum}`);
  if (t.disqualified) out.push(`tier ${tierText}: disqualified — ${t.disqualified_reasons.join('; ')} (the score is kept for reference)`);
  else out.push(`tier ${tierText}${t.next_tier === null ? ' — the top tier' : ''}`);
  if (t.next_tier) {
    const n = t.next_tier;
    const how = n.candidates.length
      ? n.candidates.map((k) => `${k.label} (+${k.gain})`).join(', ')
      : 'no criterion left can close the gap';
    out.push(`${c.cyan(`+${n.gap} to reach ${n.name}`)}: ${how}`);
  }
  if (t.reasons) out.push(`reasons: ${t.reasons}`);
  return `${out.join('\n')}\n`;
}

function dqCells(d: DisqualifierTrace, c: InstanceType<typeof Chalk>): Cells {
  const m = d.outcome === 'matched' ? c.red('✗') : d.outcome === 'unknown' ? c.yellow('?') : c.dim('·');
  const verdict = d.outcome === 'matched' ? c.red('disqualifies') : d.outcome === 'unknown' ? c.yellow('unknown: does not disqualify') : '';
  return [m, d.outcome === 'matched' ? c.red(d.reason) : d.reason, '', d.inputs.map(describeInput).join('; '), verdict, d.condition];
}

/** Align the cell rows in columns; free-text rows (subtotals) put their points in the points column. */
function layout(lines: Line[]): string[] {
  const w = [0, 0, 0, 0, 0, 0];
  for (const l of lines) if ('cells' in l) l.cells.forEach((s, i) => (w[i] = Math.max(w[i]!, displayWidth(s))));
  for (const l of lines) if (!('cells' in l) && l.points !== undefined) w[1] = Math.max(w[1]!, displayWidth(l.text) - 4);
  const out: string[] = [];
  for (const l of lines) {
    if ('cells' in l) {
      // The condition, the longest cell, goes last so that long rules do not push the rest apart.
      const [m, label, p, value, calc, rule] = l.cells;
      out.push(`  ${m} ${padEnd(label, w[1]!)}  ${padStart(p, w[2]!)}  ${padEnd(value, w[3]!)}  ${padEnd(calc, w[4]!)}  ${rule}`.trimEnd());
    } else if (l.points !== undefined) {
      // "    subtotal …" starts where the marks are; its number lines up with the criteria's points.
      out.push(`${padEnd(l.text, 4 + w[1]!)}  ${padStart(l.points, w[2]!)}`);
    } else out.push(l.text);
  }
  return out;
}

/**
 * The inputs worth showing in the table: those the condition reads, and any other (the decay date)
 * only when it is what made the criterion unknown. JSON keeps them all.
 */
function shownInputs(c: CriterionTrace): InputTrace[] {
  const read = c.inputs.filter((i) => new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(i.column)}($|[^\\p{L}\\p{N}_])`, 'u').test(c.condition) || (c.outcome === 'unknown' && i.status !== 'ok'));
  return read.length ? read : c.inputs;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Render in the requested format. */
export function renderExplain(trace: LeadTrace, format: ExplainFormat, opts: { color: boolean }): string {
  return format === 'json' ? renderExplainJson(trace) : renderExplainText(trace, opts);
}
