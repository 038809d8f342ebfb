// `icp plan`: print the Plan a rules file compiles to — the plain data every engine runs — as JSON.
import type { ExitStatus } from '../errors.js';
import { Command } from 'commander';
import type { Plan } from '../plan/types.js';
import { printDiagnostics, readRules, useColor, type Io } from './shared.js';

/**
 * JSON text with every object's keys sorted (code-unit order), so the output does not depend on the order the
 * Plan was built in; two-space indentation, with lists of plain values (aliases, paths, synonym pairs) on one
 * line so that a diff of two Plans shows what changed.
 */
export function stableJson(value: unknown, indent = ''): string {
  const flat = (x: unknown): boolean => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((v) => v === null || typeof v !== 'object'));
  if (isScalar(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(flat)) return `[${value.map((v) => stableJson(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + stableJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stableJson(o[k], inner)}`).join(',\n')}\n${indent}}`;
}

function isScalar(x: unknown): boolean {
  return x === null || typeof x !== 'object';
}

/** The Plan as `icp plan` prints it. */
export function planText(plan: Plan): string {
  return `${stableJson(plan)}\n`;
}

export function planCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  return new Command('plan')
    .description('print the Plan the rules compile to, as JSON: the plain data every engine (JavaScript, SQL) runs')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .option('--no-color', 'no colour in warnings')
    .addHelpText(
      'after',
      `
Keys are sorted, so the output is stable and can be compared between versions of the rules (git diff, review).
Column, group and criterion references are indices into the Plan's lists; "path" is where a part is in the
rules file. Unbounded values are null. Warnings about the rules go to stderr.`,
    )
    .action(async (opts: { rules: string; color?: boolean }) => {
      const { model, diagnostics } = await readRules(opts.rules);
      printDiagnostics(io, diagnostics.filter((d) => d.severity === 'warning'), useColor(io.stderr, io.env, opts.color === false ? false : undefined));
      io.stdout.write(planText(model.plan));
      setExit(0);
    });
}
