// The default criteria source of `icp init --from`: one criterion per recognised column, from its role and the
// sample's values (medians for bands, frequent values for lists). Pure.
import { humanize } from './names.js';
import type { CriteriaProposal, DraftContext, DraftCriterion, DraftDisqualifier } from './source.js';
import { isDateLike, kindOf, quantile, type ColumnProfile, type ValueCount } from './profile.js';
import { pct, type Role } from './roles.js';

const FREE_MAIL = '@(gmail|googlemail|yahoo|hotmail|outlook|live|icloud|aol|gmx|proton(mail)?|mail|yandex)\\.';
const SENIOR = '\\b(ceo|cfo|cto|coo|cro|cmo|founder|owner|president|vp|vice president|head of|director|chief|partner)\\b';

/** Criteria guessed from each column's role and sample. */
export function heuristicCriteria(ctx: DraftContext): CriteriaProposal {
  const crits: DraftCriterion[] = [];
  const disqualifiers: DraftDisqualifier[] = [];
  let decay: string | undefined;
  for (const c of ctx.roles.columns) {
    if (!c.role) continue;
    const p = ctx.profile.columns[c.index]!;
    const made = criterionFor(c.role, p, ctx, disqualifiers);
    if (!made) continue;
    crits.push(made);
    if (c.role === 'last_activity') decay ??= ctx.column(c.index);
  }
  // Fit first, then engagement, then BANT, each in header order.
  const order = ['fit', 'engagement', 'bant'];
  crits.sort((a, b) => order.indexOf(a.rule.group) - order.indexOf(b.rule.group));
  const engagementMax = crits.filter((c) => c.rule.group === 'engagement').reduce((s, c) => s + (c.rule.points_per !== undefined ? c.rule.cap ?? 0 : Math.max(0, c.rule.points ?? 0)), 0);
  const cap = engagementMax > 30 ? 30 : undefined;
  const groups: CriteriaProposal['groups'] = {};
  if (cap !== undefined || decay) {
    groups.engagement = {
      group: { label: 'Engagement', weight: 1, ...(cap !== undefined ? { cap } : {}), ...(decay ? { decay: { date: decay, half_life_days: 30 } } : {}) },
      notes: { ...(cap !== undefined ? { cap: 'one noisy signal must not dominate' } : {}), ...(decay ? { decay: 'points halve every 30 days since the last activity' } : {}) },
    };
  }
  return { criteria: crits, disqualifiers, groups };
}

function criterionFor(role: Role, p: ColumnProfile, ctx: DraftContext, dq: DraftDisqualifier[]): DraftCriterion | undefined {
  const column = ctx.column(p.index);
  const label = humanize(p.header);
  const id = (base: string): string => ctx.uniqueId(base);
  switch (role) {
    case 'email':
      return {
        rule: { id: id('business_email'), label: 'Business e-mail domain', group: 'fit', column, not: { matches: FREE_MAIL }, points: 5 },
        comment: `${label}: an address at a free mail provider is a person, not a company.`,
      };
    case 'title':
      return {
        rule: { id: id('senior_title'), label: 'Senior decision-maker title', group: 'fit', column, matches: SENIOR, points: 10 },
        notes: { matches: `${label}: most frequent in the sample: ${sampleOf(p.top, 4)}` },
      };
    case 'industry':
    case 'country': {
      const top = p.top.slice(0, 3);
      const rest = p.top.slice(3, 8);
      const pts = role === 'industry' ? 15 : 5;
      return {
        rule: { id: id(role === 'industry' ? 'industry' : 'region'), label: role === 'industry' ? `Target ${label.toLowerCase()}` : `Served ${label.toLowerCase()}`, group: 'fit', column, in: top.map((t) => t.shown), points: pts },
        notes: { in: `the most frequent values in the sample: keep the ones you target${rest.length ? `; others: ${sampleOf(rest, 5)}` : ''}` },
      };
    }
    case 'employees':
    case 'revenue':
    case 'budget': {
      const group = role === 'budget' ? 'bant' : 'fit';
      const pts = role === 'employees' ? [15, 6, -10] : [10, 5, -5];
      const b = bands(p);
      if (!b) {
        return {
          rule: { id: id(role === 'employees' ? 'company_size' : role), label: `${label} known`, group, column, present: true, points: 5 },
          comment: `${label}: too few numbers in the sample for bands (${describeSample(p)}); scores only that it is filled in.`,
        };
      }
      return {
        rule: {
          id: id(role === 'employees' ? 'company_size' : role),
          label,
          group,
          column,
          bands: {
            ideal: { gte: b.hi, points: pts[0]! },
            ...(b.lo !== undefined ? { acceptable: { between: [b.lo, b.hi] as [number, number], points: pts[1]! } } : {}),
            avoid: { lt: b.lo ?? b.hi, points: pts[2]! },
          },
          ...(role === 'employees' ? { unknown: 'neutral' as const } : {}),
        },
        comment: 'Ideal from the median up, acceptable from the lower quartile, avoid below: move the cut-offs to your ICP.',
        notes: { bands: describeSample(p), ...(role === 'employees' ? { unknown: 'unknown size: half of the best band' } : {}) },
      };
    }
    case 'stage': {
      const qualified = p.top.filter((t) => /\b(mql|sql|qualified|opportunit|proposal|negotiat|demo)/i.test(t.shown) && !/\b(un|dis|not ?)qualified/i.test(t.shown));
      const customer = p.top.filter((t) => /\bcustomer\b|\bclient\b/i.test(t.shown));
      if (customer.length) {
        dq.push({
          rule: { id: id('existing_customer'), reason: 'Already a customer', column, in: customer.map((t) => t.shown) },
          comment: `${label} values that mean the lead already buys.`,
        });
      }
      // Never a stage the disqualifier above rules out: its points would only ever go to disqualified leads.
      const values = qualified.length ? qualified.slice(0, 5) : p.top.filter((t) => !customer.includes(t)).slice(0, 1);
      if (!values.length) return undefined;
      return {
        rule: { id: id('qualified_stage'), label: 'Qualified stage', group: 'engagement', column, in: values.map((t) => t.shown), decay: false, points: 5 },
        notes: { in: qualified.length ? `the stages in the sample that read as qualified; others: ${sampleOf(p.top.filter((t) => !values.includes(t)), 4)}` : 'the most frequent value: list the stages that mean "qualified"' },
      };
    }
    case 'last_activity':
      return {
        rule: { id: id('recent_activity'), label: 'Active in the last 30 days', group: 'engagement', column, within_days: 30, points: 5, decay: false },
        notes: { decay: 'recency is the condition itself' },
      };
    case 'count': {
      const sorted = [...p.numbers].sort((a, b) => a - b);
      const median = sorted.length ? quantile(sorted, 0.5) : 1;
      return {
        rule: { id: id(column), label, group: 'engagement', column, points_per: rate(median > 0 ? 5 / median : 1), cap: 10 },
        notes: { points_per: `a lead at the median gets about 5 points (${describeSample(p)})` },
      };
    }
    case 'flag':
    case 'negative_flag': {
      const neg = role === 'negative_flag';
      return {
        rule: { id: id(column), label, group: neg ? 'fit' : 'engagement', column, is: true, points: neg ? -5 : 8 },
        notes: { is: `yes/no, true/false, 1/0, x; yes on ${pct(yesShare(p))} of the sample` },
      };
    }
    case 'authority': {
      const dm = p.top.filter((t) => /decision|economic|signer|owner|approver/i.test(t.shown));
      const inf = p.top.filter((t) => /influenc|champion|evaluat|technical/i.test(t.shown) && !dm.includes(t));
      if (!dm.length) {
        return {
          rule: { id: id('authority'), label: 'Decision-maker', group: 'bant', column, in: p.top.slice(0, 1).map((t) => t.shown), points: 10 },
          notes: { in: `the most frequent value: list the roles that decide (seen: ${sampleOf(p.top, 5)})` },
        };
      }
      return {
        rule: {
          id: id('authority'),
          label: 'Decision-maker',
          group: 'bant',
          column,
          bands: [
            { label: 'decision maker', in: dm.map((t) => t.shown), points: 10 },
            ...(inf.length ? [{ label: 'influencer', in: inf.map((t) => t.shown), points: 5 }] : []),
          ],
        },
      };
    }
    case 'need':
      return kindOf(p) === 'bool'
        ? { rule: { id: id('need'), label: 'Need confirmed', group: 'bant', column, is: true, points: 10 } }
        : { rule: { id: id('need'), label: 'Need stated', group: 'bant', column, present: true, points: 10 }, notes: { present: `${label} is filled in` } };
    case 'timeline': {
      if (isDateLike(p)) {
        return {
          rule: { id: id('timeline'), label: 'Decision within 90 days', group: 'bant', value: { days_since: column }, between: [-90, 1], points: 10 },
          notes: { value: `${label}: days since it, negative when it is in the future` },
        };
      }
      const soon = p.top.filter((t) => /\b(0|1|2|3)\s*-\s*3\b|quarter|immediate|asap|this month|< ?3|30 days|60 days|90 days/i.test(t.shown));
      const values = soon.length ? soon : p.top.slice(0, 1);
      return {
        rule: { id: id('timeline'), label: 'Buying soon', group: 'bant', column, in: values.map((t) => t.shown), points: 10 },
        notes: { in: soon.length ? `answers in the sample that mean soon; others: ${sampleOf(p.top.filter((t) => !values.includes(t)), 4)}` : 'the most frequent value: list the answers that mean "soon"' },
      };
    }
  }
}

function sampleOf(values: readonly ValueCount[], n: number): string {
  if (!values.length) return 'none';
  return values.slice(0, n).map((v) => `${v.shown} (${v.count})`).join(', ') + (values.length > n ? ', …' : '');
}

function yesShare(p: ColumnProfile): number {
  const yes = p.top.filter((t) => /^(yes|y|true|t|1|x|on|checked|ja|oui|si|tak)$/i.test(t.shown.trim())).reduce((s, t) => s + t.count, 0);
  return p.rows ? yes / p.rows : 0;
}

/** Ideal from the median up, acceptable from the lower quartile to the median, avoid below: rounded. */
function bands(p: ColumnProfile): { hi: number; lo?: number } | undefined {
  if (kindOf(p) !== 'number' || p.numbers.length < 2) return undefined;
  const s = [...p.numbers].sort((a, b) => a - b);
  const hi = nice(quantile(s, 0.5));
  const lo = nice(quantile(s, 0.25));
  if (!(hi > 0)) return undefined;
  return lo > 0 && lo < hi ? { hi, lo } : { hi };
}

function describeSample(p: ColumnProfile): string {
  if (!p.numbers.length) return `${p.present} values in the sample, none a number`;
  const s = [...p.numbers].sort((a, b) => a - b);
  const f = (x: number): string => String(Math.round(x * 100) / 100);
  return `sample: lower quartile ${f(quantile(s, 0.25))}, median ${f(quantile(s, 0.5))}, max ${f(s[s.length - 1]!)}`;
}

/** Two significant digits: 151 → 150, 8_734_000 → 8_700_000. */
export function nice(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  const p = 10 ** (Math.floor(Math.log10(Math.abs(x))) - 1);
  const v = Math.round(Math.round(x / p) * p * 1e6) / 1e6;
  return Number.isFinite(v) ? v : 0;
}

/** 1-2-5 rounding of a small rate: 0.0074 → 0.005, 1.67 → 2. */
function rate(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  // A median near 0 (2.8e-308, say) would make the rate overflow to Infinity, which the rules file cannot hold.
  if (x > 1e6) x = 1e6;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  const k = m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10;
  const v = Math.round(k * p * 1e9) / 1e9;
  return v > 0 ? v : 1e-9;
}
