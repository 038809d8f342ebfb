// Logistic regression by Newton–Raphson (IRLS) with a small L2 penalty: deterministic, no random start.

/** A dense design: `rows` × `cols` values, row-major, without the intercept column (added by the fit). */
export interface Design {
  rows: number;
  cols: number;
  x: Float64Array;
  y: ArrayLike<number>;
  /** Optional row weights (default 1). */
  w?: ArrayLike<number>;
  /** Optional fixed part of each row's log-odds (a model being refined). */
  offset?: ArrayLike<number>;
}

export interface LogisticFit {
  intercept: number;
  coef: number[];
  iterations: number;
  converged: boolean;
  /** Penalised negative log-likelihood at the end. */
  loss: number;
}

export interface LogisticOptions {
  /** L2 penalty on the coefficients (not the intercept), in units of the summed log-likelihood. Default 1. */
  l2?: number;
  maxIterations?: number;
  /** Stop when no coefficient moves by more than this. Default 1e-9. */
  tolerance?: number;
}

function sigmoid(t: number): number {
  return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
}

/** log(1 + e^t) without overflow. */
function softplus(t: number): number {
  return t > 30 ? t : t < -30 ? Math.exp(t) : Math.log1p(Math.exp(t));
}

function lossOf(d: Design, beta: Float64Array, l2: number): number {
  const k = d.cols + 1;
  let loss = 0;
  for (let i = 0; i < d.rows; i++) {
    let t = beta[0]! + (d.offset ? d.offset[i]! : 0);
    const o = i * d.cols;
    for (let j = 0; j < d.cols; j++) t += beta[j + 1]! * d.x[o + j]!;
    const w = d.w ? d.w[i]! : 1;
    loss += w * (softplus(t) - (d.y[i] ? t : 0));
  }
  for (let j = 1; j < k; j++) loss += 0.5 * l2 * beta[j]! * beta[j]!;
  return loss;
}

/** Solve the symmetric positive definite system A·x = b (k × k, row-major) by Cholesky; A is overwritten. */
export function solveSpd(a: Float64Array, b: Float64Array, k: number): Float64Array {
  for (let j = 0; j < k; j++) {
    let s = a[j * k + j]!;
    for (let m = 0; m < j; m++) s -= a[j * k + m]! * a[j * k + m]!;
    const diag = Math.sqrt(Math.max(s, 1e-12));
    a[j * k + j] = diag;
    for (let i = j + 1; i < k; i++) {
      let t = a[i * k + j]!;
      for (let m = 0; m < j; m++) t -= a[i * k + m]! * a[j * k + m]!;
      a[i * k + j] = t / diag;
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let t = b[i]!;
    for (let m = 0; m < i; m++) t -= a[i * k + m]! * z[m]!;
    z[i] = t / a[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let t = z[i]!;
    for (let m = i + 1; m < k; m++) t -= a[m * k + i]! * x[m]!;
    x[i] = t / a[i * k + i]!;
  }
  return x;
}

/**
 * Fit logit P(y = 1) = β₀ + Σ βⱼ·xⱼ. Newton steps from β = 0 with step halving when the penalised loss would rise;
 * the L2 penalty keeps the solution finite under (quasi-)separation. Same input, same bits out.
 */
export function fitLogistic(d: Design, options: LogisticOptions = {}): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIt = options.maxIterations ?? 100;
  const tol = options.tolerance ?? 1e-9;
  const k = d.cols + 1;
  let beta = new Float64Array(k);
  let loss = lossOf(d, beta, l2);
  let it = 0;
  let converged = false;
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  const nzIdx = new Int32Array(k);
  const nzVal = new Float64Array(k);
  for (; it < maxIt; it++) {
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < d.rows; i++) {
      const o = i * d.cols;
      // The row's non-zero features (index into beta): sparse designs (one indicator per criterion) stay fast.
      let nz = 0;
      nzIdx[nz] = 0;
      nzVal[nz++] = 1;
      let t = beta[0]! + (d.offset ? d.offset[i]! : 0);
      for (let j = 0; j < d.cols; j++) {
        const v = d.x[o + j]!;
        if (v === 0) continue;
        nzIdx[nz] = j + 1;
        nzVal[nz++] = v;
        t += beta[j + 1]! * v;
      }
      const w = d.w ? d.w[i]! : 1;
      const p = sigmoid(t);
      const r = w * ((d.y[i] ? 1 : 0) - p);
      const v = w * p * (1 - p);
      for (let m = 0; m < nz; m++) {
        const a = nzIdx[m]!;
        const xa = nzVal[m]!;
        g[a] = g[a]! + r * xa;
        const va = v * xa;
        const row = a * k;
        for (let q = 0; q <= m; q++) {
          const at = row + nzIdx[q]!;
          h[at] = h[at]! + va * nzVal[q]!;
        }
      }
    }
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) h[a * k + b] = h[b * k + a]!;
    for (let j = 1; j < k; j++) {
      h[j * k + j] = h[j * k + j]! + l2;
      g[j] = g[j]! - l2 * beta[j]!;
    }
    const step = solveSpd(h, g, k);
    let scale = 1;
    let next = beta;
    let nextLoss = loss;
    for (let half = 0; half < 30; half++) {
      next = beta.map((b, j) => b + scale * step[j]!);
      nextLoss = lossOf(d, next, l2);
      if (nextLoss <= loss + 1e-12 * Math.abs(loss)) break;
      scale /= 2;
    }
    let moved = 0;
    for (let j = 0; j < k; j++) moved = Math.max(moved, Math.abs(next[j]! - beta[j]!));
    beta = next;
    loss = nextLoss;
    if (moved < tol) {
      converged = true;
      it++;
      break;
    }
  }
  return { intercept: beta[0]!, coef: Array.from(beta.subarray(1)), iterations: it, converged, loss };
}

/** The fitted probability for one row of features. */
export function predictLogistic(fit: LogisticFit, x: ArrayLike<number>): number {
  let t = fit.intercept;
  for (let j = 0; j < fit.coef.length; j++) t += fit.coef[j]! * x[j]!;
  return sigmoid(t);
}
