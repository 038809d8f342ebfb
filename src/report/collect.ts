// Aggregates of a run that the HTML report shows besides the summary: criterion hit rates, and the best leads per tier. Pure.
import { TRUE, UNKNOWN } from '../engine/model.js';
import type { CriterionHits, TopLeads } from './html/report.js';

/** What the collectors read of one lead's evaluation (the engine's Evaluation has these). */
export interface ScoredLead {
  scoreCents: number;
  tier: string;
  outcome: ArrayLike<number>;
  contribution: ArrayLike<number>;
}

/** Per criterion: matched / not matched / unknown counts and the sum of contributions. */
export class CriteriaHits {
  private readonly matched: Float64Array;
  private readonly unknown: Float64Array;
  private readonly sum: Float64Array;
  private n = 0;

  constructor(private readonly criteria: readonly { id: string; label: string; group: string }[]) {
    this.matched = new Float64Array(criteria.length);
    this.unknown = new Float64Array(criteria.length);
    this.sum = new Float64Array(criteria.length);
  }

  add(e: ScoredLead): void {
    this.n++;
    for (let i = 0; i < this.criteria.length; i++) {
      const o = e.outcome[i];
      if (o === TRUE) this.matched[i]!++;
      else if (o === UNKNOWN) this.unknown[i]!++;
      this.sum[i]! += e.contribution[i]!;
    }
  }

  result(): CriterionHits[] {
    return this.criteria.map((c, i) => ({
      id: c.id,
      label: c.label,
      group: c.group,
      matched: this.matched[i]!,
      notMatched: this.n - this.matched[i]! - this.unknown[i]!,
      unknown: this.unknown[i]!,
      meanContribution: this.n ? Math.round(this.sum[i]! / this.n) / 100 : 0,
    }));
  }
}

/**
 * The `keep` best-scoring leads of each tier, in bounded memory: ties keep the earlier line, so the same input
 * gives the same table.
 */
export class BestLeads {
  private readonly byTier = new Map<string, { total: number; leads: { id: string; line: number; cents: number; reasons: string }[] }>();

  constructor(
    private readonly tiers: readonly { name: string; label: string | null }[],
    private readonly keep = 25,
  ) {
    for (const t of tiers) this.byTier.set(t.name, { total: 0, leads: [] });
  }

  /** Offer a lead; `reasons` is computed only when the lead is kept. */
  add(e: ScoredLead, id: string, line: number, reasons: () => string): void {
    let t = this.byTier.get(e.tier);
    if (!t) this.byTier.set(e.tier, (t = { total: 0, leads: [] }));
    t.total++;
    const list = t.leads;
    if (list.length === this.keep && e.scoreCents <= list[list.length - 1]!.cents) return;
    let k = list.length < this.keep ? list.length : this.keep - 1;
    list[k] = { id, line, cents: e.scoreCents, reasons: reasons() };
    while (k > 0 && list[k]!.cents > list[k - 1]!.cents) {
      [list[k - 1], list[k]] = [list[k]!, list[k - 1]!];
      k--;
    }
  }

  result(): TopLeads[] {
    const label = new Map(this.tiers.map((t) => [t.name, t.label]));
    return [...this.byTier]
      .filter(([, t]) => t.total > 0)
      .map(([tier, t]) => ({ tier, label: label.get(tier) ?? null, total: t.total, leads: t.leads.map((l) => ({ id: l.id, line: l.line, score: l.cents / 100, reasons: l.reasons })) }));
  }
}
