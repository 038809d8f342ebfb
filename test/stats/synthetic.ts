// Seeded synthetic lead exports with a known relationship between attributes and the outcome, for the tests of
// evaluate, calibrate and init --outcome (the real exports may not be copied into the repository).
import { mulberry32 } from '../../src/stats/split.js';

export interface SyntheticOptions {
  rows: number;
  seed: number;
}

const INDUSTRIES = ['Software', 'Fintech', 'Retail', 'Healthcare', 'Education'];
/** Log-odds added by each industry (the known relationship). */
export const INDUSTRY_EFFECT: Record<string, number> = { Software: 1.2, Fintech: 0.8, Retail: -0.6, Healthcare: 0, Education: -1 };

/**
 * Columns: Record ID (unique), Industry (with empty cells and "Select", which converts like Healthcare, unlike
 * empty cells), Employees, Website Visits, Created (dates), Noise (no effect), Stage (Won / Lost / Open) and
 * Converted (yes / no, Open rows "no"). Log-odds = −1.2 + industry + 0.9·[employees ≥ 100] − 0.8·[employees < 10]
 * + 0.15·min(visits, 12) − 0.02·(days since created, up to 60) − 0.9·[industry empty].
 */
export function syntheticCsv({ rows, seed }: SyntheticOptions): string {
  const rnd = mulberry32(seed);
  const lines = ['Record ID,Industry,Employees,Website Visits,Created,Noise,Stage,Converted'];
  const asOf = Date.UTC(2026, 10, 1);
  for (let i = 0; i < rows; i++) {
    const u = rnd();
    const industry = u < 0.08 ? '' : u < 0.16 ? 'Select' : INDUSTRIES[Math.floor(rnd() * INDUSTRIES.length)]!;
    const employees = Math.round(Math.exp(rnd() * 7.5));
    const visits = Math.floor(-Math.log(1 - rnd()) * 5);
    const daysAgo = Math.floor(rnd() * 120);
    const created = new Date(asOf - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const noise = ['red', 'green', 'blue'][Math.floor(rnd() * 3)]!;
    let t = -1.2 + (industry === '' ? -0.9 : industry === 'Select' ? 0 : INDUSTRY_EFFECT[industry]!);
    t += employees >= 100 ? 0.9 : employees < 10 ? -0.8 : 0;
    t += 0.15 * Math.min(visits, 12) - 0.02 * Math.min(daysAgo, 60);
    const won = rnd() < 1 / (1 + Math.exp(-t));
    const open = rnd() < 0.1;
    const stage = open ? 'Open' : won ? 'Won' : 'Lost';
    lines.push([10000 + i, industry, rnd() < 0.05 ? '' : employees, visits, created, noise, stage, !open && won ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A model of the synthetic export written by hand, with one sign wrong (Retail scored up) and crude bands. */
export const HAND_RULES = `# A hand-written model of the synthetic export.
version: 1
name: Synthetic, by hand
id: lead
columns:
  lead: ["Record ID"]
  industry: ["Industry"]
  employees: ["Employees"]
  visits: ["Website Visits"]
  created: ["Created"]

groups:
  fit:        { label: Fit }                    # who they are
  engagement: { label: Engagement }

criteria:
  - id: industry
    group: fit
    column: industry
    in: [Software, Retail]                      # Retail is a guess
    points: 10

  - id: size
    group: fit
    column: employees
    bands:
      ideal:      { gte: 500, points: 10 }
      acceptable: { between: [50, 500], points: 5 }

  - id: visits
    group: engagement
    column: visits
    points_per: 1
    cap: 5

  - id: recent
    group: engagement
    column: created
    within_days: 30
    points: 5

tiers:
  - { name: A, min: 20 }
  - { name: B, min: 10 }
  - { name: C }
`;
