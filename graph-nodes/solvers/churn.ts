// EDM's stochastic churn (Karras et al. 2022, Alg. 2): before a step, raise the noise level from
// σ_i to σ̂ = σ_i(1 + γ) by adding fresh noise, then let the deterministic step remove it again.
// In x̃ = x/α coordinates x̃ = x₀ + σ̃ε for every schedule, so the added noise needs no α.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { StepState } from './loop';
import type { ChurnSettings } from './settings';

/** γ = min(s_churn/N, √2 − 1) when s_tmin ≤ σ ≤ s_tmax, else 0. */
export function churnGamma(churn: ChurnSettings, sigma: number, steps: number): number {
  if (churn.sChurn <= 0 || sigma < churn.sTmin || sigma > churn.sTmax) return 0;
  // √2 − 1 caps σ̂ at √2·σ, i.e. at most doubling the variance (EDM's bound).
  return Math.min(churn.sChurn / steps, Math.SQRT2 - 1);
}

/** x̂ = x + s_noise·√(σ̂² − σ²)·z at σ̂ = σ(1 + γ); returns x unchanged when γ = 0. */
export function addChurn(state: StepState): { x: Tensor2D; sigmaHat: number } {
  const { churn, sNoise } = state.settings;
  const gamma = churnGamma(churn, state.sigma, state.steps);
  if (gamma === 0) return { x: state.x, sigmaHat: state.sigma };
  const sigmaHat = state.sigma * (1 + gamma);
  const [n, dim] = state.x.shape;
  // Independent draws, as k-diffusion's randn: the churn intervals [σ, σ̂] of neighbouring steps
  // overlap, so increments of one Brownian path would be correlated.
  const z = state.noise.fresh(n, dim);
  const scale = sNoise * Math.sqrt(sigmaHat ** 2 - state.sigma ** 2);
  return { x: tf.add(state.x, tf.mul(z, scale)), sigmaHat };
}
