// DPM-Solver++(2M) SDE (k-diffusion sample_dpmpp_2m_sde): the exact solution of the linear part of
// the η-SDE over h = λ' − λ, with the data-prediction integral taken to second order from the
// previous step's D:
//   x̃' = (σ̃'/σ̃)e^{−ηh}x̃ + (1 − e^{−H})D_i + C + σ̃'√(1 − e^{−2ηh})·s_noise·z,   H = (1 + η)h,
//   C = ½(1 − e^{−H})(D_i − D_{i−1})/r            (midpoint)
//   C = [1 − (1 − e^{−H})/H](D_i − D_{i−1})/r      (heun),   r = h_{i−1}/h.
// η = 0 with midpoint is DPM-Solver++(2M) term for term.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addStepNoise } from './ancestral';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

export const dpmpp2mSde: SolverAlgorithm = {
  name: 'dpmpp_2m_sde',
  title: 'DPM-Solver++(2M) SDE',
  order: 2,
  nfe: 'N',
  params: [...ANCESTRAL_PARAMS, 'solver_type'],
  defaults: { eta: 1 },
  historyLength: 1,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const { eta, solverType } = state.settings;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const h = Math.log(sigma / sigmaNext);
    const etaH = eta * h;
    const H = h + etaH;
    const oneMinusExpH = -Math.expm1(-H);
    let xNext: Tensor2D = tf.add(
      tf.mul(x, (sigmaNext / sigma) * Math.exp(-etaH)),
      tf.mul(denoised, oneMinusExpH),
    );
    const previous = state.history[0];
    if (previous) {
      const r = Math.log(previous.sigma / sigma) / h;
      const weight = solverType === 'heun' ? 1 - oneMinusExpH / H : 0.5 * oneMinusExpH;
      xNext = tf.add(xNext, tf.mul(tf.sub(denoised, previous.denoised), weight / r));
    }
    return {
      x: addStepNoise(state, xNext, sigmaNext * Math.sqrt(-Math.expm1(-2 * etaH))),
      denoised,
    };
  },
};
