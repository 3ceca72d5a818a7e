// The closed-form flow map of Gaussian data N(μ, diag(s²)) (reference §7): in scaled coordinates
// C(σ̃) = Σ + σ̃² I, and the PF-ODE carries x̃ at σ̃ to
//   Ψ_{σ̃→σ̃'}(x̃) = μ + C(σ̃')^{1/2} C(σ̃)^{−1/2} (x̃ − μ),
// per axis μ_k + √((s_k² + σ̃'²)/(s_k² + σ̃²)) (x̃_k − μ_k). Exact for every pair of levels, σ̃' = 0
// included: the test oracle for every other flow map.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { FlowMap } from '../core/values';

export function createGaussianFlowMap(mean: readonly number[], std: readonly number[]): FlowMap {
  if (mean.length === 0 || mean.length !== std.length) {
    throw new Error(
      `the mean has ${mean.length} entries and the std ${std.length}; give one of each per axis`,
    );
  }
  std.forEach((s, k) => {
    if (!(s >= 0) || !Number.isFinite(s)) throw new Error(`std[${k}] = ${s}; it must be ≥ 0`);
  });
  const dim = mean.length;
  const mu = tf.tensor2d([...mean], [1, dim]);
  return {
    dim,
    async map(xTilde: Tensor2D, sigmaFrom: number, sigmaTo: number, countNfe) {
      checkLevels(sigmaFrom, sigmaTo);
      // One evaluation of the closed form counts as one, like a learned map's network call.
      countNfe?.(1);
      const factors = std.map((s) =>
        Math.sqrt((s * s + sigmaTo * sigmaTo) / (s * s + sigmaFrom * sigmaFrom)),
      );
      return tf.tidy((): Tensor2D =>
        tf.add(mu, tf.mul(tf.sub(xTilde, mu), tf.tensor2d(factors, [1, dim]))),
      );
    },
    dispose() {
      mu.dispose();
    },
  };
}

/** A flow map goes down in noise: σ̃_from > 0 and 0 ≤ σ̃_to ≤ σ̃_from. */
export function checkLevels(sigmaFrom: number, sigmaTo: number): void {
  if (!(sigmaFrom > 0) || !Number.isFinite(sigmaFrom)) {
    throw new Error(`a flow map starts at a finite σ̃ > 0 (got ${sigmaFrom})`);
  }
  if (!(sigmaTo >= 0) || !(sigmaTo <= sigmaFrom)) {
    throw new Error(
      `a flow map goes from σ̃ = ${sigmaFrom} down to a level in [0, ${sigmaFrom}] (got ${sigmaTo})`,
    );
  }
}
