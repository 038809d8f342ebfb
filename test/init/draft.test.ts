// The starter Document: honest comments (id, placeholders, columns left out), labels, and the criteria seam.
import { describe, expect, it } from 'vitest';
import { draftRules, type CriteriaSource } from '../../src/init/draft.js';
import { humanize, slug } from '../../src/init/names.js';
import { profileExport, type ExportProfile } from '../../src/init/profile.js';
import { loadRules } from '../../src/rules/index.js';

function profileOf(header: string[], rows: string[][]): ExportProfile {
  return profileExport({ file: 'leads.csv', header, rows: rows.map((fields, i) => ({ line: i + 2, fields })) });
}

/** An export like Olist's marketing funnel: an origin where "unknown" is a frequent real category. */
function olistLike(): ExportProfile {
  const origins = ['organic_search', 'paid_search', 'social', 'unknown', 'direct_traffic', 'email'];
  const rows: string[][] = [];
  for (let i = 0; i < 100; i++) {
    rows.push([`mql${i}`, origins[i % origins.length]!, String(1000 * (1 + (i % 7))), i % 3 ? '' : '2018-02-01', i % 2 ? 'online_medium' : 'industry']);
  }
  return profileOf(['mql_id', 'origin', 'declared_monthly_revenue', 'won_date', 'business_segment'], rows);
}

const lines = (text: string): string[] => text.split('\n');
const errors = (text: string) => loadRules(text, 'icp.yaml').diagnostics;

describe('draftRules', () => {
  it('says which frequent values it reads as missing, with their share, on the placeholder\'s own line', () => {
    const d = draftRules(olistLike());
    expect(errors(d.text)).toEqual([]);
    const line = lines(d.text).find((l) => /^ {2}- unknown\b/.test(l));
    expect(line).toBe('  - unknown # 17 % of "origin" (17 rows)');
    expect(d.text).toContain('# Cell values read as "no value" (unknown). Some are frequent in this export: if one is a real value');
    // Rare placeholders are not flagged, and without frequent ones the list is not written at all.
    const rare = draftRules(profileOf(['Record ID', 'Country'], Array.from({ length: 100 }, (_, i) => [String(i), i === 0 ? 'N/A' : 'Poland'])));
    expect(rare.text).not.toContain('placeholders:');
  });

  it('labels say what the column is (not "Annual revenue" for a monthly one)', () => {
    const d = draftRules(olistLike());
    const rules = loadRules(d.text, 'icp.yaml').rules!;
    const revenue = rules.criteria.find((c) => c.column === 'declared_monthly_revenue');
    expect(revenue?.label).toBe('Declared monthly revenue');
    expect(humanize('declared_monthly_revenue')).toBe('Declared monthly revenue');
    expect(humanize('Number of Employees')).toBe('Number of Employees');
    expect(humanize('annualRevenue')).toBe('Annual revenue');
  });

  it('lists the columns left out at the end, outcome and after-the-fact first, each with the reason', () => {
    const d = draftRules(olistLike());
    const tail = d.text.slice(d.text.indexOf('# Columns left out'));
    expect(lines(tail)[1]).toBe('#   "won_date": AFTER THE FACT — filled in when or after the deal closes: unknown for the open leads');
    expect(tail).toContain('"origin": not recognised from its name');
    expect(d.leftOut.map((l) => [l.header, l.kind])).toEqual([['origin', 'unrecognised'], ['won_date', 'after']]);
    expect(d.text.endsWith('\n')).toBe(true);
  });

  it('no unique column: id is the line number, and the comment says why', () => {
    const rows = [['41', 'admin', 'no'], ['41', 'technician', 'no'], ['37', 'admin', 'yes']];
    const d = draftRules(profileOf(['age', 'job', 'y'], rows));
    expect(loadRules(d.text, 'icp.yaml').rules!.id).toEqual({ line_number: true });
    expect(d.id).toBeNull();
    expect(d.text).toContain('\nid: { line_number: true }\n');
    expect(d.text).toContain('# No id column: no column has a value on every row and a different one on each of the 3 rows sampled.');
    expect(d.text).toContain('"y": OUTCOME — named like the outcome');
  });

  it('writes the modeline and its note first', () => {
    const d = draftRules(olistLike(), { schemaPath: '../node_modules/icp/schema/icp-rules.schema.json', schemaNote: 'a note' });
    expect(lines(d.text).slice(0, 3)).toEqual(['# yaml-language-server: $schema=../node_modules/icp/schema/icp-rules.schema.json', '# a note', '']);
  });

  it('takes its criteria from a swappable source (the seam init --outcome uses)', () => {
    const profile = olistLike();
    const calibrated: CriteriaSource = (ctx) => {
      const origin = ctx.profile.columns.findIndex((c) => c.header === 'origin');
      expect(ctx.roles.columns[3]!.leftOut?.kind).toBe('after');
      return {
        method: 'Points fitted from 100 leads with an outcome (weight of evidence).',
        criteria: [{ rule: { id: ctx.uniqueId('origin'), group: 'fit', column: ctx.column(origin), in: ['paid_search'], points: 12 }, notes: { points: 'WoE 0.8, n 17' } }],
        groups: { fit: { group: { label: 'Fit', weight: 2, cap: 40 } } },
        tiers: { tiers: [{ name: 'A', min: 20 }, { name: 'B' }], comment: 'Tiers for 10 % / 90 % of the leads.' },
        skipped: [{ index: 4, why: 'no value converts differently from the rest' }],
      };
    };
    const d = draftRules(profile, { criteria: calibrated, outcome: [2] });
    expect(errors(d.text)).toEqual([]);
    const rules = loadRules(d.text, 'icp.yaml').rules!;
    expect(rules.columns).toEqual({ mql_id: ['mql_id'], origin: ['origin'] });
    expect(rules.groups).toEqual({ fit: { label: 'Fit', weight: 2, cap: 40 } });
    expect(rules.tiers).toEqual([{ name: 'A', min: 20 }, { name: 'B' }]);
    expect(d.text).toContain('# Points fitted from 100 leads with an outcome (weight of evidence).');
    expect(d.text).toContain('    points: 12 # WoE 0.8, n 17');
    expect(d.text).toContain('#   "declared_monthly_revenue": OUTCOME — the outcome you named');
    expect(d.text).toContain('#   "business_segment": no value converts differently from the rest');
  });

  it('slug makes logical names the rules accept', () => {
    const odd = ['Number of Employees', '__proto__', '123', '', 'Zażółć gęślą', '日本語', 'a'.repeat(60), '# x', 'a: b'];
    for (const h of odd) expect(slug(h)).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
    expect(odd.slice(0, 4).map(slug)).toEqual(['number_of_employees', 'proto', 'c_123', 'c']);
  });
});
