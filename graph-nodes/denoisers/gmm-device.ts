// The exact Gaussian-mixture denoiser as tfjs kernels, for a worker whose backend is a GPU: the
// float32 softmax on the device, and the rows float32 cannot settle recomputed in float64 on the
// CPU (device-softmax.ts). With v_k = s_k² + σ̃², a_k = s_k²/v_k and c the means' mean,
//   ℓ_k = log π_k − (d/2) log v_k − (‖x̃ − c‖² − 2 (x̃ − c)·(μ_k − c) + ‖μ_k − c‖²)/(2v_k)
//   D   = c + Σ_k r_k (1 − a_k)(μ_k − c) + (Σ_k r_k a_k)(x̃ − c)
// one product for the logits and one for D. The part of ‖x̃ − c‖²/(2v_k) shared by all the row's
// logits is left out (the softmax does not see it), so with one std for all components the row's
// norm and its rounding drop out, as in empirical-device.ts. The distances' error is bounded as
// there, ε = (γ_d + 6u)(a + R)² doubled, so each logit is within E = ε·max_k 1/(2v_k).
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
import { LOGIT_CUTOFF } from './empirical-kernel';
import type { CheckedGmm } from './gmm';

/** The level is the total variances v_k at σ̃. */
export type DeviceGmm = DeviceKernel<Float64Array>;

/** One level's per-component numbers, computed on the host from v_k. */
interface Level {
  readonly variances: Float64Array;
  /** log π_k − (d/2) log v_k. */
  readonly bias: Float64Array;
  /** 1/(2v_k). */
  readonly scales: Float64Array;
  /** a_k = s_k²/v_k. */
  readonly shrink: Float64Array;
}

export function createDeviceGmm(
  gmm: CheckedGmm,
  options: { readonly maxLogitsPerPass?: number } = {},
): DeviceGmm {
  const { count, dim, means } = gmm;
  const { centre, centred, normsSq, radius } = centreForDevice(means, count, dim);
  const errorFactor = distanceErrorFactor(dim);
  const data = tf.tidy(() => ({
    centre: tf.keep(tf.tensor1d(centre)),
    centred: tf.keep(tf.tensor2d(centred, [count, dim])),
    normsSq: tf.keep(tf.tensor1d(normsSq)),
  }));
  const counts: CorrectionCounts = { rowsComputed: 0, rowsCorrected: 0 };
  const logits = new Float64Array(count);
  let disposed = false;

  /** Row f of D over the candidate components, in float64 from differences. */
  const exactRow = (
    x: Float32Array,
    f: number,
    candidates: readonly number[],
    variances: Float64Array,
    bias: Float64Array,
    out: Float32Array,
  ): void => {
    let best = -Infinity;
    for (const k of candidates) {
      let squared = 0;
      for (let j = 0; j < dim; j++) squared += (x[f * dim + j]! - means[k * dim + j]!) ** 2;
      logits[k] = bias[k]! - squared / (2 * variances[k]!);
      best = Math.max(best, logits[k]!);
    }
    let total = 0;
    for (const k of candidates) {
      const delta = logits[k]! - best;
      logits[k] = delta < -LOGIT_CUTOFF ? 0 : Math.exp(delta);
      total += logits[k]!;
    }
    for (let j = 0; j < dim; j++) {
      const xj = x[f * dim + j]!;
      let value = 0;
      for (const k of candidates) {
        const mu = means[k * dim + j]!;
        value += logits[k]! * (mu + (gmm.variances[k]! / variances[k]!) * (xj - mu));
      }
      out[f * dim + j] = value / total;
    }
  };

  /** One block of rows: the float32 pass on the device, then its correction. */
  const pass = (x: Tensor2D, { variances, bias, scales, shrink }: Level): Promise<Tensor2D> => {
    const largestScale = scales.reduce((max, s) => Math.max(max, s), 0);
    const smallestScale = scales.reduce((min, s) => Math.min(min, s), Infinity);
    const approximate = tf.tidy(() => {
      const shifted = tf.sub(x, data.centre);
      const shiftedNormsSq = tf.sum(tf.square(shifted), 1, true);
      const products = tf.matMul(shifted, data.centred, false, true);
      // ‖x̃ − c‖²/(2v_k) less its share common to the row's logits, ‖x̃ − c‖²/(2 max_k v_k),
      // which the softmax does not need: all of it when the components share one std.
      const ownShare = tf.mul(
        shiftedNormsSq,
        tf.tensor1d(Float32Array.from(scales, (s) => s - smallestScale)),
      );
      const logits = tf.sub(
        tf.sub(
          tf.tensor1d(Float32Array.from(bias)),
          tf.mul(tf.sub(data.normsSq, tf.mul(products, 2)), tf.tensor1d(Float32Array.from(scales))),
        ),
        ownShare,
      ) as Tensor2D;
      const weights = tf.exp(tf.sub(logits, tf.max(logits, 1, true)));
      const responsibilities = tf.div(weights, tf.sum(weights, 1, true));
      const toMeans = tf.mul(
        responsibilities,
        tf.tensor1d(Float32Array.from(shrink, (a) => 1 - a)),
      );
      const toSelf = tf.sum(
        tf.mul(responsibilities, tf.tensor1d(Float32Array.from(shrink))),
        1,
        true,
      );
      const denoised = tf.add(
        tf.add(tf.matMul(toMeans, data.centred), tf.mul(toSelf, shifted)),
        data.centre,
      );
      const logitError = tf.mul(
        tf.square(tf.add(tf.sqrt(shiftedNormsSq), radius)),
        errorFactor * largestScale,
      );
      return { denoised: denoised as Tensor2D, logits, logitError: logitError as Tensor2D };
    });
    return correctOnDevice(
      x,
      approximate,
      (rows, f, candidates, out) => exactRow(rows, f, candidates, variances, bias, out),
      counts,
    );
  };

  return {
    counts,
    async denoise(x, variances) {
      if (disposed) throw new Error('GMM denoiser: its device kernel was used after dispose()');
      const level: Level = {
        variances,
        bias: variances.map((v, k) => gmm.logWeights[k]! - 0.5 * dim * Math.log(v)),
        scales: variances.map((v) => 1 / (2 * v)),
        shrink: variances.map((v, k) => gmm.variances[k]! / v),
      };
      return inRowBlocks(x, count, (block) => pass(block, level), options.maxLogitsPerPass);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(Object.values(data));
    },
  };
}
