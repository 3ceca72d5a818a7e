// Linear multistep (k-diffusion sample_lms): Adams–Bashforth on dx̃/dσ̃ = d with variable steps,
//   x̃' = x̃ + Σ_{j<m} c_j d_{i−j},   c_j = ∫_{σ̃_i}^{σ̃_{i+1}} ℓ_j(τ) dτ,
// ℓ_j the Lagrange basis on the last m = min(i + 1, order) noise levels. ℓ_j is a polynomial of
// degree < 4, integrated here in closed form (k-diffusion uses scipy's quad, exact for it too).
// Like k-diffusion, the last step is the multistep formula onto σ̃ = 0, not a plain return of D.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { derivative } from './euler';
import type { SolverAlgorithm } from './loop';

/** Coefficients (constant term first) of Π_k (u − roots_k). */
function polynomialFromRoots(roots: readonly number[]): number[] {
  let coefficients = [1];
  for (const root of roots) {
    const next = new Array<number>(coefficients.length + 1).fill(0);
    coefficients.forEach((c, p) => {
      next[p + 1]! += c;
      next[p]! -= root * c;
    });
    coefficients = next;
  }
  return coefficients;
}

/**
 * c_j = ∫_{σ_i}^{σ_{i+1}} ℓ_j, for nodes = [σ_i, σ_{i−1}, …] (most recent first). Shifted to
 * u = τ − σ_i so the integral runs over [0, σ_{i+1} − σ_i].
 */
export function lmsCoefficients(nodes: readonly number[], sigmaNext: number): number[] {
  const origin = nodes[0]!;
  const shifted = nodes.map((sigma) => sigma - origin);
  const end = sigmaNext - origin;
  return shifted.map((uj, j) => {
    const others = shifted.filter((_, k) => k !== j);
    const denominator = others.reduce((product, uk) => product * (uj - uk), 1);
    const integral = polynomialFromRoots(others).reduce(
      (total, c, p) => total + (c * end ** (p + 1)) / (p + 1),
      0,
    );
    return integral / denominator;
  });
}

export const lms: SolverAlgorithm = {
  name: 'lms',
  title: 'Linear multistep',
  order: 4,
  maxOrder: 4,
  nfe: 'N',
  params: ['order'],
  defaults: { order: 4 },
  historyLength: 3,
  step(state) {
    const { x, sigma, sigmaNext } = state;
    const denoised = state.denoise(x, sigma);
    const past = state.history.slice(0, state.settings.order - 1);
    const slopes: Tensor2D[] = [
      derivative(x, denoised, sigma),
      ...past.map((entry) => derivative(entry.x, entry.denoised, entry.sigma)),
    ];
    const nodes = [sigma, ...past.map((entry) => entry.sigma)];
    const coefficients = lmsCoefficients(nodes, sigmaNext);
    const increment = tf.addN(slopes.map((d, j) => tf.mul(d, coefficients[j]!)));
    return { x: tf.add(x, increment), denoised };
  },
};
