#!/usr/bin/env node
// Regenerates docs/report.png, the README's picture of `icp report` on the bundled example, in Debian's Chromium
// (playwright-core, headless). Usage: npm run build && node scripts/report-screenshot.mjs [chromium path]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const html = join(mkdtempSync(join(tmpdir(), 'icp-shot-')), 'report.html');
const r = spawnSync(process.execPath, [join(root, 'bin/icp.js'), 'report', 'examples/leads.csv', '--rules', 'rules/b2b-saas.yaml', '--as-of', '2026-11-01', '--outcome', 'Converted', '-o', html], { cwd: root, encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
const browser = await chromium.launch({ executablePath: process.argv[2] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1500 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(html).href);
  // The first screenful: the header, the tiers and the matrix, the score distribution.
  await page.screenshot({ path: join(root, 'docs/report.png'), clip: { x: 0, y: 0, width: 1100, height: 1500 } });
} finally {
  await browser.close();
}
process.stderr.write('wrote docs/report.png\n');
