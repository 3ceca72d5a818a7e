// Euler–Maruyama on the reverse SDE (Song et al. 2021). In x̃ = x/α every schedule is the VE process
// x̃ = x₀ + σ̃ε, whose reverse SDE in the time σ̃ is dx̃ = −2σ̃ ŝ dσ̃ + √(2σ̃) dw̄ with the score
// ŝ = (D − x̃)/σ̃², i.e. dx̃ = 2(x̃ − D)/σ̃ dσ̃ + √(2σ̃) dw̄. The η-family of the reference (§1.2),
// dx̃ = (1 + η²)(x̃ − D)/σ̃ dσ̃ + η√(2σ̃) dw̄, keeps the marginals for every η: η = 1 is the reverse
// SDE, η = 0 the PF-ODE, where a step is exactly Euler. The noise is the Brownian path's increment
// over the step; the step onto σ̃ = 0 returns D. 1 NFE per step: N.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { derivative } from './euler';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

export const eulerMaruyama: SolverAlgorithm = {
  name: 'euler_maruyama',
  title: 'Euler–Maruyama (reverse SDE)',
  order: 1,
  nfe: 'N',
  params: ANCESTRAL_PARAMS,
  defaults: { eta: 1 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext, settings } = state;
    const { eta, sNoise } = settings;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const drift = tf.mul(derivative(x, denoised, sigma), (1 + eta ** 2) * (sigmaNext - sigma));
    const next: Tensor2D = tf.add(x, drift);
    if (eta === 0) return { x: next, denoised };
    const [n, dim] = x.shape;
    const z = state.noise.sample(n, dim, sigma, sigmaNext);
    const diffusion = eta * sNoise * Math.sqrt(2 * sigma * (sigma - sigmaNext));
    return { x: tf.add(next, tf.mul(z, diffusion)), denoised };
  },
};
