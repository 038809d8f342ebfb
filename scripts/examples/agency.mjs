// examples/agency.csv: a Polish advertising agency's account export for rules/agency.yaml — semicolon-separated
// as Polish Excel writes it, ad budgets in PLN with a decimal comma and spaces (or no-break spaces) between
// thousands, day-first dates, yes/no in Polish or English, autonomy in both languages (the template's synonyms).
// Accounts differ by one hidden quality that raises the budget, the brands, the autonomy, the board
// relationship and the meetings together, so the example spans every tier.
import { AS_OF, DAY, csvField, helpers, mulberry32 } from './random.mjs';

export const file = 'examples/agency.csv';
export const defaultRows = 120;

export function generate(rows) {
  const rand = mulberry32(20261102);
  const { pick, chance, int, normal } = helpers(rand);
  const names = ['Żabka', 'Polmlek', 'Mostostal', 'Wawel', 'Inter Cars', 'Grupa Azoty', 'Orlen Paliwa', 'Bank Śląski', 'Apart', 'CCC', 'Maspex', 'Tymbark', 'Allegro', 'Empik', 'Amica', 'Comarch', 'Kruk', 'Black Red White', 'Wedel', 'Sokołów'];
  const suffixes = ['S.A.', 'sp. z o.o.', 'Polska', 'Group', 'Retail'];
  const industries = ['FMCG', 'Retail', 'Automotive', 'Banking', 'Telecom', 'Pharma', 'E-commerce', 'Energy', 'Food & Beverage'];
  const cities = ['Warszawa', 'Kraków', 'Wrocław', 'Poznań', 'Gdańsk', 'Łódź', 'Katowice'];
  const autonomy = [['none', 'brak', 'HQ', 'headquarters'], ['shared', 'częściowa', 'partial', 'joint'], ['full', 'pełna', 'independent', 'local']];
  const board = ['none', 'indirect', 'through marketing', 'direct'];
  const pad = (n) => String(n).padStart(2, '0');
  const dmy = (t) => {
    const d = new Date(t);
    return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  };
  const clamp = (x, lo, hi) => Math.max(lo, Math.min(hi, x));

  /** 1250000.5 → "1 250 000,50" (or with no-break spaces, or "zł", or no grouping). */
  function pln(v) {
    const [int, dec] = v.toFixed(2).split('.');
    const sep = chance(0.3) ? '\u00a0' : ' ';
    const grouped = chance(0.15) ? int : int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    const r = rand();
    if (r < 0.25) return `${grouped},${dec}`;
    if (r < 0.4) return `${grouped} zł`;
    return grouped;
  }

  const header = ['Account ID', 'Company Name', 'Industry', 'City', 'Number of Employees', 'Annual Ad Budget', 'Brands in Portfolio', 'Local Decision Autonomy', 'Board Relationship', 'Last Meeting Date', 'Meetings (12 months)', 'Met at Trade Show', 'Ownership'];
  const lines = [header.join(';')];
  for (let i = 0; i < rows; i++) {
    const q = normal();
    const competitor = chance(0.05);
    const home = !competitor && chance(0.06);
    const budget = home ? Math.round(Math.exp(10 + rand())) : Math.round(Math.exp(13.6 + 1.6 * q + 0.6 * normal()) / 100) * 100 + (chance(0.2) ? 0.5 : 0);
    const brands = home ? 1 : clamp(Math.round(3 + 2.2 * q + normal()), 1, 14);
    const level = clamp(Math.round(1 + q + 0.7 * normal()), 0, 2);
    const rel = clamp(Math.round(1.5 + q + 0.8 * normal()), 0, 3);
    const meetings = clamp(Math.round(1.5 + 1.2 * q + normal()), 0, 9);
    const lastMeeting = meetings === 0 && chance(0.6) ? '' : dmy(AS_OF - int(2, 40 + Math.round(200 / (1 + meetings))) * DAY);
    const rec = [
      `PL-${String(1001 + i)}`,
      `${pick(names)} ${pick(suffixes)}`,
      competitor ? pick(['Advertising', 'Media Agency', 'Marketing Agency']) : pick(industries),
      pick(cities),
      String(home ? int(1, 3) : clamp(Math.round(Math.exp(5 + q + normal())), 5, 40000)),
      chance(0.06) ? '' : pln(budget),
      chance(0.05) ? '' : String(brands),
      chance(0.05) ? '' : pick(autonomy[level]),
      chance(0.05) ? '' : board[rel],
      lastMeeting,
      String(meetings),
      pick(chance(0.25 + 0.15 * q) ? ['Tak', 'Yes', 'tak'] : ['Nie', 'No', 'nie', '']),
      home ? pick(['JDG', 'sole trader', 'home business']) : pick(['S.A.', 'sp. z o.o.', 'sp. z o.o.', 'Group subsidiary']),
    ];
    lines.push(rec.map((v) => csvField(v, ';')).join(';'));
  }
  return `${lines.join('\n')}\n`;
}
