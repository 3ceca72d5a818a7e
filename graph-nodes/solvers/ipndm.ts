// iPNDM (Zhang & Chen 2023; ComfyUI sample_ipndm after zju-pi/diff-sampler): Adams–Bashforth on
// the slope d = (x̃ − D)/σ̃ in σ̃, with the constant-step weights whatever the spacing of the list,
// and lower orders while the history builds. The step onto σ̃ = 0 returns D. 1 NFE per step: N.
import * as tf from '@tensorflow/tfjs-core';
import { derivative } from './euler';
import type { SolverAlgorithm } from './loop';

/** Adams–Bashforth weights, current slope first: (1), (3, −1)/2, (23, −16, 5)/12, (55, −59, 37, −9)/24. */
export const ADAMS_BASHFORTH_WEIGHTS: readonly (readonly number[])[] = [
  [1],
  [3 / 2, -1 / 2],
  [23 / 12, -16 / 12, 5 / 12],
  [55 / 24, -59 / 24, 37 / 24, -9 / 24],
];

export const ipndm: SolverAlgorithm = {
  name: 'ipndm',
  title: 'iPNDM',
  order: 4,
  maxOrder: 4,
  nfe: 'N',
  params: ['order'],
  defaults: { order: 4 },
  historyLength: 3,
  step(state) {
    const { x, sigma, sigmaNext, history, settings } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const order = Math.min(settings.order, state.i + 1);
    const slopes = [
      derivative(x, denoised, sigma),
      ...history
        .slice(0, order - 1)
        .map((entry) => derivative(entry.x, entry.denoised, entry.sigma)),
    ];
    const weights = ADAMS_BASHFORTH_WEIGHTS[order - 1]!;
    const slope = slopes.reduce(
      (sum, d, j) => tf.add(sum, tf.mul(d, weights[j]!)),
      tf.zerosLike(x),
    );
    return { x: tf.add(x, tf.mul(slope, sigmaNext - sigma)), denoised };
  },
};
