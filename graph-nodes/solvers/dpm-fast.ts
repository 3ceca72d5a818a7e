// DPM-Solver-Fast (k-diffusion sample_dpm_fast; Lu et al. 2022): singlestep DPM-Solver-1/2/3 in
// ε form, stepping in λ = −log σ̃. k-diffusion builds its own grid (⌊n/3⌋ + 1 intervals uniform in
// λ over [σ_min, σ_max], orders [3, …, 3, 2, 1] or [3, …, 3, n mod 3] to spend exactly n NFE) and
// stops at σ_min without a final denoise. Here the grid is the timestep list instead, so frames
// land on it: every interval between positive levels is one DPM-Solver-`order` step (`order` NFE),
// and the step onto σ̃ = 0 returns D (1 NFE). An exponential timestep list with m + 1 levels and
// order 3 is k-diffusion's grid for n = 3m + 1 with a last order-3 interval in place of its order-1
// one, plus D at σ_min. `steps` is therefore the number of intervals, and NFE = order·(N − 1) + 1.
//
// η > 0 (ancestral): each interval steps to σ_down ≥ σ_min and adds σ_up of Brownian noise
// (k-diffusion's dpm_solver_fast with eta), where σ_min is the list's last positive level.
import * as tf from '@tensorflow/tfjs-core';
import { dpmSolverStep, epsilonAt } from './dpm-solver';
import { ancestralStep } from './ancestral';
import { epsilonOf, lambdaOf } from './lambda-math';
import type { SolverAlgorithm, StepState } from './loop';

/** The last positive level of the list: the end of the ODE integration. */
export function lastPositiveSigma(sigmas: Float64Array): number {
  for (let k = sigmas.length - 1; k >= 0; k--) {
    if (sigmas[k]! > 0) return sigmas[k]!;
  }
  return NaN;
}

/**
 * An ancestral target that never steps below σ_min (λ beyond the end), with σ_up recomputed so
 * that σ_down² + σ_up² = σ_to² still holds.
 */
export function clampedAncestralStep(
  state: StepState,
  sigmaFrom: number,
  sigmaTo: number,
): { sigmaDown: number; sigmaUp: number } {
  const { eta } = state.settings;
  if (eta === 0) return { sigmaDown: sigmaTo, sigmaUp: 0 };
  const sigmaDown = Math.max(
    ancestralStep(sigmaFrom, sigmaTo, eta).sigmaDown,
    lastPositiveSigma(state.sigmas),
  );
  return { sigmaDown, sigmaUp: Math.sqrt(Math.max(sigmaTo ** 2 - sigmaDown ** 2, 0)) };
}

export const dpmFast: SolverAlgorithm = {
  name: 'dpm_fast',
  title: 'DPM-Solver-Fast',
  order: 3,
  maxOrder: 3,
  nfe: 'order·(N − 1) + 1',
  params: ['order', 'eta', 's_noise', 'seed'],
  defaults: { order: 3, eta: 0 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext, settings } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const { sigmaDown, sigmaUp } = clampedAncestralStep(state, sigma, sigmaNext);
    const eps = epsilonOf(x, denoised, sigma);
    const lambdaS = lambdaOf(sigma);
    let next = dpmSolverStep(
      settings.order,
      x,
      lambdaS,
      lambdaOf(sigmaDown),
      eps,
      epsilonAt(state),
    );
    if (sigmaUp > 0) {
      const [n, dim] = x.shape;
      const z = state.noise.sample(n, dim, sigma, sigmaNext);
      next = tf.add(next, tf.mul(z, settings.sNoise * sigmaUp));
    }
    return { x: next, denoised };
  },
};
