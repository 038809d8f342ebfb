// Scoring a fixture with icp (the built CLI) and comparing an SQL engine's result with it, lead by lead. Shared
// with the PostgreSQL and ClickHouse parity tests: they provide the engine's rows, this module the rest.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { icp } from '../cli/harness.js';
import type { SqlFixture } from './fixtures.js';

/** A fixture written to a fresh directory: the paths of its rules file and CSV. */
export function writeFixture(f: SqlFixture): { dir: string; rules: string; csv: string } {
  const dir = mkdtempSync(join(tmpdir(), `icp-sql-${f.name}-`));
  const rules = join(dir, 'rules.yaml');
  const csv = join(dir, 'leads.csv');
  writeFileSync(rules, f.rules);
  writeFileSync(csv, f.csv);
  return { dir, rules, csv };
}

/** The fixture's header and records as icp reads them (csv-parse, as the fixtures are plain RFC 4180). */
export function fixtureRows(f: SqlFixture): { header: string[]; rows: string[][] } {
  const all = parse(f.csv, { relax_column_count: false }) as string[][];
  return { header: all[0]!, rows: all.slice(1) };
}

/** The fixture's --as-of or --as-of-column, for both engines. */
function asOfArgs(f: SqlFixture): string[] {
  return f.asOfColumn ? ['--as-of-column', f.asOfColumn] : f.asOf ? ['--as-of', f.asOf] : [];
}

/** `icp score` of the fixture: its output records keyed by lead id (all columns, as text). */
export function scoreWithIcp(f: SqlFixture, paths: { rules: string; csv: string }): Map<string, Record<string, string>> {
  const r = icp(['score', paths.csv, '--rules', paths.rules, ...asOfArgs(f), '--summary', 'none']);
  expect(r.code, r.stderr).toBe(0);
  const records = parse(r.stdout, { columns: true, bom: true }) as Record<string, string>[];
  return new Map(records.map((rec) => [rec[f.id]!, rec]));
}

/** `icp sql` of the fixture for a dialect: the prelude and the statement, split at the blank line between them. */
export function sqlOf(f: SqlFixture, paths: { rules: string; csv: string }, dialect: string, extra: string[] = []): { prelude: string; statement: string } {
  const r = icp(['sql', '--rules', paths.rules, '--dialect', dialect, ...asOfArgs(f), ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const at = r.stdout.indexOf('\n\nSELECT ');
  return { prelude: r.stdout.slice(0, at), statement: r.stdout.slice(at + 2).trim().replace(/;$/, '') };
}

/**
 * Compare an engine's rows (records by column name) with icp's, by lead id: every input column as read and every
 * icp_ column must be equal. Returns the differences (at most `limit`), [] when all agree.
 */
export function differences(icpRows: Map<string, Record<string, string>>, sqlRows: Record<string, unknown>[], id: string, limit = 20): string[] {
  const out: string[] = [];
  expect(sqlRows.length).toBe(icpRows.size);
  const seen = new Set<string>();
  for (const s of sqlRows) {
    const key = String(s[id]);
    seen.add(key);
    const j = icpRows.get(key);
    if (!j) {
      out.push(`${key}: not in icp's output`);
      continue;
    }
    for (const [col, want] of Object.entries(j)) {
      if (!col.startsWith('icp_')) continue;
      const got = s[col] === null || s[col] === undefined ? '' : String(s[col]);
      if (got !== want && out.length < limit) out.push(`${key} ${col}: icp ${JSON.stringify(want)}, sql ${JSON.stringify(got)}`);
    }
  }
  expect(seen.size).toBe(icpRows.size);
  return out;
}

/** The matrix means something only if each operator's group sees TRUE (10) and FALSE or UNKNOWN (0 / -1). */
export function expectOutcomes(rows: Record<string, string>[]): void {
  const groups = Object.keys(rows[0]!).filter((c) => /^icp_g_.*_score$/.test(c));
  expect(groups.length).toBeGreaterThan(35);
  for (const g of groups) expect(new Set(rows.map((r) => r[g])).size, g).toBeGreaterThanOrEqual(2);
  const all = new Set(rows.flatMap((r) => groups.map((g) => r[g])));
  for (const v of ['10', '0', '-1', '5', '-3']) expect(all.has(v), v).toBe(true);
}

/** The comparison means something only if icp's scores vary: many scores, tiers, unknowns, reasons. */
export function expectVariety(rows: Record<string, string>[]): void {
  const distinct = (col: string) => new Set(rows.map((r) => r[col])).size;
  expect(distinct('icp_score')).toBeGreaterThan(rows.length / 20);
  expect(distinct('icp_tier')).toBeGreaterThanOrEqual(3);
  expect(rows.some((r) => r.icp_reasons!.includes(' unknown ('))).toBe(true);
  expect(rows.some((r) => /\.\d\d\)/.test(r.icp_reasons!))).toBe(true);
  expect(rows.some((r) => r.icp_score!.startsWith('-'))).toBe(true);
  expect(new Set(rows.map((r) => r.icp_disqualified))).toEqual(new Set(['true', 'false']));
  expect(rows.some((r) => r.icp_disqualified_reason!.includes('; '))).toBe(true);
}

/** The huge-value leads mean something only if unknowns, several tiers and scores near ±1e12 occur. */
export function expectBeyond(rows: Record<string, string>[]): void {
  const all = rows.map((r) => Object.entries(r).filter(([k]) => k.startsWith('icp_')).map(([, v]) => v).join(',')).join('\n');
  expect(all).not.toMatch(/NaN|Infinity|e[+-]\d/i);
  expect(rows.some((r) => r.icp_reasons!.includes(' unknown ('))).toBe(true);
  expect(new Set(rows.map((r) => r.icp_tier)).size).toBeGreaterThanOrEqual(2);
  expect(rows.some((r) => r.icp_score!.replace('-', '').length >= 13)).toBe(true);
}
