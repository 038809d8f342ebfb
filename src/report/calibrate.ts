// Pure renderers of a calibration: the old and the new model side by side, on the training and held-out rows.
import { Chalk } from 'chalk';
import Table from 'cli-table3';

export interface ModelSummary {
  rows: number;
  positives: number;
  auc: number | null;
  gini: number | null;
  ks: number | null;
  liftTop10: number | null;
  tiers: { tier: string; leads: number; conversion: number | null }[];
}

export interface CalibrateReport {
  input: string;
  rules: string;
  output: string;
  pdo: number;
  prior: number;
  /** The scale: score = offset + factor × ln(odds); base and offset only with --base (else 0 points = intercept). */
  scale: { pdo: number; factor: number; intercept: number; base?: number; baseOdds?: number; offset?: number };
  tierMethod: 'shares' | 'conversion';
  /** Per tier on the training leads (not disqualified): its new min, leads, conversion, target and whether met. */
  tiers: {
    tier: string;
    min: number | null;
    leads: number;
    positives: number;
    conversion: number | null;
    interval: [number, number] | null;
    targetShare?: number;
    targetConversion?: number | null;
    met: boolean;
  }[];
  train: { share: number; seed: number; rows: number; positives: number } | null;
  training: { old: ModelSummary; new: ModelSummary };
  heldOut: { old: ModelSummary; new: ModelSummary } | null;
  criteria: { id: string; iv: number; coefficient: number; dropped: boolean }[];
  notes: string[];
}

const dec = (x: number | null, d = 3) => (x === null ? '–' : x.toFixed(d));
const pct = (x: number | null) => (x === null ? '–' : `${(x * 100).toFixed(1)}%`);

function tidy(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toFixed(6));
  if (Array.isArray(v)) return v.map(tidy);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tidy(x)]));
  return v;
}

export function renderCalibrate(r: CalibrateReport, format: 'table' | 'json', opts: { color: boolean }): string {
  if (format === 'json') return `${JSON.stringify(tidy(r), null, 2)}\n`;
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  out.push(`${c.bold('icp calibrate')} ${r.input} — ${r.rules} → ${r.output} (PDO ${r.pdo}, prior ${r.prior})`);
  const part = (name: string, p: { old: ModelSummary; new: ModelSummary }) => {
    const t = new Table({ head: [c.bold(name), c.bold('old'), c.bold('new')], style: { head: [], border: [], compact: true }, colAligns: ['left', 'right', 'right'] });
    const better = (a: number | null, b: number | null) => (a !== null && b !== null && b > a ? c.green(dec(b)) : dec(b));
    t.push(['rows (positive)', `${p.old.rows} (${p.old.positives})`, `${p.new.rows} (${p.new.positives})`]);
    t.push(['ROC AUC', dec(p.old.auc), better(p.old.auc, p.new.auc)]);
    t.push(['Gini', dec(p.old.gini), dec(p.new.gini)]);
    t.push(['KS', dec(p.old.ks), dec(p.new.ks)]);
    t.push(['lift, top 10%', dec(p.old.liftTop10, 2), dec(p.new.liftTop10, 2)]);
    p.old.tiers.forEach((o, i) => {
      const n = p.new.tiers[i]!;
      t.push([`tier ${o.tier}: leads, won`, `${o.leads}, ${pct(o.conversion)}`, `${n.leads}, ${pct(n.conversion)}`]);
    });
    return t.toString();
  };
  if (r.heldOut) out.push(part(`held out (${Math.round((1 - r.train!.share) * 100)}%, seed ${r.train!.seed})`, r.heldOut));
  out.push(part(r.train ? 'training' : 'in sample (no --train: optimistic)', r.training));
  for (const n of r.notes) out.push(c.yellow(`note: ${n}`));
  return `${out.join('\n')}\n`;
}
