// The exact empirical denoiser as tfjs kernels, for a worker whose backend is a GPU (WebGL or
// WebGPU): the particles stay on the device, and only the rows that float32 cannot settle come
// back (device-softmax.ts).
//
//   ‖x̃ − y_j‖² = ‖x̃ − c‖² − 2 (x̃ − c)·(y_j − c) + ‖y_j − c‖²        (c: the data's mean)
//   ℓ_j = log w_j − ‖x̃ − y_j‖²/(2σ̃²),   r = softmax(ℓ),   D = c + Σ_j r_j (y_j − c)
//
// is two matrix products and a log-sum-exp, all in float32 on the backend. Centring on the mean
// keeps the products, and their rounding, as small as the data's spread allows; c is rounded to
// float32 first, so x̃ − c and y_j − c are shifted by the same vector. The row's own ‖x̃ − c‖² shifts
// all its logits alike, so it is left out, and its rounding (which dwarfs the rest at large σ̃)
// with it.
//
// The logits' error. Let a = ‖x̃ − c‖ and R = max_j ‖y_j − c‖. The product's error is at most
// γ_d·2aR (Higham §3.1, γ_d = d·u/(1 − d·u), u = 2⁻²⁴); the points' norms' γ_d R² (rounded once
// more on upload, u R²); centring rounds each coordinate of x̃ − c and y_j − c once, moving a
// distance by at most u(a + R) and its square by 2u(a + R)²; the subtraction and the scaling add a
// few u(a + R)². In all every squared distance of the row is within ε = (γ_d + 6u)(a + R)², doubled
// against the float32 evaluation of a itself, and every logit within E = ε/(2σ̃²).
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import {
  centreForDevice,
  correctOnDevice,
  distanceErrorFactor,
  inRowBlocks,
  type CorrectionCounts,
  type DeviceKernel,
} from './device-softmax';
import { createExactRows } from './empirical-exact-rows';

/** The level is σ̃. */
export type DeviceEmpirical = DeviceKernel<number>;

export function createDeviceEmpirical(
  points: ArrayLike<number>,
  count: number,
  dim: number,
  logWeights: Float64Array,
  options: { readonly maxLogitsPerPass?: number } = {},
): DeviceEmpirical {
  const { centre, centred, normsSq, radius } = centreForDevice(points, count, dim);
  const errorFactor = distanceErrorFactor(dim);
  const exact = createExactRows(points, count, dim, logWeights);
  const data = tf.tidy(() => ({
    centre: tf.keep(tf.tensor1d(centre)),
    centred: tf.keep(tf.tensor2d(centred, [count, dim])),
    normsSq: tf.keep(tf.tensor1d(normsSq)),
    logWeights: tf.keep(tf.tensor1d(Float32Array.from(logWeights))),
  }));
  const counts: CorrectionCounts = { rowsComputed: 0, rowsCorrected: 0 };
  let disposed = false;

  /** One block of rows: the float32 pass on the device, then its correction. */
  const pass = (x: Tensor2D, scale: number): Promise<Tensor2D> => {
    const approximate = tf.tidy(() => {
      const shifted = tf.sub(x, data.centre);
      const shiftedNormsSq = tf.sum(tf.square(shifted), 1, true);
      const products = tf.matMul(shifted, data.centred, false, true);
      const squared = tf.sub(data.normsSq, tf.mul(products, 2));
      const logits = tf.sub(data.logWeights, tf.mul(squared, scale)) as Tensor2D;
      const weights = tf.exp(tf.sub(logits, tf.max(logits, 1, true)));
      const responsibilities = tf.div(weights, tf.sum(weights, 1, true));
      const denoised = tf.add(tf.matMul(responsibilities, data.centred), data.centre);
      const logitError = tf.mul(
        tf.square(tf.add(tf.sqrt(shiftedNormsSq), radius)),
        errorFactor * scale,
      );
      return { denoised: denoised as Tensor2D, logits, logitError: logitError as Tensor2D };
    });
    return correctOnDevice(
      x,
      approximate,
      (rows, f, candidates, out) => exact.exactRow(rows, f, candidates, scale, out),
      counts,
    );
  };

  return {
    counts,
    async denoise(x, sigma) {
      if (disposed)
        throw new Error('empirical denoiser: its device kernel was used after dispose()');
      const scale = 1 / (2 * sigma * sigma);
      return inRowBlocks(x, count, (block) => pass(block, scale), options.maxLogitsPerPass);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(Object.values(data));
    },
  };
}
