// Euler with CFG++ (Chung et al. 2024; ComfyUI sample_euler_cfg_pp). Plain CFG steps along the
// guided noise estimate; CFG++ takes x̂₀ from the guided prediction D_λ = D_u + λ(D_c − D_u) but
// re-noises along the unconditional ε̂_u = (x̃ − D_u)/σ̃, which keeps x̃ near the data manifold
// with a small λ ∈ [0, 1] (reference §5):
//   x̃' = D_λ + σ̃'·(x̃ − D_u)/σ̃        (DDIM form: x' = α' x̂₀(ε̂_λ) + σ' ε̂_u)
// λ = 0 is Euler on D_u; when D_c = D_u it is Euler.
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import type { SolverAlgorithm, StepState } from './loop';

/**
 * D_u of the guided denoiser, or a clear error saying which node to connect. Its calls are not
 * counted as NFE: a batched model computes D_u within the guided evaluation.
 */
export function unconditionalDenoiser(state: StepState, solverName: string): Denoiser {
  const unconditional = state.denoiser.unconditional;
  if (!unconditional) {
    throw new Error(
      `${solverName} steps with the unconditional prediction D_u, but its denoiser has none: ` +
        'connect the solver\'s "denoiser" input to a "cfg-pp" (or "cfg", "classifier-guidance") ' +
        'guidance node',
    );
  }
  return unconditional;
}

export const eulerCfgPp: SolverAlgorithm = {
  name: 'euler_cfg_pp',
  title: 'Euler (CFG++)',
  order: 1,
  nfe: 'N',
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const unconditional = unconditionalDenoiser(state, 'euler_cfg_pp');
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const denoisedUnconditional = unconditional.denoise(x, sigma);
    return {
      x: tf.add(denoised, tf.mul(tf.sub(x, denoisedUnconditional), sigmaNext / sigma)),
      denoised,
    };
  },
};
