// Scoring one input with two models, lead by lead: tier transitions, score deltas, movers and why. Pure, bounded memory.
import { TRUE, UNKNOWN } from '../engine/model.js';
import { round2 } from '../ops/round.js';

/** What the comparison needs of a model: its tier names and its criteria (id, label, band labels). */
export interface ModelInfo {
  tiers: readonly { name: string }[];
  disqualifiedTier: string;
  criteria: readonly { id: string; label: string; bands: readonly { label: string }[] }[];
  groups: readonly { id: string; label: string }[];
}

/** What the comparison needs of one lead's evaluation (the engine's Evaluation has these). */
export interface LeadScore {
  scoreCents: number;
  tier: string;
  disqualified: boolean;
  /** Per criterion (the model's order): its contribution to the score, in cents. */
  contribution: ArrayLike<number>;
  /** Per criterion: FALSE 0 / TRUE 1 / UNKNOWN 2. */
  outcome: ArrayLike<number>;
  /** Per criterion: the band matched, -1 for none. */
  band: ArrayLike<number>;
  /** Per group: what its cap or floor took off or added, as part of the score, in cents. */
  groupAdjustContribution: ArrayLike<number>;
}

/** How one criterion treated one lead, in each model. */
export interface CriterionMove {
  id: string;
  label: string;
  /** 'matched', 'not matched', 'unknown', or the band's label; null when the criterion is not in that model. */
  before: string | null;
  after: string | null;
  /** Contributions, in points. */
  pointsBefore: number;
  pointsAfter: number;
  delta: number;
}

/** A lead whose tier changed, with the criteria whose points changed, largest change first. */
export interface Mover {
  id: string;
  line: number;
  before: { score: number; tier: string };
  after: { score: number; tier: string };
  criteria: CriterionMove[];
}

/** Leads that moved between the same two tiers for the same main cause. */
export interface MoverGroup {
  from: string;
  to: string;
  count: number;
  /**
   * The criterion whose change moved these leads most, and how; 'thresholds' when no criterion changed (the
   * score stayed, the tier thresholds moved); null: several causes, none dominant.
   */
  cause: CriterionMove | 'thresholds' | null;
  /** E.g. '12 leads A→B because Budget: acceptable fell from +15 to +8'. */
  text: string;
  /** A few of the leads, by id. */
  examples: string[];
}

export interface ScoreMove {
  id: string;
  line: number;
  before: number;
  after: number;
  delta: number;
  tierBefore: string;
  tierAfter: string;
}

/** What `icp diff` reports about the leads (JSON-safe). */
export interface LeadsDiff {
  leads: number;
  changedTier: number;
  /** Share of leads that changed tier. */
  changedShare: number;
  tiersBefore: { tier: string; leads: number }[];
  tiersAfter: { tier: string; leads: number }[];
  /** old tier → new tier → leads (disqualified included, under the disqualified tier). */
  transitions: Record<string, Record<string, number>>;
  scoreDelta: {
    mean: number | null;
    min: number | null;
    max: number | null;
    up: number;
    down: number;
    same: number;
    distribution: { from: number; to: number; count: number }[];
  };
  largestUp: ScoreMove[];
  largestDown: ScoreMove[];
  /** Groups of movers by cause, largest first. */
  moverGroups: MoverGroup[];
  /** The first movers in input order, with their criteria (at most `keepMovers`). */
  movers: Mover[];
  moversNotShown: number;
}

export interface DiffOptions {
  /** Largest moves up and down kept (default 10). */
  top?: number;
  /** Movers kept with their criteria (default 50); the rest are counted. */
  keepMovers?: number;
  /** Distinct mover groups kept (default 1000); leads beyond fall under "other causes". */
  maxGroups?: number;
}

const cents = (c: number): number => c / 100;

/** Accumulates the comparison of two models over the leads of one input, in input order. */
export class LeadsComparison {
  private n = 0;
  private changed = 0;
  private readonly before = new Map<string, number>();
  private readonly after = new Map<string, number>();
  private readonly transitions = new Map<string, Map<string, number>>();
  private sumDelta = 0;
  private minDelta = Infinity;
  private maxDelta = -Infinity;
  private up = 0;
  private down = 0;
  private readonly hist = new Map<number, number>();
  private readonly largestUp: ScoreMove[] = [];
  private readonly largestDown: ScoreMove[] = [];
  private readonly groups = new Map<string, MoverGroup>();
  private otherGroups = 0;
  private readonly movers: Mover[] = [];
  private moversNotShown = 0;
  /** Criteria of both models by id: [index in base or -1, index in next or -1]. */
  private readonly aligned: { id: string; label: string; base: number; next: number }[];
  /** Groups of both models by id, likewise (their caps and floors move scores too). */
  private readonly alignedGroups: { id: string; label: string; base: number; next: number }[];
  private readonly top: number;
  private readonly keepMovers: number;
  private readonly maxGroups: number;

  constructor(
    private readonly base: ModelInfo,
    private readonly next: ModelInfo,
    /** Width of the score-delta histogram's buckets, in points. */
    private readonly bucket: number,
    options: DiffOptions = {},
  ) {
    const baseIndex = new Map(base.criteria.map((c, i) => [c.id, i]));
    this.aligned = next.criteria.map((c, i) => ({ id: c.id, label: c.label, base: baseIndex.get(c.id) ?? -1, next: i }));
    base.criteria.forEach((c, i) => {
      if (!next.criteria.some((x) => x.id === c.id)) this.aligned.push({ id: c.id, label: c.label, base: i, next: -1 });
    });
    const baseGroup = new Map(base.groups.map((g, i) => [g.id, i]));
    this.alignedGroups = next.groups.map((g, i) => ({ id: g.id, label: g.label, base: baseGroup.get(g.id) ?? -1, next: i }));
    base.groups.forEach((g, i) => {
      if (!next.groups.some((x) => x.id === g.id)) this.alignedGroups.push({ id: g.id, label: g.label, base: i, next: -1 });
    });
    this.top = options.top ?? 10;
    this.keepMovers = options.keepMovers ?? 50;
    this.maxGroups = options.maxGroups ?? 1000;
    for (const t of [...base.tiers.map((t) => t.name), base.disqualifiedTier]) this.before.set(t, 0);
    for (const t of [...next.tiers.map((t) => t.name), next.disqualifiedTier]) this.after.set(t, 0);
  }

  /** Count one lead scored by both models; returns its mover record when its tier changed (for --movers-out). */
  add(id: string, line: number, b: LeadScore, a: LeadScore): Mover | undefined {
    this.n++;
    this.before.set(b.tier, (this.before.get(b.tier) ?? 0) + 1);
    this.after.set(a.tier, (this.after.get(a.tier) ?? 0) + 1);
    let row = this.transitions.get(b.tier);
    if (!row) this.transitions.set(b.tier, (row = new Map()));
    row.set(a.tier, (row.get(a.tier) ?? 0) + 1);

    const delta = a.scoreCents - b.scoreCents;
    this.sumDelta += delta;
    if (delta < this.minDelta) this.minDelta = delta;
    if (delta > this.maxDelta) this.maxDelta = delta;
    if (delta > 0) this.up++;
    else if (delta < 0) this.down++;
    const k = Math.floor(cents(delta) / this.bucket);
    this.hist.set(k, (this.hist.get(k) ?? 0) + 1);
    if (delta !== 0) {
      const move: ScoreMove = { id, line, before: cents(b.scoreCents), after: cents(a.scoreCents), delta: cents(delta), tierBefore: b.tier, tierAfter: a.tier };
      keepTop(delta > 0 ? this.largestUp : this.largestDown, move, this.top);
    }
    if (b.tier === a.tier) return undefined;

    this.changed++;
    const criteria = this.moves(b, a);
    const mover: Mover = { id, line, before: { score: cents(b.scoreCents), tier: b.tier }, after: { score: cents(a.scoreCents), tier: a.tier }, criteria };
    if (this.movers.length < this.keepMovers) this.movers.push(mover);
    else this.moversNotShown++;
    // The same score in another tier: only the thresholds can have moved it.
    const cause = delta === 0 ? 'thresholds' : mainCause(criteria);
    const key = `${b.tier}\u0000${a.tier}\u0000${cause === 'thresholds' ? cause : cause ? `${cause.id}\u0000${cause.before}\u0000${cause.after}\u0000${cause.pointsBefore}\u0000${cause.pointsAfter}` : ''}`;
    const g = this.groups.get(key);
    if (g) {
      g.count++;
      if (g.examples.length < 3) g.examples.push(id);
    } else if (this.groups.size < this.maxGroups) this.groups.set(key, { from: b.tier, to: a.tier, count: 1, cause, text: '', examples: [id] });
    else this.otherGroups++;
    return mover;
  }

  /** Per criterion of either model whose contribution to this lead changed, largest change first. */
  private moves(b: LeadScore, a: LeadScore): CriterionMove[] {
    const out: CriterionMove[] = [];
    for (const c of this.aligned) {
      const pb = c.base >= 0 ? b.contribution[c.base]! : 0;
      const pa = c.next >= 0 ? a.contribution[c.next]! : 0;
      if (pb === pa) continue;
      out.push({
        id: c.id,
        label: c.label,
        before: c.base >= 0 ? state(this.base, c.base, b) : null,
        after: c.next >= 0 ? state(this.next, c.next, a) : null,
        pointsBefore: cents(pb),
        pointsAfter: cents(pa),
        delta: cents(pa - pb),
      });
    }
    // A group's cap or floor can take back (or add) what its criteria changed: shown as a change of its own.
    for (const g of this.alignedGroups) {
      const pb = g.base >= 0 ? b.groupAdjustContribution[g.base]! : 0;
      const pa = g.next >= 0 ? a.groupAdjustContribution[g.next]! : 0;
      if (pb === pa) continue;
      out.push({ id: `group:${g.id}`, label: `${g.label} cap/floor`, before: g.base >= 0 ? 'applied' : null, after: g.next >= 0 ? 'applied' : null, pointsBefore: cents(pb), pointsAfter: cents(pa), delta: cents(pa - pb) });
    }
    // Stable: equal changes keep the order of the rules.
    return out.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
  }

  result(): LeadsDiff {
    const transitions: Record<string, Record<string, number>> = {};
    for (const [from, row] of this.transitions) transitions[from] = Object.fromEntries(row);
    const groups = [...this.groups.values()].sort((x, y) => y.count - x.count || (x.from + x.to < y.from + y.to ? -1 : x.from + x.to > y.from + y.to ? 1 : 0));
    for (const g of groups) g.text = groupText(g);
    if (this.otherGroups) groups.push({ from: '*', to: '*', count: this.otherGroups, cause: null, text: `${this.otherGroups} more lead${this.otherGroups === 1 ? '' : 's'} changed tier for other causes`, examples: [] });
    const n = this.n;
    return {
      leads: n,
      changedTier: this.changed,
      changedShare: n ? this.changed / n : 0,
      tiersBefore: [...this.before].map(([tier, leads]) => ({ tier, leads })),
      tiersAfter: [...this.after].map(([tier, leads]) => ({ tier, leads })),
      transitions,
      scoreDelta: {
        mean: n ? Math.round(this.sumDelta / n) / 100 : null,
        min: n ? cents(this.minDelta) : null,
        max: n ? cents(this.maxDelta) : null,
        up: this.up,
        down: this.down,
        same: n - this.up - this.down,
        distribution: [...this.hist].sort((x, y) => x[0] - y[0]).map(([k, count]) => ({ from: round2(k * this.bucket), to: round2((k + 1) * this.bucket), count })),
      },
      largestUp: this.largestUp,
      largestDown: this.largestDown,
      moverGroups: groups,
      movers: this.movers,
      moversNotShown: this.moversNotShown,
    };
  }
}


function state(m: ModelInfo, i: number, e: LeadScore): string {
  const o = e.outcome[i];
  if (o === UNKNOWN) return 'unknown';
  const band = e.band[i]!;
  if (band >= 0) return m.criteria[i]!.bands[band]!.label;
  return o === TRUE ? 'matched' : 'not matched';
}

/** The change that explains most of a move: the largest, when it is at least half of all the changes together. */
function mainCause(moves: readonly CriterionMove[]): CriterionMove | null {
  if (moves.length === 0) return null;
  const total = moves.reduce((s, m) => s + Math.abs(m.delta), 0);
  return Math.abs(moves[0]!.delta) * 2 >= total ? moves[0]! : null;
}

const signed = (x: number): string => (x > 0 ? `+${x}` : String(x));

/** 'Budget: acceptable fell from +15 to +8', 'Budget: acceptable → ideal (+10 → +20)', 'new criterion Demo: matched (+5)'. */
export function moveText(m: CriterionMove): string {
  if (m.id.startsWith('group:')) return `${m.label}: ${signed(m.pointsAfter)} (was ${signed(m.pointsBefore)})`;
  if (m.before === null) return `new criterion ${m.label}: ${m.after} (${signed(m.pointsAfter)})`;
  if (m.after === null) return `${m.label} removed (was ${m.before}, ${signed(m.pointsBefore)})`;
  if (m.before === m.after) return `${m.label}: ${m.after} ${m.delta < 0 ? 'fell' : 'rose'} from ${signed(m.pointsBefore)} to ${signed(m.pointsAfter)}`;
  return `${m.label}: ${m.before} → ${m.after} (${signed(m.pointsBefore)} → ${signed(m.pointsAfter)})`;
}

function groupText(g: MoverGroup): string {
  const leads = `${g.count} lead${g.count === 1 ? '' : 's'} ${g.from}→${g.to}`;
  if (g.cause === 'thresholds') return `${leads} because the tier thresholds moved (their scores did not change)`;
  return g.cause ? `${leads} because ${moveText(g.cause)}` : `${leads} for several changes together`;
}

/** Why one lead moved, in words: its largest criterion changes, or the thresholds when no criterion changed. */
export function whyMoved(m: Mover, most = 3): string {
  if (m.before.score === m.after.score) return 'the tier thresholds moved (the score did not change)';
  const more = m.criteria.length > most ? `; and ${m.criteria.length - most} more` : '';
  return m.criteria.slice(0, most).map(moveText).join('; ') + more;
}

function keepTop(list: ScoreMove[], m: ScoreMove, n: number): void {
  const better = (x: ScoreMove, y: ScoreMove) => Math.abs(x.delta) > Math.abs(y.delta) || (Math.abs(x.delta) === Math.abs(y.delta) && x.line < y.line);
  if (list.length === n && !better(m, list[n - 1]!)) return;
  let k = list.length < n ? list.length : n - 1;
  list[k] = m;
  while (k > 0 && better(list[k]!, list[k - 1]!)) {
    [list[k - 1], list[k]] = [list[k]!, list[k - 1]!];
    k--;
  }
}
