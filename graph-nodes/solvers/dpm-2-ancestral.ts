// DPM-Solver-2 ancestral (k-diffusion sample_dpm_2_ancestral): a DPM-2 step down to σ̃_down, then
// fresh noise σ̃_up·z. η = 0 gives dpm_2 without churn.
import { addStepNoise, ancestralStep } from './ancestral';
import { dpm2Step } from './dpm-2';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

export const dpm2Ancestral: SolverAlgorithm = {
  name: 'dpm_2_ancestral',
  title: 'DPM-Solver-2 ancestral',
  order: 2,
  nfe: '2N − 1',
  params: ANCESTRAL_PARAMS,
  defaults: { eta: 1 },
  historyLength: 0,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const { sigmaDown, sigmaUp } = ancestralStep(sigma, sigmaNext, state.settings.eta);
    const xDown = dpm2Step(state, x, sigma, denoised, sigmaDown);
    return { x: addStepNoise(state, xDown, sigmaUp), denoised };
  },
};
