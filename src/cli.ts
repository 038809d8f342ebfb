// The command-line program: builds the commander tree, runs it, and maps every outcome to an exit code.
import { Command, CommanderError } from 'commander';
import { EXIT, UserError, type ExitStatus } from './errors.js';
import { isBrokenPipe } from './io/output.js';
import { packageRoot } from './package-root.js';
import { scoreCommand } from './commands/score.js';
import { explainCommand } from './commands/explain.js';
import { validateCommand } from './commands/validate.js';
import { initCommand } from './commands/init.js';
import { schemaCommand } from './commands/schema.js';
import { planCommand } from './commands/plan.js';
import { sqlCommand } from './commands/sql.js';
import { testCommand } from './commands/test.js';
import { reportCommand } from './commands/report.js';
import { diffCommand } from './commands/diff.js';
import { evaluateCommand } from './commands/evaluate.js';
import { calibrateCommand } from './commands/calibrate.js';
import { printDiagnostics, processIo, useColor, type Io } from './commands/shared.js';

const quietOnClosedPipe = new WeakSet<object>();

/**
 * A reader that goes away before the output is written (`icp schema | head -1`, `icp --help | true`) is a normal
 * end, as for `icp score` (io/output.ts): without a listener, the EPIPE the next write gets would crash the process
 * with a stack trace. Any other error on stdout stays as loud as before when nothing else listens for it.
 */
function endQuietlyOnClosedPipe(stdout: Io['stdout']): void {
  if (quietOnClosedPipe.has(stdout)) return;
  quietOnClosedPipe.add(stdout);
  stdout.on('error', (e: Error) => {
    if (!isBrokenPipe(e) && stdout.listenerCount('error') === 1) throw e;
  });
}

const EXIT_HELP = `
Exit codes:
  0  success
  1  a requested gate failed (e.g. --min-coverage), or an unexpected runtime failure
  2  usage, rules-file or input error (message on stderr, no stack trace unless --debug)`;

export type { ExitStatus } from './errors.js';

/** Run icp with the given arguments (without "node icp"). Never calls process.exit: returns the exit status. */
export async function main(argv: string[], io: Io = processIo()): Promise<ExitStatus> {
  endQuietlyOnClosedPipe(io.stdout);
  let status: ExitStatus = EXIT.ok;
  const setExit = (s: ExitStatus) => {
    status = s;
  };
  const debug = argv.includes('--debug');
  const program = new Command('icp')
    .description('Score CRM lead exports against an Ideal Customer Profile written as YAML rules.')
    .version(packageRoot().version, '-V, --version')
    .option('--debug', 'show stack traces for errors (and, for score, how the work was shared between threads)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', EXIT_HELP);
  // Settings above are copied into subcommands created by .command(); added commands need them too.
  const commands = [scoreCommand(io, setExit), explainCommand(io, setExit), validateCommand(io, setExit), initCommand(io, setExit), schemaCommand(io, setExit), testCommand(io, setExit), reportCommand(io, setExit), diffCommand(io, setExit), planCommand(io, setExit), sqlCommand(io, setExit)];
  commands.push(evaluateCommand(io, setExit), calibrateCommand(io, setExit));
  for (const c of commands) {
    c.exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
      .showHelpAfterError('(run with --help for usage)')
      .option('--debug', 'show stack traces for errors (and, for score, how the work was shared between threads)')
      .addHelpText('after', EXIT_HELP);
    program.addCommand(c);
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (e) {
    return reportFailure(e, io, { color: useColor(io.stderr, io.env, argv.includes('--no-color') ? false : undefined), debug });
  }
}

/**
 * The one printer of a failed run, at the edge: a user error's diagnostics (each with its source line and a `^`
 * under the column), its message and hint, then a stack trace with --debug. Returns the exit status it means.
 */
function reportFailure(e: unknown, io: Io, opts: { color: boolean; debug: boolean }): ExitStatus {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
    // commander already printed its message; usage errors are exit 2, not its default 1.
    return EXIT.error;
  }
  const err = e as Error & { hint?: string; name?: string };
  const known = e instanceof UserError || err?.name === 'OutputError';
  if (e instanceof UserError && e.diagnostics.length) printDiagnostics(io, e.diagnostics, opts.color);
  io.stderr.write(known ? `icp: ${err.message}\n` : `icp: unexpected error: ${err?.message ?? String(e)}\n`);
  if (known && err.hint) io.stderr.write(`  hint: ${err.hint}\n`);
  if (opts.debug && err?.stack) io.stderr.write(`${err.stack}\n`);
  else if (!known) io.stderr.write('  (run again with --debug for details, and please report it)\n');
  // An output that cannot be written (a full disk) is a failure of the run, not a mistake of the user's.
  return e instanceof UserError ? EXIT.error : EXIT.failure;
}
