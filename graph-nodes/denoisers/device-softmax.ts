// The correction step shared by the exact denoisers that run as tfjs kernels on a GPU backend
// (empirical-device.ts, gmm-device.ts). Each computes, in float32 on the device, the logits ℓ̂ of
// its softmax (any offset shared by a row's logits allowed), a bound E on each row's logit error,
// and D from them. Let L̂ be a row's largest approximate logit: a point or component with
// ℓ̂_j < L̂ − 2E − LOGIT_CUTOFF carries a weight below e^−40 of the largest (the cut every kernel
// makes), so the row's candidates are the others. A row is recomputed exactly when it has between
// 2 and MAX_EXACT_CANDIDATES candidates and E is not negligible: there a few terms share the
// weight, and float32's rounding would pick the split between them. Its candidates (the top
// MAX_EXACT_CANDIDATES logits, cut at that floor) and its x̃ are read back, the row is recomputed
// in float64 on the CPU and written over the float32 one on the device. A row with one candidate
// is that term (as float32 rounds it); a row with many keeps float32's softmax, its weights off by
// at most a factor e^{±2E}. Only the flags, one number a row, come back for every call.
// Beside it, what both kernels share: their data centred for the products, the factor of their
// distances' error bound, and the blocks of rows a large call goes through.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { LOGIT_CUTOFF, MAX_EXACT_CANDIDATES } from './empirical-kernel';

/** Below this logit error bound float32's weights are float32's own rounding. */
const NEGLIGIBLE_LOGIT_ERROR = 1e-7;

const UNIT_ROUNDOFF = 2 ** -24;

/**
 * Rows × terms of logits one pass computes at most: 2²² float32s, 16 MiB a tensor, and a pass
 * holds a handful of tensors that size. Larger calls (20 000 particles against 1 000 points) go
 * through in blocks of rows, each with its own read-back, so a GPU's memory is not the limit.
 */
export const MAX_LOGITS_PER_PASS = 2 ** 22;

/** `pass` over blocks of x̃'s rows with at most `maxLogits` logits each; the results stacked. */
export async function inRowBlocks(
  x: Tensor2D,
  terms: number,
  pass: (block: Tensor2D) => Promise<Tensor2D>,
  maxLogits = MAX_LOGITS_PER_PASS,
): Promise<Tensor2D> {
  const [rows] = x.shape;
  const blockRows = Math.max(1, Math.floor(maxLogits / terms));
  if (rows <= blockRows) return pass(x);
  const results: Tensor2D[] = [];
  try {
    for (let start = 0; start < rows; start += blockRows) {
      const block = tf.slice(x, [start, 0], [Math.min(blockRows, rows - start), -1]);
      try {
        results.push(await pass(block));
      } finally {
        block.dispose();
      }
    }
    return tf.concat(results, 0);
  } finally {
    tf.dispose(results);
  }
}

/** Points (or means) centred on their mean, in float32, for the device kernels' products. */
export interface CentredPoints {
  /** The mean, rounded to float32 first, so x̃ − c and y_j − c are shifted by the same vector. */
  readonly centre: Float32Array;
  /** y_j − c, [count, dim]. */
  readonly centred: Float32Array;
  /** ‖y_j − c‖². */
  readonly normsSq: Float32Array;
  /** R = max_j ‖y_j − c‖. */
  readonly radius: number;
}

export function centreForDevice(
  points: ArrayLike<number>,
  count: number,
  dim: number,
): CentredPoints {
  const mean = new Float64Array(dim);
  for (let j = 0; j < count; j++) {
    for (let k = 0; k < dim; k++) mean[k]! += points[j * dim + k]! / count;
  }
  const centre = Float32Array.from(mean);
  const centred = new Float32Array(count * dim);
  const normsSq = new Float32Array(count);
  let radius = 0;
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let k = 0; k < dim; k++) {
      const value = Math.fround(points[j * dim + k]! - centre[k]!);
      centred[j * dim + k] = value;
      sum += value * value;
    }
    normsSq[j] = sum;
    radius = Math.max(radius, Math.sqrt(sum));
  }
  return { centre, centred, normsSq, radius };
}

/**
 * The factor f with every float32 squared distance of a row within f·(a + R)² (a = ‖x̃ − c‖):
 * 2(γ_d + 6u), the bound derived in empirical-device.ts doubled against a's own rounding.
 */
export function distanceErrorFactor(dim: number): number {
  const gammaD = (dim * UNIT_ROUNDOFF) / (1 - dim * UNIT_ROUNDOFF);
  return 2 * (gammaD + 6 * UNIT_ROUNDOFF);
}

/** A float32 result on the device, and what deciding its correction needs. */
export interface ApproximateSoftmax {
  /** D [n, dim]. */
  readonly denoised: Tensor2D;
  /** ℓ̂ [n, terms]. */
  readonly logits: Tensor2D;
  /** E per row, [n, 1]. */
  readonly logitError: Tensor2D;
}

/**
 * Writes row f of the corrected D (row-major in `out`) for the query row f of `x`, computed in
 * float64 over the candidate terms.
 */
export type ExactRow = (
  x: Float32Array,
  f: number,
  candidates: readonly number[],
  out: Float32Array,
) => void;

/** A denoiser's device kernel: D for x̃ on the backend at a noise level given as `L`. */
export interface DeviceKernel<L> {
  /** Rows computed, and rows of them recomputed on the CPU, so far. */
  readonly counts: Readonly<CorrectionCounts>;
  /** D for x̃ [rows, dim] on the backend; a new tensor on the backend. */
  denoise(x: Tensor2D, level: L): Promise<Tensor2D>;
  /** Frees the data's copy on the backend. */
  dispose(): void;
}

/** Rows settled by each call so far, and rows of them recomputed on the CPU. */
export interface CorrectionCounts {
  rowsComputed: number;
  rowsCorrected: number;
}

/**
 * D with the rows that need it recomputed by `exactRow`; a new tensor. Frees `approximate`'s
 * tensors; `x` stays the caller's.
 */
export async function correctOnDevice(
  x: Tensor2D,
  approximate: ApproximateSoftmax,
  exactRow: ExactRow,
  counts: CorrectionCounts,
): Promise<Tensor2D> {
  const { denoised, logits, logitError } = approximate;
  const [n, dim] = denoised.shape;
  const top = Math.min(logits.shape[1], MAX_EXACT_CANDIDATES);
  const decided = tf.tidy(() => {
    const best = tf.max(logits, 1, true);
    const floor = tf.sub(tf.sub(best, tf.mul(logitError, 2)), LOGIT_CUTOFF);
    const candidates = tf.sum(tf.cast(tf.greaterEqual(logits, floor), 'float32'), 1, true);
    const flags = tf.logicalAnd(
      tf.logicalAnd(tf.greaterEqual(candidates, 2), tf.lessEqual(candidates, top)),
      tf.greater(logitError, NEGLIGIBLE_LOGIT_ERROR),
    );
    return { floor: tf.reshape(floor, [-1]), flags: tf.reshape(tf.cast(flags, 'float32'), [-1]) };
  });
  let settled: Tensor2D | undefined;
  try {
    const flags = await decided.flags.data();
    const rows: number[] = [];
    flags.forEach((flag, i) => {
      if (flag) rows.push(i);
    });
    counts.rowsComputed += n;
    counts.rowsCorrected += rows.length;
    if (rows.length === 0) return (settled = denoised);

    const index = tf.tensor1d(rows, 'int32');
    const picked = tf.tidy(() => {
      const { values, indices } = tf.topk(tf.gather(logits, index), top);
      return { values, indices, floor: tf.gather(decided.floor, index), x: tf.gather(x, index) };
    });
    try {
      const [values, indices, floors, xRows] = await Promise.all([
        picked.values.data(),
        picked.indices.data(),
        picked.floor.data(),
        picked.x.data<'float32'>(),
      ]);
      const corrected = new Float32Array(rows.length * dim);
      const candidates: number[] = [];
      for (let f = 0; f < rows.length; f++) {
        candidates.length = 0;
        for (let c = 0; c < top; c++) {
          if (values[f * top + c]! >= floors[f]!) candidates.push(indices[f * top + c]!);
        }
        exactRow(xRows, f, candidates, corrected);
      }
      settled = tf.tidy(() => {
        const at = tf.expandDims(index, 1);
        const replaced = tf.reshape(tf.scatterND(at, tf.ones([rows.length]), [n]), [n, 1]);
        const written = tf.scatterND(at, tf.tensor2d(corrected, [rows.length, dim]), [n, dim]);
        return tf.add(tf.mul(denoised, tf.sub(1, replaced)), written) as Tensor2D;
      });
      return settled;
    } finally {
      tf.dispose([index, picked.values, picked.indices, picked.floor, picked.x]);
    }
  } finally {
    if (settled !== denoised) denoised.dispose();
    tf.dispose([logits, logitError, decided.floor, decided.flags]);
  }
}
