// Rectified flow / flow matching: x_t = (1 − t) x₀ + t ε, so σ̃ = t/(1 − t), with the SD3/Flux
// resolution shift k applied to the noise level.
//
// How the shift is realised: t is the sampling clock and the noise level is the shifted time
//   s(t) = k t / (1 + (k − 1) t),   α = 1 − s(t),   σ = s(t),
// which gives σ̃(t) = s/(1 − s) = k t/(1 − t): the shift multiplies σ̃ by k (reference §2).
// s(t) is what diffusers' FlowMatchEulerDiscreteScheduler feeds a model as its time; uniform
// steps in t are its shifted sigma list. k = 1 is plain rectified flow.
import type { Schedule } from '../core/values';

export interface RectifiedFlowScheduleParams {
  readonly shift: number;
  readonly tMin: number;
  /** Must stay below 1: σ̃ → ∞ at t = 1. */
  readonly tMax: number;
}

/**
 * Default range. tMax = 0.999 puts σ̃ = 999·k at the noise end: the N(0, σ̃²) prior is then off by
 * a relative O(1/σ̃²) ≈ 1e-6 from the true x̃_t (data of unit scale), α = 1e-3 stays well inside
 * float32, and solvers never meet σ̃ = ∞. tMin = 1e-3 mirrors it at the data end (σ̃ ≈ 1e-3·k).
 */
export const RECTIFIED_FLOW_DEFAULT_T_MIN = 1e-3;
export const RECTIFIED_FLOW_DEFAULT_T_MAX = 0.999;

export function rectifiedFlowSchedule(p: RectifiedFlowScheduleParams): Schedule {
  const { shift: k, tMin, tMax } = p;
  if (!(k > 0) || !Number.isFinite(k)) {
    throw new Error(`rectified-flow schedule: shift must be a positive number (got ${k})`);
  }
  if (!(tMin > 0 && tMin < 1)) {
    throw new Error(`rectified-flow schedule: tMin must lie in (0, 1) (got ${tMin})`);
  }
  if (!(tMax > tMin && tMax < 1)) {
    throw new Error(
      `rectified-flow schedule: tMax must lie in (tMin, 1) = (${tMin}, 1) (got ${tMax}); σ̃ is infinite at t = 1`,
    );
  }
  const shifted = (t: number): number => (k * t) / (1 + (k - 1) * t);
  // ds/dt = k / (1 + (k − 1) t)²
  const shiftedDot = (t: number): number => {
    const denominator = 1 + (k - 1) * t;
    return k / (denominator * denominator);
  };
  const logK = Math.log(k);
  return {
    name: 'rectified-flow',
    tMin,
    tMax,
    alpha: (t) => 1 - shifted(t),
    sigma: shifted,
    alphaDot: (t) => -shiftedDot(t),
    sigmaDot: shiftedDot,
    // λ = log((1 − s)/s) = −log σ̃ = log(1 − t) − log t − log k
    lambda: (t) => Math.log1p(-t) - Math.log(t) - logK,
    // σ̃ = k t/(1 − t) = e^{−λ}  ⇒  t = 1/(1 + k e^{λ})
    tOfLambda: (lambda) => 1 / (1 + Math.exp(lambda + logK)),
    sigmaTilde: (t) => (k * t) / (1 - t),
    // unshifted σ̃/k, then t = σ̃/(1 + σ̃), written so that σ̃ = 0 and σ̃ = ∞ give 0 and 1
    tOfSigmaTilde: (sigmaTilde) => 1 / (1 + k / sigmaTilde),
  };
}
