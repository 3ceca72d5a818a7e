// DPM-Solver++ (stochastic), k-diffusion sample_dpmpp_sde: a two-stage DPM-Solver++ step in
// λ = −log σ̃ with an intermediate level s = λ + r·h, and an ancestral split (η) at both stages,
// the noise taken from the Brownian path over [σ̃_i, σ̃_s] and [σ̃_i, σ̃_{i+1}]. With η = 0 it is
// the deterministic DPM-Solver++(2S) (second order). 2 NFE per step, 1 for the step onto σ̃ = 0
// (which returns D), so 2N − 1.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { ancestralStep } from './ancestral';
import { lambdaOf, sigmaOf } from './lambda-math';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

/** x̃ at σ̃_to = (σ̃_to/σ̃)x̃ − (e^{λ−λ_to} − 1)·D, the exact solution for a constant D. */
function dataPredictionStep(
  x: Tensor2D,
  sigma: number,
  sigmaTo: number,
  denoised: Tensor2D,
): Tensor2D {
  const h = lambdaOf(sigmaTo) - lambdaOf(sigma);
  return tf.sub(tf.mul(x, sigmaTo / sigma), tf.mul(denoised, Math.expm1(-h)));
}

export const dpmppSde: SolverAlgorithm = {
  name: 'dpmpp_sde',
  title: 'DPM++ SDE',
  order: 2,
  nfe: '2N − 1',
  params: [...ANCESTRAL_PARAMS, 'r'],
  defaults: { eta: 1, r: 0.5 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext, settings } = state;
    const { eta, r, sNoise } = settings;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const [n, dim] = x.shape;
    const addNoise = (value: Tensor2D, sigmaTo: number, sigmaUp: number): Tensor2D =>
      sigmaUp > 0
        ? tf.add(value, tf.mul(state.noise.sample(n, dim, sigma, sigmaTo), sNoise * sigmaUp))
        : value;

    const lambda = lambdaOf(sigma);
    const sigmaMid = sigmaOf(lambda + r * (lambdaOf(sigmaNext) - lambda));
    const stage1 = ancestralStep(sigma, sigmaMid, eta);
    const xMid = addNoise(
      dataPredictionStep(x, sigma, stage1.sigmaDown, denoised),
      sigmaMid,
      stage1.sigmaUp,
    );
    const denoisedMid = state.denoise(xMid, sigmaMid);

    // (1 − 1/(2r))D + (1/(2r))D_s makes the step second order (DPM-Solver++(2S)).
    const weight = 1 / (2 * r);
    const denoisedCombined: Tensor2D = tf.add(
      tf.mul(denoised, 1 - weight),
      tf.mul(denoisedMid, weight),
    );
    const stage2 = ancestralStep(sigma, sigmaNext, eta);
    const next = addNoise(
      dataPredictionStep(x, sigma, stage2.sigmaDown, denoisedCombined),
      sigmaNext,
      stage2.sigmaUp,
    );
    return { x: next, denoised };
  },
};
