// `icp sql`: the rules as one self-contained SQL text (a prelude of helpers, then one SELECT) for an engine.
import { Command, Option } from 'commander';
import { UserError, type ExitStatus } from '../errors.js';
import { diagnosticAt } from '../rules/load.js';
import type { Plan, PlanDateOrder, PlanDecimal } from '../plan/types.js';
import { DIALECTS } from '../sql/dialects/index.js';
import { lowerPlan, SqlRefusal, type SqlColumnSource } from '../sql/lower.js';
import { choice, readRules, resolveAsOfSource, type Io } from './shared.js';
import { addInputOptions, openModelInput, type InputOptions } from './input.js';
import type { Dialect } from '../sql/dialect.js';

interface SqlOptions extends InputOptions {
  rules: string;
  dialect: string;
  table: string;
  asOf?: string;
  asOfColumn?: string;
  input?: string;
  lineColumn?: string;
}

export function sqlCommand(io: Io, setExit: (status: ExitStatus) => void): Command {
  const cmd = new Command('sql')
    .description('print the rules as SQL: helper functions (install once), then one SELECT scoring every row of a table')
    .requiredOption('-r, --rules <file>', 'YAML rules file')
    .addOption(new Option('--dialect <name>', 'SQL engine').choices(Object.keys(DIALECTS)).default('duckdb'))
    .option('--table <name>', 'table or view holding the leads (schema.table allowed)', 'leads')
    .option('--as-of <date>', 'bake this date (YYYY-MM-DD) into the SQL for recency (default: the engine\'s current date, UTC)')
    .option('--as-of-column <column>', "measure recency from each row's own date in this column (a rules column or a table column) instead of one --as-of")
    .option('--input <file>', 'a CSV export with the table\'s header: find the columns by alias and detect date orders as icp score does')
    .option('--line-column <name>', 'with id: { line_number: true }: the table\'s column holding each lead\'s line number');
  addInputOptions(cmd);
  cmd.action(async (opts: SqlOptions) => {
    setExit(await runSql(opts, io));
  });
  return cmd;
}

/** A table name as SQL: each dot-separated part quoted. */
function tableSql(d: Dialect, name: string): string {
  return name
    .split('.')
    .map((part) => d.ident(part))
    .join('.');
}

export async function runSql(opts: SqlOptions, io: Io): Promise<ExitStatus> {
  const loaded = await readRules(opts.rules);
  const plan: Plan = loaded.model.plan;
  const dialect = DIALECTS[opts.dialect]!;
  const source = resolveAsOfSource(opts); // --as-of and --as-of-column together: a usage error
  const asOf = opts.asOf === undefined ? undefined : (source.choice as number);
  let asOfColumn: { name: string; dateOrder: PlanDateOrder } | undefined;
  if (plan.idColumn === null && !opts.lineColumn) {
    throw new UserError(
      `${opts.rules}: the lead id is the line number (id: { line_number: true }), which a table does not have`,
      [],
      'give --line-column <name> naming the table\'s column that holds it (the scores do not depend on it)',
    );
  }
  let columns: SqlColumnSource[];
  let inputColumns: string[] | undefined;
  let dateOrdersSettled = false;
  if (opts.input !== undefined) {
    const opened = await openModelInput(opts.input, opts, loaded.model, source.column !== undefined ? { column: source.column } : (asOf ?? 0), io);
    opened.close();
    for (const w of opened.warnings) io.stderr.write(`icp: warning: ${w}\n`);
    const settings = opened.bound.settings;
    const bound = opened.bound.asOf;
    if ('column' in bound) asOfColumn = { name: bound.column.header, dateOrder: bound.column.dateOrder };
    columns = settings.columns.map((c) => ({ name: c.header, decimal: c.decimal, dateOrder: c.dateOrder }));
    inputColumns = dialect.selectAllExcept ? undefined : opened.header.names;
    dateOrdersSettled = true;
  } else {
    const decimal = opts.decimal === undefined ? undefined : choice<PlanDecimal>('--decimal', opts.decimal, ['auto', 'dot', 'comma']);
    const dateOrder =
      opts.dateOrder === undefined ? undefined : choice<PlanDateOrder>('--date-order', opts.dateOrder.toUpperCase() === 'AUTO' ? 'auto' : opts.dateOrder.toUpperCase(), ['auto', 'MDY', 'DMY', 'YMD']);
    columns = plan.columns.map((c) => ({
      name: c.aliases[0]!,
      decimal: c.decimal !== 'auto' ? c.decimal : (decimal ?? 'auto'),
      dateOrder: c.dateOrder !== 'auto' ? c.dateOrder : (dateOrder ?? 'auto'),
    }));
    if (source.column !== undefined) {
      // Without an export: a rules column by its name (its first alias, read as the rules read it), else the table's.
      const ref = plan.columns.find((c) => c.name === source.column);
      asOfColumn = ref ? { name: columns[ref.index]!.name!, dateOrder: columns[ref.index]!.dateOrder } : { name: source.column, dateOrder: dateOrder ?? 'auto' };
    }
  }
  let lowered;
  try {
    lowered = lowerPlan(plan, { dialect, from: tableSql(dialect, opts.table), columns, asOf, asOfColumn, inputColumns, autoDateOrder: dateOrdersSettled ? 'per-value' : 'refuse' });
  } catch (e) {
    if (!(e instanceof SqlRefusal)) throw e;
    const diag = e.path.length ? [diagnosticAt(loaded.source, e.path, 'sql-unsupported', e.message, e.hint)] : [];
    throw new UserError(diag.length ? `${opts.rules}: the rules cannot be written as ${dialect.name} SQL` : e.message, diag, diag.length ? undefined : e.hint);
  }
  const head = [
    `-- icp sql --dialect ${dialect.name}: ${plan.name ?? opts.rules}, ${asOfColumn ? `as of each row's ${JSON.stringify(asOfColumn.name)}` : asOf === undefined ? "as of the engine's current date (UTC)" : `as of ${opts.asOf}`}`,
    '-- The helpers below can be installed once; the SELECT after them scores every row of the table.',
  ];
  const preamble = dialect.preamble();
  const parts = [...head, ...(preamble ? [preamble] : []), ...(lowered.prelude ? [lowered.prelude] : []), '', `${lowered.statement};`, ''];
  io.stdout.write(parts.join('\n'));
  return 0;
}
