// DPM-Solver++(2M) (k-diffusion sample_dpmpp_2m): the exponential integrator in λ = −log σ̃ with
// D extrapolated linearly in λ from this step's and the previous step's predictions,
//   x̃' = (σ̃'/σ̃)x̃ − (e^{−h} − 1)·D',   D' = D_i + (D_i − D_{i−1})/(2r),   r = h_{i−1}/h.
// The first step (no history) uses D' = D_i, and the step onto σ̃ = 0 returns D_i.
import * as tf from '@tensorflow/tfjs-core';
import type { SolverAlgorithm } from './loop';

export const dpmpp2m: SolverAlgorithm = {
  name: 'dpmpp_2m',
  title: 'DPM-Solver++(2M)',
  order: 2,
  nfe: 'N',
  historyLength: 1,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const h = Math.log(sigma / sigmaNext);
    const previous = state.history[0];
    let extrapolated = denoised;
    if (previous) {
      const r = Math.log(previous.sigma / sigma) / h;
      extrapolated = tf.add(denoised, tf.mul(tf.sub(denoised, previous.denoised), 1 / (2 * r)));
    }
    // Written as D' + (σ̃'/σ̃)(x̃ − D') (σ̃'/σ̃ = e^{−h}): the same update, but in float32 it avoids
    // subtracting two large nearly equal terms, which near a basin boundary the flow amplifies.
    return {
      x: tf.add(extrapolated, tf.mul(tf.sub(x, extrapolated), sigmaNext / sigma)),
      denoised,
    };
  },
};
