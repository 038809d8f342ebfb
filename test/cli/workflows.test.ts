// The example GitHub workflows, run step by step on this machine (no network): every `run:` step of
// examples/github/*.yml in a throwaway git repository laid out as a user's, with `npx icp` running this build.
// Steps that need GitHub itself (actions, `npm ci`, `gh pr comment`) are stubbed and say so.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './harness.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
}

function steps(file: string): Step[] {
  const wf = parse(readFileSync(join(ROOT, 'examples/github', file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
  return Object.values(wf.jobs).flatMap((j) => j.steps);
}

const sh = (cwd: string, cmd: string) => {
  const r = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
};

/** A repository as a user keeps it: icp.yaml, icp.test.yaml, a sample export, on a main branch and a change. */
function project(change: (rules: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'icp-wf-'));
  copyFileSync(join(ROOT, 'rules/b2b-saas.yaml'), join(dir, 'icp.yaml'));
  copyFileSync(join(ROOT, 'rules/b2b-saas.test.yaml'), join(dir, 'icp.test.yaml'));
  mkdirSync(join(dir, 'exports'));
  copyFileSync(join(ROOT, 'examples/leads.csv'), join(dir, 'exports/sample.csv'));
  sh(dir, 'git init -q -b main && git -c user.name=t -c user.email=t@t add -A && git -c user.name=t -c user.email=t@t commit -qm base && git update-ref refs/remotes/origin/main HEAD && git checkout -qb change');
  writeFileSync(join(dir, 'icp.yaml'), change(readFileSync(join(dir, 'icp.yaml'), 'utf8')));
  sh(dir, 'git -c user.name=t -c user.email=t@t commit -q --allow-empty -am change');
  return dir;
}

/** Run a step's script as the runner would (bash -e), with npx icp → this build and GitHub-only commands stubbed. */
function runStep(dir: string, step: Step, env: Record<string, string>) {
  const prelude = [
    'set -eo pipefail',
    `npx() { if [ "$1" = icp ]; then shift; node ${JSON.stringify(BIN)} "$@"; else echo "stub: npx $*"; fi; }`,
    'npm() { echo "stub: npm $*"; }',
    'gh() { echo "stub (no network): gh $*"; }',
  ].join('\n');
  return spawnSync('bash', ['-c', `${prelude}\n${step.run}`], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...env } });
}

describe('examples/github workflows', () => {
  it('nightly.yml: every step passes; the summary, scored file, rejects and report are there', () => {
    const dir = project((r) => r);
    const summary = join(dir, 'summary.md');
    const ran: string[] = [];
    for (const s of steps('nightly.yml')) {
      if (!s.run) continue;
      const r = runStep(dir, s, { GITHUB_STEP_SUMMARY: summary });
      expect(r.status, `${s.name}: ${r.stderr}`).toBe(0);
      ran.push(s.name ?? s.run);
    }
    expect(ran).toEqual(['Install icp', "Export today's leads", 'Score', 'Check the model against outcomes', 'Report']);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### icp score: leads.csv');
    expect(md).toMatch(/### icp evaluate/);
    for (const f of ['scored.csv', 'report.html']) expect(readFileSync(join(dir, f), 'utf8').length).toBeGreaterThan(1000);
    expect(readFileSync(join(dir, 'rejects.csv'), 'utf8')).toMatch(/^line,reason,raw\n/);
  });

  it('pull-request.yml: validate, test and diff --base-ref pass on a change; the comment body is the diff', () => {
    const dir = project((r) => r.replace(/(id: industry[\s\S]*?points: )15/, '$118'));
    const summary = join(dir, 'summary.md');
    for (const s of steps('pull-request.yml')) {
      if (!s.run) continue;
      const r = runStep(dir, s, { GITHUB_STEP_SUMMARY: summary, GITHUB_BASE_REF: 'main', PR: '1' });
      expect(r.status, `${s.name}: ${r.stderr}`).toBe(0);
      if (s.name === 'Comment on the pull request') expect(r.stdout).toContain('stub (no network): gh pr comment 1 --body-file icp-diff.md');
    }
    const diff = readFileSync(join(dir, 'icp-diff.md'), 'utf8');
    expect(diff).toContain('### icp diff: exports/sample.csv');
    expect(diff).toContain('"Target industry": points +15 → +18');
    expect(diff.length).toBeLessThan(65_536);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('### icp test: icp.test.yaml');
    expect(md).toContain('### icp diff');
  });
});
