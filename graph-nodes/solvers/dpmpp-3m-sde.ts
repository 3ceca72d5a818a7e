// DPM-Solver++(3M) SDE (k-diffusion sample_dpmpp_3m_sde): as dpmpp_2m_sde, with D extrapolated
// quadratically in λ from the last three predictions (two on the second step, one on the first):
//   x̃' = e^{−H}x̃ + (1 − e^{−H})D_i + φ₂d₁ − φ₃d₂ + σ̃'√(1 − e^{−2ηh})·s_noise·z,   H = (1 + η)h,
//   φ₂ = (e^{−H} − 1)/H + 1,   φ₃ = φ₂/H − ½,
// with d₁, d₂ the first and second divided differences of D in λ, scaled by h. η = 0 is the
// deterministic third-order multistep method.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addStepNoise } from './ancestral';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

export const dpmpp3mSde: SolverAlgorithm = {
  name: 'dpmpp_3m_sde',
  title: 'DPM-Solver++(3M) SDE',
  order: 3,
  nfe: 'N',
  params: ANCESTRAL_PARAMS,
  defaults: { eta: 1 },
  historyLength: 2,
  step(state) {
    const { x, sigma, sigmaNext, history } = state;
    const { eta } = state.settings;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const h = Math.log(sigma / sigmaNext);
    const H = h * (eta + 1);
    const phi2 = Math.expm1(-H) / H + 1;
    const phi3 = phi2 / H - 0.5;
    let xNext: Tensor2D = tf.add(tf.mul(x, Math.exp(-H)), tf.mul(denoised, -Math.expm1(-H)));
    const [previous, beforePrevious] = history;
    if (previous && beforePrevious) {
      const r0 = Math.log(previous.sigma / sigma) / h;
      const r1 = Math.log(beforePrevious.sigma / previous.sigma) / h;
      const d10 = tf.div(tf.sub(denoised, previous.denoised), r0);
      const d11 = tf.div(tf.sub(previous.denoised, beforePrevious.denoised), r1);
      const d1 = tf.add(d10, tf.mul(tf.sub(d10, d11), r0 / (r0 + r1)));
      const d2 = tf.div(tf.sub(d10, d11), r0 + r1);
      xNext = tf.sub(tf.add(xNext, tf.mul(d1, phi2)), tf.mul(d2, phi3));
    } else if (previous) {
      const r = Math.log(previous.sigma / sigma) / h;
      xNext = tf.add(xNext, tf.mul(tf.sub(denoised, previous.denoised), phi2 / r));
    }
    return {
      x: addStepNoise(state, xNext, sigmaNext * Math.sqrt(-Math.expm1(-2 * h * eta))),
      denoised,
    };
  },
};
