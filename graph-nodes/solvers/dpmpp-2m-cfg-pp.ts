// DPM-Solver++(2M) with CFG++ (ComfyUI sample_dpmpp_2m_cfg_pp). In λ = −log σ̃, h = λ' − λ and
// r = h_{i−1}/h, the guided D_λ sets the data estimate and the unconditional D_u the re-noising,
// as in euler_cfg_pp, plus the 2M correction from the previous step's D_u:
//   x̃' = D_λ + e^{−h}(x̃ − D_u) − ((e^{−h} − 1)/(2r))·(D_λ − D_u,prev)
// The first step drops the correction, and the step onto σ̃ = 0 returns D_λ. When D_c = D_u this
// is exactly dpmpp_2m.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { unconditionalDenoiser } from './euler-cfg-pp';
import type { SolverAlgorithm } from './loop';

export const dpmpp2mCfgPp: SolverAlgorithm = {
  name: 'dpmpp_2m_cfg_pp',
  title: 'DPM-Solver++(2M) (CFG++)',
  order: 2,
  nfe: 'N',
  historyLength: 1,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const unconditional = unconditionalDenoiser(state, 'dpmpp_2m_cfg_pp');
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const denoisedUnconditional = unconditional.denoise(x, sigma);
    const h = Math.log(sigma / sigmaNext);
    const firstOrder: Tensor2D = tf.add(
      denoised,
      tf.mul(tf.sub(x, denoisedUnconditional), sigmaNext / sigma),
    );
    const previous = state.history[0];
    if (!previous) return { x: firstOrder, denoised };
    const r = Math.log(previous.sigma / sigma) / h;
    // The loop keeps the previous guided D only; its D_u is evaluated again at the same point.
    const previousUnconditional = unconditional.denoise(previous.x, previous.sigma);
    const correction = tf.mul(tf.sub(denoised, previousUnconditional), Math.expm1(-h) / (2 * r));
    return { x: tf.sub(firstOrder, correction), denoised };
  },
};
