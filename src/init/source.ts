// The seam between a starter's layout (draft.ts) and where its criteria come from: the heuristics of
// criteria.ts, or points calibrated from outcomes (`icp init --from … --outcome`). Types only.
import type { CriterionInput, RulesInput } from '../rules/schema.js';
import type { ExportProfile } from './profile.js';
import type { Roles } from './roles.js';

type DisqualifierInput = NonNullable<RulesInput['disqualifiers']>[number];
type GroupInput = RulesInput['groups'][string];
type ThresholdInput = NonNullable<RulesInput['tiers']>[number];

/** What a criteria source sees: the profile, the roles, and the logical name of each column it scores. */
export interface DraftContext {
  profile: ExportProfile;
  roles: Roles;
  /** The logical column name of a profile column; the column is declared in `columns:` once this is called. */
  column(index: number): string;
  /** A criterion or disqualifier id not yet taken, from a base such as "industry" ("industry_2" when taken). */
  uniqueId(base: string): string;
}

/** A criterion and its comments. */
export interface DraftCriterion {
  rule: CriterionInput;
  /** Comment line(s) above the criterion. */
  comment?: string;
  /** Comments at the end of a key's line, by key: { bands: 'sample: median 120' }. */
  notes?: Partial<Record<string, string>>;
}

export interface DraftDisqualifier {
  rule: DisqualifierInput;
  comment?: string;
}

/** What a criteria source proposes. Groups and tiers it leaves out get defaults from the criteria's points. */
export interface CriteriaProposal {
  criteria: DraftCriterion[];
  disqualifiers?: DraftDisqualifier[];
  /** Group settings by id; groups the criteria use and this omits get { label, weight: 1 }. */
  groups?: Record<string, { group: GroupInput; notes?: Partial<Record<string, string>> }>;
  /** Tiers, best first; default: A/B/C/D at 60, 35 and 15 % of the most a lead can score. */
  tiers?: { tiers: ThresholdInput[]; comment: string };
  /** Columns the source looked at and did not score, with why (listed with the columns left out). */
  skipped?: { index: number; why: string }[];
  /** One line for the file's opening comment: how the criteria and points were chosen. */
  method?: string;
  /** The placeholder list to write instead of the default (a fitted source keeps values that convert unlike empty cells). */
  placeholders?: string[];
  /** Why placeholders were changed, for the comment above them. */
  placeholderNotes?: string[];
}

/** Where criteria come from: `heuristicCriteria` (names and sample values) unless another source is given. */
export type CriteriaSource = (ctx: DraftContext) => CriteriaProposal;
