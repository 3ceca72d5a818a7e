// Dormand–Prince 5(4) (RK45, scipy's default; Dormand & Prince 1980) with adaptive steps: the
// reference solver the metrics compare against. It integrates the PF-ODE dx̃/dσ̃ = (x̃ − D)/σ̃ in
// λ = −log σ̃, where it reads dx̃/dλ = D − x̃ (the same trajectory; steps in λ suit a σ̃ range of
// several decades). Each interval of the timestep list is integrated on its own, so frames land on
// the list; the step onto σ̃ = 0 returns D. The local error estimate (fifth- minus fourth-order
// solution) must satisfy max |e| / (atol + rtol·max(|x̃|, |x̃_new|)) ≤ 1 over every coordinate of
// every point (a max norm, so no point hides behind the others). NFE per interval:
// 1 + 6 per attempt (first-same-as-last), plus 1 for the step onto 0.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { DOPRI_ERROR_WEIGHTS, DOPRI_NODES, DOPRI_STAGES, stepFactor } from './dormand-prince';
import { lambdaOf, sigmaOf } from './lambda-math';
import type { SolverAlgorithm, StepState } from './loop';

const C = DOPRI_NODES;
const A = DOPRI_STAGES;
const ERROR_WEIGHTS = DOPRI_ERROR_WEIGHTS;
const MAX_ATTEMPTS_PER_INTERVAL = 100_000;

function combine(
  x: Tensor2D,
  h: number,
  weights: readonly number[],
  slopes: readonly Tensor2D[],
): Tensor2D {
  return weights.reduce<Tensor2D>(
    (sum, weight, j) => (weight === 0 ? sum : tf.add(sum, tf.mul(slopes[j]!, h * weight))),
    x,
  );
}

interface Attempt {
  readonly x: Tensor2D;
  /** dx̃/dλ at the new point. */
  readonly slope: Tensor2D;
  readonly error: number;
}

/** One Dormand–Prince step of length h in λ from (x, λ) with slope k₁ there: 6 NFE. */
function attemptStep(
  state: StepState,
  x: Tensor2D,
  k1: Tensor2D,
  lambda: number,
  h: number,
): Attempt {
  const { rtol, atol } = state.settings;
  const slopeAt = (y: Tensor2D, at: number): Tensor2D => tf.sub(state.denoise(y, sigmaOf(at)), y);
  let error = NaN;
  const [xNew, slope] = tf.tidy((): [Tensor2D, Tensor2D] => {
    const slopes = [k1];
    for (let stage = 1; stage < C.length; stage++) {
      const y = combine(x, h, A[stage]!, slopes);
      slopes.push(
        stage === C.length - 1 ? slopeAt(y, lambda + h) : slopeAt(y, lambda + C[stage]! * h),
      );
    }
    const next = combine(x, h, A[C.length - 1]!, slopes);
    const estimate = combine(tf.zerosLike(x), h, ERROR_WEIGHTS, slopes);
    const scale = tf.add(tf.mul(tf.maximum(tf.abs(x), tf.abs(next)), rtol), atol);
    error = tf.max(tf.div(tf.abs(estimate), scale)).dataSync()[0]!;
    return [next, slopes[C.length - 1]!];
  });
  return { x: xNew, slope, error };
}

/** x̃ at σ̃_{i+1} from x̃ at σ̃_i, integrated to the tolerances. */
function integrateInterval(state: StepState, denoised: Tensor2D): Tensor2D {
  const lambdaEnd = lambdaOf(state.sigmaNext);
  let lambda = lambdaOf(state.sigma);
  let h = lambdaEnd - lambda;
  let x = state.x;
  let k1: Tensor2D = tf.sub(denoised, state.x);
  const release = (tensor: Tensor2D) => {
    if (tensor !== state.x) tensor.dispose();
  };
  for (let attempt = 0; lambda < lambdaEnd; attempt++) {
    if (attempt >= MAX_ATTEMPTS_PER_INTERVAL) {
      throw new Error(
        `rk45: no progress after ${attempt} attempts at σ̃ = ${sigmaOf(lambda)}; ` +
          'loosen rtol/atol or check the denoiser',
      );
    }
    // A step that would stop just short of the end takes the rest of the interval with it.
    const finishes = lambda + h >= lambdaEnd - 1e-12 * Math.max(1, Math.abs(lambdaEnd));
    if (finishes) h = lambdaEnd - lambda;
    const result = attemptStep(state, x, k1, lambda, h);
    if (!Number.isFinite(result.error)) {
      tf.dispose([result.x, result.slope]);
      throw new Error(`rk45: the error estimate is ${result.error} at σ̃ = ${sigmaOf(lambda)}`);
    }
    if (result.error <= 1) {
      lambda = finishes ? lambdaEnd : lambda + h;
      release(x);
      k1.dispose();
      x = result.x;
      k1 = result.slope;
    } else {
      tf.dispose([result.x, result.slope]);
    }
    h *= stepFactor(result.error);
  }
  k1.dispose();
  return x;
}

export const rk45: SolverAlgorithm = {
  name: 'rk45',
  title: 'RK45 (Dormand–Prince, adaptive)',
  order: 5,
  nfe: 'adaptive: per interval 1 + 6 per attempt; 1 for the step onto 0',
  params: ['rtol', 'atol'],
  defaults: { rtol: 1e-5, atol: 1e-5 },
  historyLength: 0,
  step(state) {
    const denoised = state.denoise(state.x, state.sigma);
    if (state.sigmaNext === 0) return { x: denoised, denoised };
    return { x: integrateInterval(state, denoised), denoised };
  },
};
