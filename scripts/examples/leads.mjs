// examples/leads.csv: a HubSpot-style lead export for rules/b2b-saas.yaml, with an outcome column `Converted`.
//
// How `Converted` is made (the relationship `icp evaluate` should find): a logistic model of the lead's own
// columns plus noise the export does not show,
//   z = -3.1
//     + 0.9  industry (any value of the cell) is Software, SaaS, Computer Software, Technology or Fintech
//     + 0.8  200 or more employees;  -0.8 fewer than 20 (a range such as "50-100", or blank: 0)
//     + 0.7  a senior title (CEO, CFO, VP Sales, Founder, Chief Technology Officer, Director of Operations,
//            Head of Marketing);  -1.5 Student or Intern
//     - 0.8  an e-mail at a free mail provider, or no e-mail
//     + 1.2  Demo Requested is Yes or x;  + 0.6 Webinar Attended is Yes or TRUE
//     + 0.08 per website visit (blank: 0)
//     + 1.2 × 0.5^(days since the last activity / 30)   (no activity: 0)
//     + 0.6  stage Marketing Qualified Lead, Sales Qualified Lead or Opportunity
//     + 0.5  timeline 0-3 months or This quarter
//     + ε,   ε ~ Normal(0, 0.6): what the export does not record
//   P(converted) = 1 / (1 + e^−z);  Converted = 1 with that probability, else 0 (its own random stream);
//   blank for leads created in the 21 days before 2026-11-01, whose outcome is not known yet.
// Budget, buying role, need, tags and the other columns play no part: a model that scores them gains nothing.
import { AS_OF as asOf, DAY as day, csvField, helpers, iso, logistic, mulberry32 } from './random.mjs';

export const file = 'examples/leads.csv';
export const defaultRows = 400;

export function generate(rows) {
  const rand = mulberry32(20261101);
  // A second stream for the BANT columns added later, so the earlier columns keep their values; a third for
  // the outcome, for the same reason.
  const rand2 = mulberry32(7);
  const outcome = helpers(mulberry32(1101));
  const { pick, chance, int } = helpers(rand);
  const pick2 = (xs) => xs[Math.floor(rand2() * xs.length)];

  const first = ['Anna', 'Piotr', 'Maria', 'James', 'Olivia', 'Lukas', 'Sofia', 'Noah', 'Emma', 'Jan', 'Chloé', 'Mateo', 'Ingrid', 'Raj', 'Aisha', 'Tomasz', 'Zoë', 'Liam', 'Hanna', 'Diego'];
  const last = ['Kowalska', 'Nowak', 'Smith', 'Müller', 'García', 'Johnson', 'Dubois', 'Rossi', 'Andersson', 'Patel', "O'Brien", 'Nguyen', 'Wiśniewski', 'Brown', 'Jansen', 'Silva'];
  const companies = ['Acme Analytics', 'Northwind Pay', 'Globex Cloud', 'Initech Software', 'Umbrella Health', 'Stark Logistics', 'Wayne Fintech', 'Hooli', 'Vandelay Imports', 'Soylent Foods', 'Tyrell Systems', 'Cyberdyne Robotics', 'Wonka Retail', 'Pied Piper', 'Dunder Mifflin Paper', 'Aperture Labs', 'Massive Dynamic', 'Oscorp Bio', 'Blue Sun Media', 'Gringotts Bank'];
  const industries = ['Software', 'SaaS', 'Fintech', 'Financial Services', 'Retail', 'Healthcare', 'Manufacturing', 'Logistics', 'Education', 'Computer Software', 'Media', 'Technology', ''];
  const countries = ['United States', 'Poland', 'Germany', 'United Kingdom', 'France', 'Brazil', 'India', 'Canada', 'Netherlands', 'Sweden', 'Japan', 'N/A'];
  const titles = ['CEO', 'CFO', 'VP Sales', 'Head of Marketing', 'Marketing Manager', 'Software Engineer', 'Student', 'Director of Operations', 'Founder', 'Sales Rep', 'Intern', 'Chief Technology Officer', 'Office Manager', 'Analyst', ''];
  const stages = ['Subscriber', 'Lead', 'Marketing Qualified Lead', 'Sales Qualified Lead', 'Opportunity', 'Customer'];
  const roles = ['Decision Maker', 'Influencer', 'Gatekeeper', 'Economic Buyer', 'Champion', '', 'Select'];
  const timelines = ['0-3 months', '3-6 months', '6-12 months', 'No plan', 'This quarter', ''];
  const tags = ['Cloud', 'Payments', 'Analytics', 'Security', 'AI', 'Compliance'];
  const freeMail = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com'];
  const pains = ['manual reporting', 'slow onboarding', 'compliance audits', 'churn', 'data silos', 'pricing pressure'];
  const isoTime = (t) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

  function employees() {
    const n = pick([3, 8, 25, 40, 80, 150, 320, 750, 1200, 4800, 15000]);
    const v = Math.round(n * (0.7 + rand() * 0.6));
    if (chance(0.05)) return '';
    if (chance(0.03)) return '50-100'; // a range: not a number, scored as unknown
    return v >= 1000 && chance(0.5) ? v.toLocaleString('en-US') : String(v);
  }

  function revenue() {
    if (chance(0.1)) return '';
    const v = pick([0.2, 0.8, 2, 4.5, 8, 12, 40, 150]) * 1e6;
    const r = rand();
    if (r < 0.15) return `$${v / 1e6}M`;
    if (r < 0.25) return `${v / 1e6} mln`;
    if (r < 0.55) return v.toLocaleString('en-US');
    return String(v);
  }

  const TARGET = new Set(['software', 'saas', 'computer software', 'technology', 'fintech']);
  const SENIOR = new Set(['CEO', 'CFO', 'VP Sales', 'Founder', 'Chief Technology Officer', 'Director of Operations', 'Head of Marketing']);
  function converted(rec, created) {
    const [, , , email, title, , industry, size, , , stage, , lastAct, visits, , webinar, demo, , , timeline] = rec;
    let z = -3.1;
    if (industry.split(';').some((v) => TARGET.has(v.trim().toLowerCase()))) z += 0.9;
    const n = /^[\d,]+$/.test(size) ? Number(size.replace(/,/g, '')) : undefined;
    if (n !== undefined) z += n >= 200 ? 0.8 : n < 20 ? -0.8 : 0;
    if (SENIOR.has(title)) z += 0.7;
    if (title === 'Student' || title === 'Intern') z -= 1.5;
    if (email === '' || freeMail.some((d) => email.endsWith(`@${d}`))) z -= 0.8;
    if (demo === 'Yes' || demo === 'x') z += 1.2;
    if (webinar === 'Yes' || webinar === 'TRUE') z += 0.6;
    if (visits !== '') z += 0.08 * Number(visits);
    if (lastAct !== '') z += 1.2 * 0.5 ** ((asOf - Date.parse(`${lastAct.slice(0, 10)}T00:00:00Z`)) / day / 30);
    if (/Qualified Lead|Opportunity/.test(stage)) z += 0.6;
    if (timeline === '0-3 months' || timeline === 'This quarter') z += 0.5;
    z += 0.6 * outcome.normal();
    const won = outcome.chance(logistic(z));
    return asOf - created < 21 * day ? '' : won ? '1' : '0';
  }

  const header = ['Record ID', 'First Name', 'Last Name', 'Email', 'Job Title', 'Company Name', 'Industry', 'Number of Employees', 'Annual Revenue', 'Country', 'Lifecycle Stage', 'Create Date', 'Last Activity Date', 'Website Visits', 'Email Clicks', 'Webinar Attended', 'Demo Requested', 'Budget', 'Buying Role', 'Purchase Timeline', 'Tags', 'Notes', 'Budget Approved', 'Pain Points', 'Need Confirmed', 'Decision Date', 'Converted'];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const fn = pick(first);
    const ln = pick(last);
    const company = pick(companies);
    const domain = chance(0.2) ? pick(freeMail) : chance(0.03) ? 'rivalcrm.com' : `${company.toLowerCase().replace(/[^a-z]+/g, '')}.com`;
    const email = `${fn.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}.${ln.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@${domain}`;
    const created = asOf - int(5, 700) * day;
    const lastAct = chance(0.1) ? '' : isoTime(Math.max(created, asOf - int(0, 200) * day - int(0, 86_399) * 1000));
    const notes = chance(0.15) ? pick(['Met at SaaStock, wants "pricing, ASAP"', 'Called twice,\nno answer', 'Asked about SSO; SOC 2', 'Budget: "TBD"']) : '';
    const rec = [
      String(10000 + i * 7),
      fn,
      ln,
      chance(0.03) ? '' : email,
      pick(titles),
      company,
      chance(0.1) ? `${pick(industries)}; ${pick(industries)}` : pick(industries),
      employees(),
      revenue(),
      pick(countries),
      pick(stages),
      iso(created),
      lastAct,
      chance(0.08) ? '' : String(Math.floor(rand() ** 2 * 30)),
      chance(0.1) ? '' : String(Math.floor(rand() ** 3 * 8)),
      pick(['Yes', 'No', 'No', 'no', 'TRUE', '']),
      pick(['Yes', 'No', 'No', 'No', 'x', '']),
      chance(0.2) ? '' : pick(['5000', '12,000', '25000', '$60k', '120000', '0', 'unknown']),
      pick(roles),
      pick(timelines),
      chance(0.4) ? '' : Array.from({ length: int(1, 3) }, () => pick(tags)).join('; '),
      notes,
      pick2(['Yes', 'No', '', '']),
      rand2() < 0.45 ? '' : Array.from({ length: 1 + Math.floor(rand2() * 4) }, () => pick2(pains)).join('; '),
      pick2(['Yes', 'No', 'no', '']),
      rand2() < 0.5 ? '' : iso(asOf + Math.floor(rand2() * 240 - 60) * day),
    ];
    rec.push(converted(rec, created));
    lines.push(rec.map((v) => csvField(v)).join(','));
  }
  return `${lines.join('\n')}\n`;
}
