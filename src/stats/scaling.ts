// Points to double the odds: turning log-odds into points, and back.

/** Points per unit of log-odds for a given PDO (points to double the odds): PDO / ln 2. */
export function pdoFactor(pdo: number): number {
  return pdo / Math.LN2;
}

/** Log-odds of a conversion rate. */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Round points for a rules file: whole points from 10 up, one decimal below (0 stays 0, never -0). */
export function roundPoints(x: number): number {
  const r = Math.abs(x) >= 10 ? Math.round(x) : Math.round(x * 10) / 10;
  return r === 0 ? 0 : r;
}
