// The SQL lowering of a Plan: one SELECT over a table giving every input column and the icp_ columns icp score
// writes, with the same values. Pure; the engine's spelling comes from a Dialect.
//
// Shape of the statement (each level one projection over the one below, no joins, one scan):
//   s1: every input column + each used column's reads (trimmed text, missing, number, date, bool, text, values)
//   s2: + per criterion its points and contribution in cents, unknown flag and band; per disqualifier whether it fired
//   s3: + per group its subtotal and contribution; the score; each criterion's place among the reasons
//   out: the input columns + icp_score, icp_tier, [icp_matrix], icp_<group>_score…, icp_disqualified,
//        icp_disqualified_reason, icp_reasons, formatted as icp score writes them.
// An expression names only columns of the levels below its own, never an alias of its own SELECT list (DuckDB
// allows that; PostgreSQL and ClickHouse do not).
import type { Plan, PlanColumn, PlanCondition, PlanCriterion, PlanDateOrder, PlanDecimal, PlanLeaf, PlanPath, PlanSubject, PlanTier } from '../plan/types.js';
import { beyondPoints, perBound } from '../ops/points.js';
import { toCents } from '../ops/round.js';
import { SqlUnsupported, type Dialect, type Sql } from './dialect.js';
import { Readers } from './readers.js';

/** How the table holds one Plan column. */
export interface SqlColumnSource {
  /** The table's column name, or null when the table has none (every value unknown). */
  name: string | null;
  decimal: PlanDecimal;
  /** Must not be 'auto' for a column read as a date (the caller settles it: explicit, or from a sample). */
  dateOrder: PlanDateOrder;
}

export interface LowerOptions {
  dialect: Dialect;
  /** The table (or view) to read, as SQL text (an identifier, possibly qualified, already quoted). */
  from: Sql;
  /** Per Plan column (same indices). */
  columns: SqlColumnSource[];
  /** The as-of day (days since 1970-01-01); undefined: the engine's current date (UTC). */
  asOf?: number;
  /**
   * --as-of-column: each row's as-of day is its date in this table column, read as every date is (icp_day), NULL
   * when missing or unreadable, so that what measures from it is unknown, as icp score does; replaces asOf.
   */
  asOfColumn?: { name: string; dateOrder: PlanDateOrder };
  /**
   * The table's columns in order, when known: the output lists them. Without them the dialect must be able to
   * select every column but icp's own (DuckDB: * EXCLUDE).
   */
  inputColumns?: string[];
  /**
   * A date column whose order is still 'auto': 'per-value' reads each date as parseDate's 'auto' does (the
   * caller settled the order from a sample, as icp score does, and found nothing); 'refuse' (the default) refuses
   * it, since icp score would decide the order from the input's first rows.
   */
  autoDateOrder?: 'per-value' | 'refuse';
  /** Also select what icp score's summary counts (SUMMARY_COLUMNS), for the DuckDB engine. */
  summary?: boolean;
}

/**
 * The summary columns a `summary: true` lowering adds after the icp_ columns, in order: the score in cents, whether
 * disqualified, each disqualifier, the tier index (-1 without tiers), the matrix row and column (-1 without a
 * matrix), whether the row's as-of day was unknown (--as-of-column), and for each used column (usableColumns, in
 * order) whether its value was usable (coverage).
 */
export function SUMMARY_COLUMNS(plan: Plan): { all: string[]; usableColumns: number[] } {
  const usableColumns = plan.columns.filter((c) => c.used).map((c) => c.index);
  return {
    all: [
      `${WORK_PREFIX}sum_score`,
      `${WORK_PREFIX}sum_dq`,
      ...plan.disqualifiers.map((q) => `${WORK_PREFIX}sum_q${q.index}`),
      `${WORK_PREFIX}sum_tier`,
      `${WORK_PREFIX}sum_mrow`,
      `${WORK_PREFIX}sum_mcol`,
      `${WORK_PREFIX}sum_noasof`,
      ...usableColumns.map((c) => `${WORK_PREFIX}sum_u${c}`),
    ],
    usableColumns,
  };
}

/** The generated SQL: the helper definitions (install once), and the one statement. */
export interface LoweredSql {
  prelude: Sql;
  statement: Sql;
}

/** A part of the rules that cannot be lowered for this engine: the command names it (exit 2). */
export class SqlRefusal extends Error {
  override readonly name = 'SqlRefusal';
  constructor(
    message: string,
    /** Rules path of the part refused. */
    readonly path: PlanPath,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The intermediate columns' prefix: never an icp score column, and refused in an input header. */
export const WORK_PREFIX = 'icp__';

/** Per used column: the names of its read columns in s1 (only those the Plan needs). */
interface ColumnReads {
  trimmed: string;
  missing: string;
  number?: string;
  date?: string;
  bool?: string;
  text?: string;
  multi?: string;
  values?: string;
}

/** Lower a Plan to one SQL statement (and its prelude) for a dialect. Throws SqlRefusal for what it cannot say. */
export function lowerPlan(plan: Plan, options: LowerOptions): LoweredSql {
  return new Lowering(plan, options).run();
}

class Lowering {
  private readonly d: Dialect;
  private readonly readers: Readers;
  private readonly reads: (ColumnReads | undefined)[];
  private readonly asOf: Sql;
  /** The projection levels, innermost first: each adds named expressions over the ones below. */
  private readonly levels: [string, Sql][][] = [];
  private letCount = 0;

  constructor(
    private readonly plan: Plan,
    private readonly o: LowerOptions,
  ) {
    this.d = o.dialect;
    this.readers = new Readers(this.d);
    this.reads = plan.columns.map(() => undefined);
    this.asOf = o.asOf === undefined || o.asOfColumn !== undefined ? this.w('asof') : this.d.num(o.asOf);
  }

  /** A work column's reference. */
  private w(name: string): Sql {
    return this.d.ident(`${WORK_PREFIX}${name}`);
  }

  private let(value: Sql, body: (x: Sql) => Sql): Sql {
    return this.d.let(value, `icp_l${++this.letCount}`, body);
  }

  /** Start a projection level; `add` puts named work columns in it. */
  private level(): (name: string, e: Sql) => Sql {
    const lv: [string, Sql][] = [];
    this.levels.push(lv);
    return (name, e) => {
      lv.push([`${WORK_PREFIX}${name}`, e]);
      return this.w(name);
    };
  }

  run(): LoweredSql {
    if (this.o.inputColumns) {
      const clash = this.o.inputColumns.find((c) => c.startsWith(WORK_PREFIX));
      if (clash) throw new SqlRefusal(`the input column "${clash}" starts with "${WORK_PREFIX}", which icp's SQL keeps for its own columns`, [], 'rename that column in the table');
    }
    this.cells();
    this.scores();
    return this.statement();
  }

  /** L1–L3: each used column's trimmed text, missing flag and reads. */
  private cells(): void {
    const d = this.d;
    const p = this.plan;
    const need = p.columns.map(() => new Set<string>());
    const visit = (c: PlanCondition): void => {
      if (c.type !== 'leaf') return c.of.forEach(visit);
      this.needSubject(need, c.subject, c.reads);
    };
    for (const cr of p.criteria) {
      if (cr.condition) visit(cr.condition);
      for (const b of cr.bands) visit(b.condition);
      if (cr.per) this.needSubject(need, cr.per.subject, 'number');
      if (cr.decay) need[cr.decay.column]!.add('date');
    }
    for (const q of p.disqualifiers) visit(q.condition);
    if (this.o.summary) {
      for (const col of p.columns) {
        if (!col.used) continue;
        need[col.index]!.add('presence');
        for (const k of col.kinds) if (k !== 'text') need[col.index]!.add(k);
      }
    }

    const l1 = this.level();
    const l2 = this.level();
    const l3 = this.level();
    const per = this.o.asOfColumn;
    if (per !== undefined) {
      if (per.dateOrder === 'auto' && this.o.autoDateOrder !== 'per-value') {
        throw new SqlRefusal(
          `the --as-of-column "${per.name}" is read as a date with day/month order "auto", which icp score decides from an input's first 1,000 rows`,
          [],
          'give --input <a CSV export> so icp detects the order as icp score does, or --date-order MDY, DMY or YMD',
        );
      }
      const t = l1('asof_t', this.readers.call('icp_trim', [d.textOf(d.ident(per.name))]));
      const m = l2('asof_m', this.missing(t));
      l3('asof', `CASE WHEN ${m} THEN ${d.nullOf('double')} ELSE ${this.typedOr(per.name, 'date', this.readers.call('icp_day', [t, d.str(per.dateOrder)]))} END`);
    } else if (this.o.asOf === undefined) l1('asof', d.today());
    p.columns.forEach((col, i) => {
      const kinds = need[i]!;
      if (kinds.size === 0) return;
      const src = this.o.columns[i]!;
      const t = l1(`c${i}_t`, src.name === null ? d.nullOf('text') : this.readers.call('icp_trim', [d.textOf(d.ident(src.name))]));
      const m = l2(`c${i}_m`, this.missing(t));
      const r: ColumnReads = { trimmed: t, missing: m };
      const unlessMissing = (e: Sql, type: 'double' | 'text' | 'boolean') => `CASE WHEN ${m} THEN ${d.nullOf(type)} ELSE ${e} END`;
      if (kinds.has('number')) r.number = l3(`c${i}_n`, unlessMissing(this.typedOr(src.name, 'number', this.readers.call('icp_num', [t, d.str(src.decimal)])), 'double'));
      if (kinds.has('date')) {
        if (src.dateOrder === 'auto' && src.name !== null && this.o.autoDateOrder !== 'per-value') {
          throw new SqlRefusal(
            `column "${col.name}" is read as a date with day/month order "auto", which icp score decides from an input's first 1,000 rows`,
            col.path,
            `give --input <a CSV export> so icp detects the order as icp score does, or set columns.${col.name}.date_order (or --date-order) to MDY, DMY or YMD`,
          );
        }
        r.date = l3(`c${i}_d`, unlessMissing(this.typedOr(src.name, 'date', this.readers.call('icp_day', [t, d.str(src.dateOrder)])), 'double'));
      }
      if (kinds.has('bool')) r.bool = l3(`c${i}_b`, unlessMissing(this.readers.call('icp_bool', [t]), 'boolean'));
      if (kinds.has('multi')) {
        r.text = l3(`c${i}_x`, unlessMissing(this.let(this.readers.call('icp_norm', [t]), (x) => this.synonyms(col, x)), 'text'));
        const seps = col.separators;
        r.multi = l2(`c${i}_mv`, `COALESCE(${seps.length ? d.or(seps.map((s) => d.containsText(t, d.str(s)))) : d.bool(false)}, ${d.bool(false)})`);
        // splitMulti: split on the first separator, then each part on every separator in order; normalise, drop empties.
        let parts = d.split(t, seps[0] ?? ';');
        for (const s of seps.length > 1 ? seps : []) parts = d.listFlatten(d.listMap(parts, this.param(), (x) => d.split(x, s)));
        let values = d.listFilter(d.listMap(parts, this.param(), (x) => this.readers.call('icp_norm', [x])), this.param(), (x) => `${x} <> ''`);
        if (col.synonyms.length) values = d.listMap(values, this.param(), (x) => this.synonyms(col, x));
        r.values = l3(`c${i}_v`, d.listIf ? d.listIf(r.multi, values) : `CASE WHEN ${r.multi} THEN ${values} END`);
      }
      this.reads[i] = r;
    });
  }

  /**
   * A column's number or day: by its SQL type when the table's column has a number or date/time type (the value
   * itself, whatever the rules' decimal or date order say about text), else `fromText`, the reader of its text.
   */
  private typedOr(name: string | null, kind: 'number' | 'date', fromText: Sql): Sql {
    const typed = name === null ? undefined : this.d.typed?.(this.d.ident(name), kind);
    return typed ? `CASE WHEN ${typed.when} THEN ${typed.value} ELSE ${fromText} END` : fromText;
  }

  /** Whether a trimmed cell is missing: NULL (empty) or a placeholder. */
  private missing(t: Sql): Sql {
    const placeholders = this.plan.placeholders;
    return placeholders.length ? `(${t} IS NULL OR ${this.d.inTexts(this.d.lower(t), placeholders)})` : `(${t} IS NULL)`;
  }

  private param(): string {
    return `icp_p${++this.letCount}`;
  }

  private needSubject(need: Set<string>[], s: PlanSubject, reads: string): void {
    if (s.type === 'column') {
      need[s.column]!.add(reads);
      return;
    }
    const dv = this.plan.derived[s.derived]!;
    const kind = dv.fn === 'ratio' || dv.fn === 'difference' ? 'number' : dv.fn === 'count' ? 'multi' : 'date';
    for (const a of dv.args) need[a]!.add(kind);
  }

  /** L4–L9: criteria, disqualifiers, groups, score and the reasons' order (PlanCriterion and PlanGroup steps). */
  private scores(): void {
    const d = this.d;
    const p = this.plan;
    const l4 = this.level();
    // A band's outcome reads the band's number, so it sits one level up (PostgreSQL and ClickHouse cannot refer to
    // an alias of the same SELECT list).
    const l5 = this.level();
    const match = p.criteria.map((cr) => {
      if (cr.kind === 'points') {
        const o = l4(`k${cr.index}_o`, this.condition(cr.condition!, cr.path));
        return { o, base: `CASE WHEN ${o} THEN ${d.num(cr.points)} ELSE ${d.num(0)} END`, band: undefined as Sql | undefined };
      }
      if (cr.kind === 'bands') {
        const conds = cr.bands.map((b) => this.condition(b.condition, b.path));
        const band = l4(`k${cr.index}_band`, `CASE ${conds.map((c, k) => `WHEN ${c} THEN ${k}`).join(' ')} ELSE -1 END`);
        // Kleene OR of the bands: TRUE when one is, else UNKNOWN when one is, else FALSE (PlanCriterion step 1).
        const o = l5(`k${cr.index}_o`, `CASE WHEN ${band} >= 0 THEN ${d.bool(true)} ELSE ${d.or(conds)} END`);
        const base = `CASE ${cr.bands.map((b, k) => `WHEN ${band} = ${k} THEN ${d.num(b.points)}`).join(' ')} ELSE ${d.num(0)} END`;
        return { o, base, band };
      }
      const x = l4(`k${cr.index}_x`, this.subjectNumber(cr.per!.subject));
      const o = `(${x} IS NOT NULL)`;
      // PostgreSQL raises an error on a product that overflows: a value whose base would pass ±1e300 is beyond
      // perBound whatever it is, so it is not multiplied (its base is ±1e300, of the product's sign).
      const safe = 1e300 / Math.abs(cr.points);
      const huge = !Number.isFinite(safe) ? '' : `WHEN abs(${x}) > ${d.num(safe)} THEN CASE WHEN ${x} > 0 THEN ${d.num(Math.sign(cr.points) * 1e300)} ELSE ${d.num(-Math.sign(cr.points) * 1e300)} END `;
      return { o: `CASE WHEN ${o} THEN ${d.bool(true)} END`, base: `CASE WHEN ${x} IS NULL THEN ${d.num(0)} ${huge}ELSE ${x} * ${d.num(cr.points)} END`, band: undefined };
    });
    for (const q of p.disqualifiers) l4(`q${q.index}`, `COALESCE(${this.condition(q.condition, q.path)}, ${d.bool(false)})`);

    // L5: base points; decay may turn a TRUE outcome unknown, and gives its factor.
    const l6 = this.level();
    const l7 = this.level();
    const l8 = this.level();
    const l9 = this.level();
    const contrib: Sql[] = [];
    const unknown: Sql[] = [];
    p.criteria.forEach((cr, k) => {
      const { o, base } = match[k]!;
      const b = l5(`k${cr.index}_base`, base);
      let outcome = o;
      let factor = d.num(1);
      if (cr.decay) {
        const day = this.reads[cr.decay.column]!.date!;
        const applies = `(COALESCE(${o}, ${d.bool(false)}) AND ${b} <> 0)`;
        // A per-row as-of day may be unknown too: then so is the decay, as a decay date unknown.
        const unknownDay = this.o.asOfColumn ? `(${day} IS NULL OR ${this.asOf} IS NULL)` : `${day} IS NULL`;
        outcome = l6(`k${cr.index}_od`, `CASE WHEN ${applies} AND ${unknownDay} THEN ${d.nullOf('boolean')} ELSE ${o} END`);
        const days = `CASE WHEN ${this.asOf} - ${day} > 0 THEN ${this.asOf} - ${day} ELSE ${d.num(0)} END`;
        factor = l6(`k${cr.index}_f`, `CASE WHEN ${applies} AND ${day} IS NOT NULL THEN ${this.readers.call('icp_exp', [`(${d.num(Math.log(0.5))} * (${days})) / ${d.num(cr.decay.halfLifeDays)}`])} ELSE ${d.num(1)} END`);
      }
      let pts = `((${b} * ${d.num(cr.weight)}) * ${factor})`;
      if (cr.cap !== null) pts = this.let(pts, (x) => `CASE WHEN ${x} > ${d.num(cr.cap!)} THEN ${d.num(cr.cap!)} ELSE ${x} END`);
      if (cr.floor !== null) pts = this.let(pts, (x) => `CASE WHEN ${x} < ${d.num(cr.floor!)} THEN ${d.num(cr.floor!)} ELSE ${x} END`);
      if (cr.kind === 'per') {
        // A base beyond perBound: its cap or floor, else unknown (beyondPoints, src/ops/points.ts).
        const bound = perBound(cr.weight, p.groups[cr.group]!.multiplier);
        const side = (sign: number) => ({ when: sign > 0 ? `${b} > ${d.num(bound)}` : `${b} < ${d.num(-bound)}`, pts: beyondPoints(sign, cr.weight, cr.cap ?? undefined, cr.floor ?? undefined) });
        const sides = [side(1), side(-1)];
        pts = `CASE ${sides.map((s) => `WHEN ${s.when} THEN ${d.num(s.pts === s.pts ? s.pts : 0)} `).join('')}ELSE ${pts} END`;
        const unknownWhen = sides.filter((s) => s.pts !== s.pts).map((s) => s.when);
        if (unknownWhen.length) outcome = `CASE WHEN ${d.or(unknownWhen)} THEN ${d.nullOf('boolean')} ELSE ${outcome} END`;
      }
      const u = l7(`k${cr.index}_u`, `(${outcome} IS NULL)`);
      unknown.push(u);
      const points = l7(`k${cr.index}_p`, `CASE WHEN ${outcome} IS NULL THEN ${d.num(toCents(cr.unknownPoints))} ELSE ${this.cents(pts)} END`);
      contrib.push(l8(`k${cr.index}_c`, this.cents(`(${points} / 100) * ${d.num(p.groups[cr.group]!.multiplier)}`)));
    });

    const groupContribs: Sql[] = [];
    for (const g of p.groups) {
      const raw = g.criteria.length ? `(${g.criteria.map((ci) => this.w(`k${ci}_p`)).join(' + ')})` : d.num(0);
      const sum = g.criteria.length ? `(${g.criteria.map((ci) => this.w(`k${ci}_c`)).join(' + ')})` : d.num(0);
      let sub = raw;
      if (g.cap !== null) sub = this.let(sub, (r) => `CASE WHEN ${r} > ${d.num(g.cap! * 100)} THEN ${d.num(toCents(g.cap!))} ELSE ${r} END`);
      if (g.floor !== null) sub = this.let(sub, (r) => `CASE WHEN ${r} < ${d.num(g.floor! * 100)} THEN ${d.num(toCents(g.floor!))} ELSE ${r} END`);
      const s = l8(`g${g.index}_sub`, sub);
      void s;
      // The cap/floor adjustment's contribution: toCents(adjust / 100 × multiplier), 0 without an adjustment.
      const adj = this.let(`${this.w(`g${g.index}_sub`)} - ${raw}`, (a) => `CASE WHEN ${a} = 0 THEN ${d.num(0)} ELSE ${this.cents(`(${a} / 100) * ${d.num(g.multiplier)}`)} END`);
      groupContribs.push(l9(`g${g.index}_c`, `(${sum} + ${adj})`));
    }
    void groupContribs;
    const l10 = this.level();
    l10('score', p.groups.length ? `(${p.groups.map((g) => this.w(`g${g.index}_c`)).join(' + ')})` : d.num(0));
    l10('dq', p.disqualifiers.length ? d.or(p.disqualifiers.map((q) => this.w(`q${q.index}`))) : d.bool(false));
    // Beside dq, which reads every disqualifier outside a lambda: ClickHouse 18.16 drops a subquery's column that a
    // SELECT reads only inside lambdas (the joined text's lets), "Unknown identifier".
    l10('dqr', this.joined(p.disqualifiers.map((q) => `CASE WHEN ${this.w(`q${q.index}`)} THEN ${d.str(q.reason)} END`)));
    // Each criterion's place among the reasons: how many come before it (larger |c|, or as large and earlier).
    const abs = (i: number) => `abs(${this.w(`k${i}_c`)})`;
    for (const cr of p.criteria) {
      const before = p.criteria
        .filter((o) => o.index !== cr.index)
        .map((o) => `CASE WHEN ${abs(o.index)} ${o.index < cr.index ? '>=' : '>'} ${abs(cr.index)} THEN 1 ELSE 0 END`);
      l10(`k${cr.index}_rank`, before.length ? `(${before.join(' + ')})` : '0');
    }
    this.match = match;
  }

  private match: { band: Sql | undefined }[] = [];

  /** The outer SELECT: the input columns, then the icp_ columns as icp score writes them. */
  private statement(): LoweredSql {
    const d = this.d;
    const p = this.plan;
    const out: Sql[] = [];
    const cents = (e: Sql) => this.readers.call('icp_cents_text', [e]);
    const dqTier = d.str(p.disqualifiedTier);
    const dq = this.w('dq');
    out.push(`${cents(this.w('score'))} AS ${d.ident('icp_score')}`);
    out.push(`CASE WHEN ${dq} THEN ${dqTier} ELSE ${p.tiers.length ? this.tierOf(p.tiers, this.w('score')) : d.str('')} END AS ${d.ident('icp_tier')}`);
    if (p.matrix) {
      const m = p.matrix;
      const cell = d.concat([this.tierOf(m.rows.tiers, this.w(`g${m.rows.group}_sub`)), this.tierOf(m.columns.tiers, this.w(`g${m.columns.group}_sub`))]);
      out.push(`CASE WHEN ${dq} THEN ${dqTier} ELSE ${cell} END AS ${d.ident('icp_matrix')}`);
    }
    for (const g of p.groups) out.push(`${cents(this.w(`g${g.index}_sub`))} AS ${d.ident(`icp_${g.id}_score`)}`);
    out.push(`CASE WHEN ${dq} THEN 'true' ELSE 'false' END AS ${d.ident('icp_disqualified')}`);
    out.push(`${this.w('dqr')} AS ${d.ident('icp_disqualified_reason')}`);
    out.push(`${this.reasons()} AS ${d.ident('icp_reasons')}`);
    if (this.o.summary) {
      const names = SUMMARY_COLUMNS(p).all;
      const index = (tiers: PlanTier[], cents: Sql) =>
        `CASE ${tiers.map((t, k) => (t.min === null ? '' : `WHEN ${cents} >= ${d.num(t.min * 100)} THEN ${k} `)).join('')}ELSE ${tiers.length - 1} END`;
      const m = p.matrix;
      const usable = SUMMARY_COLUMNS(p).usableColumns.map((c) => {
        const r = this.reads[c]!;
        const parts = [`NOT ${r.missing}`, ...(r.number ? [`${r.number} IS NOT NULL`] : []), ...(r.date ? [`${r.date} IS NOT NULL`] : []), ...(r.bool ? [`${r.bool} IS NOT NULL`] : [])];
        return `(${parts.join(' AND ')})`;
      });
      const values = [
        this.w('score'),
        dq,
        ...p.disqualifiers.map((q) => this.w(`q${q.index}`)),
        p.tiers.length ? index(p.tiers, this.w('score')) : '-1',
        m ? index(m.rows.tiers, this.w(`g${m.rows.group}_sub`)) : '-1',
        m ? index(m.columns.tiers, this.w(`g${m.columns.group}_sub`)) : '-1',
        this.o.asOfColumn ? `(${this.asOf} IS NULL)` : d.bool(false),
        ...usable,
      ];
      values.forEach((v, k) => out.push(`${v} AS ${d.ident(names[k]!)}`));
    }

    let sql = `SELECT * FROM ${this.o.from}`;
    this.levels.forEach((lv, i) => {
      if (lv.length === 0) return;
      sql = `SELECT *,\n  ${lv.map(([n, e]) => `${e} AS ${d.ident(n)}`).join(',\n  ')}\nFROM (${sql}${d.levelFence ? ` ${d.levelFence}` : ''}) AS ${d.ident(`icp_s${i + 1}`)}`;
    });
    let inputList: Sql;
    if (this.o.inputColumns) inputList = this.o.inputColumns.map((c) => d.ident(c)).join(', ');
    else {
      const all = d.selectAllExcept?.(this.levels.flat().map(([n]) => n));
      if (all === undefined) {
        throw new SqlRefusal(`${d.name}: icp cannot select "every input column" without knowing the table's columns`, [], 'give --input <a CSV export with the table\'s header> so icp lists them');
      }
      inputList = all;
    }
    const statement = `SELECT ${[inputList, ...out].join(',\n  ')}\nFROM (${sql}${d.levelFence ? ` ${d.levelFence}` : ''}) AS ${d.ident('icp_scored')}`;
    return { prelude: this.readers.prelude(), statement };
  }

  /** Synonyms as a CASE over the normalised text. */
  private synonyms(col: PlanColumn, e: Sql): Sql {
    if (col.synonyms.length === 0) return e;
    const d = this.d;
    // Searched CASE: ClickHouse 18.16 answers `CASE x WHEN …` with NULL for every x when the ELSE may be NULL.
    return `CASE ${col.synonyms.map(([v, c]) => `WHEN ${e} = ${d.str(v)} THEN ${d.str(c)}`).join(' ')} ELSE ${e} END`;
  }

  /** toCents in SQL: x × 100 rounded half away from zero. */
  private cents(x: Sql): Sql {
    return this.d.roundHalfAway(`(${x}) * 100`);
  }

  private tierOf(tiers: PlanTier[], cents: Sql): Sql {
    const d = this.d;
    const whens = tiers.filter((t) => t.min !== null).map((t) => `WHEN ${cents} >= ${d.num(t.min! * 100)} THEN ${d.str(t.name)}`);
    const last = d.str(tiers[tiers.length - 1]!.name);
    return whens.length ? `CASE ${whens.join(' ')} ELSE ${last} END` : last;
  }

  /** Texts joined with '; ', NULL parts skipped; '' when all are NULL. */
  private joined(parts: Sql[]): Sql {
    const d = this.d;
    if (parts.length === 0) return d.str('');
    let acc = `COALESCE(${parts[0]}, '')`;
    for (const part of parts.slice(1)) {
      acc = this.let(acc, (a) => this.let(part, (x) => `CASE WHEN ${x} IS NULL THEN ${a} WHEN ${a} = '' THEN ${x} ELSE ${d.concat([a, "'; '", x])} END`));
    }
    return acc;
  }

  /** icp_reasons: the top contributions, most influential first (topReasons). */
  private reasons(): Sql {
    const d = this.d;
    const p = this.plan;
    const n = p.reasons;
    if (n <= 0 || p.criteria.length === 0) return d.str('');
    const cents = (e: Sql) => this.readers.call('icp_cents_text', [e]);
    const textOf = (cr: PlanCriterion): Sql => {
      const c = this.w(`k${cr.index}_c`);
      const band = this.match[cr.index]!.band;
      const label = band ? `CASE ${cr.bands.map((b) => `WHEN ${band} = ${b.index} THEN ${d.str(`${cr.label}: ${b.label}`)}`).join(' ')} ELSE ${d.str(cr.label)} END` : d.str(cr.label);
      const what = `CASE WHEN ${this.w(`k${cr.index}_u`)} THEN ${d.str(`${cr.label} unknown`)} ELSE ${label} END`;
      return d.concat([what, `' ('`, `CASE WHEN ${c} > 0 THEN '+' ELSE '' END`, cents(c), `')'`]);
    };
    const slots: Sql[] = [];
    for (let k = 0; k < Math.min(n, p.criteria.length); k++) {
      slots.push(`CASE ${p.criteria.map((cr) => `WHEN ${this.w(`k${cr.index}_c`)} <> 0 AND ${this.w(`k${cr.index}_rank`)} = ${k} THEN ${textOf(cr)}`).join(' ')} END`);
    }
    return this.joined(slots);
  }

  private subjectNumber(s: PlanSubject): Sql {
    if (s.type === 'column') return this.reads[s.column]!.number!;
    return this.derived(s.derived);
  }

  private derived(index: number): Sql {
    const d = this.d;
    const dv = this.plan.derived[index]!;
    const r = (k: number) => this.reads[dv.args[k]!]!;
    switch (dv.fn) {
      case 'ratio':
        return `CASE WHEN ${r(1).number!} = 0 THEN ${d.nullOf('double')} ELSE ${r(0).number!} / ${r(1).number!} END`;
      case 'difference':
        return `(${r(0).number!} - ${r(1).number!})`;
      case 'days_between':
        return `(${r(1).date!} - ${r(0).date!})`;
      case 'days_since':
        return `(${this.asOf} - ${r(0).date!})`;
      case 'count': {
        const c = r(0);
        return `CASE WHEN ${c.missing} THEN ${d.nullOf('double')} WHEN ${c.multi!} THEN ${d.listLength(c.values!)} ELSE ${d.num(1)} END`;
      }
    }
  }

  /** A condition as a BOOLEAN (NULL = unknown). */
  private condition(c: PlanCondition, path: PlanPath): Sql {
    const d = this.d;
    if (c.type !== 'leaf') {
      const parts = c.of.map((x) => this.condition(x, x.path));
      return c.type === 'all' ? d.and(parts) : c.type === 'any' ? d.or(parts) : d.not(parts[0]!);
    }
    try {
      return this.leaf(c);
    } catch (e) {
      if (e instanceof SqlUnsupported) throw new SqlRefusal(`${d.name} cannot run "${c.text}": ${e.message}`, c.path.length ? c.path : path);
      throw e;
    }
  }

  private leaf(l: PlanLeaf): Sql {
    const d = this.d;
    const col = l.subject.type === 'column' ? this.reads[l.subject.column]! : undefined;
    const whenPresent = (e: Sql) => `CASE WHEN ${col!.missing} THEN ${d.nullOf('boolean')} ELSE ${e} END`;
    switch (l.op) {
      case 'in':
      case 'not_in': {
        const vals = l.arg.values;
        const hit = `(${d.inTexts(col!.text!, vals)} OR (${col!.multi!} AND ${d.listHasAny(col!.values!, vals)}))`;
        return whenPresent(l.op === 'in' ? hit : d.not(hit));
      }
      case 'num_in':
      case 'num_not_in':
        return this.let(this.subjectNumber(l.subject), (v) => `CASE WHEN ${v} IS NULL THEN ${d.nullOf('boolean')} ELSE ${l.op === 'num_in' ? '' : 'NOT '}${d.inNumbers(v, l.arg.numbers)} END`);
      case 'gt':
        return `(${this.subjectNumber(l.subject)} > ${d.num(l.arg.number)})`;
      case 'gte':
        return `(${this.subjectNumber(l.subject)} >= ${d.num(l.arg.number)})`;
      case 'lt':
        return `(${this.subjectNumber(l.subject)} < ${d.num(l.arg.number)})`;
      case 'lte':
        return `(${this.subjectNumber(l.subject)} <= ${d.num(l.arg.number)})`;
      case 'between':
        return this.let(this.subjectNumber(l.subject), (v) => `(${v} >= ${d.num(l.arg.min)} AND ${v} < ${d.num(l.arg.max)})`);
      case 'contains': {
        const t = col!.trimmed;
        return whenPresent(this.let(l.arg.caseSensitive ? t : d.lower(t), (hay) => d.or(l.arg.needles.map((n) => d.containsText(hay, d.str(n))))));
      }
      case 'matches':
        return whenPresent(d.userMatch(col!.trimmed, l.arg.pattern, l.arg.caseSensitive));
      case 'present':
        return l.arg.present ? `(NOT ${col!.missing})` : `(${col!.missing})`;
      case 'is':
        return `(${col!.bool!} = ${d.bool(l.arg.value)})`;
      case 'within_days':
        return `((${this.asOf} - ${col!.date!}) <= ${d.num(l.arg.days)})`;
      case 'older_than_days':
        return `((${this.asOf} - ${col!.date!}) > ${d.num(l.arg.days)})`;
    }
  }
}

