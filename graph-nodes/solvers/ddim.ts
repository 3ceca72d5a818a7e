// DDIM (Song et al. 2020; diffusers DDIMScheduler) written in x = α x̃ with the schedule's true α:
//   x_{t'} = α' x̂₀ + √(σ'² − σ_η²)·ε̂ + σ_η z,   σ_η = η σ' √(1 − (α σ')²/(α' σ)²),
// with x̂₀ = D and ε̂ = (x − α D)/σ, then x̃' = x_{t'}/α'. Dividing through by α' gives
// euler_ancestral(η) in σ̃ term for term (see ancestral.ts); the tests hold the two to each other.
import * as tf from '@tensorflow/tfjs-core';
import { addStepNoise } from './ancestral';
import type { SolverAlgorithm } from './loop';
import { ANCESTRAL_PARAMS } from './settings';

export const ddim: SolverAlgorithm = {
  name: 'ddim',
  title: 'DDIM',
  order: 1,
  nfe: 'N',
  params: ANCESTRAL_PARAMS,
  defaults: { eta: 0 },
  historyLength: 0,
  step(state) {
    const { x: xTilde, sigma: sigmaTilde, sigmaNext: sigmaTildeNext, i } = state;
    const denoised = state.denoise(xTilde, sigmaTilde);
    if (sigmaTildeNext === 0) return { x: denoised, denoised };
    const alpha = state.alphas[i]!;
    const alphaNext = state.alphas[i + 1]!;
    const sigma = alpha * sigmaTilde;
    const sigmaNext = alphaNext * sigmaTildeNext;
    const x = tf.mul(xTilde, alpha);
    const eps = tf.div(tf.sub(x, tf.mul(denoised, alpha)), sigma);
    const ratio = (alpha * sigmaNext) / (alphaNext * sigma);
    const sigmaEta = Math.min(
      sigmaNext,
      state.settings.eta * sigmaNext * Math.sqrt(1 - ratio ** 2),
    );
    const xNext = tf.add(
      tf.mul(denoised, alphaNext),
      tf.mul(eps, Math.sqrt(sigmaNext ** 2 - sigmaEta ** 2)),
    );
    // The noise is drawn per unit of x̃ (the Brownian path lives in σ̃): σ_η z in x is σ_η/α' in x̃.
    return { x: addStepNoise(state, tf.div(xNext, alphaNext), sigmaEta / alphaNext), denoised };
  },
};
