// Couplings built by the bridge tests themselves, so that they do not depend on the transport
// solvers under development: the independent plan a⊗b, a diagonal plan (pair i with i), and a
// small log-domain Sinkhorn for an entropic plan (reference §9):
//   f_i ← −ε LSE_j(log b_j + (g_j − c_ij)/ε),  g_j ← −ε LSE_i(log a_i + (f_i − c_ij)/ε),
//   π_ij = a_i b_j exp((f_i + g_j − c_ij)/ε),  c_ij = ½‖x_i − y_j‖².

import type { BridgeReference, Coupling } from '../../../graph-nodes/core/values';

export function makeCoupling(
  source: Float64Array,
  target: Float64Array,
  dim: number,
  plan: Float64Array,
  epsilon: number,
  reference: BridgeReference = { kind: 'brownian' },
): Coupling {
  return {
    source,
    target,
    n: source.length / dim,
    m: target.length / dim,
    dim,
    shape: [dim],
    plan,
    epsilon,
    reference,
    values: {},
  };
}

/** π_ij = 1/(n m). */
export const independentPlan = (n: number, m: number): Float64Array =>
  new Float64Array(n * m).fill(1 / (n * m));

/** π_ii = 1/n: source i travels to target i. */
export function diagonalPlan(n: number): Float64Array {
  const plan = new Float64Array(n * n);
  for (let i = 0; i < n; i++) plan[i * n + i] = 1 / n;
  return plan;
}

/** The entropic plan between uniform weights on x [n, d] and y [m, d], log-domain Sinkhorn. */
export function sinkhornPlan(
  x: Float64Array,
  y: Float64Array,
  dim: number,
  epsilon: number,
  iterations = 500,
): Float64Array {
  const n = x.length / dim;
  const m = y.length / dim;
  const cost = squaredDistanceCost(x, y, dim);
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const logA = -Math.log(n);
  const logB = -Math.log(m);
  const logSumExp = (values: Float64Array): number => {
    let largest = -Infinity;
    for (const value of values) largest = Math.max(largest, value);
    let sum = 0;
    for (const value of values) sum += Math.exp(value - largest);
    return largest + Math.log(sum);
  };
  const row = new Float64Array(m);
  const column = new Float64Array(n);
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) row[j] = logB + (g[j]! - cost[i * m + j]!) / epsilon;
      f[i] = -epsilon * logSumExp(row);
    }
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < n; i++) column[i] = logA + (f[i]! - cost[i * m + j]!) / epsilon;
      g[j] = -epsilon * logSumExp(column);
    }
  }
  const plan = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++)
      plan[i * m + j] = Math.exp(logA + logB + (f[i]! + g[j]! - cost[i * m + j]!) / epsilon);
  return plan;
}

/**
 * The Gaussian quantities of a bridge's reference dX = f(t) X dt + g(t) dW, written out here from
 * the SDE itself so that the tests do not lean on bridge-reference.ts:
 *   Brownian  f = 0,   g² = ε:        α(s, u) = 1,              σ²(s, u) = ε (u − s);
 *   VP        f = −½β, g² = εβ, β(t) = β_min + t(β_max − β_min) linear:
 *             α(s, u) = e^{−½B(s,u)}, B(s, u) = ∫_s^u β,   σ²(s, u) = ∫_s^u α(r, u)² εβ(r) dr = ε(1 − e^{−B}).
 * The bridge pinned at X_0 = x, X_1 = y follows by conditioning the Gaussian (X_t, X_1) | X_0 = x
 * (Cov(X_t, X_1) = α(t, 1) σ²(0, t), Var X_1 = σ²(0, 1)) on X_1 = y.
 */
export interface ReferenceFormulas {
  /** f(t). */
  linear(t: number): number;
  /** g²(t). */
  diffusion(t: number): number;
  /** α(s, u). */
  decay(s: number, u: number): number;
  /** σ²(s, u). */
  variance(s: number, u: number): number;
  /** X_t | X_0 = x, X_1 = y ~ N(c0 x + c1 y, c I). */
  marginal(t: number): { c0: number; c1: number; c: number };
  /** Cov(X_s, X_u | X_0, X_1) per coordinate, s ≤ u. */
  bridgeCovariance(s: number, u: number): number;
}

export function referenceFormulas(reference: BridgeReference, epsilon: number): ReferenceFormulas {
  const vp = reference.kind === 'vp' ? reference : undefined;
  const beta = (t: number): number => (vp ? vp.betaMin + t * (vp.betaMax - vp.betaMin) : 0);
  const integral = (s: number, u: number): number =>
    vp ? vp.betaMin * (u - s) + 0.5 * (vp.betaMax - vp.betaMin) * (u * u - s * s) : 0;
  const decay = (s: number, u: number): number => Math.exp(-0.5 * integral(s, u));
  const variance = (s: number, u: number): number =>
    vp ? epsilon * (1 - Math.exp(-integral(s, u))) : epsilon * (u - s);
  const marginal = (t: number): { c0: number; c1: number; c: number } => {
    const total = variance(0, 1);
    if (!(total > 0)) return { c0: 1 - t, c1: t, c: 0 };
    const gain = (decay(t, 1) * variance(0, t)) / total;
    return {
      c0: decay(0, t) - gain * decay(0, 1),
      c1: gain,
      c: variance(0, t) - gain * decay(t, 1) * variance(0, t),
    };
  };
  return {
    linear: (t) => (vp ? -0.5 * beta(t) : 0),
    diffusion: (t) => (vp ? epsilon * beta(t) : epsilon),
    decay,
    variance,
    marginal,
    bridgeCovariance: (s, u) =>
      decay(s, u) * variance(0, s) -
      (decay(s, 1) * variance(0, s) * decay(u, 1) * variance(0, u)) / variance(0, 1),
  };
}

/** The plan's moments: E_π[x], E_π[y] and the centred blocks Cov(x, x), Cov(y, y), Cov(x, y). */
export interface PlanMoments {
  readonly meanX: number[];
  readonly meanY: number[];
  readonly xx: number[][];
  readonly yy: number[][];
  readonly xy: number[][];
}

/** One pass over π (Σ π normalised to 1). */
export function planMoments(coupling: Coupling): PlanMoments {
  const { n, m, dim, plan, source, target } = coupling;
  const zeros = (): number[][] => Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  const [sx, sy] = [new Array<number>(dim).fill(0), new Array<number>(dim).fill(0)];
  const [xx, yy, xy] = [zeros(), zeros(), zeros()];
  let total = 0;
  const rowMass = new Float64Array(n);
  const columnMass = new Float64Array(m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const w = plan[i * m + j]!;
      if (w === 0) continue;
      total += w;
      rowMass[i]! += w;
      columnMass[j]! += w;
      for (let a = 0; a < dim; a++)
        for (let b = 0; b < dim; b++) xy[a]![b]! += w * source[i * dim + a]! * target[j * dim + b]!;
    }
  for (let i = 0; i < n; i++)
    for (let a = 0; a < dim; a++) {
      sx[a]! += rowMass[i]! * source[i * dim + a]!;
      for (let b = 0; b < dim; b++)
        xx[a]![b]! += rowMass[i]! * source[i * dim + a]! * source[i * dim + b]!;
    }
  for (let j = 0; j < m; j++)
    for (let a = 0; a < dim; a++) {
      sy[a]! += columnMass[j]! * target[j * dim + a]!;
      for (let b = 0; b < dim; b++)
        yy[a]![b]! += columnMass[j]! * target[j * dim + a]! * target[j * dim + b]!;
    }
  const meanX = sx.map((value) => value / total);
  const meanY = sy.map((value) => value / total);
  const centre = (s: number[][], p: number[], q: number[]): number[][] =>
    s.map((row, a) => row.map((value, b) => value / total - p[a]! * q[b]!));
  return {
    meanX,
    meanY,
    xx: centre(xx, meanX, meanX),
    yy: centre(yy, meanY, meanY),
    xy: centre(xy, meanX, meanY),
  };
}

/**
 * Exact moments of the mixture of bridges Σ π_ij R(· | x_i, y_j) at t (X_t = c0 X + c1 Y + noise,
 * (X, Y) ~ π): mean c0 x̄ + c1 ȳ, covariance c0² Cov_xx + c1² Cov_yy + c0 c1 (Cov_xy + Cov_yx) + c I.
 */
export function mixtureMoments(
  moments: PlanMoments,
  formulas: ReferenceFormulas,
  t: number,
): { mean: number[]; cov: number[][] } {
  const { c0, c1, c } = formulas.marginal(t);
  return {
    mean: moments.meanX.map((value, a) => c0 * value + c1 * moments.meanY[a]!),
    cov: mixtureCrossCovariance(moments, formulas, t, t, c),
  };
}

/** Cov(X_s, X_u) of the mixture of bridges (s ≤ u); `noise` overrides the bridge's own term. */
export function mixtureCrossCovariance(
  moments: PlanMoments,
  formulas: ReferenceFormulas,
  s: number,
  u: number,
  noise = formulas.bridgeCovariance(s, u),
): number[][] {
  const p = formulas.marginal(s);
  const q = formulas.marginal(u);
  const { xx, yy, xy } = moments;
  return xx.map((row, a) =>
    row.map(
      (value, b) =>
        p.c0 * q.c0 * value +
        p.c1 * q.c1 * yy[a]![b]! +
        p.c0 * q.c1 * xy[a]![b]! +
        p.c1 * q.c0 * xy[b]![a]! +
        (a === b ? noise : 0),
    ),
  );
}

/**
 * The posterior over pairs by brute force, for every row of x ([rows, d]) at t ∈ [0, 1):
 * w_ij ∝ π_ij N(x; c0 x_i + c1 y_j, c I) (log-sum-exp over all n·m pairs), x̂ = Σ w x_i, ŷ = Σ w y_j.
 * At t = 0 (c = 0) its limit: the pairs of the source points nearest to x, weighted by
 * π_ij exp((‖y_j − α x_i‖² − ‖y_j − α x‖²)/(2σ²)), α = α(0, 1), σ² = σ²(0, 1).
 */
export function bruteForcePosterior(
  coupling: Coupling,
  formulas: ReferenceFormulas,
  x: Float64Array,
  t: number,
): { sourceMean: Float64Array; targetMean: Float64Array } {
  const { n, m, dim, plan, source, target } = coupling;
  const { c0, c1, c } = formulas.marginal(t);
  const alpha = formulas.decay(0, 1);
  const endVariance = formulas.variance(0, 1);
  const sourceMean = new Float64Array(x.length);
  const targetMean = new Float64Array(x.length);
  const logits = new Float64Array(n * m);
  const squared = (p: (k: number) => number): number => {
    let sum = 0;
    for (let k = 0; k < dim; k++) sum += p(k) ** 2;
    return sum;
  };
  for (let row = 0; row < x.length / dim; row++) {
    const at = (k: number): number => x[row * dim + k]!;
    let nearest = Infinity;
    if (c === 0)
      for (let i = 0; i < n; i++)
        nearest = Math.min(
          nearest,
          squared((k) => at(k) - source[i * dim + k]!),
        );
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const weight = plan[i * m + j]!;
        const xi = (k: number): number => source[i * dim + k]!;
        const yj = (k: number): number => target[j * dim + k]!;
        let logit = weight > 0 ? Math.log(weight) : -Infinity;
        if (c > 0) logit -= squared((k) => at(k) - c0 * xi(k) - c1 * yj(k)) / (2 * c);
        else if (squared((k) => at(k) - xi(k)) !== nearest) logit = -Infinity;
        else
          logit +=
            (squared((k) => yj(k) - alpha * xi(k)) - squared((k) => yj(k) - alpha * at(k))) /
            (2 * endVariance);
        logits[i * m + j] = logit;
      }
    let largest = -Infinity;
    for (const logit of logits) largest = Math.max(largest, logit);
    let total = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const weight = Math.exp(logits[i * m + j]! - largest);
        total += weight;
        for (let k = 0; k < dim; k++) {
          sourceMean[row * dim + k]! += weight * source[i * dim + k]!;
          targetMean[row * dim + k]! += weight * target[j * dim + k]!;
        }
      }
    for (let k = 0; k < dim; k++) {
      sourceMean[row * dim + k]! /= total;
      targetMean[row * dim + k]! /= total;
    }
  }
  return { sourceMean, targetMean };
}

/** c_ij = ½‖x_i − y_j‖², row-major [n, m]: the oracles' own, independent of ot-problem.ts. */
export function squaredDistanceCost(x: Float64Array, y: Float64Array, dim: number): Float64Array {
  const n = x.length / dim;
  const m = y.length / dim;
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let squared = 0;
      for (let k = 0; k < dim; k++) squared += (x[i * dim + k]! - y[j * dim + k]!) ** 2;
      cost[i * m + j] = 0.5 * squared;
    }
  return cost;
}
