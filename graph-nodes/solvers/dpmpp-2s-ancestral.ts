// DPM-Solver++(2S) ancestral (k-diffusion sample_dpmpp_2s_ancestral): a singlestep second-order
// data-prediction step in λ = −log σ̃ down to σ̃_down, with its intermediate point at half the step
// in λ, then fresh noise σ̃_up·z. η = 0 is the deterministic DPM-Solver++(2S).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addStepNoise, ancestralStep } from './ancestral';
import type { SolverAlgorithm, StepState } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

/** DPM-Solver++(2S) from σ̃ to σ̃_to > 0: x̃₂ at σ̃_s = √(σ̃·σ̃_to), then x̃' from D(x̃₂; σ̃_s). */
export function dpmpp2sStep(
  state: StepState,
  x: Tensor2D,
  sigma: number,
  denoised: Tensor2D,
  sigmaTo: number,
): Tensor2D {
  const h = Math.log(sigma / sigmaTo);
  const sigmaS = sigma * Math.exp(-h / 2);
  // x̃₂ = (σ̃_s/σ̃)x̃ − (e^{−h/2} − 1)D
  const x2: Tensor2D = tf.sub(tf.mul(x, sigmaS / sigma), tf.mul(denoised, Math.expm1(-h / 2)));
  const denoised2 = state.denoise(x2, sigmaS);
  return tf.sub(tf.mul(x, sigmaTo / sigma), tf.mul(denoised2, Math.expm1(-h)));
}

export const dpmpp2sAncestral: SolverAlgorithm = {
  name: 'dpmpp_2s_ancestral',
  title: 'DPM-Solver++(2S) ancestral',
  order: 2,
  nfe: '2N − 1',
  params: ANCESTRAL_PARAMS,
  defaults: { eta: 1 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const { sigmaDown, sigmaUp } = ancestralStep(sigma, sigmaNext, state.settings.eta);
    // σ̃_down = 0 only when η pushes all of σ̃' into noise: k-diffusion then takes an Euler step.
    const xDown = sigmaDown === 0 ? denoised : dpmpp2sStep(state, x, sigma, denoised, sigmaDown);
    return { x: addStepNoise(state, xDown, sigmaUp), denoised };
  },
};
