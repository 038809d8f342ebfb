// Validated rules data → a compiled Model, with every semantic problem reported at its rules path. Pure.
import { closest } from '../errors.js';
import {
  DEFAULT_PLACEHOLDERS,
  normalizeText,
  type DateOrder,
  type DecimalMode,
} from '../values/index.js';
import type {
  Band,
  ColumnRef,
  CompiledCondition,
  CriterionModel,
  DisqualifierModel,
  GroupModel,
  Model,
  NumFn,
  Threshold,
  UnknownPolicy,
  ValueKind,
} from '../engine/model.js';
import { allOf, anyOf, notOf, OPERATORS, operatorKind, type Subject } from '../engine/operators.js';
import { OPERATOR_KEYS, type OperatorKey } from './operator-keys.js';
import type { RulesData } from './schema.js';

/** A problem found while compiling, at a rules path; the loader turns paths into file:line:col. */
export interface CompileIssue {
  severity: 'error' | 'warning';
  code: string;
  path: (string | number)[];
  message: string;
  hint?: string;
  /** Point at the key rather than its value. */
  at?: 'key' | 'value';
}

export interface CompileResult {
  model?: Model;
  issues: CompileIssue[];
}

type Path = (string | number)[];
type Obj = Record<string, unknown>;
type DerivedInput = NonNullable<RulesData['criteria'][number]['value']>;

const COMBINATORS = ['all', 'any', 'not'] as const;

/** Compile validated rules into a Model. Errors leave `model` undefined; warnings do not. */
export function compileRules(rules: RulesData): CompileResult {
  const c = new Compiler(rules);
  const model = c.run();
  const hasError = c.issues.some((i) => i.severity === 'error');
  // Model-wide lints are noise while criteria fail to compile (a group looks unused, a tier unreachable).
  const issues = hasError ? c.issues.filter((i) => i.code !== 'unused-group' && i.code !== 'unreachable-tier') : c.issues;
  return { model: hasError ? undefined : model, issues };
}

class Compiler {
  issues: CompileIssue[] = [];
  private columns: ColumnRef[] = [];
  private byName = new Map<string, ColumnRef>();

  constructor(private rules: RulesData) {}

  error(path: Path, code: string, message: string, hint?: string, at?: 'key' | 'value'): void {
    this.issues.push({ severity: 'error', code, path, message, hint, at });
  }
  warn(path: Path, code: string, message: string, hint?: string): void {
    this.issues.push({ severity: 'warning', code, path, message, hint });
  }

  run(): Model {
    const r = this.rules;
    this.declareColumns();
    // `id: { line_number: true }`: no id column; the lead id is the record's line (see leadId).
    const idColumn = typeof r.id === 'string' ? this.column(r.id, 'text', ['id']).index : null;
    if (idColumn !== null) this.columns[idColumn]!.required = true;

    const groupIds = Object.keys(r.groups);
    if (groupIds.length === 0) this.error(['groups'], 'no-groups', 'define at least one group', 'e.g. groups: { fit: { weight: 1 } }');
    const groups: GroupModel[] = groupIds.map((id, index) => {
      const g = r.groups[id]!;
      if (g.cap !== undefined && g.floor !== undefined && g.cap < g.floor) {
        this.error(['groups', id, 'cap'], 'cap-below-floor', `group "${id}": cap ${g.cap} is below floor ${g.floor}`);
      }
      return {
        index,
        id,
        label: g.label ?? id,
        weight: g.weight ?? 1,
        cap: g.cap,
        floor: g.floor,
        max: 0,
        multiplier: 1,
        criteria: [],
      };
    });

    const seenIds = new Map<string, Path>();
    const checkId = (id: string, path: Path): void => {
      if (seenIds.has(id)) this.error([...path, 'id'], 'duplicate-id', `id "${id}" is used twice`, 'give every criterion and disqualifier its own id');
      else seenIds.set(id, path);
    };

    const criteria: CriterionModel[] = [];
    r.criteria.forEach((raw, i) => {
      const path: Path = ['criteria', i];
      checkId(raw.id, path);
      const gi = groupIds.indexOf(raw.group);
      if (gi < 0) {
        const guess = closest(raw.group, groupIds);
        this.error([...path, 'group'], 'unknown-group', `criterion "${raw.id}" names group "${raw.group}", which is not defined`, guess ? `did you mean "${guess}"?` : `defined groups: ${groupIds.join(', ')}`);
        return;
      }
      const crit = this.criterion(raw as unknown as Obj, path, criteria.length, gi, raw.group);
      if (crit) {
        criteria.push(crit);
        groups[gi]!.criteria.push(crit.index);
      }
    });

    for (const g of groups) {
      if (g.criteria.length === 0) this.warn(['groups', g.id], 'unused-group', `group "${g.id}" has no criteria`, 'remove it, or add criteria with group: ' + g.id);
      const sum = g.criteria.reduce((s, ci) => s + Math.max(0, criteria[ci]!.maxPoints), 0);
      g.max = g.cap !== undefined ? Math.min(g.cap, sum) : sum;
    }

    const method = r.total?.method ?? 'sum';
    if (method === 'weighted_average') {
      const wsum = groups.reduce((s, g) => s + (g.criteria.length ? g.weight : 0), 0);
      if (wsum <= 0) this.error(['total', 'method'], 'no-weight', 'weighted_average needs at least one group with a weight above 0');
      for (const g of groups) {
        if (!g.criteria.length) continue;
        if (!Number.isFinite(g.max) || g.max <= 0) {
          this.error(['groups', g.id], 'unbounded-group', `group "${g.id}" has no finite positive maximum, so it cannot be shown as a percentage`, 'give it a cap, or cap its points_per criteria');
          continue;
        }
        g.multiplier = wsum > 0 ? (g.weight / wsum) * (100 / g.max) : 0;
      }
    } else {
      for (const g of groups) g.multiplier = g.weight;
    }

    const disqualifiers: DisqualifierModel[] = [];
    (r.disqualifiers ?? []).forEach((raw, i) => {
      const path: Path = ['disqualifiers', i];
      checkId(raw.id, path);
      const cond = this.condition(raw as unknown as Obj, path, undefined, true);
      if (cond) disqualifiers.push({ index: disqualifiers.length, id: raw.id, reason: raw.reason, cond });
    });

    const tiers = r.tiers ? this.thresholds(r.tiers, ['tiers']) : [];
    if (!r.tiers && !r.matrix) this.error([], 'no-tiers', 'the rules define neither tiers nor a matrix', 'add tiers: [{ name: A, min: 70 }, { name: B, min: 40 }, { name: C }]');
    let matrix: Model['matrix'];
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
    this.lintTierReach(tiers, criteria, groups);

    return {
      name: r.name,
      idColumn,
      columns: this.columns,
      placeholders: r.placeholders ?? [...DEFAULT_PLACEHOLDERS],
      groups,
      criteria,
      disqualifiers,
      totalMethod: method,
      tiers,
      matrix,
      disqualifiedTier: r.disqualified_tier ?? 'DQ',
      reasons: r.reasons ?? 3,
    };
  }

  private declareColumns(): void {
    for (const [name, def] of Object.entries(this.rules.columns ?? {})) {
      const obj = Array.isArray(def) ? { aliases: def } : def;
      const synonyms = new Map<string, string>();
      for (const [canonical, variants] of Object.entries(obj.synonyms ?? {})) {
        const c = normalizeText(canonical);
        for (const v of variants) synonyms.set(normalizeText(v), c);
      }
      const sep = obj.separator === undefined ? [';'] : Array.isArray(obj.separator) ? obj.separator : [obj.separator];
      const ref: ColumnRef = {
        index: this.columns.length,
        name,
        aliases: obj.aliases ?? [name],
        required: obj.required ?? true,
        decimal: (obj.decimal ?? this.rules.decimal ?? 'auto') as DecimalMode,
        dateOrder: (obj.date_order ?? this.rules.date_order ?? 'auto') as DateOrder,
        separators: sep,
        synonyms,
        kinds: new Set(),
        used: false,
        path: ['columns', name],
      };
      this.columns.push(ref);
      this.byName.set(name, ref);
    }
  }

  /** The column a rule refers to: a declared logical column, or else a header name used directly. */
  private column(name: string, kind: ValueKind | undefined, path: Path): ColumnRef {
    let ref = this.byName.get(name);
    if (!ref) {
      ref = {
        index: this.columns.length,
        name,
        aliases: [name],
        required: true,
        decimal: (this.rules.decimal ?? 'auto') as DecimalMode,
        dateOrder: (this.rules.date_order ?? 'auto') as DateOrder,
        separators: [';'],
        synonyms: new Map(),
        kinds: new Set(),
        used: false,
        path,
      };
      this.columns.push(ref);
      this.byName.set(name, ref);
    }
    if (kind) ref.kinds.add(kind);
    ref.used = true;
    return ref;
  }

  private derived(d: DerivedInput, path: Path): { fn: NumFn; text: string; columns: number[] } | undefined {
    const keys = Object.keys(d).filter((k) => (d as Obj)[k] !== undefined);
    if (keys.length !== 1) {
      this.error(path, 'derived-arity', `a derived value needs exactly one function, found ${keys.length ? keys.join(', ') : 'none'}`, 'use one of ratio, difference, days_between, days_since, count');
      return undefined;
    }
    const p = [...path, keys[0]!];
    if (d.ratio) {
      const [a, b] = d.ratio.map((n) => this.column(n, 'number', p).index) as [number, number];
      return {
        fn: (row) => {
          const den = row.num(b);
          return den === 0 ? NaN : row.num(a) / den;
        },
        text: `${d.ratio[0]} / ${d.ratio[1]}`,
        columns: [a, b],
      };
    }
    if (d.difference) {
      const [a, b] = d.difference.map((n) => this.column(n, 'number', p).index) as [number, number];
      return { fn: (row) => row.num(a) - row.num(b), text: `${d.difference[0]} − ${d.difference[1]}`, columns: [a, b] };
    }
    if (d.days_between) {
      const [a, b] = d.days_between.map((n) => this.column(n, 'date', p).index) as [number, number];
      return { fn: (row) => row.day(b) - row.day(a), text: `days from ${d.days_between[0]} to ${d.days_between[1]}`, columns: [a, b] };
    }
    if (d.days_since) {
      const a = this.column(d.days_since, 'date', p).index;
      return { fn: (row) => row.asOf - row.day(a), text: `days since ${d.days_since}`, columns: [a] };
    }
    const a = this.column(d.count!, 'text', p).index;
    return {
      fn: (row) => (row.isMissing(a) ? NaN : row.values(a).length),
      text: `number of ${d.count}`,
      columns: [a],
    };
  }

  /** The subject of an object's operator: its own column/value, else the inherited one. */
  private subject(obj: Obj, path: Path, inherited: Subject | undefined): Subject | undefined | null {
    if (obj.column !== undefined && obj.value !== undefined) {
      this.error([...path, 'value'], 'two-subjects', 'give either column or value, not both');
      return null;
    }
    if (obj.value !== undefined) {
      const d = this.derived(obj.value as DerivedInput, [...path, 'value']);
      return d ? { kind: 'derived', ...d } : null;
    }
    if (obj.column !== undefined) {
      const ref = this.column(obj.column as string, undefined, [...path, 'column']);
      return { kind: 'column', col: ref.index, name: ref.name, synonyms: ref.synonyms };
    }
    return inherited;
  }

  private operatorsOf(obj: Obj): OperatorKey[] {
    return OPERATOR_KEYS.filter((k) => obj[k] !== undefined);
  }

  /** Compile an object holding one operator or one combinator. `required`: it must hold a condition. */
  condition(obj: Obj, path: Path, inherited: Subject | undefined, required: boolean): CompiledCondition | undefined {
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
    if (obj.case_sensitive !== undefined && !ops.some((o) => o === 'matches' || o === 'contains')) {
      this.warn([...path, 'case_sensitive'], 'useless-option', 'case_sensitive only affects matches and contains');
    }
    if (combs.length === 1) {
      const k = combs[0]!;
      if (k === 'not') {
        const inner = this.condition(obj.not as Obj, [...path, 'not'], subject, true);
        return inner && { fn: notOf(inner.fn), text: `not (${inner.text})`, columns: inner.columns };
      }
      const list = (obj[k] as Obj[]).map((o, i) => this.condition(o, [...path, k, i], subject, true));
      if (list.some((x) => !x)) return undefined;
      const parts = list as CompiledCondition[];
      return {
        fn: k === 'all' ? allOf(parts.map((p) => p.fn)) : anyOf(parts.map((p) => p.fn)),
        text: parts.map((p) => (parts.length > 1 ? `(${p.text})` : p.text)).join(k === 'all' ? ' and ' : ' or '),
        columns: [...new Set(parts.flatMap((p) => p.columns))],
      };
    }
    const op = ops[0]!;
    const arg = obj[op];
    if (!subject) {
      this.error([...path, op], 'no-column', `"${op}" needs a column to test`, 'add column: <name> (or value: { … } for a derived number)', 'key');
      return undefined;
    }
    return this.leaf(op, arg, subject, obj.case_sensitive === true, [...path, op]);
  }

  private leaf(op: OperatorKey, arg: unknown, subject: Subject, caseSensitive: boolean, path: Path): CompiledCondition | undefined {
    const spec = OPERATORS[op];
    const kind = operatorKind(op, arg);
    if (subject.kind === 'derived' && (spec.columnOnly || kind === 'text')) {
      this.error(path, 'derived-text', `"${op}" tests text or dates of a column; a derived value is a number`, 'use gt, gte, lt, lte, between, equals or a numeric in');
      return undefined;
    }
    const problem = spec.check(arg, caseSensitive);
    if (problem) {
      const { message, hint } = typeof problem === 'string' ? { message: problem, hint: undefined } : problem;
      this.error(path, `bad-${op.replace(/_/g, '-')}`, message, hint);
      return undefined;
    }
    if (subject.kind === 'column' && kind) this.columns[subject.col]!.kinds.add(kind);
    const { fn, text } = spec.compile(subject, arg, caseSensitive);
    return { fn, text, columns: subject.kind === 'column' ? [subject.col] : subject.columns };
  }

  private unknownPolicy(raw: unknown): UnknownPolicy {
    if (raw === undefined || raw === 'zero') return { policy: 'zero' };
    if (raw === 'neutral') return { policy: 'neutral', share: 0.5 };
    if (raw === 'penalty') return { policy: 'penalty', points: -5 };
    const o = raw as { policy: 'zero' | 'neutral' | 'penalty'; share?: number; points?: number };
    if (o.policy === 'neutral') return { policy: 'neutral', share: o.share ?? 0.5 };
    if (o.policy === 'penalty') return { policy: 'penalty', points: o.points ?? -5 };
    return { policy: 'zero' };
  }

  private criterion(obj: Obj, path: Path, index: number, group: number, groupId: string): CriterionModel | undefined {
    const id = obj.id as string;
    const forms = (['points', 'bands', 'points_per'] as const).filter((k) => obj[k] !== undefined);
    if (forms.length !== 1) {
      this.error(path, 'criterion-form', forms.length ? `criterion "${id}" has ${forms.join(' and ')}; use exactly one` : `criterion "${id}" gives no points`, 'use points (with a condition), bands, or points_per');
      return undefined;
    }
    const groupRaw = this.rules.groups[groupId]!;
    const weight = (obj.weight as number | undefined) ?? 1;
    const cap = obj.cap as number | undefined;
    const floor = obj.floor as number | undefined;
    if (cap !== undefined && floor !== undefined && cap < floor) this.error([...path, 'cap'], 'cap-below-floor', `cap ${cap} is below floor ${floor}`);
    const unknownRaw = obj.unknown ?? groupRaw.unknown ?? this.rules.unknown;
    const unknown = this.unknownPolicy(unknownRaw);
    const decayRaw = obj.decay === false ? undefined : ((obj.decay ?? groupRaw.decay) as { date: string; half_life_days: number } | undefined);
    const decay = decayRaw && {
      column: this.column(decayRaw.date, 'date', obj.decay ? [...path, 'decay', 'date'] : ['groups', groupId, 'decay']).index,
      halfLifeDays: decayRaw.half_life_days,
    };
    const clamp = (x: number) => Math.min(cap ?? Infinity, Math.max(floor ?? -Infinity, x));

    // Every criterion gets the same properties in the same order, whatever its form: the evaluator reads them on
    // every row, and objects of one shape keep V8's property accesses there monomorphic.
    const base: CriterionModel = {
      index,
      id,
      label: (obj.label as string | undefined) ?? id,
      group,
      kind: 'points',
      cond: undefined,
      points: 0,
      bands: [],
      perSubject: undefined,
      columns: [],
      weight,
      cap,
      floor,
      decay,
      unknown,
      maxPoints: 0,
      minPoints: 0,
      path,
    };
    let result: CriterionModel | undefined;
    const form = forms[0]!;
    if (form === 'points') {
      const cond = this.condition(obj, path, undefined, true);
      if (!cond) return undefined;
      const p = clamp((obj.points as number) * weight);
      result = { ...base, kind: 'points', cond, points: obj.points as number, bands: [], columns: cond.columns, maxPoints: Math.max(0, p), minPoints: Math.min(0, p) };
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
        const pts = bands.map((b) => clamp(b.points * weight));
        result = {
          ...base,
          kind: 'bands',
          points: 0,
          bands,
          columns: subject.kind === 'column' ? [subject.col] : subject.columns,
          maxPoints: Math.max(0, ...pts),
          minPoints: Math.min(0, ...pts),
        };
      } else {
        let per: { fn: NumFn; text: string; columns: number[] };
        if (subject.kind === 'column') {
          const col = this.column(subject.name, 'number', path).index;
          per = { fn: (row) => row.num(col), text: subject.name, columns: [col] };
        } else per = subject;
        const k = (obj.points_per as number) * weight;
        result = {
          ...base,
          kind: 'per',
          points: obj.points_per as number,
          bands: [],
          perSubject: per,
          columns: per.columns,
          maxPoints: cap ?? (k > 0 ? Infinity : 0),
          minPoints: floor ?? (k < 0 ? -Infinity : 0),
        };
      }
    }
    if (unknown.policy === 'neutral' && !Number.isFinite(result.maxPoints)) {
      this.error([...path, 'unknown'], 'neutral-unbounded', `criterion "${id}" uses the neutral policy but has no maximum`, 'add cap: <most points>');
    }
    if (unknown.policy === 'penalty') {
      result.minPoints = Math.min(result.minPoints, unknown.points);
      result.maxPoints = Math.max(result.maxPoints, unknown.points);
    }
    const gcap = groupRaw.cap;
    if (gcap !== undefined && result.maxPoints > gcap) {
      this.warn(path, 'exceeds-group-cap', `criterion "${id}" can give ${result.maxPoints} points, more than its group's cap of ${gcap}`, 'lower its points or raise the group cap');
    }
    return result;
  }

  private bands(raw: Obj | Obj[], path: Path, subject: Subject): Band[] | undefined {
    const entries: [string, Obj, Path][] = Array.isArray(raw)
      ? raw.map((b, i) => [(b.label as string | undefined) ?? `band ${i + 1}`, b, [...path, i]])
      : (['ideal', 'acceptable', 'avoid'] as const).filter((k) => raw[k] !== undefined).map((k) => [((raw[k] as Obj).label as string | undefined) ?? k, raw[k] as Obj, [...path, k]]);
    if (entries.length === 0) {
      this.error(path, 'no-bands', 'bands is empty', 'add ideal, acceptable and/or avoid');
      return undefined;
    }
    const out: Band[] = [];
    let ok = true;
    for (const [label, b, p] of entries) {
      const cond = this.condition(b, p, subject, true);
      if (!cond) ok = false;
      else out.push({ label, points: b.points as number, cond });
    }
    if (!ok) return undefined;
    this.checkBandOverlap(entries, path);
    return out;
  }

  /** Numeric bands must not overlap (an ambiguous value) and should not leave gaps (a value scoring 0 by accident). */
  private checkBandOverlap(entries: [string, Obj, Path][], path: Path): void {
    type Iv = { lo: number; loIn: boolean; hi: number; hiIn: boolean; label: string; path: Path };
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
    void path;
  }

  private thresholds(list: { name: string; min?: number; label?: string }[], path: Path): Threshold[] {
    const out: Threshold[] = [];
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
      if (prev && t.min !== undefined && t.min >= prev.min) {
        this.error([...p, 'min'], 'tiers-order', `tiers must go from best to worst: "${t.name}" (min ${t.min}) comes after "${prev.name}" (min ${prev.min})`, 'order tiers by descending min');
      }
      out.push({ name: t.name, label: t.label, min: t.min ?? -Infinity });
    });
    return out;
  }

  /** Warn about tiers no lead can reach, given the most points the model can give. */
  private lintTierReach(tiers: Threshold[], criteria: CriterionModel[], groups: GroupModel[]): void {
    if (this.rules.total?.method === 'weighted_average') return;
    let max = 0;
    for (const g of groups) {
      const sum = g.criteria.reduce((s, ci) => s + Math.max(0, criteria[ci]!.maxPoints), 0);
      max += g.weight * (g.cap !== undefined ? Math.min(g.cap, sum) : sum);
    }
    tiers.forEach((t, i) => {
      if (t.min > max) this.warn(['tiers', i, 'min'], 'unreachable-tier', `tier "${t.name}" needs ${t.min} points but the most a lead can score is ${round2(max)}`, 'lower its min or raise criteria points');
    });
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
