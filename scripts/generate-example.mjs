#!/usr/bin/env node
// Generates examples/leads.csv: a realistic HubSpot-style lead export, deterministic (fixed seed).
// Usage: node scripts/generate-example.mjs [rows=400] [out=examples/leads.csv]
import { writeFileSync } from 'node:fs';

const rows = Number(process.argv[2] ?? 400);
const out = process.argv[3] ?? 'examples/leads.csv';
if (!Number.isInteger(rows) || rows < 1) {
  // Before anything is written: `--help` once overwrote examples/leads.csv with "NaN" leads.
  process.stderr.write(`usage: node scripts/generate-example.mjs [rows=400] [out=examples/leads.csv]\n(rows must be a whole number ≥ 1, got "${process.argv[2]}")\n`);
  process.exit(2);
}

// mulberry32: a tiny seeded PRNG, so the example is the same on every machine.
let seed = 20261101;
function rand() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
// A second stream for the BANT columns added later, so the earlier columns keep their values.
let seed2 = 7;
function rand2() {
  seed2 = (seed2 + 0x6d2b79f5) | 0;
  let t = Math.imul(seed2 ^ (seed2 >>> 15), 1 | seed2);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const pick2 = (xs) => xs[Math.floor(rand2() * xs.length)];
const chance = (p) => rand() < p;
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

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

const asOf = Date.UTC(2026, 10, 1);
const day = 86_400_000;
const iso = (t) => new Date(t).toISOString().slice(0, 10);
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

function csvField(v) {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const header = ['Record ID', 'First Name', 'Last Name', 'Email', 'Job Title', 'Company Name', 'Industry', 'Number of Employees', 'Annual Revenue', 'Country', 'Lifecycle Stage', 'Create Date', 'Last Activity Date', 'Website Visits', 'Email Clicks', 'Webinar Attended', 'Demo Requested', 'Budget', 'Buying Role', 'Purchase Timeline', 'Tags', 'Notes', 'Budget Approved', 'Pain Points', 'Need Confirmed', 'Decision Date'];
const pains = ['manual reporting', 'slow onboarding', 'compliance audits', 'churn', 'data silos', 'pricing pressure'];
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
  lines.push(rec.map(csvField).join(','));
}
writeFileSync(out, `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${rows} leads to ${out}\n`);
