// What each column of an export is, from its header and its sampled values: the lead id, a scoring signal, an
// outcome or an after-the-fact column to leave out, or nothing recognised — each with the reason. Pure.
import { headerKey } from '../plan/bind.js';
import { isDateLike, kindOf, shareOf, type ColumnProfile, type ExportProfile } from './profile.js';

/** A signal init knows how to score. */
export type Role =
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
  | 'timeline';

/** Why a column is not scored. `outcome` and `after` would leak the answer into the score. */
export type LeftOutKind = 'outcome' | 'after' | 'id' | 'contact' | 'empty' | 'unrecognised' | 'taken' | 'mismatch';

export interface ColumnRole {
  index: number;
  header: string;
  /** The signal it is, when recognised and its values fit. */
  role?: Role;
  /** Why it is left out (every column without a role has one). */
  leftOut?: { kind: LeftOutKind; why: string };
}

/** The lead id: a column, or the record's line number when no column is unique in the sample. */
export type IdChoice = { column: number; why: string } | { column: null; why: string };

export interface Roles {
  id: IdChoice;
  /** One per column, in header order. */
  columns: ColumnRole[];
}

export interface RoleOptions {
  /** Columns (indices) known to be the outcome, e.g. from `--outcome`: left out as such whatever their name. */
  outcome?: readonly number[];
}

/** Header-name patterns (on the match key: lower case, letters and digits) for each role, most specific first. */
const NAME_ROLES: [Role, RegExp][] = [
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
};

const ROLE_VALUES: Record<Role, string> = {
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
  budget: 'filled in',
  authority: 'a short list of categories',
  need: 'filled in',
  timeline: 'dates or a short list of categories',
};

/** Roles one column gives for the whole export (a second "Industry" is left out). */
const SINGLE = new Set<Role>(['email', 'title', 'industry', 'employees', 'revenue', 'country', 'stage', 'last_activity', 'budget', 'authority', 'need', 'timeline']);

/** The outcome itself: whether the lead converted. */
const OUTCOME_NAME = /^(is|has)?(converted|conversion|won|closedwon|outcome|label|target|churned|y|class)$/;
/** Known only after the outcome: when or for how much a deal closed, why it was lost. */
const AFTER_NAME = /^(close|closed|closing)|(won|lost|closed?|conversion|converted|churn)(date|at|on|time|day|value|amount|reason|by)|(lost|loss|churn|disqualified?)reason|reason(lost|for(loss|losing))/;
/** A date or value planned before the deal closes ("Expected Close Date"): known while the lead is open. */
const PLANNED = /^(expected|planned|estimated|target|forecast|projected)/;
/** A judgement someone already made about the lead (sales, another model): it copies that judgement. */
const JUDGED_NAME = /(leadscore|leadgrade|leadquality|^score$|^grade$|^rating$|quality$|asymmetrique)/;
/** Values saying how a deal or lead ended. */
const WON_VALUE = /\b(won|closed ?won|converted)\b/i;
const LOST_VALUE = /\b(lost|closed ?lost)\b/i;
// Not "converted": X Education's "Converted to Lead" is an activity, not how the lead ended.
const ENDED_VALUE = /\b(won|lost|closed)\b/i;
/** Contact details: who the lead is, not whether it fits. */
const CONTACT_NAME = /^(first|last|full|middle|given|family|sur|contact|person|lead)?name$|^(phone|mobile|tel|telephone|fax|street|address|zip|zipcode|postcode|postalcode|website|url|linkedin|twitter|notes?|description|comments?)/;
/** Words that end an id-like header ("Record ID", "Lead Number", "mql_id"). */
const ID_WORD = /^(id|uuid|guid|key|number|no|nr|code)$/;
const NOT_ID_WORD = /^(phone|mobile|tel|telephone|fax|zip|postal|house|street|vat|tax|account|reference)$/;

/** The words of a header: "Prospect ID" → [prospect, id], "opportunityId" → [opportunity, id]. */
function words(header: string): string[] {
  return header
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Whether a header reads like an id column. */
export function idLikeName(header: string): boolean {
  const w = words(header);
  if (w.length === 0) return false;
  const last = w[w.length - 1]!;
  if (!ID_WORD.test(last)) return false;
  return w.length === 1 ? last !== 'no' && last !== 'number' && last !== 'code' : !NOT_ID_WORD.test(w[w.length - 2]!);
}

const quote = (s: string): string => JSON.stringify(s);

/** Assign each column its role or the reason it is left out, and choose the lead id. */
export function assignRoles(profile: ExportProfile, options: RoleOptions = {}): Roles {
  const outcome = new Set(options.outcome ?? []);
  const columns: ColumnRole[] = profile.columns.map((p) => ({ index: p.index, header: p.header }));
  const leave = (i: number, kind: LeftOutKind, why: string): void => {
    columns[i]!.leftOut = { kind, why };
  };
  for (const p of profile.columns) {
    const reason = outcome.has(p.index) ? 'the outcome you named: scoring on it would leak the answer' : leakOf(p);
    if (reason) leave(p.index, reason.startsWith('the outcome') || OUTCOME_NAME.test(headerKey(p.header)) || isWonLost(p) ? 'outcome' : 'after', reason);
  }

  const id = chooseId(profile, columns);
  if (id.column !== null) leave(id.column, 'id', 'the lead id');

  const taken = new Map<Role, string>();
  for (const p of profile.columns) {
    const c = columns[p.index]!;
    if (c.leftOut) continue;
    if (p.present === 0) {
      leave(p.index, 'empty', p.rows ? 'empty in the sample' : 'no rows in the sample to judge it by');
      continue;
    }
    const key = headerKey(p.header);
    let why: { kind: LeftOutKind; why: string } | undefined;
    for (const [role, re] of NAME_ROLES) {
      if (!re.test(key)) continue;
      const other = taken.get(role);
      if (SINGLE.has(role) && other !== undefined) {
        why = { kind: 'taken', why: `named like ${ROLE_NAME[role]}, which ${quote(other)} already gives` };
        continue;
      }
      if (!fits(role, p)) {
        why = { kind: 'mismatch', why: `named like ${ROLE_NAME[role]}, but its values are not ${ROLE_VALUES[role]} (${describeValues(p)})` };
        continue;
      }
      c.role = role;
      taken.set(role, p.header);
      break;
    }
    if (c.role) continue;
    if (CONTACT_NAME.test(key)) leave(p.index, 'contact', 'contact details or free text, not a sign of fit or interest');
    else if (why) leave(p.index, why.kind, why.why);
    else leave(p.index, 'unrecognised', `not recognised from its name (${describeValues(p)})`);
  }
  return { id, columns };
}

/** Why a column would leak the outcome into the score, or undefined. */
function leakOf(p: ColumnProfile): string | undefined {
  const key = headerKey(p.header);
  const two = kindOf(p) === 'bool' || p.distinct <= 2;
  if (OUTCOME_NAME.test(key) && (two || key !== 'y')) return 'named like the outcome (whether the lead converted): scoring on it would leak the answer';
  if (isWonLost(p)) {
    const shown = p.top.filter((v) => WON_VALUE.test(v.shown) || LOST_VALUE.test(v.shown)).slice(0, 4).map((v) => quote(v.shown));
    return `its values (${shown.join(', ')}) say how the deal ended: it is the outcome, not a sign of it`;
  }
  if (AFTER_NAME.test(key) && !PLANNED.test(key)) return 'filled in when or after the deal closes: unknown for the open leads you want to rank';
  if (JUDGED_NAME.test(key)) return 'a score, grade or quality someone already gave the lead (often after contact): it would copy that judgement';
  const ended = p.top.filter((v) => ENDED_VALUE.test(v.shown));
  const endedRows = ended.reduce((s, v) => s + v.count, 0);
  if (kindOf(p) === 'category' || kindOf(p) === 'text') {
    if (ended.length && shareOf(endedRows, p) >= 0.05) {
      return `values such as ${ended.slice(0, 3).map((v) => quote(v.shown)).join(', ')} (${pct(shareOf(endedRows, p))} of its values) say how the lead ended: filled in after the fact`;
    }
  }
  return undefined;
}

/** A stage or status column with both won and lost values (a deal stage): the outcome itself. */
function isWonLost(p: ColumnProfile): boolean {
  return p.top.some((v) => WON_VALUE.test(v.shown)) && p.top.some((v) => LOST_VALUE.test(v.shown));
}

/**
 * The lead id: a column whose values are all there and all different in the sample (not a yes/no, a date or a
 * fraction), id-like by name first, then the leftmost; else the line number.
 */
function chooseId(profile: ExportProfile, columns: readonly ColumnRole[]): IdChoice {
  const rows = profile.rows;
  const usable = (p: ColumnProfile): boolean => {
    const kind = kindOf(p);
    return !columns[p.index]!.leftOut && kind !== 'bool' && kind !== 'date' && !(kind === 'number' && p.integers < p.numbers.length);
  };
  const named = profile.columns.filter((p) => idLikeName(p.header) && !columns[p.index]!.leftOut);
  if (rows === 0) {
    const first = named[0];
    return first
      ? { column: first.index, why: `named like an id (the sample has no rows to check that its values are unique)` }
      : { column: null, why: 'the sample has no rows, and no column is named like an id' };
  }
  const unique = profile.columns.filter((p) => p.unique && usable(p));
  const best = unique.find((p) => idLikeName(p.header)) ?? unique[0];
  if (best) {
    const others = unique.filter((p) => p !== best).map((p) => quote(p.header));
    const also = others.length ? `; also unique: ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}` : '';
    return idLikeName(best.header)
      ? { column: best.index, why: `named like an id, and different on every one of the ${rows} rows sampled${also}` }
      : { column: best.index, why: `different on every one of the ${rows} rows sampled, though not named like an id: check it identifies a lead${also}` };
  }
  const repeated = named.map((p) => `${quote(p.header)} ${p.present < rows ? `is empty on ${rows - p.present} rows` : `repeats on ${p.repeats} rows`}`);
  return {
    column: null,
    why: `no column has a value on every row and a different one on each of the ${rows} rows sampled${repeated.length ? ` (${repeated.slice(0, 3).join(', ')})` : ''}`,
  };
}

/** Whether a column's values fit the role its name suggests. */
function fits(role: Role, p: ColumnProfile): boolean {
  const kind = kindOf(p);
  switch (role) {
    case 'email':
      return shareOf(p.emails, p) >= 0.5;
    case 'employees':
    case 'revenue':
    case 'count':
      return kind === 'number';
    case 'last_activity':
      return isDateLike(p);
    case 'flag':
    case 'negative_flag':
      return kind === 'bool';
    case 'industry':
    case 'country':
    case 'stage':
    case 'authority':
      return kind === 'category';
    case 'timeline':
      return isDateLike(p) || kind === 'category';
    case 'title':
      return kind !== 'number' && kind !== 'date';
    case 'budget':
    case 'need':
      return true;
  }
}

/** A few words on a column's values, for reasons: "numbers, 2 distinct", "text, 380 distinct". */
export function describeValues(p: ColumnProfile): string {
  const kind = kindOf(p);
  const what = kind === 'category' ? 'categories' : kind === 'bool' ? 'yes/no' : kind === 'number' ? 'numbers' : kind === 'date' ? 'dates' : kind;
  return `${what}, ${p.distinct} distinct in ${p.present} values`;
}

/** 0.0234 → "2.3 %". */
export function pct(x: number): string {
  const v = x * 100;
  return `${v >= 10 || v === 0 ? Math.round(v) : Math.round(v * 10) / 10} %`;
}
