// The posterior of a Schrödinger plan (a plan of Gibbs form for the reference), where it factors.
//
// By the reference's Markov property the bridge marginal at t is
//   p_t(x | x_i, y_j) = r_{0t}(x | x_i) r_{t1}(y_j | x) / r_{01}(y_j | x_i)
// (r_{su} the transition densities, bridge-reference.ts), so the posterior over pairs is
//   w_ij(x, t) ∝ G_ij · r_{0t}(x | x_i) · r_{t1}(y_j | x),   G_ij = π_ij / r_{01}(y_j | x_i).
// The Schrödinger (entropic OT) plan of this reference is exactly the one with G of rank one,
// G_ij = e^{u_i + v_j} (for Brownian motion √ε dW, π_ij = a_i b_j e^{(f_i + g_j − ½‖x_i − y_j‖²)/ε}
// gives u_i = log a_i + f_i/ε, v_j = log b_j + g_j/ε). Then w_ij is a product, X_0 and X_1 are
// independent given X_t, and each mean costs O(n) or O(m) instead of O(n m):
//
//   ŷ = Σ_j softmax_j(v_j − ‖y_j − α(t,1) x‖²/(2σ²(t,1))) y_j,
//   x̂ = Σ_i softmax_i(u_i − ‖x − α(0,t) x_i‖²/(2σ²(0,t))) x_i,
//
// so that b(x, t) = f x + g² ∇log h(x, t) with h(x, t) = Σ_j e^{v_j} r_{t1}(y_j | x), the reference's
// transition density integrated against the endpoint potential (the SB's forward Schrödinger
// potential). At t = 0 this ŷ is the plan's conditional E[Y | X_0 = x] extended to every x.
//
// Detection. log G_ij = log π_ij + ‖y_j − α(0,1) x_i‖²/(2σ²(0,1)) (up to a constant) is fitted by
// u_i + v_j along a spanning tree of the support (breadth-first over rows and columns), and the
// plan is taken to be of Gibbs form when every support entry fits to GIBBS_TOLERANCE nats (so the
// factored weights are within 1e-6 relative of π's) and every entry below the support is predicted
// below it too. Sinkhorn's plans pass at any iteration (π = diag(e^{f/ε}) K diag(e^{g/ε}) holds
// throughout); independent, diagonal, exact and rounded plans fail and use the pairwise posterior.

import { buildEmpiricalIndex, DEFAULT_BLOCK_SIZE } from '../denoisers/empirical-kernel';
import type { Coupling } from '../core/values';
import { PLAN_CUTOFF } from './bridge-pairs';
import type { ReferenceProcess } from './bridge-reference';
import { createSoftmaxScratch, softmaxMeans } from './bridge-softmax';

/** Largest misfit, in nats, of log G_ij by u_i + v_j on the support. */
export const GIBBS_TOLERANCE = 1e-6;

export interface GibbsPotentials {
  /** log G_ij = u_i + v_j on the plan's support. */
  readonly u: Float64Array;
  readonly v: Float64Array;
}

/** The posterior means of every row of x at t, into sourceMean and targetMean. */
export type PosteriorMeans = (
  x: Float64Array,
  t: number,
  sourceMean: Float64Array,
  targetMean: Float64Array,
) => void;

/** u, v if the coupling's plan is of Gibbs form for `reference` (see above), else undefined. */
export function gibbsPotentials(
  coupling: Coupling,
  reference: ReferenceProcess,
): GibbsPotentials | undefined {
  const { n, m, dim, plan, source, target } = coupling;
  const { decay, variance } = reference.transition(0, 1);
  if (!(variance > 0)) return undefined;
  let largest = 0;
  for (let k = 0; k < n * m; k++) largest = Math.max(largest, plan[k]!);
  const threshold = largest * Math.exp(-PLAN_CUTOFF);
  const inSupport = (k: number): boolean => plan[k]! >= threshold && plan[k]! > 0;
  const logKernel = (i: number, j: number): number => {
    let squared = 0;
    for (let c = 0; c < dim; c++)
      squared += (target[j * dim + c]! - decay * source[i * dim + c]!) ** 2;
    return squared / (2 * variance);
  };
  const logG = (i: number, j: number): number => Math.log(plan[i * m + j]!) + logKernel(i, j);

  const u = new Float64Array(n).fill(NaN);
  const v = new Float64Array(m).fill(NaN);
  u[0] = 0;
  // Rows are queued as r ≥ 0, columns as −(j + 1).
  const queue: number[] = [0];
  for (let head = 0; head < queue.length; head++) {
    const item = queue[head]!;
    if (item >= 0) {
      for (let j = 0; j < m; j++)
        if (Number.isNaN(v[j]!) && inSupport(item * m + j)) {
          v[j] = logG(item, j) - u[item]!;
          queue.push(-(j + 1));
        }
    } else {
      const j = -item - 1;
      for (let i = 0; i < n; i++)
        if (Number.isNaN(u[i]!) && inSupport(i * m + j)) {
          u[i] = logG(i, j) - v[j]!;
          queue.push(i);
        }
    }
  }
  if (queue.length !== n + m) return undefined; // the support does not connect every point
  const logThreshold = Math.log(threshold);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const predicted = u[i]! + v[j]! - logKernel(i, j);
      const fits = inSupport(i * m + j)
        ? Math.abs(Math.log(plan[i * m + j]!) - predicted) <= GIBBS_TOLERANCE
        : predicted <= logThreshold + GIBBS_TOLERANCE;
      if (!fits) return undefined;
    }
  return { u, v };
}

/** The factored posterior means of a Gibbs plan (see above). */
export function createGibbsPosterior(
  coupling: Coupling,
  reference: ReferenceProcess,
  { u, v }: GibbsPotentials,
): PosteriorMeans {
  const { n, m, dim } = coupling;
  const sources = buildEmpiricalIndex(coupling.source, n, dim, u, DEFAULT_BLOCK_SIZE);
  const targets = buildEmpiricalIndex(coupling.target, m, dim, v, DEFAULT_BLOCK_SIZE);
  const sourceScratch = createSoftmaxScratch(sources);
  const targetScratch = createSoftmaxScratch(targets);
  return (x, t, sourceMean, targetMean) => {
    // ‖x − α x_i‖²/(2σ²) = ‖x/α − x_i‖²/(2σ²/α²); α(0, t) > 0 for both references.
    const before = reference.transition(0, t);
    const scaledVariance = before.variance / (before.decay * before.decay);
    softmaxMeans(sources, x, 1 / before.decay, scaledVariance, sourceMean, sourceScratch);
    const after = reference.transition(t, 1);
    softmaxMeans(targets, x, after.decay, after.variance, targetMean, targetScratch);
  };
}
