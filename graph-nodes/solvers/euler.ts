// Euler on the PF-ODE dx̃/dσ̃ = (x̃ − D)/σ̃ (k-diffusion sample_euler), with optional EDM churn.
// Equivalently x̃' = (σ'/σ)x̃ + (1 − σ'/σ)D: DDIM(η = 0), DPM-Solver-1 and rectified-flow Euler.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { addChurn } from './churn';
import type { SolverAlgorithm } from './loop';

/** d = (x̃ − D)/σ̃, the ODE's slope (= ε̂). */
export function derivative(x: Tensor2D, denoised: Tensor2D, sigma: number): Tensor2D {
  return tf.div(tf.sub(x, denoised), sigma);
}

export const euler: SolverAlgorithm = {
  name: 'euler',
  title: 'Euler',
  order: 1,
  nfe: 'N',
  usesChurn: true,
  historyLength: 0,
  step(state) {
    const { x, sigmaHat } = addChurn(state);
    const denoised = state.denoise(x, sigmaHat);
    // Euler's formula onto σ̃ = 0 is x̂ − (x̂ − D) = D; return D itself rather than that
    // float32 cancellation.
    if (state.sigmaNext === 0) return { x: denoised, denoised };
    const d = derivative(x, denoised, sigmaHat);
    return { x: tf.add(x, tf.mul(d, state.sigmaNext - sigmaHat)), denoised };
  },
};
