#!/usr/bin/env node
// Synthetic CRM lead export for `npm run bench`: deterministic (fixed seed), HubSpot-style headers, ~270 bytes a
// row, and ~15% of rows whose free-text "Notes" cell needs quoting (commas, doubled quotes, line breaks).
//
// Usage: node scripts/bench-data.mjs <rows> <out.csv>
// As a module: generate(rows, out) writes the file (atomically) and returns its stats; leadId(i) is the id of
// row i (0-based), so the benchmark knows the first and last lead without reading the file.
//
// Any change to this file changes its hash, and scripts/bench.mjs keys the generated file names on that hash,
// so edited data is regenerated and stale files are removed.
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const SEED = 20261101;
/** The --as-of date the data is generated around (and the benchmark scores with). */
export const AS_OF = '2026-11-01';

export const HEADER = [
  'Record ID', 'First Name', 'Last Name', 'Email', 'Phone Number', 'Job Title', 'Company Name', 'Website URL',
  'Industry', 'Number of Employees', 'Annual Revenue', 'Country/Region', 'City', 'Lifecycle Stage', 'Lead Source',
  'Create Date', 'First Conversion Date', 'Last Activity Date', 'Website Visits', 'Marketing emails opened',
  'Email Clicks', 'Webinar Attended', 'Demo Requested', 'Budget', 'Buying Role', 'Purchase Timeline', 'Tags',
  'Closed Won Deals', 'Total Deals', 'Notes',
];

/** The Record ID of row `i` (0-based): unique, increasing. */
export function leadId(i) {
  return String(1_000_000 + i);
}

// mulberry32: a tiny seeded PRNG, the same sequence on every machine and Node version.
function prng(seed) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Anna', 'Piotr', 'Maria', 'James', 'Olivia', 'Lukas', 'Sofia', 'Noah', 'Emma', 'Jan', 'Chloé', 'Mateo', 'Ingrid', 'Raj', 'Aisha', 'Tomasz', 'Zoë', 'Liam', 'Hanna', 'Diego', 'Yuki', 'Fatima', 'Oliver', 'Camille'];
const LAST = ['Kowalska', 'Nowak', 'Smith', 'Müller', 'García', 'Johnson', 'Dubois', 'Rossi', 'Andersson', 'Patel', "O'Brien", 'Nguyen', 'Wiśniewski', 'Brown', 'Jansen', 'Silva', 'Tanaka', 'Okafor', 'Schmidt', 'Lefebvre'];
const COMPANIES = ['Acme Analytics', 'Northwind Pay', 'Globex Cloud', 'Initech Software', 'Umbrella Health', 'Stark Logistics', 'Wayne Fintech', 'Hooli', 'Vandelay Imports', 'Soylent Foods', 'Tyrell Systems', 'Cyberdyne Robotics', 'Wonka Retail', 'Pied Piper', 'Dunder Mifflin Paper', 'Aperture Labs', 'Massive Dynamic', 'Oscorp Bio', 'Blue Sun Media', 'Gringotts Bank', 'Rivalcrm', 'Prestige Worldwide', 'Bluth Company', 'Sterling Cooper'];
const INDUSTRIES = ['Software', 'SaaS', 'Fintech', 'Financial Services', 'Retail', 'Healthcare', 'Manufacturing', 'Logistics', 'Education', 'Computer Software', 'Media', 'Technology', 'Government', ''];
const COUNTRIES = [['United States', ['New York', 'Austin', 'San Francisco', 'Chicago']], ['Poland', ['Warsaw', 'Kraków', 'Wrocław']], ['Germany', ['Berlin', 'Munich', 'Hamburg']], ['United Kingdom', ['London', 'Manchester']], ['France', ['Paris', 'Lyon']], ['Brazil', ['São Paulo']], ['India', ['Bengaluru', 'Pune']], ['Canada', ['Toronto', 'Vancouver']], ['Netherlands', ['Amsterdam']], ['Sweden', ['Stockholm']], ['Japan', ['Tokyo']], ['N/A', ['']]];
const TITLES = ['CEO', 'CFO', 'VP Sales', 'Head of Marketing', 'Marketing Manager', 'Software Engineer', 'Student', 'Director of Operations', 'Founder', 'Sales Rep', 'Intern', 'Chief Technology Officer', 'Office Manager', 'Analyst', 'Procurement Specialist', 'Head of Growth', ''];
const STAGES = ['Subscriber', 'Lead', 'Marketing Qualified Lead', 'Sales Qualified Lead', 'Opportunity', 'Customer', 'Evangelist', 'Other'];
const SOURCES = ['Organic Search', 'Paid Search', 'Paid Social', 'Referrals', 'Direct Traffic', 'Email Marketing', 'Offline Sources', 'Purchased List'];
const ROLES = ['Decision Maker', 'Influencer', 'Gatekeeper', 'Economic Buyer', 'Champion', 'End User', '', 'Select'];
const TIMELINES = ['0-3 months', '3-6 months', '6-12 months', 'No plan', 'This quarter', 'Immediately', ''];
const TAGS = ['Cloud', 'Payments', 'Analytics', 'Security', 'AI', 'Compliance', 'Integrations', 'Mobile'];
const FREE_MAIL = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com'];
// Plain notes: no delimiter, quote or line break.
const PLAIN_NOTES = ['Downloaded the pricing guide', 'Follow up after the trade show', 'Interested in SSO and audit logs', 'Asked for a case study in retail', 'Evaluating three vendors this quarter', 'Wants a quote for 25 seats'];
// Notes that must be quoted: commas, doubled quotes, line breaks (LF and CRLF), delimiters and quotes together.
const QUOTED_NOTES = [
  'Met at SaaStock, wants pricing, ASAP',
  'Budget: "TBD", decision in Q1',
  'Called twice,\nno answer; try again next week',
  'Said "we are happy with our current tool"',
  'Requested a demo for the EU team, the US team and finance',
  'Line 1 of the call notes\r\nLine 2: asked about the "Enterprise" plan, SOC 2, SSO',
  'Procurement contact: "J. Smith, Head of IT"\nprefers e-mail',
];

const DAY = 86_400_000;
const pad2 = (n) => (n < 10 ? `0${n}` : String(n));

function field(v) {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes `rows` leads to `out` (via a temporary file renamed into place); returns { rows, bytes, quotedNotes, quotedRows }. */
export function generate(rows, out) {
  const rand = prng(SEED);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const chance = (p) => rand() < p;
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const asOf = Date.parse(`${AS_OF}T00:00:00Z`);
  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  const isoMinute = (t) => new Date(t).toISOString().slice(0, 16).replace('T', ' ');
  const us = (t) => {
    const d = new Date(t);
    return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${d.getUTCFullYear()}`;
  };

  const employees = () => {
    if (chance(0.05)) return '';
    if (chance(0.02)) return '50-100'; // a range: unknown as a number
    const v = Math.round(pick([3, 8, 25, 40, 80, 150, 320, 750, 1200, 4800, 15000]) * (0.7 + rand() * 0.6));
    return v >= 1000 && chance(0.05) ? v.toLocaleString('en-US') : String(v);
  };
  const revenue = () => {
    if (chance(0.1)) return '';
    const m = pick([0.2, 0.8, 2, 4.5, 8, 12, 40, 150]);
    const r = rand();
    if (r < 0.15) return `$${m}M`;
    if (r < 0.25) return `${m} mln`;
    if (r < 0.27) return (m * 1e6).toLocaleString('en-US');
    return String(m * 1e6);
  };

  const tmp = `${out}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  let quotedNotes = 0;
  let quotedRows = 0;
  let buf = `${HEADER.map(field).join(',')}\n`;
  const flush = () => {
    const b = Buffer.from(buf, 'utf8');
    writeSync(fd, b);
    bytes += b.length;
    buf = '';
  };
  try {
    for (let i = 0; i < rows; i++) {
      const fn = pick(FIRST);
      const ln = pick(LAST);
      const company = pick(COMPANIES);
      const slug = company.toLowerCase().replace(/[^a-z]+/g, '');
      const domain = chance(0.2) ? pick(FREE_MAIL) : chance(0.02) ? pick(['rivalcrm.com', 'leadsgenius.io']) : `${slug}.com`;
      const local = `${fn}.${ln}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
      const [country, cities] = pick(COUNTRIES);
      const created = asOf - int(5, 900) * DAY;
      const converted = chance(0.3) ? '' : us(created + int(0, 120) * DAY);
      const lastAct = chance(0.1) ? '' : isoMinute(Math.max(created, asOf - int(0, 200) * DAY - int(0, 86_399) * 1000));
      const total = chance(0.6) ? '' : String(int(0, 12));
      const won = total === '' ? '' : String(int(0, Number(total)));
      let notes = '';
      if (chance(0.15)) {
        notes = pick(QUOTED_NOTES);
        quotedNotes++;
      } else if (chance(0.35)) notes = pick(PLAIN_NOTES);
      const rec = [
        leadId(i),
        fn,
        ln,
        chance(0.03) ? '' : `${local}@${domain}`,
        chance(0.25) ? '' : `+${int(1, 49)} ${int(100, 999)} ${int(100, 999)} ${int(100, 999)}`,
        pick(TITLES),
        company,
        chance(0.2) ? '' : `www.${slug}.com`,
        chance(0.1) ? `${pick(INDUSTRIES)}; ${pick(INDUSTRIES)}` : pick(INDUSTRIES),
        employees(),
        revenue(),
        country,
        pick(cities),
        pick(STAGES),
        pick(SOURCES),
        iso(created),
        converted,
        lastAct,
        chance(0.08) ? '' : String(Math.floor(rand() ** 2 * 30)),
        chance(0.1) ? '' : String(Math.floor(rand() * 40)),
        chance(0.1) ? '' : String(Math.floor(rand() ** 3 * 8)),
        pick(['Yes', 'No', 'No', 'no', 'TRUE', '']),
        pick(['Yes', 'No', 'No', 'No', 'x', '']),
        chance(0.2) ? '' : chance(0.02) ? '12,000' : pick(['5000', '12000', '25000', '$60k', '120000', '0', 'unknown']),
        pick(ROLES),
        pick(TIMELINES),
        chance(0.4) ? '' : Array.from({ length: int(1, 3) }, () => pick(TAGS)).join('; '),
        won,
        total,
        notes,
      ];
      let line = '';
      let quoted = false;
      for (let k = 0; k < rec.length; k++) {
        const f = field(rec[k]);
        if (f !== rec[k]) quoted = true;
        line += k ? `,${f}` : f;
      }
      if (quoted) quotedRows++;
      buf += `${line}\n`;
      if (buf.length > 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, out);
  return { rows, bytes, quotedNotes, quotedRows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = Number(process.argv[2]);
  const out = process.argv[3];
  if (!Number.isInteger(rows) || rows < 1 || !out) {
    process.stderr.write('usage: node scripts/bench-data.mjs <rows> <out.csv>\n');
    process.exitCode = 2;
  } else {
    const t = performance.now();
    const s = generate(rows, out);
    process.stderr.write(
      `wrote ${s.rows} leads, ${(s.bytes / 1e6).toFixed(1)} MB (${(s.bytes / s.rows).toFixed(0)} bytes/row; ` +
        `${((100 * s.quotedNotes) / s.rows).toFixed(1)}% quoted notes, ${((100 * s.quotedRows) / s.rows).toFixed(1)}% rows with a quoted field) ` +
        `to ${out} in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
    );
  }
}
