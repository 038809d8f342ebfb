// examples/bant.csv: a lead export with the four BANT answers a sales team records, for rules/bant.yaml —
// budget amounts in the forms people type, approval, buying role, pain points (several to a cell), need, purchase
// timeline and decision date. Leads differ by one hidden readiness that moves the four answers together, so
// the example spans every tier; a share of answers is not yet asked (blank), which the template scores neutral.
import { AS_OF, DAY, csvField, helpers, iso, mulberry32 } from './random.mjs';

export const file = 'examples/bant.csv';
export const defaultRows = 200;

export function generate(rows) {
  const rand = mulberry32(20261103);
  const { pick, chance, int, normal } = helpers(rand);
  const companies = ['Acme Analytics', 'Northwind Pay', 'Globex Cloud', 'Initech Software', 'Umbrella Health', 'Stark Logistics', 'Wayne Fintech', 'Hooli', 'Tyrell Systems', 'Pied Piper', 'Aperture Labs', 'Massive Dynamic'];
  const titles = [['Intern', 'Office Manager', 'Assistant to the CEO'], ['Analyst', 'Marketing Manager', 'IT Manager'], ['Head of Operations', 'Director of Finance', 'VP Sales'], ['CFO', 'CEO', 'Founder', 'Chief Operating Officer']];
  const roles = [['Gatekeeper', 'Assistant', ''], ['Influencer', 'Champion', 'Evaluator'], ['Technical Buyer', 'Influencer', 'Decision-Maker'], ['Decision Maker', 'Economic Buyer', 'Signer']];
  const pains = ['manual reporting', 'slow onboarding', 'compliance audits', 'churn', 'data silos', 'pricing pressure', 'security reviews'];
  const timelines = [['No plan', '12+ months', 'Unknown timeline'], ['6-12 months', 'This year'], ['3-6 months', 'This year'], ['0-3 months', 'This quarter', 'Immediately']];
  const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));
  const level = (r) => clamp(Math.round(1.5 + r + 0.8 * normal()), 0, 3);

  function budget(v) {
    const r = rand();
    if (r < 0.2) return `$${Math.round(v / 1000)}k`;
    if (r < 0.5) return Math.round(v).toLocaleString('en-US');
    return String(Math.round(v));
  }

  const header = ['Lead ID', 'Company', 'Job Title', 'Budget', 'Budget Approved', 'Buying Role', 'Pain Points', 'Need Confirmed', 'Purchase Timeline', 'Decision Date'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const ready = normal();
    const t = level(ready);
    const painCount = clamp(Math.round(1.5 + ready + normal()), 0, 5);
    const sep = chance(0.3) ? ', ' : '; ';
    const painList = [...new Set(Array.from({ length: painCount }, () => pick(pains)))];
    const rec = [
      `B-${String(5001 + i)}`,
      pick(companies),
      chance(0.05) ? '' : pick(titles[level(ready)]),
      chance(0.15) ? '' : budget(Math.exp(9.8 + 1.1 * ready + 0.5 * normal())),
      chance(0.3) ? '' : chance(0.35 + 0.25 * ready) ? pick(['Yes', 'yes', 'TRUE']) : pick(['No', 'no']),
      chance(0.1) ? '' : pick(roles[level(ready)]),
      painList.join(sep),
      chance(0.25) ? '' : chance(0.4 + 0.25 * ready) ? 'Yes' : 'No',
      chance(0.1) ? '' : pick(timelines[t]),
      chance(0.4) ? '' : iso(AS_OF + (t >= 3 ? int(-10, 80) : t === 2 ? int(60, 180) : int(150, 400)) * DAY),
    ];
    lines.push(rec.map((v) => csvField(v)).join(','));
  }
  return `${lines.join('\n')}\n`;
}
