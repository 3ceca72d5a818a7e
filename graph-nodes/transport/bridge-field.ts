// The Markovian Schrödinger bridge of a coupling as vector fields on R^d, for any points x.
//
// Drift. Each bridge R(· | x_i, y_j) of the reference dX = f(t) X dt + g(t) dW is the reference
// conditioned on X_1 = y_j, i.e. Doob's h-transform with h = r(y_j, 1 | x, t), the reference's
// transition density; its drift is f x + g² ∇_x log r(y_j, 1 | x, t). The mixture of bridges
// P = Σ π_ij R(· | x_i, y_j) has the same marginals p_t as the Markov process whose drift is the
// posterior average of these drifts (the Markovian projection; Peluchetti 2021, Shi et al. 2023):
//
//   b(x, t) = f(t) x + g²(t) Σ_ij w_ij(x, t) ∇_x log r(y_j, 1 | x, t)
//           = f(t) x + g²(t) α(t,1) (ŷ − α(t,1) x) / σ²(t,1),        ŷ = E[X_1 | X_t = x],
//
// with w_ij the posterior over pairs (bridge-posterior.ts). When π is the Schrödinger plan of this
// reference, π_ij ∝ φ̂_i r(y_j, 1 | x_i, 0) φ_j, the weights factor, X_0 and X_1 are independent
// given X_t, P is itself Markov, and b = f x + g² ∇ log h(x, t) with h(x, t) = Σ_j φ_j r(y_j, 1 | x, t)
// (the reference's transition density integrated against the endpoint potential). Written out:
//
//   Brownian  dX = √ε dW:                b(x, t) = (ŷ − x)/(1 − t);
//   VP        dX = −½β X dt + √(εβ) dW:  b(x, t) = −½β(t) x + β(t) α(t,1) (ŷ − α(t,1) x)/(1 − α(t,1)²).
//
// Probability-flow ODE (same marginals, deterministic):
//
//   dx/dt = b(x, t) − ½ g²(t) ∇log p_t(x),   ∇log p_t(x) = (c₀(t) x̂ + c₁(t) ŷ − x)/c(t),
//
// p_t = Σ π_ij N(c₀ x_i + c₁ y_j, c I) being the closed-form marginal (Brownian: c₀ = 1 − t, c₁ = t,
// c = ε t(1 − t), so ½ g²/c = 1/(2t(1 − t)) whatever ε). Equivalently it is the posterior average of
// each Gaussian bridge's own flow, d/dt mean_ij + (ċ/2c)(x − mean_ij).

import type { Coupling } from '../core/values';
import { checkCoupling } from './bridge-checks';
import { createGibbsPosterior, gibbsPotentials, type PosteriorMeans } from './bridge-gibbs';
import { createPairPosterior } from './bridge-pair-posterior';
import { buildPairIndex } from './bridge-pairs';
import { referenceProcess, type ReferenceProcess } from './bridge-reference';

export interface BridgePosterior {
  /** E[X_0 | X_t = x] per row, [rows, dim]. */
  readonly sourceMean: Float64Array;
  /** E[X_1 | X_t = x] per row: the predicted endpoint. */
  readonly targetMean: Float64Array;
}

export interface BridgeField {
  readonly coupling: Coupling;
  readonly dim: number;
  readonly reference: ReferenceProcess;
  /**
   * How the posterior is computed: 'gibbs' when the plan is the Schrödinger plan of the reference
   * (X_0, X_1 independent given X_t; O(n + m) per point, bridge-gibbs.ts), else 'pairs' (O(support)
   * per point, bridge-pair-posterior.ts).
   */
  readonly posteriorKind: 'gibbs' | 'pairs';
  /** x̂ and ŷ for every row of x ([rows, dim]) at t ∈ [0, 1]; c(t) = 0 takes the nearest pairs. */
  posterior(x: Float64Array, t: number): BridgePosterior;
  /** E[X_1 | X_t = x] for every row; at t = 1 that is x itself. */
  predictEndpoints(x: Float64Array, t: number): Float64Array;
  /** The SDE drift b(x, t) for every row, t ∈ [0, 1). */
  drift(x: Float64Array, t: number): Float64Array;
  /** The probability-flow velocity for every row, t ∈ (0, 1). */
  velocity(x: Float64Array, t: number): Float64Array;
}

/** The bridge fields of `coupling` (checked, and its plan's support indexed once, here). */
export function createBridgeField(coupling: Coupling): BridgeField {
  checkCoupling(coupling);
  const reference = referenceProcess(coupling.reference, coupling.epsilon);
  const potentials = gibbsPotentials(coupling, reference);
  const means: PosteriorMeans = potentials
    ? createGibbsPosterior(coupling, reference, potentials)
    : createPairPosterior(buildPairIndex(coupling), reference);
  const { dim } = coupling;

  const posterior = (x: Float64Array, t: number): BridgePosterior => {
    checkTime(t, 0, 1, true, true);
    if (x.length % dim !== 0) throw new Error(`Points must be [rows, ${dim}]`);
    const sourceMean = new Float64Array(x.length);
    const targetMean = new Float64Array(x.length);
    means(x, t, sourceMean, targetMean);
    return { sourceMean, targetMean };
  };

  /** b = f x + pull (ŷ − α(t,1) x), row by row. */
  const drift = (x: Float64Array, t: number, targetMean: Float64Array): Float64Array => {
    const { linear, pull, endDecay } = reference.drift(t);
    const out = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++)
      out[k] = linear * x[k]! + pull * (targetMean[k]! - endDecay * x[k]!);
    return out;
  };

  return {
    coupling,
    dim,
    reference,
    posteriorKind: potentials ? 'gibbs' : 'pairs',
    posterior,
    predictEndpoints: (x, t) => (t === 1 ? x.slice() : posterior(x, t).targetMean),
    drift(x, t) {
      checkTime(t, 0, 1, true, false);
      return drift(x, t, posterior(x, t).targetMean);
    },
    velocity(x, t) {
      checkTime(t, 0, 1, false, false);
      const { sourceMean, targetMean } = posterior(x, t);
      return probabilityFlowVelocity(
        reference,
        x,
        t,
        sourceMean,
        targetMean,
        drift(x, t, targetMean),
      );
    },
  };
}

/**
 * b − ½g² ∇log p_t = b − scoreFactor·(c₀ x̂ + c₁ ŷ − x), row by row, for 0 < t < 1; `drift` is
 * overwritten with the result.
 */
export function probabilityFlowVelocity(
  reference: ReferenceProcess,
  x: Float64Array,
  t: number,
  sourceMean: Float64Array,
  targetMean: Float64Array,
  drift: Float64Array,
): Float64Array {
  const { fromStart: c0, toEnd: c1 } = reference.bridge(0, t);
  const factor = reference.scoreFactor(t);
  for (let k = 0; k < x.length; k++)
    drift[k]! -= factor * (c0 * sourceMean[k]! + c1 * targetMean[k]! - x[k]!);
  return drift;
}

function checkTime(
  t: number,
  low: number,
  high: number,
  lowIncluded: boolean,
  highIncluded: boolean,
): void {
  const inside =
    (lowIncluded ? t >= low : t > low) && (highIncluded ? t <= high : t < high) && !Number.isNaN(t);
  if (!inside)
    throw new RangeError(
      `t = ${t} is outside ${lowIncluded ? '[' : '('}${low}, ${high}${highIncluded ? ']' : ')'}`,
    );
}
