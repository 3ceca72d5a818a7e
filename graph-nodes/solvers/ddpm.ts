// DDPM ancestral sampling (Ho et al. 2020; diffusers DDPMScheduler, variance "fixed_small") in
// x = α x̃ with the schedule's true α, skip-aware: with a = α/α' the transition x_t | x_{t'} has
// variance β̂ = σ² − a²σ'², and the posterior q(x_{t'} | x_t, x₀ = D) is
//   mean  (α' β̂/σ²)·D + (a σ'²/σ²)·x,   variance  β̂ σ'²/σ²,
// then x̃' = x_{t'}/α'. In σ̃ this is euler_ancestral with η = 1 (and DDIM with η = 1).
import * as tf from '@tensorflow/tfjs-core';
import { addStepNoise } from './ancestral';
import type { SolverAlgorithm } from './loop';

export const ddpm: SolverAlgorithm = {
  name: 'ddpm',
  title: 'DDPM',
  order: 1,
  nfe: 'N',
  params: ['seed'],
  historyLength: 0,
  step(state) {
    const { x: xTilde, sigma: sigmaTilde, sigmaNext: sigmaTildeNext, i } = state;
    const denoised = state.denoise(xTilde, sigmaTilde);
    if (sigmaTildeNext === 0) return { x: denoised, denoised };
    const alpha = state.alphas[i]!;
    const alphaNext = state.alphas[i + 1]!;
    const sigma = alpha * sigmaTilde;
    const sigmaNext = alphaNext * sigmaTildeNext;
    const a = alpha / alphaNext;
    const betaHat = sigma ** 2 - a ** 2 * sigmaNext ** 2;
    const mean = tf.add(
      tf.mul(denoised, (alphaNext * betaHat) / sigma ** 2),
      tf.mul(xTilde, (a * alpha * sigmaNext ** 2) / sigma ** 2),
    );
    const std = Math.sqrt((betaHat * sigmaNext ** 2) / sigma ** 2);
    return { x: addStepNoise(state, tf.div(mean, alphaNext), std / alphaNext), denoised };
  },
};
