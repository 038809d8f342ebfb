// Rules and leads that SQL engines must score as icp does: an operator × value-form matrix and seeded generated
// leads. Shared by the DuckDB tests and the PostgreSQL / ClickHouse ones (issue 16). Pure: texts in, texts out.
import { seeded } from './value-cases.js';

/** A rules file (YAML text) and a CSV export (text, header first) to score with it. */
export interface SqlFixture {
  name: string;
  rules: string;
  csv: string;
  /** The column holding the lead id. */
  id: string;
  /** --as-of for both engines; '' for none (today). */
  asOf: string;
  /** --as-of-column for both engines instead of asOf. */
  asOfColumn?: string;
}

/** Value forms per kind of column: what CRM exports hold, unknowns and hostile cells included. */
export const FORMS = {
  number: ['1250000', '1,250,000', '1.250.000,50', '$5M', '2.5k', '5 mln', '(1,000)', '12%', '1 250', "1'250", '-3', '0', '49', '50', '1000', '999.99', '1e3', '12,5', '', 'N/A', 'n/a', '-', 'lots', ' 75 ', '\u00a0200\u00a0', '1,25', '0,5', '−7'],
  date: ['2026-10-20', '2026-10-20T13:45:00Z', '2026-10-20 13:45', '20/10/2026', '10/20/2026', '03/04/2026', '20.10.26', '20 Oct 2026', 'Oct 20, 2026', '20261020', '1792000000', '1792000000000', '2025-02-30', '', 'unknown', 'soon', '2026-11-01', '2027-01-05', '2016-10-20', '01/02/69', '01/02/70'],
  bool: ['yes', 'No', 'TRUE', 'false', '1', '0', 'x', 'Y', 'n', 'on', 'off', 'ja', 'nie', '', 'maybe', ' Yes ', 'checked'],
  text: ['SaaS', 'saas', ' Software  as a Service ', 'FinTech', 'fintech; saas', 'Bank|Insurance', 'Retail', 'RETAIL ', 'Straße', 'e\u0301cole', 'École', 'ΟΔΟΣ', 'N/A', '', 'Select', 'unknown', 'Health\tCare', 'health care', 'competitor inc', 'Student', 'CEO', 'Chief Executive Officer', 'vp sales', 'VP, Sales', 'gmail.com', 'x@GMAIL.com', 'a;b;;c', ';', 'SaaS ; ; Fintech'],
} as const;

/** Every operator (and combinator, derived value, policy) on every value form, one criterion per group. */
export function operatorMatrix(): SqlFixture {
  const ops: string[] = [];
  const add = (id: string, body: string, unknown = '{ policy: penalty, points: -1 }') => {
    ops.push(`  - id: ${id}\n    group: g_${id.replace(/-/g, '_')}\n    points: 10\n    unknown: ${unknown}\n${body.replace(/^/gm, '    ')}`);
  };
  add('eq-text', 'column: text\nequals: "software as a service"');
  add('eq-num', 'column: num\nequals: 50');
  add('eq-bool', 'column: flag\nequals: true');
  add('in-text', 'column: text\nin: [saas, fintech, bank, "health care", ecole]');
  add('not-in-text', 'column: text\nnot_in: [retail, student]');
  add('in-num', 'column: num\nin: [0, 50, 1000, 1250000]');
  add('not-in-num', 'column: num\nnot_in: [0, 49]');
  add('gt', 'column: num\ngt: 49');
  add('gte', 'column: num\ngte: 50');
  add('lt', 'column: num\nlt: 1000');
  add('lte', 'column: num\nlte: 1000');
  add('between', 'column: num\nbetween: [50, 1250000]');
  add('gt-comma', 'column: num_eu\ngt: 1');
  add('contains', 'column: text\ncontains: [saas, "CARE"]');
  add('contains-cs', 'column: text\ncontains: Saa\ncase_sensitive: true');
  add('matches', 'column: text\nmatches: "^(ceo|chief|vp)\\\\b"');
  add('matches-cs', 'column: text\nmatches: "S[a-z]+S|Ret"\ncase_sensitive: true');
  add('matches-class', 'column: text\nmatches: "@(gmail|yahoo)\\\\.com$"');
  add('present', 'column: text\npresent: true');
  add('missing', 'column: num\nmissing: true');
  add('is-yes', 'column: flag\nis: true');
  add('is-no', 'column: flag\nis: false');
  add('within', 'column: when\nwithin_days: 30');
  add('older', 'column: when\nolder_than_days: 365');
  add('ratio', 'value: { ratio: [num, num_eu] }\ngte: 2');
  add('difference', 'value: { difference: [num, num_eu] }\nlt: 0');
  add('days-between', 'value: { days_between: [when, when_us] }\nbetween: [-30, 30]');
  add('days-since', 'value: { days_since: when }\nlte: 400');
  add('count', 'value: { count: text }\ngte: 2');
  add('all', 'all:\n  - { column: num, gt: 10 }\n  - { column: flag, is: true }');
  add('any', 'any:\n  - { column: num, gt: 1000 }\n  - { column: text, in: [saas] }');
  add('not', 'not: { column: text, in: [retail] }');
  add('nested', 'any:\n  - all: [{ column: num, gte: 50 }, { not: { column: flag, is: false } }]\n  - { column: when, within_days: 10 }');
  add('zero-policy', 'column: num\ngt: 100', 'zero');
  add('neutral-policy', 'column: num\ngt: 100', '{ policy: neutral, share: 0.3 }');
  ops.push('  - id: bands\n    group: g_bands\n    column: num\n    unknown: { policy: penalty, points: -1 }\n    bands:\n      ideal: { gte: 1000, points: 10 }\n      acceptable: { between: [50, 1000], points: 5 }\n      avoid: { lt: 0, points: -3 }');
  ops.push('  - id: per\n    group: g_per\n    column: num\n    points_per: 0.001\n    cap: 40\n    floor: -2\n    unknown: { policy: penalty, points: -1 }');
  const groups = [...ops.map((o) => /group: (\S+)/.exec(o)![1]!)];
  const rules = `version: 1
name: operator matrix
id: id
columns:
  text:
    aliases: [Text]
    separator: [";", "|"]
    synonyms:
      saas: ["software as a service", "software  as a service"]
      fintech: [fin-tech]
      ecole: [école, "e\u0301cole"]
  num: { aliases: [Number] }
  num_eu: { aliases: [Number EU], decimal: comma }
  flag: { aliases: [Flag] }
  when: { aliases: [When], date_order: DMY }
  when_us: { aliases: [When US], date_order: MDY }
groups:
${groups.map((g) => `  ${g}: {}`).join('\n')}
criteria:
${ops.join('\n')}
tiers:
  - { name: A, min: 50 }
  - { name: B, min: 10 }
  - { name: C }
reasons: 5
`;
  const header = ['id', 'Text', 'Number', 'Number EU', 'Flag', 'When', 'When US'];
  const rows: string[][] = [];
  const n = Math.max(FORMS.text.length, FORMS.number.length, FORMS.date.length, FORMS.bool.length);
  // Each form of each kind meets several forms of the others (offsets), so conditions see every combination kind.
  for (let shift = 0; shift < 5; shift++) {
    for (let i = 0; i < n; i++) {
      const pick = <T>(list: readonly T[], k: number) => list[(i + k * shift) % list.length]!;
      rows.push([`M-${shift}-${i}`, pick(FORMS.text, 1), pick(FORMS.number, 2), pick(FORMS.number, 3), pick(FORMS.bool, 1), pick(FORMS.date, 2), pick(FORMS.date, 3)]);
    }
  }
  return { name: 'operator-matrix', rules, csv: toCsv(header, rows), id: 'id', asOf: '2026-11-01' };
}

/** A realistic model (fit, engagement with decay, BANT, caps, floors, every unknown policy, disqualifiers, matrix). */
export const PARITY_RULES = `version: 1
name: parity
id: lead_id
unknown: zero
columns:
  industry:
    aliases: [Industry]
    synonyms: { software: [saas, "software as a service"], finance: [fintech, bank] }
    separator: [";", "/"]
  employees: { aliases: [Employees, No. of Employees] }
  revenue: { aliases: [Annual Revenue] }
  revenue_eu: { aliases: [Umsatz], decimal: comma, required: false }
  country: { aliases: [Country] }
  title: { aliases: [Job Title] }
  email: { aliases: [Email] }
  visits: { aliases: [Website Visits] }
  clicks: { aliases: [Email Clicks] }
  last_activity: { aliases: [Last Activity], date_order: MDY }
  created: { aliases: [Created], date_order: DMY }
  demo: { aliases: [Demo Requested] }
  budget: { aliases: [Budget] }
  stage: { aliases: [Stage] }
  tags: { aliases: [Tags], separator: ";" }
groups:
  fit: { weight: 1, cap: 60, floor: -10 }
  engagement:
    weight: 0.5
    cap: 40
    decay: { date: last_activity, half_life_days: 30 }
    unknown: { policy: neutral, share: 0.25 }
  bant: { weight: 1.5, unknown: { policy: penalty, points: -2 } }
criteria:
  - { id: industry, group: fit, column: industry, in: [software, finance, healthcare], points: 15, label: Target industry }
  - id: size
    group: fit
    column: employees
    label: Company size
    bands:
      ideal: { between: [50, 1000], points: 15 }
      acceptable: { between: [10, 50], points: 5 }
      avoid: { lt: 10, points: -10 }
  - { id: revenue, group: fit, column: revenue, gte: 5000000, points: 10, label: "Revenue ≥ $5M", unknown: penalty }
  - { id: revenue_eu, group: fit, column: revenue_eu, gte: 1000000, points: 3, unknown: neutral, weight: 2 }
  - { id: region, group: fit, column: country, in: [united states, usa, germany, poland, japan], points: 5 }
  - { id: exec, group: fit, column: title, matches: "^(ceo|cto|cfo|vp|chief|head)\\\\b", points: 8, label: Executive }
  - { id: personal_email, group: fit, column: email, matches: "@(gmail|yahoo|hotmail)\\\\.", points: -10, label: Personal e-mail }
  - { id: ratio, group: fit, value: { ratio: [revenue, employees] }, gte: 100000, points: 4, label: Revenue per head }
  - { id: visits, group: engagement, column: visits, points_per: 1.5, cap: 20, floor: -1, label: Website visits }
  - { id: clicks, group: engagement, column: clicks, points_per: 2.25, cap: 15, weight: 1.1 }
  - { id: recent, group: engagement, column: last_activity, within_days: 14, points: 10, label: Active lately }
  - { id: stale, group: engagement, column: last_activity, older_than_days: 180, points: -5, decay: false }
  - { id: demo, group: engagement, column: demo, is: true, points: 12.5, decay: { date: created, half_life_days: 7.5 } }
  - { id: tenure, group: engagement, value: { days_between: [created, last_activity] }, gte: 30, points: 3.33, decay: false }
  - { id: budget, group: bant, column: budget, gt: 10000, points: 10 }
  - { id: tags, group: bant, value: { count: tags }, gte: 2, points: 2.5 }
  - id: stage
    group: bant
    column: stage
    bands:
      - { label: hot, in: [sql, opportunity], points: 7 }
      - { label: warm, in: [mql], points: 3 }
      - { label: cold, not_in: [sql, opportunity, mql, customer], points: -1.75 }
  - { id: old_lead, group: bant, value: { days_since: created }, gt: 720, points: -4, unknown: zero }
disqualifiers:
  - { id: competitor, reason: Competitor, column: email, contains: ["@rival.", competitor] }
  - { id: student, reason: Student or job seeker, column: title, in: [student, intern, job seeker] }
  - { id: customer, reason: Already a customer, column: stage, equals: customer }
  - { id: tiny, reason: "Too small; no budget", all: [{ column: employees, lt: 3 }, { column: budget, lte: 0 }] }
tiers:
  - { name: A, min: 60 }
  - { name: B, min: 35.5 }
  - { name: C, min: 10 }
  - { name: D }
matrix:
  rows: { group: fit, tiers: [{ name: A, min: 40 }, { name: B, min: 20 }, { name: C }] }
  columns: { group: engagement, tiers: [{ name: "1", min: 20 }, { name: "2", min: 5 }, { name: "3" }] }
reasons: 4
`;

/** The same model scored as a weighted average of groups (each group as 0–100 % of its maximum). */
export const PARITY_RULES_AVERAGE = PARITY_RULES.replace('name: parity', 'name: parity average\ntotal: { method: weighted_average }')
  .replace(/^ {2}- \{ id: visits,[^\n]*\n/m, '  - { id: visits, group: engagement, column: visits, points_per: 1.5, cap: 20, floor: -1 }\n');

const COUNTRIES = ['United States', 'USA', 'usa ', 'Germany', 'Poland', 'Japan', 'France', '', 'N/A', 'Brasil'];
const TITLES = ['CEO', 'cto', 'VP Sales', 'Head of Growth', 'Chief Revenue Officer', 'Analyst', 'Student', 'intern', 'Engineer', '', 'vpsales', 'Ceo '];
const EMAILS = ['a@acme.com', 'b@gmail.com', 'c@yahoo.co.uk', 'd@rival.io', 'e@competitor.com', 'f@HOTMAIL.com', '', 'n/a', 'g@acme.de'];
const STAGES = ['SQL', 'opportunity', 'MQL', 'mql ', 'Lead', 'Customer', 'customer', '', 'Select', 'subscriber'];
const TAGS = ['cloud', 'cloud; ai', 'a;b;c', ';', '', 'x; ;y', 'ai;ai'];

/** `count` seeded leads for PARITY_RULES: every value form, unknowns and hostile cells, in random mixes. */
export function parityLeads(count: number, seed = 15): SqlFixture {
  const rnd = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const header = ['lead_id', 'Industry', 'Employees', 'Annual Revenue', 'Umsatz', 'Country', 'Job Title', 'Email', 'Website Visits', 'Email Clicks', 'Last Activity', 'Created', 'Demo Requested', 'Budget', 'Stage', 'Tags'];
  const industries = [...FORMS.text, 'healthcare', 'Healthcare; Retail', 'retail/finance', 'Bank'];
  const usDates = ['10/20/2026', '10/25/2026', '11/01/2026', '09/30/2026', '01/15/2026', '12/31/2025', '03/04/2026', '2026-10-31', '2026-10-28T08:00:00Z', '', 'n/a', '13/01/2026', '20261030', 'Oct 29, 2026'];
  const euDates = ['20/10/2026', '01.02.2024', '15-03-2025', '03/04/2026', '2026-10-01', '2024-02-29', '', 'unknown', '30.02.2026', '1 Jun 2026', '1700000000'];
  const rows: string[][] = [];
  for (let i = 0; i < count; i++) {
    const num = () => (rnd() < 0.6 ? String(Math.floor(rnd() * (rnd() < 0.5 ? 100 : 3000))) : pick(FORMS.number));
    const money = () => (rnd() < 0.5 ? String(Math.floor(rnd() * 2e7)) : pick([...FORMS.number, '$12M', '€3.5 mln', '7,500,000', '(250,000)', '4.999.999', '5000000', '5,000,000.00']));
    rows.push([
      `L-${i}`,
      pick(industries),
      num(),
      money(),
      pick(['1.250.000,50', '999.999', '1.000.000', '2,5 mln', '', '12,5', '1 000 000']),
      pick(COUNTRIES),
      pick(TITLES),
      pick(EMAILS),
      num(),
      pick(['0', '1', '2', '3', '7', '12', '', '1.5', '-1', 'many']),
      pick(usDates),
      pick(euDates),
      pick(FORMS.bool),
      money(),
      pick(STAGES),
      pick(TAGS),
    ]);
  }
  return { name: `parity-${count}`, rules: PARITY_RULES, csv: toCsv(header, rows), id: 'lead_id', asOf: '2026-11-01' };
}

/**
 * Numbers at and past the range a score holds (1e12 points; beyondPoints in src/ops/points.ts), and ordinary ones.
 * None below 1 in size but 0: PostgreSQL raises an error where a product or quotient of doubles overflows or
 * underflows (1e308 / 1e-300 in a ratio, 1e-300 × a decay factor), which icp's rules do not guard against.
 */
const BEYOND_NUMBERS = ['1e308', '-1e308', '1.7976931348623157e308', '1e300', '-1e300', '1e13', '1e12', '1e11', '100000000001', '-100000000001', '99999999999.99', '5e10', '4e10', '3', '-2', '0', '12.345', '2.5k', '', 'n/a'];

/** points_per on huge values: uncapped, capped, floored, weighted, in a weighted group, decayed, on a ratio. */
export const BEYOND_RULES = `version: 1
name: beyond
id: id
columns:
  a: { aliases: [A] }
  b: { aliases: [B] }
  last: { aliases: [Last], date_order: YMD }
groups:
  raw: {}
  capped: { weight: 2, cap: 150 }
  decayed: { decay: { date: last, half_life_days: 30 } }
  heavy: { weight: 10 }
criteria:
  - { id: free, group: raw, column: a, points_per: 10 }
  - { id: neg, group: raw, column: b, points_per: -3, unknown: { policy: penalty, points: -4 } }
  - { id: zero, group: raw, column: b, points_per: 4, weight: 0 }
  - { id: cap, group: capped, column: a, points_per: 2.5, cap: 100, floor: -5 }
  - { id: capw, group: capped, column: b, points_per: 1, cap: 40, weight: 3, unknown: neutral }
  - { id: ratio, group: capped, value: { ratio: [a, b] }, points_per: 1, cap: 9, floor: -9 }
  - { id: dec, group: decayed, column: a, points_per: 1.5, cap: 60 }
  - { id: decfree, group: decayed, column: b, points_per: 0.5 }
  - { id: heavy, group: heavy, column: a, points_per: 0.1 }
tiers: [{ name: A, min: 100 }, { name: B, min: 0 }, { name: C }]
reasons: 3
`;

/** The same criteria as a weighted average (every group bounded: capped criteria, or a group cap). */
export const BEYOND_RULES_AVERAGE = BEYOND_RULES.replace('name: beyond', 'name: beyond average\ntotal: { method: weighted_average }')
  .replace('raw: {}', 'raw: { cap: 50, floor: -50 }')
  .replace('decayed: { decay:', 'decayed: { cap: 80, decay:')
  .replace('heavy: { weight: 10 }', 'heavy: { weight: 10, cap: 30 }');

/** Every BEYOND_NUMBERS value of A against every one of B, with recent, old and missing activity dates. */
export function beyondLeads(rules = BEYOND_RULES): SqlFixture {
  const dates = ['2026-10-30', '2026-09-01', '', '2020-01-01', 'soon'];
  const rows: string[][] = [];
  let k = 0;
  for (const a of BEYOND_NUMBERS) for (const b of BEYOND_NUMBERS) rows.push([`H-${k}`, a, b, dates[k++ % dates.length]!]);
  return { name: rules === BEYOND_RULES ? 'beyond' : 'beyond-average', rules, csv: toCsv(['id', 'A', 'B', 'Last'], rows), id: 'id', asOf: '2026-11-01' };
}

/**
 * parityLeads with a Signup column the rules do not use (ISO, month-first and unreadable dates, placeholders and
 * blanks), scored as of each lead's date in `asOfColumn` (a rules column such as created, or Signup).
 */
export function asOfColumnLeads(count: number, seed: number, asOfColumn: string): SqlFixture {
  const f = parityLeads(count, seed);
  const signups = ['2026-11-01', '2026-06-15', '2025-12-31', '2027-03-01', '10/28/2026', '', 'N/A', 'soon', '2026-10-31T23:00:00Z'];
  const lines = f.csv.trimEnd().split('\n');
  const csv = lines.map((l, i) => `${l},${i === 0 ? 'Signup' : signups[(i * 7) % signups.length]}`).join('\n') + '\n';
  return { ...f, name: `parity-as-of-${asOfColumn.toLowerCase()}`, csv, asOf: '', asOfColumn };
}

/** A multi-value column to load as an array (which icp sql refuses at run time) or as text: one lead, two tags. */
export const ARRAY_FIXTURE: SqlFixture = {
  name: 'array',
  rules: `version: 1
id: id
columns:
  tags: { aliases: [Tags], separator: ";" }
groups: { g: {} }
criteria:
  - { id: tags, group: g, value: { count: tags }, gte: 2, points: 2 }
tiers: [{ name: A, min: 1 }, { name: B }]
`,
  csv: 'id,Tags\n1,cloud;ai\n',
  id: 'id',
  asOf: '2026-11-01',
};

/** Rows as CSV text (RFC 4180 quoting, LF line ends). */
export function toCsv(header: string[], rows: string[][]): string {
  const q = (v: string) => (/[",\n\r]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(q).join(',')).join('\n') + '\n';
}
