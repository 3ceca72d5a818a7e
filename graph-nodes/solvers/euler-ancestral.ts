// Euler ancestral (k-diffusion sample_euler_ancestral): an Euler step down to σ̃_down, then fresh
// noise back up to σ̃_{i+1}. Equals DDIM(η) exactly; η = 1 is DDPM posterior sampling, η = 0 Euler.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addStepNoise, ancestralStep } from './ancestral';
import { derivative } from './euler';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

export const eulerAncestral: SolverAlgorithm = {
  name: 'euler_ancestral',
  title: 'Euler ancestral',
  order: 1,
  nfe: 'N',
  params: ANCESTRAL_PARAMS,
  defaults: { eta: 1 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const { sigmaDown, sigmaUp } = ancestralStep(sigma, sigmaNext, state.settings.eta);
    const d = derivative(x, denoised, sigma);
    const xDown: Tensor2D = tf.add(x, tf.mul(d, sigmaDown - sigma));
    return { x: addStepNoise(state, xDown, sigmaUp), denoised };
  },
};
