// Predictor–corrector sampling (Song et al. 2021, Alg. 4, the VE form, which is every schedule's
// form in x̃ = x/α): a reverse-diffusion predictor step from σ̃_i to σ̃_{i+1},
//   x̃ ← x̃ + (σ̃_i² − σ̃_{i+1}²) ŝ + √(σ̃_i² − σ̃_{i+1}²) z,   ŝ = (D − x̃)/σ̃_i²,
// then `corrector_steps` Langevin MCMC steps at σ̃_{i+1} that pull the points back towards p_{σ̃_{i+1}}:
//   x̃ ← x̃ + ε ŝ + √(2ε) z',   ε = 2(snr·‖z'‖/‖ŝ‖)²,
// with ‖·‖ the per-point norm averaged over the points (score_sde's LangevinCorrector). Predictor
// noise is the Brownian path's increment over the step; corrector noise is fresh. The step onto
// σ̃ = 0 returns D and has no corrector. NFE = (1 + corrector_steps)(N − 1) + 1.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { SolverAlgorithm, StepState } from './loop';

function score(x: Tensor2D, denoised: Tensor2D, sigma: number): Tensor2D {
  return tf.div(tf.sub(denoised, x), sigma ** 2);
}

/** The mean over points of each point's Euclidean norm. */
function meanNorm(values: Tensor2D): number {
  return tf.tidy(() => tf.mean(tf.norm(values, 'euclidean', 1)).dataSync()[0]!);
}

/** One Langevin step at σ̃ with the step size set by the target signal-to-noise ratio. */
export function langevinStep(state: StepState, x: Tensor2D, sigma: number): Tensor2D {
  const [n, dim] = x.shape;
  const grad = score(x, state.denoise(x, sigma), sigma);
  const z = state.noise.fresh(n, dim);
  const gradNorm = meanNorm(grad);
  // A vanishing score means the points already sit at the mode: no step.
  const stepSize = gradNorm > 0 ? 2 * ((state.settings.snr * meanNorm(z)) / gradNorm) ** 2 : 0;
  return tf.add(tf.add(x, tf.mul(grad, stepSize)), tf.mul(z, Math.sqrt(2 * stepSize)));
}

export const pc: SolverAlgorithm = {
  name: 'pc',
  title: 'Predictor–corrector (reverse diffusion + Langevin)',
  order: 1,
  nfe: '(1 + corrector_steps)(N − 1) + 1',
  params: ['snr', 'corrector_steps', 'seed'],
  defaults: { snr: 0.16, correctorSteps: 1 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext, settings } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const [n, dim] = x.shape;
    const variance = sigma ** 2 - sigmaNext ** 2;
    const z = state.noise.sample(n, dim, sigma, sigmaNext);
    let next: Tensor2D = tf.add(
      tf.add(x, tf.mul(score(x, denoised, sigma), variance)),
      tf.mul(z, Math.sqrt(variance)),
    );
    for (let k = 0; k < settings.correctorSteps; k++) next = langevinStep(state, next, sigmaNext);
    return { x: next, denoised };
  },
};
