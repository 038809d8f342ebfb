// What init takes each column for: the id, an outcome or after-the-fact column left out, or a scoring role.
import { describe, expect, it } from 'vitest';
import { profileExport } from '../../src/init/profile.js';
import { assignRoles, idLikeName, type Roles } from '../../src/init/roles.js';

/** Roles of a small export given as CSV-like text (no quoting needed in these cases). */
function rolesOf(csv: string, outcome?: number[]): Roles {
  const [head, ...lines] = csv.trim().split('\n');
  const header = head!.split(',');
  const rows = lines.map((l, i) => ({ line: i + 2, fields: l.split(',') }));
  return assignRoles(profileExport({ file: 'x.csv', header, rows }), { outcome });
}
const byHeader = (r: Roles): Record<string, string> =>
  Object.fromEntries(r.columns.map((c) => [c.header, c.role ?? c.leftOut!.kind]));

describe('the lead id', () => {
  it.each([
    // [case, csv, expected id header or null]
    ['an id-like unique column', 'Record ID,Email,Industry\n1,a@x.com,SaaS\n2,b@x.com,SaaS\n3,c@x.com,Retail', 'Record ID'],
    ['id-like first when several are unique', 'email,opportunity_id,city\na@x.com,Z1,Oslo\nb@x.com,Z2,Rome', 'opportunity_id'],
    ['unique but not named like an id: taken, leftmost', 'series,sales_price\nGTX,550\nMG,4821', 'series'],
    ['no unique column (a bank export): line numbers', 'age,job,y\n41,admin,no\n41,technician,no\n37,admin,yes', null],
    ['an id-like column that repeats is not an id', 'Lead ID,name\nL1,Anna\nL1,Piotr\nL2,Maria', 'name'],
    ['a column with a blank cell is not unique', 'id,name\n1,A\n,B\n3,C', 'name'],
    ['fractions and yes/no are never ids', 'score,flag,x\n0.5,yes,a\n0.7,no,a\n0.9,x,a', null],
    ['the outcome is never the id', 'Converted,city\n1,Oslo\n0,Rome', 'city'],
  ])('%s', (_, csv, expected) => {
    const r = rolesOf(csv);
    expect(r.id.column === null ? null : r.columns[r.id.column]!.header).toBe(expected);
    expect(r.id.why.length).toBeGreaterThan(10);
  });

  it('says why there is no id column, naming the id-like column that repeats', () => {
    const r = rolesOf('Lead ID,age\nL1,30\nL1,30\nL2,31');
    expect(r.id.column).toBeNull();
    expect(r.id.why).toContain('"Lead ID" repeats on 1 rows');
  });

  it.each([
    ['Record ID', true], ['Prospect ID', true], ['opportunity_id', true], ['mql_id', true], ['Lead Number', true], ['uuid', true],
    ['opportunityId', true], ['Phone Number', false], ['Zip Code', false], ['number', false], ['valid', false], ['paid', false], ['Account No', false],
  ])('idLikeName(%j) = %s', (h, expected) => {
    expect(idLikeName(h)).toBe(expected);
  });
});

describe('outcome and after-the-fact columns are left out, with the reason', () => {
  it.each([
    ['Converted', '1\n0\n1', 'outcome', /named like the outcome/],
    ['won', 'true\nfalse\nfalse', 'outcome', /named like the outcome/],
    ['y', 'yes\nno\nno', 'outcome', /named like the outcome/],
    ['deal_stage', 'Won\nLost\nEngaging', 'outcome', /"Lost", "Won"/],
    ['Status', 'Closed Won\nClosed Lost\nOpen', 'outcome', /say how the deal ended/],
    ['close_date', '2017-03-01\n2017-03-11\n', 'after', /when or after the deal closes/],
    ['close_value', '1054\n4514\n', 'after', /when or after the deal closes/],
    ['won_date', '2018-01-01\n\n', 'after', /when or after/],
    ['Closed Reason', 'price\nno budget\n', 'after', /when or after/],
    ['lost_reason', 'price\nno budget\n', 'after', /when or after/],
    ['Lead Quality', 'High\nLow\nMight be', 'after', /already gave/],
    ['Lead Score', '10\n20\n30', 'after', /already gave/],
    ['Tags', 'Closed by Horizzon\nRinging\nLost to EINS', 'after', /"Closed by Horizzon", "Lost to EINS" \(67 % of its values\)/],
  ])('%s', (header, values, kind, why) => {
    const r = rolesOf(`Record ID,${header}\n${values.split('\n').map((v, i) => `${i + 1},${v}`).join('\n')}`);
    const c = r.columns[1]!;
    expect(c.role).toBeUndefined();
    expect(c.leftOut!.kind).toBe(kind);
    expect(c.leftOut!.why).toMatch(why);
  });

  it('not an outcome: a y that is not yes/no, an expected close date, an activity "Converted to Lead"', () => {
    const r = rolesOf('Record ID,y,Expected Close Date,Last Activity\n1,3.5,2027-01-01,Converted to Lead\n2,7.1,2027-02-01,Email Opened\n3,2.2,2027-03-01,Page Visited');
    expect(byHeader(r)).toEqual({ 'Record ID': 'id', y: 'unrecognised', 'Expected Close Date': 'timeline', 'Last Activity': 'mismatch' });
  });

  it('--outcome names the outcome whatever its name', () => {
    const r = rolesOf('Record ID,Budget\n1,100\n2,200', [1]);
    expect(r.columns[1]!.leftOut).toEqual({ kind: 'outcome', why: 'the outcome you named: scoring on it would leak the answer' });
  });
});

describe('scoring roles', () => {
  it('from the name, when the values fit', () => {
    const csv = [
      'Record ID,Email,Job Title,Industry,Number of Employees,Annual Revenue,Country,Lifecycle Stage,Last Activity Date,Website Visits,Webinar Attended,Do Not Email,Budget,Buying Role,Purchase Timeline,First Name',
      '1,a@acme.com,CEO,Software,250,1000000,Poland,Lead,2026-10-30,12,Yes,No,5000,Decision Maker,0-3 months,Anna',
      '2,b@gmail.com,Student,Retail,3,20000,Germany,Customer,2026-05-01,1,No,Yes,100,Influencer,No plan,Piotr',
    ].join('\n');
    expect(byHeader(rolesOf(csv))).toEqual({
      'Record ID': 'id', Email: 'email', 'Job Title': 'title', Industry: 'industry', 'Number of Employees': 'employees', 'Annual Revenue': 'revenue',
      Country: 'country', 'Lifecycle Stage': 'stage', 'Last Activity Date': 'last_activity', 'Website Visits': 'count', 'Webinar Attended': 'flag',
      'Do Not Email': 'negative_flag', Budget: 'budget', 'Buying Role': 'authority', 'Purchase Timeline': 'timeline', 'First Name': 'contact',
    });
  });

  it('not when the values do not fit, saying so', () => {
    const r = rolesOf('Record ID,Email Clicks,Industry\n1,3,Software\n2,5,Retail');
    expect(r.columns[1]!.role).toBe('count');
    const bad = rolesOf('Record ID,Number of Employees\n1,many\n2,few\n3,lots');
    expect(bad.columns[1]!.leftOut).toEqual({ kind: 'mismatch', why: 'named like the company size, but its values are not numbers (categories, 3 distinct in 3 values)' });
  });

  it('a second column for the same role is left out, naming the first', () => {
    const r = rolesOf('Record ID,Country,City\n1,PL,Oslo\n2,DE,Rome');
    expect(r.columns[2]!.leftOut).toEqual({ kind: 'taken', why: 'named like the location, which "Country" already gives' });
  });
});
