// DEIS (Zhang & Chen 2023), the "ρAB" / diffusers "logrho" variant: in ρ = σ̃ the exponential
// integrator is just x̃_t = x̃_s + ∫_{ρ_s}^{ρ_t} ε̂ dρ, and DEIS approximates ε̂ by the polynomial in
// log ρ through the last `order` values ε̂_j = (x̃_j − D_j)/σ̃_j. Its weights
//   c_j = ∫_{ρ_s}^{ρ_t} ℓ_j(log ρ) dρ = ρ_s ∫_0^{log(ρ_t/ρ_s)} ℓ_j(v) e^v dv,  v = log(ρ/ρ_s),
// are exact integrals of the Lagrange basis (closed form for every order). Order 1 is Euler.
// The order ramps up as history builds; the step onto σ̃ = 0 returns D. 1 NFE per step: N.
import * as tf from '@tensorflow/tfjs-core';
import { integratePolynomialTimesExp, lagrangeBasis } from '../math/lagrange';
import { epsilonOf } from './lambda-math';
import type { SolverAlgorithm } from './loop';

/** c_j for nodes σ̃_s, σ̃_{s−1}, … (current first) over the step σ̃_s → σ̃_t. */
export function deisCoefficients(pastSigmas: readonly number[], sigmaNext: number): number[] {
  const sigma = pastSigmas[0]!;
  const nodes = pastSigmas.map((s) => Math.log(s / sigma));
  const end = Math.log(sigmaNext / sigma);
  return nodes.map((_, j) => sigma * integratePolynomialTimesExp(lagrangeBasis(nodes, j), 0, end));
}

export const deis: SolverAlgorithm = {
  name: 'deis',
  title: 'DEIS (ρAB, log ρ)',
  order: 3,
  maxOrder: 4,
  nfe: 'N',
  params: ['order'],
  defaults: { order: 3 },
  historyLength: 3,
  step(state) {
    const { x, sigma, sigmaNext, history, settings } = state;
    const denoised = state.denoise(x, sigma);
    if (sigmaNext === 0) return { x: denoised, denoised };
    const past = history.slice(0, Math.min(settings.order, state.i + 1) - 1);
    const slopes = [
      epsilonOf(x, denoised, sigma),
      ...past.map((entry) => epsilonOf(entry.x, entry.denoised, entry.sigma)),
    ];
    const weights = deisCoefficients([sigma, ...past.map((entry) => entry.sigma)], sigmaNext);
    const next = slopes.reduce((sum, slope, j) => tf.add(sum, tf.mul(slope, weights[j]!)), x);
    return { x: next, denoised };
  },
};
