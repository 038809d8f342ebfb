// Validated rules data → a Plan (plain data), with every semantic problem reported at its rules path. Pure.
import { closest } from '../errors.js';
import { OPERATOR_KEYS, OPERATOR_OPTIONS, PLAN_OPERATORS, RULE_OPERATORS, type OperatorKey } from '../ops/operators.js';
import { round2 } from '../ops/round.js';
import { DEFAULT_PLACEHOLDERS, normalizeText } from '../values/index.js';
import type { RulesData } from '../rules/schema.js';
import { criterionRange, groupRange, planBound, totalRange, type Range } from './bounds.js';
import {
  COLUMN_KINDS,
  PLAN_VERSION,
  type ColumnKind,
  type Plan,
  type PlanBand,
  type PlanColumn,
  type PlanCondition,
  type PlanCriterion,
  type PlanDecimal,
  type PlanDateOrder,
  type PlanDerived,
  type PlanDisqualifier,
  type PlanGroup,
  type PlanLeaf,
  type PlanMatrix,
  type PlanPath,
  type PlanSubject,
  type PlanTier,
  type PlanUnknownPolicy,
  type ReadKind,
} from './types.js';

/** A problem found while building the Plan, at a rules path; the loader turns paths into file:line:col. */
export interface PlanIssue {
  severity: 'error' | 'warning';
  code: string;
  path: PlanPath;
  message: string;
  hint?: string;
  /** Point at the key rather than its value. */
  at?: 'key' | 'value';
}

export interface BuildResult {
  /** Undefined when there are errors. */
  plan?: Plan;
  issues: PlanIssue[];
}

type Obj = Record<string, unknown>;
type DerivedInput = NonNullable<RulesData['criteria'][number]['value']>;

/** A column while the Plan is built: kinds and synonyms are sets and maps until `finish`. */
interface ColumnDraft extends Omit<PlanColumn, 'kinds' | 'synonyms'> {
  kinds: Set<ColumnKind>;
  synonyms: Map<string, string>;
}

/** The subject of an operator while building: what the Plan records, plus what canonicalising needs. */
interface SubjectDraft {
  plan: PlanSubject;
  text: string;
  columns: number[];
  /** The column's synonyms (none for a derived value). */
  synonyms: Map<string, string> | undefined;
}

const COMBINATORS = ['all', 'any', 'not'] as const;

/** The column kind a leaf's reading adds to its column (for coverage); presence adds none. */
const KIND_OF_READ: Record<ReadKind, ColumnKind | undefined> = {
  text: 'text',
  multi: 'text',
  number: 'number',
  date: 'date',
  bool: 'bool',
  presence: undefined,
};

/** Build the Plan of validated rules. Errors leave `plan` undefined; warnings do not. */
export function buildPlan(rules: RulesData): BuildResult {
  const b = new Builder(rules);
  const plan = b.run();
  const hasError = b.issues.some((i) => i.severity === 'error');
  // Model-wide lints are noise while criteria fail to build (a group looks unused, a tier unreachable).
  const issues = hasError ? b.issues.filter((i) => i.code !== 'unused-group' && i.code !== 'unreachable-tier') : b.issues;
  return { plan: hasError ? undefined : plan, issues };
}

function distinct<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

class Builder {
  issues: PlanIssue[] = [];
  private columns: ColumnDraft[] = [];
  private byName = new Map<string, ColumnDraft>();
  private derivedList: PlanDerived[] = [];
  private derivedByKey = new Map<string, PlanDerived>();

  constructor(private rules: RulesData) {}

  error(path: PlanPath, code: string, message: string, hint?: string, at?: 'key' | 'value'): void {
    this.issues.push({ severity: 'error', code, path, message, hint, at });
  }
  warn(path: PlanPath, code: string, message: string, hint?: string): void {
    this.issues.push({ severity: 'warning', code, path, message, hint });
  }

  run(): Plan {
    const r = this.rules;
    this.declareColumns();
    // `id: { line_number: true }`: no id column; the lead id is the record's line.
    const idColumn = typeof r.id === 'string' ? this.column(r.id, 'text', ['id']).index : null;
    if (idColumn !== null) this.columns[idColumn]!.required = true;

    const groupIds = Object.keys(r.groups);
    if (groupIds.length === 0) this.error(['groups'], 'no-groups', 'define at least one group', 'e.g. groups: { fit: { weight: 1 } }');
    const groups: PlanGroup[] = groupIds.map((id, index) => {
      const g = r.groups[id]!;
      if (g.cap !== undefined && g.floor !== undefined && g.cap < g.floor) {
        this.error(['groups', id, 'cap'], 'cap-below-floor', `group "${id}": cap ${g.cap} is below floor ${g.floor}`);
      }
      return {
        index,
        id,
        label: g.label ?? id,
        weight: g.weight ?? 1,
        cap: g.cap ?? null,
        floor: g.floor ?? null,
        multiplier: 1,
        max: 0,
        min: 0,
        criteria: [],
        path: ['groups', id],
      };
    });

    const seenIds = new Map<string, PlanPath>();
    const checkId = (id: string, path: PlanPath): void => {
      if (seenIds.has(id)) this.error([...path, 'id'], 'duplicate-id', `id "${id}" is used twice`, 'give every criterion and disqualifier its own id');
      else seenIds.set(id, path);
    };

    const criteria: PlanCriterion[] = [];
    const ranges: Range[] = [];
    r.criteria.forEach((raw, i) => {
      const path: PlanPath = ['criteria', i];
      checkId(raw.id, path);
      const gi = groupIds.indexOf(raw.group);
      if (gi < 0) {
        const guess = closest(raw.group, groupIds);
        this.error([...path, 'group'], 'unknown-group', `criterion "${raw.id}" names group "${raw.group}", which is not defined`, guess ? `did you mean "${guess}"?` : `defined groups: ${groupIds.join(', ')}`);
        return;
      }
      const built = this.criterion(raw as unknown as Obj, path, criteria.length, gi, raw.group);
      if (built) {
        criteria.push(built.criterion);
        ranges.push(built.range);
        groups[gi]!.criteria.push(built.criterion.index);
      }
    });

    const groupRanges = groups.map((g) => {
      if (g.criteria.length === 0) this.warn(['groups', g.id], 'unused-group', `group "${g.id}" has no criteria`, 'remove it, or add criteria with group: ' + g.id);
      const range = groupRange(g.criteria.map((ci) => ranges[ci]!), g.cap, g.floor);
      g.max = planBound(range.max);
      g.min = planBound(range.min);
      return range;
    });

    const method = r.total?.method ?? 'sum';
    if (method === 'weighted_average') {
      const wsum = groups.reduce((s, g) => s + (g.criteria.length ? g.weight : 0), 0);
      if (wsum <= 0) this.error(['total', 'method'], 'no-weight', 'weighted_average needs at least one group with a weight above 0');
      for (const g of groups) {
        g.multiplier = 0;
        if (!g.criteria.length) continue;
        const max = groupRanges[g.index]!.max;
        if (!Number.isFinite(max) || max <= 0) {
          this.error(['groups', g.id], 'unbounded-group', `group "${g.id}" has no finite positive maximum, so it cannot be shown as a percentage`, 'give it a cap, or cap its points_per criteria');
          continue;
        }
        g.multiplier = wsum > 0 ? (g.weight / wsum) * (100 / max) : 0;
      }
    } else {
      for (const g of groups) g.multiplier = g.weight;
    }
    const total = totalRange(groups.map((g) => ({ range: groupRanges[g.index]!, multiplier: g.multiplier })));

    const disqualifiers: PlanDisqualifier[] = [];
    (r.disqualifiers ?? []).forEach((raw, i) => {
      const path: PlanPath = ['disqualifiers', i];
      checkId(raw.id, path);
      const condition = this.condition(raw as unknown as Obj, path, undefined, true);
      if (condition) disqualifiers.push({ index: disqualifiers.length, id: raw.id, reason: raw.reason, condition, path });
    });

    const tiers = r.tiers ? this.thresholds(r.tiers, ['tiers']) : [];
    if (!r.tiers && !r.matrix) this.error([], 'no-tiers', 'the rules define neither tiers nor a matrix', 'add tiers: [{ name: A, min: 70 }, { name: B, min: 40 }, { name: C }]');
    let matrix: PlanMatrix | null = null;
    if (r.matrix) {
      const axis = (key: 'rows' | 'columns') => {
        const a = r.matrix![key];
        const gi = groupIds.indexOf(a.group);
        if (gi < 0) {
          const guess = closest(a.group, groupIds);
          this.error(['matrix', key, 'group'], 'unknown-group', `matrix ${key} names group "${a.group}", which is not defined`, guess ? `did you mean "${guess}"?` : undefined);
        }
        return { group: gi, tiers: this.thresholds(a.tiers, ['matrix', key, 'tiers']) };
      };
      matrix = { rows: axis('rows'), columns: axis('columns') };
    }
    if (method === 'sum') {
      tiers.forEach((t, i) => {
        if (t.min !== null && t.min > total.max) this.warn(['tiers', i, 'min'], 'unreachable-tier', `tier "${t.name}" needs ${t.min} points but the most a lead can score is ${round2(total.max)}`, 'lower its min or raise criteria points');
      });
    }

    return {
      version: PLAN_VERSION,
      name: r.name ?? null,
      idColumn,
      columns: this.columns.map(finishColumn),
      derived: this.derivedList,
      placeholders: distinct((r.placeholders ?? DEFAULT_PLACEHOLDERS).map((p) => p.trim().toLowerCase())).sort(),
      groups,
      criteria,
      disqualifiers,
      total: { method, range: { min: planBound(total.min), max: planBound(total.max) } },
      tiers,
      matrix,
      disqualifiedTier: r.disqualified_tier ?? 'DQ',
      reasons: r.reasons ?? 3,
    };
  }

  private newColumn(name: string, aliases: string[], path: PlanPath, decimal?: string, dateOrder?: string): ColumnDraft {
    const ref: ColumnDraft = {
      index: this.columns.length,
      name,
      aliases,
      required: true,
      used: false,
      separators: [';'],
      synonyms: new Map(),
      kinds: new Set(),
      decimal: (decimal ?? this.rules.decimal ?? 'auto') as PlanDecimal,
      dateOrder: (dateOrder ?? this.rules.date_order ?? 'auto') as PlanDateOrder,
      path,
    };
    this.columns.push(ref);
    this.byName.set(name, ref);
    return ref;
  }

  private declareColumns(): void {
    for (const [name, def] of Object.entries(this.rules.columns ?? {})) {
      const obj = Array.isArray(def) ? { aliases: def } : def;
      const ref = this.newColumn(name, obj.aliases ?? [name], ['columns', name], obj.decimal, obj.date_order);
      for (const [canonical, variants] of Object.entries(obj.synonyms ?? {})) {
        const c = normalizeText(canonical);
        for (const v of variants) ref.synonyms.set(normalizeText(v), c);
      }
      ref.required = obj.required ?? true;
      if (obj.separator !== undefined) ref.separators = Array.isArray(obj.separator) ? obj.separator : [obj.separator];
    }
  }

  /** The column a rule refers to: a declared logical column, or else a header name used directly. */
  private column(name: string, kind: ColumnKind | undefined, path: PlanPath): ColumnDraft {
    const ref = this.byName.get(name) ?? this.newColumn(name, [name], path);
    if (kind) ref.kinds.add(kind);
    ref.used = true;
    return ref;
  }

  private derived(d: DerivedInput, path: PlanPath): SubjectDraft | undefined {
    const keys = Object.keys(d).filter((k) => (d as Obj)[k] !== undefined);
    if (keys.length !== 1) {
      this.error(path, 'derived-arity', `a derived value needs exactly one function, found ${keys.length ? keys.join(', ') : 'none'}`, 'use one of ratio, difference, days_between, days_since, count');
      return undefined;
    }
    const fn = keys[0] as PlanDerived['fn'];
    const p = [...path, fn];
    let names: string[];
    let text: string;
    let kind: ColumnKind;
    if (d.ratio) [names, text, kind] = [d.ratio, `${d.ratio[0]} / ${d.ratio[1]}`, 'number'];
    else if (d.difference) [names, text, kind] = [d.difference, `${d.difference[0]} − ${d.difference[1]}`, 'number'];
    else if (d.days_between) [names, text, kind] = [d.days_between, `days from ${d.days_between[0]} to ${d.days_between[1]}`, 'date'];
    else if (d.days_since) [names, text, kind] = [[d.days_since], `days since ${d.days_since}`, 'date'];
    else [names, text, kind] = [[d.count!], `number of ${d.count}`, 'text'];
    const args = names.map((n) => this.column(n, kind, p).index);
    const key = `${fn}(${args.join(',')})`;
    let def = this.derivedByKey.get(key);
    if (!def) {
      def = { index: this.derivedList.length, fn, args, text, path: p };
      this.derivedList.push(def);
      this.derivedByKey.set(key, def);
    }
    return { plan: { type: 'derived', derived: def.index }, text, columns: distinct(args), synonyms: undefined };
  }

  /** The subject of an object's operator: its own column/value, else the inherited one. */
  private subject(obj: Obj, path: PlanPath, inherited: SubjectDraft | undefined): SubjectDraft | undefined | null {
    if (obj.column !== undefined && obj.value !== undefined) {
      this.error([...path, 'value'], 'two-subjects', 'give either column or value, not both');
      return null;
    }
    if (obj.value !== undefined) return this.derived(obj.value as DerivedInput, [...path, 'value']) ?? null;
    if (obj.column !== undefined) {
      const ref = this.column(obj.column as string, undefined, [...path, 'column']);
      return { plan: { type: 'column', column: ref.index }, text: ref.name, columns: [ref.index], synonyms: ref.synonyms };
    }
    return inherited;
  }

  private operatorsOf(obj: Obj): OperatorKey[] {
    return OPERATOR_KEYS.filter((k) => obj[k] !== undefined);
  }

  /** Build an object holding one operator or one combinator. `required`: it must hold a condition. */
  condition(obj: Obj, path: PlanPath, inherited: SubjectDraft | undefined, required: boolean): PlanCondition | undefined {
    const subject = this.subject(obj, path, inherited);
    if (subject === null) return undefined;
    const ops = this.operatorsOf(obj);
    const combs = COMBINATORS.filter((k) => obj[k] !== undefined);
    if (ops.length + combs.length === 0) {
      if (required) {
        this.error(path, 'no-operator', 'this condition has no operator', `add one of ${OPERATOR_KEYS.join(', ')}, or all / any / not`);
      }
      return undefined;
    }
    if (ops.length + combs.length > 1) {
      const found = [...ops, ...combs];
      this.error([...path, found[1]!], 'several-operators', `one condition may hold one operator, found ${found.join(' and ')}`, 'combine several with all: [ {…}, {…} ] or any: [ … ]', 'key');
      return undefined;
    }
    const cs = OPERATOR_OPTIONS.case_sensitive;
    if (obj.case_sensitive !== undefined && !ops.some((o) => cs.appliesTo.includes(o))) {
      this.warn([...path, 'case_sensitive'], 'useless-option', 'case_sensitive only affects matches and contains');
    }
    if (combs.length === 1) {
      const k = combs[0]!;
      if (k === 'not') {
        const inner = this.condition(obj.not as Obj, [...path, 'not'], subject, true);
        return inner && { type: 'not', of: [inner], text: `not (${inner.text})`, columns: inner.columns, path: [...path, 'not'] };
      }
      const list = (obj[k] as Obj[]).map((o, i) => this.condition(o, [...path, k, i], subject, true));
      if (list.some((x) => !x)) return undefined;
      const parts = list as PlanCondition[];
      return {
        type: k,
        of: parts,
        text: parts.map((p) => (parts.length > 1 ? `(${p.text})` : p.text)).join(k === 'all' ? ' and ' : ' or '),
        columns: distinct(parts.flatMap((p) => p.columns)),
        path: [...path, k],
      };
    }
    const op = ops[0]!;
    if (!subject) {
      this.error([...path, op], 'no-column', `"${op}" needs a column to test`, 'add column: <name> (or value: { … } for a derived number)', 'key');
      return undefined;
    }
    return this.leaf(op, obj[op], subject, obj.case_sensitive === true, [...path, op]);
  }

  private leaf(key: OperatorKey, arg: unknown, subject: SubjectDraft, caseSensitive: boolean, path: PlanPath): PlanLeaf | undefined {
    const def = RULE_OPERATORS[key] as (typeof RULE_OPERATORS)['equals'];
    const a = arg as Parameters<typeof def.canon>[0];
    const reads = PLAN_OPERATORS[def.op(a)].reads;
    if (subject.plan.type === 'derived' && reads !== 'number') {
      this.error(path, 'derived-text', `"${key}" tests text or dates of a column; a derived value is a number`, 'use gt, gte, lt, lte, between, equals or a numeric in');
      return undefined;
    }
    const synonyms = subject.synonyms;
    const canon = def.canon(a, {
      subject: subject.text,
      caseSensitive,
      text: (v) => {
        const n = normalizeText(v);
        return synonyms?.get(n) ?? n;
      },
    });
    if ('problem' in canon) {
      this.error(path, `bad-${key.replace(/_/g, '-')}`, canon.problem, canon.hint);
      return undefined;
    }
    const kind = KIND_OF_READ[reads];
    if (subject.plan.type === 'column' && kind) this.columns[subject.plan.column]!.kinds.add(kind);
    return { type: 'leaf', ...canon, reads, subject: subject.plan, columns: subject.columns, path } as PlanLeaf;
  }

  private unknownPolicy(raw: unknown): PlanUnknownPolicy {
    if (raw === undefined || raw === 'zero') return { policy: 'zero' };
    if (raw === 'neutral') return { policy: 'neutral', share: 0.5 };
    if (raw === 'penalty') return { policy: 'penalty', points: -5 };
    const o = raw as { policy: 'zero' | 'neutral' | 'penalty'; share?: number; points?: number };
    if (o.policy === 'neutral') return { policy: 'neutral', share: o.share ?? 0.5 };
    if (o.policy === 'penalty') return { policy: 'penalty', points: o.points ?? -5 };
    return { policy: 'zero' };
  }

  private criterion(obj: Obj, path: PlanPath, index: number, group: number, groupId: string): { criterion: PlanCriterion; range: Range } | undefined {
    const id = obj.id as string;
    const forms = (['points', 'bands', 'points_per'] as const).filter((k) => obj[k] !== undefined);
    if (forms.length !== 1) {
      this.error(path, 'criterion-form', forms.length ? `criterion "${id}" has ${forms.join(' and ')}; use exactly one` : `criterion "${id}" gives no points`, 'use points (with a condition), bands, or points_per');
      return undefined;
    }
    const groupRaw = this.rules.groups[groupId]!;
    const weight = (obj.weight as number | undefined) ?? 1;
    const cap = (obj.cap as number | undefined) ?? null;
    const floor = (obj.floor as number | undefined) ?? null;
    if (cap !== null && floor !== null && cap < floor) this.error([...path, 'cap'], 'cap-below-floor', `cap ${cap} is below floor ${floor}`);
    const unknown = this.unknownPolicy(obj.unknown ?? groupRaw.unknown ?? this.rules.unknown);
    const decayRaw = obj.decay === false ? undefined : ((obj.decay ?? groupRaw.decay) as { date: string; half_life_days: number } | undefined);
    const decay = decayRaw
      ? {
          column: this.column(decayRaw.date, 'date', obj.decay ? [...path, 'decay', 'date'] : ['groups', groupId, 'decay']).index,
          halfLifeDays: decayRaw.half_life_days,
        }
      : null;

    const base: PlanCriterion = {
      index,
      id,
      label: (obj.label as string | undefined) ?? id,
      group,
      kind: 'points',
      condition: null,
      points: 0,
      bands: [],
      per: null,
      columns: [],
      weight,
      cap,
      floor,
      decay,
      unknown,
      unknownPoints: 0,
      maxPoints: 0,
      minPoints: 0,
      path,
    };
    let c: PlanCriterion;
    const form = forms[0]!;
    if (form === 'points') {
      const condition = this.condition(obj, path, undefined, true);
      if (!condition) return undefined;
      c = { ...base, kind: 'points', condition, points: obj.points as number, columns: condition.columns };
    } else {
      const ops = [...this.operatorsOf(obj), ...COMBINATORS.filter((k) => obj[k] !== undefined)];
      if (ops.length) {
        this.error([...path, ops[0]!], 'operator-with-' + form.replace('_', '-'), `"${ops[0]}" cannot stand beside ${form}: ${form === 'bands' ? 'put conditions inside each band' : 'points_per scores the whole value'}`, undefined, 'key');
        return undefined;
      }
      const subject = this.subject(obj, path, undefined);
      if (subject === null) return undefined;
      if (!subject) {
        this.error(path, 'no-column', `criterion "${id}" needs a column (or value) for its ${form}`, 'add column: <name>');
        return undefined;
      }
      if (form === 'bands') {
        const bands = this.bands(obj.bands as Obj | Obj[], [...path, 'bands'], subject);
        if (!bands) return undefined;
        c = { ...base, kind: 'bands', bands, columns: subject.columns };
      } else {
        if (subject.plan.type === 'column') this.column(subject.text, 'number', path);
        c = { ...base, kind: 'per', points: obj.points_per as number, per: { subject: subject.plan, text: subject.text }, columns: subject.columns };
      }
    }
    const range = criterionRange({
      kind: c.kind,
      points: c.points,
      bandPoints: c.bands.map((b) => b.points),
      weight,
      cap,
      floor,
      penalty: unknown.policy === 'penalty' ? unknown.points : null,
    });
    c.maxPoints = planBound(range.max);
    c.minPoints = planBound(range.min);
    if (unknown.policy === 'neutral') {
      if (c.maxPoints === null) {
        this.error([...path, 'unknown'], 'neutral-unbounded', `criterion "${id}" uses the neutral policy but has no maximum`, 'add cap: <most points>');
      } else c.unknownPoints = unknown.share * c.maxPoints;
    } else if (unknown.policy === 'penalty') c.unknownPoints = unknown.points;
    const gcap = groupRaw.cap;
    if (gcap !== undefined && range.max > gcap) {
      this.warn(path, 'exceeds-group-cap', `criterion "${id}" can give ${range.max} points, more than its group's cap of ${gcap}`, 'lower its points or raise the group cap');
    }
    return { criterion: c, range };
  }

  private bands(raw: Obj | Obj[], path: PlanPath, subject: SubjectDraft): PlanBand[] | undefined {
    const entries: [string, Obj, PlanPath][] = Array.isArray(raw)
      ? raw.map((b, i) => [(b.label as string | undefined) ?? `band ${i + 1}`, b, [...path, i]])
      : (['ideal', 'acceptable', 'avoid'] as const).filter((k) => raw[k] !== undefined).map((k) => [((raw[k] as Obj).label as string | undefined) ?? k, raw[k] as Obj, [...path, k]]);
    if (entries.length === 0) {
      this.error(path, 'no-bands', 'bands is empty', 'add ideal, acceptable and/or avoid');
      return undefined;
    }
    const out: PlanBand[] = [];
    let ok = true;
    for (const [label, b, p] of entries) {
      const condition = this.condition(b, p, subject, true);
      if (!condition) ok = false;
      else out.push({ index: out.length, label, points: b.points as number, condition, path: p });
    }
    if (!ok) return undefined;
    this.checkBandOverlap(entries);
    return out;
  }

  /** Numeric bands must not overlap (an ambiguous value) and should not leave gaps (a value scoring 0 by accident). */
  private checkBandOverlap(entries: [string, Obj, PlanPath][]): void {
    type Iv = { lo: number; loIn: boolean; hi: number; hiIn: boolean; label: string; path: PlanPath };
    const ivs: Iv[] = [];
    const cats = new Map<string, string>();
    for (const [label, b, p] of entries) {
      let iv: Iv | undefined;
      if (typeof b.gte === 'number') iv = { lo: b.gte, loIn: true, hi: Infinity, hiIn: false, label, path: p };
      else if (typeof b.gt === 'number') iv = { lo: b.gt, loIn: false, hi: Infinity, hiIn: false, label, path: p };
      else if (typeof b.lt === 'number') iv = { lo: -Infinity, loIn: false, hi: b.lt, hiIn: false, label, path: p };
      else if (typeof b.lte === 'number') iv = { lo: -Infinity, loIn: false, hi: b.lte, hiIn: true, label, path: p };
      else if (Array.isArray(b.between)) iv = { lo: b.between[0] as number, loIn: true, hi: b.between[1] as number, hiIn: false, label, path: p };
      else if (typeof b.equals === 'number') iv = { lo: b.equals, loIn: true, hi: b.equals, hiIn: true, label, path: p };
      if (iv) ivs.push(iv);
      if (Array.isArray(b.in)) {
        for (const v of b.in as unknown[]) {
          const n = normalizeText(String(v));
          const prev = cats.get(n);
          if (prev !== undefined && prev !== label) this.error([...p, 'in'], 'band-overlap', `"${String(v)}" is in both band "${prev}" and band "${label}"`, 'a value may belong to one band only');
          else cats.set(n, label);
        }
      }
    }
    ivs.sort((a, b) => a.lo - b.lo || (a.loIn === b.loIn ? 0 : a.loIn ? -1 : 1));
    for (let i = 1; i < ivs.length; i++) {
      const a = ivs[i - 1]!;
      const b = ivs[i]!;
      const overlap = b.lo < a.hi || (b.lo === a.hi && b.loIn && a.hiIn);
      if (overlap) {
        this.error(b.path, 'band-overlap', `band "${b.label}" overlaps band "${a.label}" (values from ${b.lo} ${b.loIn ? 'included' : 'excluded'} are in both)`, 'make the bands meet without overlapping, e.g. between: [100000, 5000000] then gte: 5000000');
      } else if (b.lo > a.hi || (b.lo === a.hi && !b.loIn && !a.hiIn)) {
        this.warn(b.path, 'band-gap', `values between ${a.hi} and ${b.lo} fall in no band (between "${a.label}" and "${b.label}") and score 0`, 'close the gap if that is not intended');
      }
    }
  }

  private thresholds(list: { name: string; min?: number; label?: string }[], path: PlanPath): PlanTier[] {
    const out: PlanTier[] = [];
    const names = new Set<string>();
    list.forEach((t, i) => {
      const p = [...path, i];
      if (names.has(t.name)) this.error([...p, 'name'], 'duplicate-tier', `tier "${t.name}" is defined twice`);
      names.add(t.name);
      const last = i === list.length - 1;
      if (t.min === undefined && !last) {
        this.error(p, 'tier-no-min', `tier "${t.name}" has no min but is not the last tier`, 'only the last (lowest) tier may omit min');
      }
      if (t.min !== undefined && last) {
        this.error([...p, 'min'], 'last-tier-min', `the last tier "${t.name}" has min ${t.min}, so lower scores would have no tier`, 'remove min from the last tier: it takes every lower score');
      }
      const prev = out[out.length - 1];
      // A tier before the last without min is an error above; it also reads as -Infinity here, as it always has.
      const prevMin = prev?.min ?? -Infinity;
      if (prev && t.min !== undefined && t.min >= prevMin) {
        this.error([...p, 'min'], 'tiers-order', `tiers must go from best to worst: "${t.name}" (min ${t.min}) comes after "${prev.name}" (min ${prevMin})`, 'order tiers by descending min');
      }
      out.push({ name: t.name, label: t.label ?? null, min: t.min ?? null, path: p });
    });
    return out;
  }
}

function finishColumn(c: ColumnDraft): PlanColumn {
  return {
    ...c,
    synonyms: [...c.synonyms].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    kinds: COLUMN_KINDS.filter((k) => c.kinds.has(k)),
  };
}
