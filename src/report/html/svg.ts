// Inline SVG charts for the HTML report: pure functions from data to markup, no library, no script, no network.
//
// Decisions: charts are generated here rather than by a bundled charting library, because the report must work
// offline as one file, print, stay small whatever the input (a few kilobytes per chart), and be byte-for-byte
// reproducible for the same run; a library would add ~100–300 KB of script that renders at view time. Every chart
// is an <svg role="img"> with a <title> and <desc>, and the page puts the same numbers in a table beside it.
// Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies), and every series also
// differs in lightness or pattern, with values written on the chart, so a greyscale print still reads.

/** Okabe–Ito colours, by role. */
export const COLORS = {
  primary: '#0072B2',
  secondary: '#E69F00',
  positive: '#009E73',
  negative: '#D55E00',
  muted: '#BBBBBB',
  sky: '#56B4E9',
  ink: '#222222',
  grid: '#DDDDDD',
} as const;

/** Escape text for HTML and SVG content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A number as a chart label: at most 2 decimals, thousands with thin spaces. */
export function fmt(x: number): string {
  const r = Math.round(x * 100) / 100;
  const [i, f] = String(Math.abs(r)).split('.');
  const grouped = i!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
  return `${r < 0 ? '−' : ''}${grouped}${f ? `.${f}` : ''}`;
}

export const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

/** Coordinates rounded to 0.1 px: smaller markup, the same picture, stable text. */
const n = (x: number): string => String(Math.round(x * 10) / 10);

let uid = 0;
/** Reset the id counter (one page = one sequence, so the same data gives the same page). */
export function resetIds(): void {
  uid = 0;
}
const nextId = (p: string): string => `${p}${++uid}`;

function frame(width: number, height: number, title: string, desc: string, body: string): string {
  const t = nextId('t');
  const d = nextId('d');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="${t} ${d}"><title id="${t}">${esc(title)}</title><desc id="${d}">${esc(desc)}</desc>${body}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Text written after the bar (default: the value). */
  note?: string;
  color?: string;
}

/** Horizontal bars, one per item, labelled on the left, value written after the bar. */
export function barChart(items: readonly Bar[], o: { title: string; desc: string; width?: number; max?: number }): string {
  const width = o.width ?? 640;
  const labelW = Math.min(220, Math.max(60, ...items.map((i) => i.label.length * 7 + 10)));
  const row = 24;
  const height = Math.max(1, items.length) * row + 8;
  const max = o.max ?? Math.max(1e-9, ...items.map((i) => i.value));
  const plot = width - labelW - 110;
  let body = '';
  items.forEach((it, k) => {
    const y = 4 + k * row;
    const w = max > 0 ? Math.max(it.value > 0 ? 1 : 0, (it.value / max) * plot) : 0;
    body += `<text x="${labelW - 6}" y="${n(y + 16)}" text-anchor="end" class="lbl">${esc(truncate(it.label, 32))}</text>`;
    body += `<rect class="bar" x="${labelW}" y="${n(y + 3)}" width="${n(w)}" height="${row - 8}" fill="${it.color ?? COLORS.primary}"><title>${esc(`${it.label}: ${it.note ?? fmt(it.value)}`)}</title></rect>`;
    body += `<text x="${n(labelW + w + 6)}" y="${n(y + 16)}" class="val">${esc(it.note ?? fmt(it.value))}</text>`;
  });
  return frame(width, height, o.title, o.desc, body);
}

/** Vertical bars over consecutive ranges (a histogram), with the range under each bar. */
export function histogram(bins: readonly { from: number; to: number; count: number }[], o: { title: string; desc: string; width?: number; height?: number }): string {
  const width = o.width ?? 640;
  const height = o.height ?? 220;
  const left = 44;
  const bottom = 36;
  const plotH = height - bottom - 14;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = bins.length ? (width - left - 10) / bins.length : 0;
  let body = axisY(left, 14, plotH, max, width);
  bins.forEach((b, k) => {
    const h = (b.count / max) * plotH;
    const x = left + k * bw;
    body += `<rect class="bar" x="${n(x + 1)}" y="${n(14 + plotH - h)}" width="${n(Math.max(1, bw - 2))}" height="${n(h)}" fill="${COLORS.primary}"><title>${esc(`${fmt(b.from)} to ${fmt(b.to)}: ${b.count} leads`)}</title></rect>`;
    if (bins.length <= 16 || k % Math.ceil(bins.length / 16) === 0) {
      body += `<text x="${n(x + bw / 2)}" y="${n(height - bottom + 16)}" text-anchor="middle" class="tick">${esc(fmt(b.from))}</text>`;
    }
  });
  body += `<text x="${n(left + (width - left) / 2)}" y="${height - 4}" text-anchor="middle" class="axis">score</text>`;
  return frame(width, height, o.title, o.desc, body);
}

function axisY(left: number, top: number, h: number, max: number, width: number, format: (v: number) => string = fmt): string {
  let s = '';
  for (const f of [0, 0.5, 1]) {
    const y = top + h - f * h;
    s += `<line x1="${left}" x2="${width - 8}" y1="${n(y)}" y2="${n(y)}" stroke="${COLORS.grid}"/>`;
    s += `<text x="${left - 4}" y="${n(y + 4)}" text-anchor="end" class="tick">${esc(format(max * f))}</text>`;
  }
  return s;
}

/** A heatmap of counts: one cell per row × column, lightness by count, the count written in the cell. */
export function heatmap(rows: readonly string[], cols: readonly string[], counts: readonly (readonly number[])[], o: { title: string; desc: string; rowAxis: string; colAxis: string }): string {
  const cell = 56;
  const left = 90;
  const top = 44;
  const width = left + cols.length * cell + 10;
  const height = top + rows.length * cell + 10;
  const max = Math.max(1, ...counts.flat());
  let body = `<text x="${n(left + (cols.length * cell) / 2)}" y="14" text-anchor="middle" class="axis">${esc(o.colAxis)}</text>`;
  body += `<text x="12" y="${n(top + (rows.length * cell) / 2)}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${n(top + (rows.length * cell) / 2)})">${esc(o.rowAxis)}</text>`;
  cols.forEach((c, j) => (body += `<text x="${n(left + j * cell + cell / 2)}" y="${top - 8}" text-anchor="middle" class="lbl">${esc(truncate(c, 8))}</text>`));
  rows.forEach((r, i) => {
    body += `<text x="${left - 8}" y="${n(top + i * cell + cell / 2 + 4)}" text-anchor="end" class="lbl">${esc(truncate(r, 12))}</text>`;
    cols.forEach((c, j) => {
      const v = counts[i]?.[j] ?? 0;
      const t = v / max;
      body += `<rect class="cell" x="${left + j * cell}" y="${top + i * cell}" width="${cell - 2}" height="${cell - 2}" fill="${mix(t)}"><title>${esc(`${r} × ${c}: ${v}`)}</title></rect>`;
      body += `<text x="${n(left + j * cell + cell / 2 - 1)}" y="${n(top + i * cell + cell / 2 + 4)}" text-anchor="middle" class="${t > 0.55 ? 'val inv' : 'val'}">${fmt(v)}</text>`;
    });
  });
  return frame(width, height, o.title, o.desc, body);
}

/** White → the primary blue by t in [0, 1]: a single-hue ramp, so order survives greyscale. */
function mix(t: number): string {
  const from = [0xf4, 0xf7, 0xfb];
  const to = [0x08, 0x45, 0x94];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * Math.min(1, Math.max(0, t))));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export interface StackPart {
  label: string;
  value: number;
  color: string;
  /** A hatch pattern on top of the colour, so the part still reads in greyscale. */
  hatch?: boolean;
}

/** Horizontal 100 % stacked bars (e.g. matched / not matched / unknown per criterion), with a legend. */
export function stackedBars(items: readonly { label: string; parts: readonly StackPart[] }[], o: { title: string; desc: string; width?: number }): string {
  const width = o.width ?? 640;
  const labelW = 200;
  const row = 22;
  const plot = width - labelW - 20;
  const legend = items[0]?.parts ?? [];
  const height = 30 + items.length * row + 6;
  const hatch = nextId('h');
  let body = `<defs><pattern id="${hatch}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-opacity="0.35" stroke-width="2"/></pattern></defs>`;
  let lx = labelW;
  for (const p of legend) {
    body += `<rect x="${lx}" y="6" width="12" height="12" fill="${p.color}"/>${p.hatch ? `<rect x="${lx}" y="6" width="12" height="12" fill="url(#${hatch})"/>` : ''}<text x="${lx + 16}" y="16" class="tick">${esc(p.label)}</text>`;
    lx += 20 + p.label.length * 7 + 12;
  }
  items.forEach((it, k) => {
    const y = 30 + k * row;
    const total = it.parts.reduce((s, p) => s + p.value, 0) || 1;
    body += `<text x="${labelW - 6}" y="${n(y + 14)}" text-anchor="end" class="lbl">${esc(truncate(it.label, 30))}</text>`;
    let x = labelW;
    for (const p of it.parts) {
      const w = (p.value / total) * plot;
      if (w <= 0) continue;
      const tip = `<title>${esc(`${it.label} — ${p.label}: ${pct(p.value / total)}`)}</title>`;
      body += `<rect class="bar" x="${n(x)}" y="${y + 2}" width="${n(w)}" height="${row - 6}" fill="${p.color}">${tip}</rect>`;
      if (p.hatch) body += `<rect x="${n(x)}" y="${y + 2}" width="${n(w)}" height="${row - 6}" fill="url(#${hatch})"/>`;
      if (w > 34) body += `<text x="${n(x + w / 2)}" y="${n(y + 14)}" text-anchor="middle" class="val${p.color === COLORS.primary ? ' inv' : ''}">${pct(p.value / total, 0)}</text>`;
      x += w;
    }
  });
  return frame(width, height, o.title, o.desc, body);
}

export interface Series {
  name: string;
  points: readonly [number, number][];
  color: string;
  dashed?: boolean;
}

/** Lines on x and y from 0 to 1 (shares), e.g. a gains curve with the diagonal of a random order. */
export function lineChart(series: readonly Series[], o: { title: string; desc: string; xLabel: string; yLabel: string; width?: number; height?: number }): string {
  const width = o.width ?? 420;
  const height = o.height ?? 300;
  const left = 48;
  const top = 12;
  const w = width - left - 14;
  const h = height - top - 44;
  let body = axisY(left, top, h, 1, width, (v) => pct(v, 0));
  for (const f of [0, 0.5, 1]) body += `<text x="${n(left + f * w)}" y="${top + h + 16}" text-anchor="middle" class="tick">${pct(f, 0)}</text>`;
  body += `<text x="${n(left + w / 2)}" y="${height - 14}" text-anchor="middle" class="axis">${esc(o.xLabel)}</text>`;
  body += `<text x="12" y="${n(top + h / 2)}" text-anchor="middle" class="axis" transform="rotate(-90 12 ${n(top + h / 2)})">${esc(o.yLabel)}</text>`;
  let ly = top + 8;
  for (const s of series) {
    const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${n(left + x * w)} ${n(top + h - y * h)}`).join(' ');
    body += `<path class="line" d="${d}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
    for (const [x, y] of s.points) body += `<circle cx="${n(left + x * w)}" cy="${n(top + h - y * h)}" r="3" fill="${s.color}"><title>${esc(`${s.name}: ${pct(x, 0)} → ${pct(y)}`)}</title></circle>`;
    body += `<line x1="${left + 12}" x2="${left + 36}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2.5"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${left + 42}" y="${ly + 4}" class="tick">${esc(s.name)}</text>`;
    ly += 16;
  }
  return frame(width, height, o.title, o.desc, body);
}

/** A value per item with its interval (e.g. conversion per tier with a 95 % Wilson interval), as dots and whiskers. */
export function intervalChart(items: readonly { label: string; value: number | null; low: number | null; high: number | null; note?: string }[], o: { title: string; desc: string; width?: number; reference?: { value: number; label: string } }): string {
  const width = o.width ?? 640;
  const labelW = 160;
  const row = 26;
  const height = 24 + items.length * row + 10;
  const plot = width - labelW - 120;
  const max = Math.max(0.01, ...items.map((i) => i.high ?? i.value ?? 0), o.reference?.value ?? 0);
  const x = (v: number) => labelW + (v / max) * plot;
  let body = '';
  for (const f of [0, 0.5, 1]) body += `<line x1="${n(x(max * f))}" x2="${n(x(max * f))}" y1="16" y2="${height - 6}" stroke="${COLORS.grid}"/><text x="${n(x(max * f))}" y="12" text-anchor="middle" class="tick">${pct(max * f, 0)}</text>`;
  if (o.reference) body += `<line x1="${n(x(o.reference.value))}" x2="${n(x(o.reference.value))}" y1="16" y2="${height - 6}" stroke="${COLORS.secondary}" stroke-dasharray="4 3" stroke-width="2"><title>${esc(o.reference.label)}</title></line>`;
  items.forEach((it, k) => {
    const y = 24 + k * row + row / 2;
    body += `<text x="${labelW - 8}" y="${n(y + 4)}" text-anchor="end" class="lbl">${esc(truncate(it.label, 22))}</text>`;
    if (it.value === null) {
      body += `<text x="${labelW}" y="${n(y + 4)}" class="val">no leads</text>`;
      return;
    }
    if (it.low !== null && it.high !== null) body += `<line class="whisker" x1="${n(x(it.low))}" x2="${n(x(it.high))}" y1="${n(y)}" y2="${n(y)}" stroke="${COLORS.ink}" stroke-width="1.5"/>`;
    body += `<circle class="dot" cx="${n(x(it.value))}" cy="${n(y)}" r="5" fill="${COLORS.primary}"><title>${esc(`${it.label}: ${it.note ?? pct(it.value)}`)}</title></circle>`;
    body += `<text x="${n(x(Math.max(it.value, it.high ?? 0)) + 8)}" y="${n(y + 4)}" class="val">${esc(it.note ?? pct(it.value))}</text>`;
  });
  return frame(width, height, o.title, o.desc, body);
}

function truncate(s: string, max: number): string {
  const cps = [...s];
  return cps.length <= max ? s : `${cps.slice(0, max - 1).join('')}…`;
}
