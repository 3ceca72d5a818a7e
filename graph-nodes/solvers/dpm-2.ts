// DPM-Solver-2 in k-diffusion's form (sample_dpm_2): an Euler half-step to the geometric midpoint
// σ̃_m = √(σ̂ σ̃_{i+1}), then the full step with the slope there. Second order, with EDM churn;
// the step onto σ̃ = 0 is Euler (= D), so N steps cost 2N − 1.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addChurn } from './churn';
import { derivative } from './euler';
import type { SolverAlgorithm, StepState } from './loop';

/** x̃ + (σ̃_to − σ̃)·d(x̃₂, σ̃_m), with x̃₂ the Euler step to σ̃_m = √(σ̃·σ̃_to). */
export function dpm2Step(
  state: StepState,
  x: Tensor2D,
  sigma: number,
  denoised: Tensor2D,
  sigmaTo: number,
): Tensor2D {
  const d = derivative(x, denoised, sigma);
  const sigmaMid = Math.exp((Math.log(sigma) + Math.log(sigmaTo)) / 2);
  const xMid: Tensor2D = tf.add(x, tf.mul(d, sigmaMid - sigma));
  const dMid = derivative(xMid, state.denoise(xMid, sigmaMid), sigmaMid);
  return tf.add(x, tf.mul(dMid, sigmaTo - sigma));
}

export const dpm2: SolverAlgorithm = {
  name: 'dpm_2',
  title: 'DPM-Solver-2',
  order: 2,
  nfe: '2N − 1',
  usesChurn: true,
  historyLength: 0,
  step(state) {
    const { x, sigmaHat } = addChurn(state);
    const denoised = state.denoise(x, sigmaHat);
    if (state.sigmaNext === 0) return { x: denoised, denoised };
    return { x: dpm2Step(state, x, sigmaHat, denoised, state.sigmaNext), denoised };
  },
};
