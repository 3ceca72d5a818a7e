// The exact empirical denoiser as tfjs kernels, for a worker whose backend is a GPU (WebGL or
// WebGPU): the state stays on the device, and only the rows that float32 cannot settle come back.
//
//   ‖x̃ − y_j‖² = ‖x̃ − c‖² − 2 (x̃ − c)·(y_j − c) + ‖y_j − c‖²        (c: the data's mean)
//   ℓ_j = log w_j − ‖x̃ − y_j‖²/(2σ̃²),   r = softmax(ℓ),   D = c + Σ_j r_j (y_j − c)
//
// is two matrix products and a log-sum-exp, all in float32 on the backend. Centring on the mean
// keeps the products, and their rounding, as small as the data's spread allows; c is rounded to
// float32 first, so x̃ − c and y_j − c are shifted by the same vector.
//
// Where float32 is not enough (the argument of empirical-dense.ts, with float32 everywhere). Let
// a = ‖x̃ − c‖ and R = max_j ‖y_j − c‖. The product's error is at most γ_d·2aR (Higham §3.1,
// γ_d = d·u/(1 − d·u), u = 2⁻²⁴); the points' norms' is γ_d R² (rounded once more on upload,
// u R²); centring rounds each coordinate of x̃ − c and y_j − c once, moving the distance by at most
// u(a + R) and its square by 2u(a + R)²; the subtraction and the scaling add a few u(a + R)². In
// all, every approximate squared distance of the row is within
//   ε = (γ_d + 6u)(a + R)²,
// which the kernel doubles against the float32 evaluation of a itself. The kernel leaves out the
// row's own ‖x̃ − c‖²: it shifts every logit of the row alike, so neither the weights nor the test
// below depend on it, and left out, its rounding (which dwarfs the rest at large σ̃) is gone too.
// With E = ε/(2σ̃²) and L̂ the row's largest approximate logit, a point with
// ℓ̂_j < L̂ − 2E − LOGIT_CUTOFF carries a weight below e^−40 of the largest (the cut every kernel
// makes), so the row's candidates are the others. A row is corrected when it has between 2 and
// MAX_EXACT_CANDIDATES candidates and E is not negligible: its candidates (the top
// MAX_EXACT_CANDIDATES of its logits, cut at that floor) and its x̃ are read back, the row is
// recomputed from float64 differences (empirical-exact-rows.ts) and written over the float32 one
// on the device. That is where σ̃ is small and a few close points share the weight: float32's
// rounding would pick the split between them. A row with one candidate is that point (as float32
// rounds it); a row with many is float32's own softmax, its weights off by at most a factor
// e^{±2E}, as in the dense kernel.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import { createExactRows } from './empirical-exact-rows';
import { MAX_EXACT_CANDIDATES } from './empirical-dense';
import { LOGIT_CUTOFF } from './empirical-kernel';

const UNIT_ROUNDOFF = 2 ** -24;

/** Below this E (the logits' error bound) float32's weights are float32's own rounding. */
const NEGLIGIBLE_LOGIT_ERROR = 1e-7;

export interface DeviceEmpirical {
  /** D(x̃; σ̃) for x̃ [rows, dim] on the backend; a new tensor on the backend. */
  denoise(x: Tensor2D, sigma: number): Promise<Tensor2D>;
  /** Rows computed, and rows of them recomputed exactly on the CPU, so far. */
  readonly rowsComputed: number;
  readonly rowsCorrected: number;
  /** Frees the data's copy on the backend. */
  dispose(): void;
}

interface Approximate {
  readonly denoised: Tensor2D;
  readonly logits: Tensor2D;
  /** Each row's floor, L̂ − 2E − LOGIT_CUTOFF. */
  readonly floor: Tensor1D;
  /** 1 where the row needs its exact correction, else 0. */
  readonly needsCorrection: Tensor1D;
}

export function createDeviceEmpirical(
  points: ArrayLike<number>,
  count: number,
  dim: number,
  logWeights: Float64Array,
): DeviceEmpirical {
  const mean = new Float64Array(dim);
  for (let j = 0; j < count; j++) {
    for (let k = 0; k < dim; k++) mean[k]! += points[j * dim + k]! / count;
  }
  const centre = Float32Array.from(mean);
  const centred = new Float32Array(count * dim);
  const centredNormsSq = new Float32Array(count);
  let radius = 0;
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let k = 0; k < dim; k++) {
      const value = Math.fround(points[j * dim + k]! - centre[k]!);
      centred[j * dim + k] = value;
      sum += value * value;
    }
    centredNormsSq[j] = sum;
    radius = Math.max(radius, Math.sqrt(sum));
  }
  const gammaD = (dim * UNIT_ROUNDOFF) / (1 - dim * UNIT_ROUNDOFF);
  const errorFactor = 2 * (gammaD + 6 * UNIT_ROUNDOFF);
  const exact = createExactRows(points, count, dim, logWeights);
  const top = Math.min(count, MAX_EXACT_CANDIDATES);
  const data = tf.tidy(() => ({
    centre: tf.keep(tf.tensor1d(centre)),
    centred: tf.keep(tf.tensor2d(centred, [count, dim])),
    normsSq: tf.keep(tf.tensor1d(centredNormsSq)),
    logWeights: tf.keep(tf.tensor1d(Float32Array.from(logWeights))),
  }));
  let disposed = false;
  let rowsComputed = 0;
  let rowsCorrected = 0;

  /** The float32 result and what deciding its correction needs, all on the backend. */
  const approximate = (x: Tensor2D, sigma: number): Approximate =>
    tf.tidy(() => {
      const scale = 1 / (2 * sigma * sigma);
      const shifted = tf.sub(x, data.centre);
      const shiftedNormsSq = tf.sum(tf.square(shifted), 1, true);
      const products = tf.matMul(shifted, data.centred, false, true);
      // Without the row's ‖x̃ − c‖² (see the top of the file).
      const squared = tf.sub(data.normsSq, tf.mul(products, 2));
      const logits = tf.sub(data.logWeights, tf.mul(squared, scale)) as Tensor2D;
      const best = tf.max(logits, 1, true);
      const weights = tf.exp(tf.sub(logits, best));
      const responsibilities = tf.div(weights, tf.sum(weights, 1, true));
      const denoised = tf.add(tf.matMul(responsibilities, data.centred), data.centre) as Tensor2D;

      const logitError = tf.mul(
        tf.square(tf.add(tf.sqrt(shiftedNormsSq), radius)),
        errorFactor * scale,
      );
      const floor = tf.sub(tf.sub(best, tf.mul(logitError, 2)), LOGIT_CUTOFF);
      const candidates = tf.sum(tf.cast(tf.greaterEqual(logits, floor), 'float32'), 1, true);
      const needsCorrection = tf.cast(
        tf.logicalAnd(
          tf.logicalAnd(tf.greaterEqual(candidates, 2), tf.lessEqual(candidates, top)),
          tf.greater(logitError, NEGLIGIBLE_LOGIT_ERROR),
        ),
        'float32',
      );
      return {
        denoised,
        logits,
        floor: tf.reshape(floor, [-1]) as Tensor1D,
        needsCorrection: tf.reshape(needsCorrection, [-1]) as Tensor1D,
      };
    });

  /** The flagged rows recomputed exactly on the CPU, written over `denoised` (which it frees). */
  const correct = async (
    x: Tensor2D,
    sigma: number,
    { denoised, logits, floor }: Approximate,
    rows: Int32Array,
  ): Promise<Tensor2D> => {
    const index = tf.tensor1d(rows, 'int32');
    const picked = tf.tidy(() => {
      const { values, indices } = tf.topk(tf.gather(logits, index), top);
      return { values, indices, floor: tf.gather(floor, index), x: tf.gather(x, index) };
    });
    try {
      const [values, indices, floors, xRows] = await Promise.all([
        picked.values.data(),
        picked.indices.data(),
        picked.floor.data(),
        picked.x.data(),
      ]);
      const scale = 1 / (2 * sigma * sigma);
      const corrected = new Float32Array(rows.length * dim);
      const candidates: number[] = [];
      for (let f = 0; f < rows.length; f++) {
        candidates.length = 0;
        for (let c = 0; c < top; c++) {
          if (values[f * top + c]! >= floors[f]!) candidates.push(indices[f * top + c]!);
        }
        exact.exactRow(xRows, f, candidates, scale, corrected);
      }
      return tf.tidy(() => {
        const at = tf.expandDims(index, 1);
        const [n] = denoised.shape;
        const replaced = tf.reshape(tf.scatterND(at, tf.ones([rows.length]), [n]), [n, 1]);
        const written = tf.scatterND(at, tf.tensor2d(corrected, [rows.length, dim]), [n, dim]);
        return tf.add(tf.mul(denoised, tf.sub(1, replaced)), written) as Tensor2D;
      });
    } finally {
      tf.dispose([index, picked.values, picked.indices, picked.floor, picked.x, denoised]);
    }
  };

  return {
    get rowsComputed() {
      return rowsComputed;
    },
    get rowsCorrected() {
      return rowsCorrected;
    },
    async denoise(x, sigma) {
      if (disposed)
        throw new Error('empirical denoiser: its device kernel was used after dispose()');
      const result = approximate(x, sigma);
      try {
        const flags = await result.needsCorrection.data();
        rowsComputed += flags.length;
        const rows: number[] = [];
        flags.forEach((flag, i) => {
          if (flag) rows.push(i);
        });
        if (rows.length === 0) return result.denoised;
        rowsCorrected += rows.length;
        return await correct(x, sigma, result, Int32Array.from(rows));
      } catch (error) {
        result.denoised.dispose();
        throw error;
      } finally {
        tf.dispose([result.logits, result.floor, result.needsCorrection]);
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      tf.dispose(Object.values(data));
    },
  };
}
