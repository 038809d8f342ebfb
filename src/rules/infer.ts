// A starter rules file guessed from an export's header and a sample of its values (`icp init --from`).
// Pure: header and rows in, commented YAML text out. Every guess is written as a comment the user can check.
import {
  DEFAULT_PLACEHOLDERS,
  dateOrderEvidence,
  makeIsMissing,
  normalizeText,
  parseBool,
  parseDate,
  parseNumber,
  type DecimalMode,
} from '../values/index.js';

export interface InferInput {
  /** The export's name, for comments. */
  file: string;
  /** Header names as the reader keys them (what column aliases are matched against). */
  header: readonly string[];
  /** Sample data rows, fields in header order. */
  rows: readonly { line: number; fields: readonly string[] }[];
  /** Path written in the editor-schema modeline, or undefined for none. */
  schemaPath?: string;
  decimal?: DecimalMode;
}

export interface InferResult {
  text: string;
  /** Headers used, by logical column. */
  columns: { name: string; header: string; role: string }[];
  /** Headers left out, with why. */
  unused: { header: string; why: string }[];
  criteria: number;
}

/** What the sample says about one column. */
interface Profile {
  index: number;
  header: string;
  key: string;
  present: number;
  numbers: number[];
  dates: number;
  dmy: number;
  mdy: number;
  bools: number;
  multi: number;
  /** Normalised value (each value of a multi-value cell) → count and the first spelling seen; bounded. */
  values: Map<string, { count: number; shown: string }>;
  distinct: number;
  emails: number;
  longText: number;
}

const MAX_DISTINCT = 500;

function profile(input: InferInput): Profile[] {
  const isMissing = makeIsMissing([...DEFAULT_PLACEHOLDERS]);
  const decimal = input.decimal ?? 'auto';
  return input.header.map((header, index) => {
    const p: Profile = { index, header, key: headerKey(header), present: 0, numbers: [], dates: 0, dmy: 0, mdy: 0, bools: 0, multi: 0, values: new Map(), distinct: 0, emails: 0, longText: 0 };
    const seen = new Set<string>();
    for (const r of input.rows) {
      const v = (r.fields[index] ?? '').trim();
      if (v === '' || isMissing(v)) continue;
      p.present++;
      const n = parseNumber(v, decimal);
      if (n !== undefined && Number.isFinite(n)) p.numbers.push(n);
      if (parseDate(v, 'auto') !== undefined) p.dates++;
      else {
        const ev = dateOrderEvidence(v);
        if (ev === 'DMY') p.dmy++;
        else if (ev === 'MDY') p.mdy++;
        else if (ev === 'either') p.dates++;
      }
      if (parseBool(v) !== undefined) p.bools++;
      if (v.includes(';')) p.multi++;
      if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) p.emails++;
      if (v.length > 60) p.longText++;
      const k = normalizeText(v);
      if (!seen.has(k)) {
        seen.add(k);
        p.distinct++;
      }
      // Values of multi-value cells ("SaaS; Fintech") count one by one, as `in:` matches them.
      for (const part of v.includes(';') ? v.split(';').map((x) => x.trim()).filter((x) => x && !isMissing(x)) : [v]) {
        const pk = part === v ? k : normalizeText(part);
        const e = p.values.get(pk);
        if (e) e.count++;
        else if (p.values.size < MAX_DISTINCT) p.values.set(pk, { count: 1, shown: part });
      }
    }
    return p;
  });
}

/** Header match key: lower case, letters and digits only (as column aliases are matched). */
function headerKey(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const share = (n: number, p: Profile): number => (p.present ? n / p.present : 0);
const isNumeric = (p: Profile): boolean => p.present > 0 && share(p.numbers.length, p) >= 0.8 && share(p.dates, p) < 0.5;
const isDate = (p: Profile): boolean => p.present > 0 && share(p.dates + Math.max(p.dmy, p.mdy), p) >= 0.8 && !(p.dmy && p.mdy);
const isBool = (p: Profile): boolean => p.present > 0 && share(p.bools, p) >= 0.95 && p.distinct <= 4;
const isCategorical = (p: Profile): boolean => p.present > 0 && !isNumeric(p) && !isDate(p) && p.longText === 0 && p.distinct <= Math.max(20, p.present * 0.5);

/** Most frequent values, with the first spelling seen. */
function topValues(p: Profile, n: number): { shown: string; count: number }[] {
  return [...p.values.values()].sort((a, b) => b.count - a.count || (a.shown < b.shown ? -1 : 1)).slice(0, n);
}

/** Two significant digits: 151 → 150, 8_734_000 → 8_700_000. */
export function nice(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  const p = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  return Math.round(Math.round(x / p) * p * 1e6) / 1e6;
}

/** 1-2-5 rounding of a small rate: 0.0074 → 0.005, 1.67 → 2. */
function rate(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  const k = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
  return Math.round(k * p * 1e9) / 1e9;
}

function quantile(sorted: number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

const q = (s: string): string => JSON.stringify(s);
const num = (n: number): string => String(n);
const list = (xs: string[]): string => `[${xs.map(q).join(', ')}]`;
/** A YAML line with a trailing comment, comments lined up at column 52 where the line allows. */
const note = (line: string, comment: string): string => `${line.padEnd(50)}  # ${comment}`;

type Role =
  | 'id'
  | 'email'
  | 'title'
  | 'industry'
  | 'employees'
  | 'revenue'
  | 'country'
  | 'stage'
  | 'last_activity'
  | 'count'
  | 'flag'
  | 'negative_flag'
  | 'budget'
  | 'authority'
  | 'need'
  | 'timeline'
  | 'outcome';

/** Header-name patterns (on the match key) for each role, most specific first. */
const NAME_ROLES: [Role, RegExp][] = [
  ['outcome', /^(converted|isconverted|won|iswon|closedwon|outcome|label|target|churned)$/],
  ['id', /^((record|lead|contact|prospect|account|customer|person|deal|opportunity)?(id|number|no))$/],
  ['email', /e?mail(address)?$|^email|emailwork/],
  ['negative_flag', /^(donot|dont|unsubscribed|optedout|optout|bounced|spam|invalid|blacklist|donotcontact)/],
  ['last_activity', /^last.*(activity|contact|engag|visit|touch|seen|interaction|meeting|open|click)|lastmodified/],
  ['budget', /budget/],
  ['authority', /authority|buyingrole|decisionmaker|contactrole|^role$/],
  ['need', /^need|painpoint|usecase|^pains?$/],
  ['timeline', /timeline|timeframe|purchasetime|expectedclose|decisiondate|buyingtime/],
  ['employees', /employee|headcount|staff|companysize|noofemp/],
  ['revenue', /revenue|turnover|annualsales|^arr$|^mrr$/],
  ['industry', /industry|sector|vertical|specialization|specialisation|segment/],
  ['country', /country|region|location|^state$|territory|^city$/],
  ['title', /title|position|designation|jobrole|seniority/],
  ['stage', /lifecycle|leadstatus|stage|^status$/],
  ['count', /visit|pageview|views|click|opens?$|opened|download|timespent|sessions|meetings|calls|emailssent|replies/],
  ['flag', /webinar|demo|attended|downloaded|trial|signup|signedup|requested|event|tradeshow|meeting|registered/],
];

const ROLE_NAME: Record<Role, string> = {
  id: 'the lead id',
  email: 'an e-mail',
  title: 'a job title',
  industry: 'the industry',
  employees: 'the company size',
  revenue: 'the revenue',
  country: 'the location',
  stage: 'the lifecycle stage',
  last_activity: 'the last activity date',
  count: 'an activity count',
  flag: 'an engagement flag',
  negative_flag: 'an opt-out flag',
  budget: 'the budget',
  authority: 'the buying role',
  need: 'the need',
  timeline: 'the timeline',
  outcome: 'an outcome',
};
const ROLE_VALUES: Record<Role, string> = {
  id: 'unique',
  email: 'e-mail addresses',
  title: 'text',
  industry: 'a short list of categories',
  employees: 'numbers',
  revenue: 'numbers',
  country: 'a short list of categories',
  stage: 'a short list of categories',
  last_activity: 'dates',
  count: 'numbers',
  flag: 'yes/no',
  negative_flag: 'yes/no',
  budget: 'usable',
  authority: 'a short list of categories',
  need: 'usable',
  timeline: 'dates or a short list of categories',
  outcome: 'usable',
};

const FREE_MAIL = '@(gmail|googlemail|yahoo|hotmail|outlook|live|icloud|aol|gmx|proton(mail)?|mail|yandex)\\.';
const SENIOR = '\\b(ceo|cfo|cto|coo|cro|cmo|founder|owner|president|vp|vice president|head of|director|chief|partner)\\b';

interface Crit {
  group: 'fit' | 'engagement' | 'bant';
  yaml: string[];
  max: number;
  min: number;
}

/** Guess a commented starter rules file from an export's header and sample rows. */
export function inferRules(input: InferInput): InferResult {
  const profiles = profile(input);
  const used = new Map<number, { name: string; role: Role }>();
  const unused: { header: string; why: string }[] = [];
  const names = new Set<string>();
  const logical = (base: string): string => {
    let n = base;
    for (let k = 2; names.has(n); k++) n = `${base}_${k}`;
    names.add(n);
    return n;
  };

  // Roles by header name, each checked against the values; the id is the first unique column failing all else.
  const roleOf = new Map<number, Role>();
  const why = new Map<number, string>();
  const taken = new Set<Role>();
  const single = new Set<Role>(['id', 'email', 'title', 'industry', 'employees', 'revenue', 'country', 'stage', 'last_activity', 'budget', 'authority', 'need', 'timeline']);
  for (const p of profiles) {
    // The first role whose name pattern matches and whose values fit ("Email Clicks" is a count, not an e-mail).
    for (const [role, re] of NAME_ROLES) {
      if (!re.test(p.key)) continue;
      if (single.has(role) && taken.has(role)) {
        why.set(p.index, `named like ${ROLE_NAME[role]}, which another column already gives`);
        continue;
      }
      if (!fits(role, p)) {
        why.set(p.index, `named like ${ROLE_NAME[role]}, but its values are not ${ROLE_VALUES[role]}`);
        continue;
      }
      roleOf.set(p.index, role);
      taken.add(role);
      break;
    }
  }
  if (!taken.has('id')) {
    const unique = profiles.find((p) => !roleOf.has(p.index) && p.present === input.rows.length && p.distinct === p.present && p.present > 0);
    const idp = unique ?? profiles.find((p) => !roleOf.has(p.index)) ?? profiles[0]!;
    roleOf.set(idp.index, 'id');
  }

  const columnsYaml: string[] = [];
  const crits: Crit[] = [];
  const disq: string[][] = [];
  let idName = 'lead_id';
  let decayColumn: string | undefined;
  const ids = new Set<string>();
  const critId = (base: string): string => {
    let n = base;
    for (let k = 2; ids.has(n); k++) n = `${base}_${k}`;
    ids.add(n);
    return n;
  };

  for (const p of profiles) {
    const role = roleOf.get(p.index);
    if (!role) {
      unused.push({ header: p.header, why: p.present === 0 ? 'empty in the sample' : (why.get(p.index) ?? 'no guess from its name') });
      continue;
    }
    if (role === 'outcome') {
      unused.push({ header: p.header, why: 'looks like an outcome (filled in after the sale); scoring on it would leak the answer' });
      continue;
    }
    const base = role === 'id' ? 'lead_id' : role === 'count' || role === 'flag' || role === 'negative_flag' ? slug(p.header) : role;
    const name = logical(base);
    used.set(p.index, { name, role });
    const opts: string[] = [];
    if (isDate(p) && (p.dmy || p.mdy) && ['last_activity', 'timeline'].includes(role)) opts.push(`date_order: ${p.dmy ? 'DMY' : 'MDY'}`);
    if (p.multi > 0 && ['industry', 'need'].includes(role)) opts.push('separator: ";"');
    columnsYaml.push(opts.length ? `  ${name}:\n    aliases: [${q(p.header)}]\n${opts.map((o) => `    ${o}\n`).join('')}`.trimEnd() : `  ${name}: [${q(p.header)}]`);

    const stats = describeSample(p);
    const add = (group: Crit['group'], max: number, min: number, lines: string[]): void => {
      crits.push({ group, max, min, yaml: lines });
    };
    switch (role) {
      case 'id':
        idName = name;
        break;
      case 'email':
        add('fit', 5, 0, [
          `  - id: ${critId('business_email')}`,
          '    label: Business e-mail domain',
          '    group: fit',
          `    column: ${name}`,
          '    not:',
          `      matches: ${q(FREE_MAIL)}`,
          '    points: 5',
        ]);
        break;
      case 'title':
        add('fit', 10, 0, [
          `  - id: ${critId('senior_title')}`,
          '    label: Senior decision-maker title',
          '    group: fit',
          `    column: ${name}`,
          `    matches: ${q(SENIOR)}`,
          '    points: 10',
        ]);
        break;
      case 'industry':
      case 'country': {
        const top = topValues(p, 3);
        const rest = topValues(p, 8).slice(3);
        const pts = role === 'industry' ? 15 : 5;
        add('fit', pts, 0, [
          `  - id: ${critId(role === 'industry' ? 'industry' : 'region')}`,
          `    label: ${role === 'industry' ? 'Target industry' : 'Served region'}`,
          '    group: fit',
          `    column: ${name}`,
          note(`    in: ${list(top.map((t) => t.shown))}`, 'the most frequent values in the sample: keep the ones you target'),
          ...(rest.length ? [`    # other values seen: ${rest.map((t) => `${t.shown} (${t.count})`).join(', ')}`] : []),
          `    points: ${pts}`,
        ]);
        break;
      }
      case 'employees':
      case 'revenue':
      case 'budget': {
        const b = bands(p);
        const pts = role === 'employees' ? [15, 6, -10] : role === 'revenue' ? [10, 5, -5] : [10, 5, -5];
        const group = role === 'budget' ? 'bant' : 'fit';
        const label = role === 'employees' ? 'Company size' : role === 'revenue' ? 'Annual revenue' : 'Budget';
        if (b) {
          add(group, pts[0]!, pts[2]!, [
            `  - id: ${critId(role === 'employees' ? 'company_size' : role)}`,
            `    label: ${label}`,
            `    group: ${group}`,
            `    column: ${name}`,
            note('    bands:', stats),
            `      ideal:      { gte: ${num(b.hi)}, points: ${pts[0]} }`,
            ...(b.lo !== undefined ? [`      acceptable: { between: [${num(b.lo)}, ${num(b.hi)}], points: ${pts[1]} }`] : []),
            `      avoid:      { lt: ${num(b.lo ?? b.hi)}, points: ${pts[2]} }`,
            ...(role === 'employees' ? [note('    unknown: neutral', 'unknown size: half of the best band')] : []),
          ]);
        } else {
          add(group, 5, 0, [`  - id: ${critId(role)}`, `    label: ${label} known`, `    group: ${group}`, `    column: ${name}`, '    present: true', '    points: 5']);
        }
        break;
      }
      case 'stage': {
        const qualified = topValues(p, MAX_DISTINCT).filter((t) => /\b(mql|sql|qualified|opportunit|proposal|negotiat|demo)/i.test(t.shown));
        const values = qualified.length ? qualified.slice(0, 5) : topValues(p, 1);
        add('engagement', 5, 0, [
          `  - id: ${critId('qualified_stage')}`,
          '    label: Qualified stage',
          '    group: engagement',
          `    column: ${name}`,
          qualified.length ? `    in: ${list(values.map((t) => t.shown))}` : note(`    in: ${list(values.map((t) => t.shown))}`, 'the most frequent value: list the stages that mean "qualified"'),
          '    decay: false',
          '    points: 5',
        ]);
        const customer = topValues(p, MAX_DISTINCT).filter((t) => /\bcustomer\b|\bclient\b|closed ?won/i.test(t.shown));
        if (customer.length) {
          disq.push([`  - id: ${critId('existing_customer')}`, '    reason: Already a customer', `    column: ${name}`, `    in: ${list(customer.map((t) => t.shown))}`]);
        }
        break;
      }
      case 'last_activity':
        decayColumn ??= name;
        add('engagement', 5, 0, [
          `  - id: ${critId('recent_activity')}`,
          '    label: Active in the last 30 days',
          '    group: engagement',
          `    column: ${name}`,
          '    within_days: 30',
          '    points: 5',
          note('    decay: false', 'recency is the condition itself'),
        ]);
        break;
      case 'count': {
        const sorted = [...p.numbers].sort((a, b) => a - b);
        const median = sorted.length ? quantile(sorted, 0.5) : 1;
        const per = rate(median > 0 ? 5 / median : 1);
        add('engagement', 10, 0, [
          `  - id: ${critId(name)}`,
          `    label: ${yamlText(p.header)}`,
          '    group: engagement',
          `    column: ${name}`,
          note(`    points_per: ${num(per)}`, stats),
          '    cap: 10',
        ]);
        break;
      }
      case 'flag':
      case 'negative_flag': {
        const neg = role === 'negative_flag';
        add(neg ? 'fit' : 'engagement', neg ? 0 : 8, neg ? -5 : 0, [
          `  - id: ${critId(name)}`,
          `    label: ${yamlText(p.header)}`,
          `    group: ${neg ? 'fit' : 'engagement'}`,
          `    column: ${name}`,
          note('    is: true', 'yes/no, true/false, 1/0, x'),
          `    points: ${neg ? -5 : 8}`,
        ]);
        break;
      }
      case 'authority': {
        const dm = topValues(p, MAX_DISTINCT).filter((t) => /decision|economic|signer|owner|approver/i.test(t.shown));
        const inf = topValues(p, MAX_DISTINCT).filter((t) => /influenc|champion|evaluat|technical/i.test(t.shown));
        const lines = [`  - id: ${critId('authority')}`, '    label: Decision-maker', '    group: bant', `    column: ${name}`];
        if (dm.length) {
          lines.push('    bands:', `      - { label: decision maker, in: ${list(dm.map((t) => t.shown))}, points: 10 }`);
          if (inf.length) lines.push(`      - { label: influencer, in: ${list(inf.map((t) => t.shown))}, points: 5 }`);
        } else lines.push(note(`    in: ${list(topValues(p, 1).map((t) => t.shown))}`, 'the most frequent value: list the roles that decide'), '    points: 10');
        add('bant', 10, 0, lines);
        break;
      }
      case 'need':
        add('bant', 10, 0, isBool(p)
          ? [`  - id: ${critId('need')}`, '    label: Need confirmed', '    group: bant', `    column: ${name}`, '    is: true', '    points: 10']
          : [`  - id: ${critId('need')}`, '    label: Need stated', '    group: bant', `    column: ${name}`, '    present: true', '    points: 10']);
        break;
      case 'timeline': {
        if (isDate(p)) {
          add('bant', 10, 0, [
            `  - id: ${critId('timeline')}`,
            '    label: Decision within 90 days',
            '    group: bant',
            note(`    value: { days_since: ${name} }`, 'negative = in the future'),
            '    between: [-90, 1]',
            '    points: 10',
          ]);
        } else {
          const soon = topValues(p, MAX_DISTINCT).filter((t) => /\b(0|1|2|3)\s*-\s*3\b|quarter|immediate|asap|this month|< ?3|30 days|60 days|90 days/i.test(t.shown));
          const values = soon.length ? soon : topValues(p, 1);
          add('bant', 10, 0, [
            `  - id: ${critId('timeline')}`,
            '    label: Buying soon',
            '    group: bant',
            `    column: ${name}`,
            soon.length ? `    in: ${list(values.map((t) => t.shown))}` : note(`    in: ${list(values.map((t) => t.shown))}`, 'the most frequent value: list the answers that mean "soon"'),
            '    points: 10',
          ]);
        }
        break;
      }
    }
  }

  if (crits.length === 0) {
    // Nothing recognisable: score the presence of a few filled-in columns, so the file runs and shows the form.
    const fill = profiles.filter((p) => roleOf.get(p.index) !== 'id' && p.present > 0).slice(0, 3);
    for (const p of fill) {
      const name = logical(slug(p.header));
      used.set(p.index, { name, role: 'need' });
      const u = unused.findIndex((x) => x.header === p.header);
      if (u >= 0) unused.splice(u, 1);
      columnsYaml.push(`  ${name}: [${q(p.header)}]`);
      crits.push({ group: 'fit', max: 5, min: 0, yaml: [`  - id: ${critId(`has_${name}`)}`, `    label: ${yamlText(p.header)} given`, '    group: fit', `    column: ${name}`, '    present: true', '    points: 5']});
    }
    if (crits.length === 0) {
      const idCol = [...used.values()].find((u) => u.role === 'id')!.name;
      crits.push({ group: 'fit', max: 1, min: 0, yaml: [`  - id: has_id`, '    label: Has an id', '    group: fit', `    column: ${idCol}`, '    present: true', '    points: 1'] });
    }
  }

  // Groups that have criteria, engagement capped so one noisy signal cannot dominate.
  const groupsUsed = (['fit', 'engagement', 'bant'] as const).filter((g) => crits.some((c) => c.group === g));
  const sumMax = (g: string): number => crits.filter((c) => c.group === g).reduce((s, c) => s + Math.max(0, c.max), 0);
  const engagementCap = sumMax('engagement') > 30 ? 30 : undefined;
  const groupMax = (g: string): number => (g === 'engagement' && engagementCap !== undefined ? engagementCap : sumMax(g));
  const max = groupsUsed.reduce((s, g) => s + groupMax(g), 0);
  const tiers = tierMins(max);

  const out: string[] = [];
  if (input.schemaPath) out.push(`# yaml-language-server: $schema=${input.schemaPath}`, '#');
  out.push(
    `# Starter icp rules guessed from the header and the first ${input.rows.length} rows of ${input.file}.`,
    '# Every column, value list, band and point below is a guess to check against your ICP, then:',
    `#   icp validate --rules <this file> ${input.file}`,
    `#   icp explain <lead-id> ${input.file} --rules <this file>`,
    'version: 1',
    `name: ${q(`ICP for ${baseName(input.file)}`)}`,
    '',
    '# The lead id column, by its logical name (see columns).',
    `id: ${idName}`,
    '',
    '# Logical columns → the header names they have in this export. Add other CRMs\' names to each list.',
    'columns:',
    ...columnsYaml,
    '',
    '# What an unknown value (empty, a placeholder such as "N/A", or unparseable) scores: zero | neutral | penalty.',
    'unknown: zero',
    '',
    'groups:',
  );
  for (const g of groupsUsed) {
    const label = g === 'fit' ? 'Firmographic fit' : g === 'engagement' ? 'Engagement' : 'BANT';
    if (g === 'engagement' && (engagementCap !== undefined || decayColumn)) {
      out.push('  engagement:', `    label: ${label}`, '    weight: 1');
      if (engagementCap !== undefined) out.push(note(`    cap: ${engagementCap}`, 'one noisy signal must not dominate'));
      if (decayColumn) out.push(note(`    decay: { date: ${decayColumn}, half_life_days: 30 }`, 'points halve every 30 days since the last activity'));
    } else out.push(`  ${g}: { label: ${label}, weight: 1 }`);
  }
  out.push('', 'criteria:');
  for (const g of groupsUsed) {
    out.push(`  # --- ${g === 'fit' ? 'Fit' : g === 'engagement' ? 'Engagement' : 'BANT'} ${'-'.repeat(60)}`.slice(0, 80));
    for (const c of crits.filter((x) => x.group === g)) out.push(...c.yaml, '');
  }
  if (disq.length) {
    out.push('disqualifiers:');
    for (const d of disq) out.push(...d);
    out.push('');
  }
  out.push(
    `# Tiers from best to worst (the most a lead can score here is ${max}); the last one takes every lower score.`,
    'tiers:',
    `  - { name: A, min: ${tiers[0]}, label: hot }`,
    `  - { name: B, min: ${tiers[1]}, label: warm }`,
    `  - { name: C, min: ${tiers[2]}, label: cool }`,
    '  - { name: D, label: cold }',
    '',
    'reasons: 3',
  );
  if (unused.length) {
    out.push('', '# Columns left out:');
    for (const u of unused) out.push(`#   ${JSON.stringify(u.header)}: ${u.why}`);
  }
  const columns = [...used.entries()].map(([i, u]) => ({ name: u.name, header: input.header[i]!, role: u.role }));
  return { text: `${out.join('\n')}\n`, columns, unused, criteria: crits.length };
}

/** Whether a column's values fit the role its name suggests. */
function fits(role: Role, p: Profile): boolean {
  if (p.present === 0) return role === 'id';
  switch (role) {
    case 'id':
      return p.distinct >= p.present * 0.95;
    case 'email':
      return share(p.emails, p) >= 0.5;
    case 'employees':
    case 'revenue':
    case 'count':
      return isNumeric(p);
    case 'budget':
      return true;
    case 'last_activity':
      return isDate(p);
    case 'flag':
    case 'negative_flag':
      return isBool(p);
    case 'industry':
    case 'country':
    case 'stage':
    case 'authority':
      return isCategorical(p);
    case 'timeline':
      return isDate(p) || isCategorical(p);
    case 'need':
      return true;
    case 'title':
      return !isNumeric(p) && !isDate(p);
    case 'outcome':
      return true;
  }
}

/** Ideal from the median up, acceptable from the lower quartile to the median, avoid below: rounded. */
function bands(p: Profile): { hi: number; lo?: number } | undefined {
  if (!isNumeric(p) || p.numbers.length < 2) return undefined;
  const s = [...p.numbers].sort((a, b) => a - b);
  const hi = nice(quantile(s, 0.5));
  const lo = nice(quantile(s, 0.25));
  if (!(hi > 0)) return undefined;
  return lo > 0 && lo < hi ? { hi, lo } : { hi };
}

function describeSample(p: Profile): string {
  if (!p.numbers.length) return `${p.present} values in the sample`;
  const s = [...p.numbers].sort((a, b) => a - b);
  const f = (x: number): string => String(Math.round(x * 100) / 100);
  return `sample: lower quartile ${f(quantile(s, 0.25))}, median ${f(quantile(s, 0.5))}, max ${f(s[s.length - 1]!)}`;
}

/** Tier minimums at 60 %, 35 % and 15 % of the most a lead can score, rounded and strictly decreasing. */
function tierMins(max: number): [number, number, number] {
  const r = (x: number): number => (max >= 20 ? Math.round(x / 5) * 5 : Math.round(x));
  let a = r(max * 0.6);
  let b = r(max * 0.35);
  let c = r(max * 0.15);
  if (c < 1) c = 1;
  if (b <= c) b = c + 1;
  if (a <= b) a = b + 1;
  return [a, b, c];
}

function slug(header: string): string {
  const s = header
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(s) ? s.slice(0, 40) : `c_${s}`.slice(0, 40);
}

/** A label as a plain YAML scalar when safe, else quoted. */
function yamlText(s: string): string {
  return /^[A-Za-z][A-Za-z0-9 ()/.'-]*$/.test(s) && !/: |\s#/.test(s) ? s : q(s);
}

function baseName(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}
