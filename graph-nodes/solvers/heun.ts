// Heun's method (k-diffusion sample_heun, EDM Alg. 1–2): an Euler predictor to σ_{i+1}, then the
// trapezoid rule with the slope there. Second order; 2 NFE per step, 1 on the step onto σ̃ = 0,
// where the slope (x̃ − D)/σ̃ is undefined, so N steps cost 2N − 1.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addChurn } from './churn';
import { derivative } from './euler';
import type { SolverAlgorithm } from './loop';

export const heun: SolverAlgorithm = {
  name: 'heun',
  title: 'Heun',
  order: 2,
  nfe: '2N − 1',
  usesChurn: true,
  historyLength: 0,
  step(state) {
    const { sigmaNext } = state;
    const { x, sigmaHat } = addChurn(state);
    const denoised = state.denoise(x, sigmaHat);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const d = derivative(x, denoised, sigmaHat);
    const dt = sigmaNext - sigmaHat;
    const xPredicted: Tensor2D = tf.add(x, tf.mul(d, dt));
    const dNext = derivative(xPredicted, state.denoise(xPredicted, sigmaNext), sigmaNext);
    const dMean = tf.mul(tf.add(d, dNext), 0.5);
    return { x: tf.add(x, tf.mul(dMean, dt)), denoised };
  },
};
