// The HTML report opened in a real browser: charts rendered with a size, no console errors, no network, search and
// sort work, print layout; screenshots are saved under test-output/screenshots/ for people to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, icp } from '../cli/harness.js';

/** Debian's chromium (CI installs it: .ci/run). Missing, the tests fail: a browser test is never skipped. */
export const CHROMIUM = process.env.ICP_CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const SHOTS = join(OUT, 'screenshots');

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium), or set ICP_CHROMIUM`);
  mkdirSync(SHOTS, { recursive: true });
  // As root (CI) Chromium needs --no-sandbox; the network flags keep it from calling home on a closed network.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
});

/** Open a report file, recording console errors, page errors and every request that is not the file itself. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const url = pathToFileURL(file).href;
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}

function report(name: string, args: string[]): string {
  const file = join(OUT, `${name}.html`);
  const r = icp(['report', ...args, '-o', file]);
  if (r.code !== 0) throw new Error(`icp report failed (${r.code}): ${r.stderr}`);
  return file;
}

describe('icp report in Chromium', () => {
  it('the example report: every chart drawn with a size, headings and tables for screen readers, no errors, no network', async () => {
    const file = report('example', ['examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01']);
    const { page, errors, requests } = await open(file);
    const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => ({ w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height, title: s.querySelector('title')?.textContent ?? '', marks: s.querySelectorAll('rect.bar, rect.cell, path.line, circle.dot').length })));
    expect(charts.length).toBeGreaterThanOrEqual(5);
    for (const c of charts) {
      expect(c.w, c.title).toBeGreaterThan(100);
      expect(c.h, c.title).toBeGreaterThan(20);
      expect(c.title).not.toBe('');
      expect(c.marks, c.title).toBeGreaterThan(0);
    }
    const bars = await page.$$eval('#tiers svg rect.bar', (rs) => rs.map((r) => r.getBoundingClientRect().width));
    expect(bars.filter((w) => w > 0)).toHaveLength(5); // A, B, C, D and DQ all have leads
    expect(await page.$$eval('h1, h2', (hs) => hs.map((h) => h.textContent))).toEqual(expect.arrayContaining(['B2B SaaS ICP', 'Tiers', 'Score distribution', 'What drives the scores', 'Column coverage', 'Disqualified by reason', 'Top leads per tier']));
    expect(await page.$$eval('table', (ts) => ts.every((t) => t.querySelectorAll('thead th[scope=col]').length > 0))).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'report-example.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });

  it('the lead table filters as you type and sorts by a column', async () => {
    const file = join(OUT, 'example.html');
    const { page, errors } = await open(file);
    const visible = () => page.$$eval('#lead-table tbody tr', (rs) => rs.filter((r) => !(r as HTMLElement).hidden).length);
    const all = await visible();
    expect(all).toBeGreaterThan(10);
    await page.fill('input[data-filter="lead-table"]', 'Requested a demo');
    const some = await visible();
    expect(some).toBeGreaterThan(0);
    expect(some).toBeLessThan(all);
    await page.fill('input[data-filter="lead-table"]', '');
    expect(await visible()).toBe(all);
    await page.click('#lead-table th:nth-child(3)'); // score, ascending
    const scores = await page.$$eval('#lead-table tbody tr td:nth-child(3)', (ts) => ts.map((t) => Number(t.textContent!.replace(/[^0-9.-]/g, '').replace('−', '-'))));
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(await page.getAttribute('#lead-table th:nth-child(3)', 'aria-sort')).toBe('ascending');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with --outcome and --base: gains, conversion with intervals, calibration, evidence; the transition heatmap and the movers; print layout hides the search box', async () => {
    const file = report('example-base', ['examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--outcome', 'Converted', '--base', 'test/fixtures/report/b2b-saas-old.yaml', '--as-of', '2026-11-01']);
    const { page, errors, requests } = await open(file);
    const cells = await page.$$eval('#diff svg rect.cell', (rs) => rs.length);
    expect(cells).toBeGreaterThan(4);
    expect(await page.textContent('#diff')).toMatch(/changed tier/);
    expect(await page.textContent('#diff')).toContain('"Target industry": points +10 → +15');
    const gains = await page.$eval('#outcome svg path.line', (p) => (p as SVGPathElement).getTotalLength());
    expect(gains).toBeGreaterThan(100);
    expect(await page.$$eval('#outcome svg circle.dot', (c) => c.length)).toBeGreaterThanOrEqual(5 + 10); // tiers + deciles
    expect(await page.$$eval('#outcome table tbody tr', (r) => r.length)).toBeGreaterThan(20);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('input[type=search]')).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'report-base-print.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
