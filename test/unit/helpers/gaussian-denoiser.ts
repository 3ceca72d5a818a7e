// The exact denoiser of Gaussian data N(μ, diag(s²)) in σ̃ form, the closed-form oracle several
// tests check solvers and flow maps against: D(x̃, σ̃) = μ + s²/(s² + σ̃²)·(x̃ − μ), per axis.
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser } from '../../../graph-nodes/core/values';

export function gaussianDenoiser(mean: readonly number[], std: readonly number[]): Denoiser {
  if (mean.length !== std.length) throw new Error('mean and std need one entry per axis');
  return {
    dim: mean.length,
    denoise: (x, sigma) =>
      tf.tidy(() => {
        const mu = tf.tensor2d([[...mean]]);
        const shrink = tf.tensor2d([std.map((s) => (s * s) / (s * s + sigma * sigma))]);
        return tf.add(mu, tf.mul(tf.sub(x, mu), shrink));
      }),
    dispose: () => {},
  };
}
