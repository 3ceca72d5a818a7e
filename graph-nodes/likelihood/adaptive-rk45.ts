// Dormand–Prince 5(4) with adaptive steps on a plain float64 state, for ODEs whose right-hand
// side is asynchronous (a denoiser call). The tableau and step control are the tensor solver's
// (solvers/dormand-prince.ts); the error norm is the same max norm: every component of the state
// must satisfy |e| ≤ atol + rtol·max(|y|, |y_new|), so no point hides behind the others.
import {
  DOPRI_ERROR_WEIGHTS,
  DOPRI_NODES,
  DOPRI_STAGES,
  stepFactor,
} from '../solvers/dormand-prince';

/** dy/du at (u, y); a new array. */
export type Slope = (u: number, y: Float64Array) => Promise<Float64Array>;

export interface AdaptiveOptions {
  readonly rtol: number;
  readonly atol: number;
  /** Called between steps: cancellation and progress (fraction of the interval done). */
  readonly afterStep?: (fraction: number) => Promise<void> | void;
}

export interface AdaptiveResult {
  readonly y: Float64Array;
  readonly acceptedSteps: number;
  readonly rejectedSteps: number;
}

/** Attempts before giving up: a step size that shrinks without end means a broken field. */
const MAX_ATTEMPTS = 100_000;

/** y + h Σ_j w_j k_j. */
function combine(y: Float64Array, h: number, weights: readonly number[], slopes: Float64Array[]) {
  const out = Float64Array.from(y);
  weights.forEach((weight, j) => {
    if (weight === 0) return;
    const slope = slopes[j]!;
    for (let i = 0; i < out.length; i++) out[i]! += h * weight * slope[i]!;
  });
  return out;
}

/** y(u1) from y(u0) = y0 (u1 > u0). */
export async function integrateAdaptive(
  slope: Slope,
  y0: Float64Array,
  u0: number,
  u1: number,
  options: AdaptiveOptions,
): Promise<AdaptiveResult> {
  const { rtol, atol } = options;
  const span = u1 - u0;
  // The local error is O(h⁵): a first step of span·rtol^{1/5} is about right; control does the rest.
  let h = span * Math.min(1, rtol ** 0.2);
  let u = u0;
  let y = y0;
  let k1 = await slope(u, y);
  let accepted = 0;
  let rejected = 0;
  while (u < u1) {
    if (accepted + rejected >= MAX_ATTEMPTS) {
      throw new Error(
        `no progress after ${MAX_ATTEMPTS} steps at u = ${u}: loosen rtol/atol or check the denoiser`,
      );
    }
    // A step that would stop just short of the end takes the rest of the interval with it.
    const finishes = u + h >= u1 - 1e-12 * Math.max(1, Math.abs(u1));
    if (finishes) h = u1 - u;
    const slopes = [k1];
    for (let stage = 1; stage < DOPRI_NODES.length; stage++) {
      const at = stage === DOPRI_NODES.length - 1 ? u + h : u + DOPRI_NODES[stage]! * h;
      slopes.push(await slope(at, combine(y, h, DOPRI_STAGES[stage]!, slopes)));
    }
    const next = combine(y, h, DOPRI_STAGES[DOPRI_NODES.length - 1]!, slopes);
    const estimate = combine(new Float64Array(y.length), h, DOPRI_ERROR_WEIGHTS, slopes);
    let error = 0;
    for (let i = 0; i < y.length; i++) {
      const scale = atol + rtol * Math.max(Math.abs(y[i]!), Math.abs(next[i]!));
      error = Math.max(error, Math.abs(estimate[i]!) / scale);
    }
    if (!Number.isFinite(error)) throw new Error(`the error estimate is ${error} at u = ${u}`);
    if (error <= 1) {
      u = finishes ? u1 : u + h;
      y = next;
      k1 = slopes[slopes.length - 1]!;
      accepted++;
      await options.afterStep?.((u - u0) / span);
    } else {
      rejected++;
    }
    h *= stepFactor(error);
  }
  return { y, acceptedSteps: accepted, rejectedSteps: rejected };
}
