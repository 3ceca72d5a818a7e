// Exact denoiser for a weighted Dirac mixture Σ_i w_i δ(y_i) (a data set taken as the
// distribution; reference §7, book §6.3). In scaled coordinates x̃ = x₀ + σ̃ ε:
//   r_i  = softmax_i( log w_i − ‖x̃ − y_i‖²/(2σ̃²) )
//   D(x̃) = Σ_i r_i y_i
// As σ̃ → 0 the logits are scaled by 1/σ̃², so small absolute errors in ‖x̃ − y_i‖² decide which
// point wins: distances are formed from the differences themselves, never as
// ‖x̃‖² − 2 x̃·y + ‖y‖², whose float32 cancellation error (~1e-7 ‖x̃‖²) swamps them.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Denoiser } from '../core/values';
import { DEFAULT_MAX_CHUNK_ELEMENTS, mapRowChunks, rowsPerChunk } from './row-chunks';

export interface EmpiricalDenoiserOptions {
  /** Float32 elements allowed in one [rows, data points, d] intermediate. */
  readonly maxChunkElements?: number;
}

/**
 * `points` [m, d] stay owned by the caller (the data node): the denoiser reads them on every call
 * and never disposes them; its dispose() frees only the log-weights it made.
 */
export function createEmpiricalDenoiser(
  points: Tensor2D,
  weights?: number[],
  options: EmpiricalDenoiserOptions = {},
): Denoiser {
  if (points.rank !== 2 || points.shape[0] < 1 || points.shape[1] < 1) {
    throw new Error(
      `empirical denoiser: expected data points of shape [m ≥ 1, d ≥ 1], got [${points.shape.join(', ')}]`,
    );
  }
  const [count, dim] = points.shape;
  const logWeights = normalisedLogWeights(count, weights);
  const logWeightsTensor = tf.tensor1d(Float32Array.from(logWeights));
  const chunkRows = rowsPerChunk(
    count,
    dim,
    options.maxChunkElements ?? DEFAULT_MAX_CHUNK_ELEMENTS,
  );
  let disposed = false;

  return {
    dim,
    denoise(xTilde: Tensor2D, sigmaTilde: number): Tensor2D {
      if (disposed) throw new Error('empirical denoiser: used after dispose()');
      if (points.isDisposed) throw new Error('empirical denoiser: its data set has been freed');
      if (xTilde.rank !== 2 || xTilde.shape[1] !== dim) {
        throw new Error(
          `empirical denoiser: expected points of shape [n, ${dim}], got [${xTilde.shape.join(', ')}]`,
        );
      }
      if (!(sigmaTilde > 0) || !Number.isFinite(sigmaTilde)) {
        throw new Error(
          `empirical denoiser: sigmaTilde must be a finite number > 0 (got ${sigmaTilde})`,
        );
      }
      const inverseTwoVariance = 1 / (2 * sigmaTilde * sigmaTilde);
      return tf.tidy(() => {
        const pointsBroadcast = tf.expandDims(points, 0); // [1, m, d]
        return mapRowChunks(xTilde, chunkRows, (rows) => {
          const squaredDistance = tf.sum(
            tf.squaredDifference(tf.expandDims(rows, 1), pointsBroadcast),
            2,
          );
          const logits = tf.sub(logWeightsTensor, tf.mul(squaredDistance, inverseTwoVariance)); // [rows, m]
          // softmax subtracts the row max before exp; exp(l − logSumExp(l)) would lose ~|l|·2⁻²⁴ in float32.
          const responsibilities = tf.softmax(logits);
          return tf.matMul(responsibilities, points);
        });
      });
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      logWeightsTensor.dispose();
    },
  };
}

/** log w_i with Σ w_i = 1; uniform when no weights are given. */
function normalisedLogWeights(count: number, weights: number[] | undefined): Float64Array {
  if (weights === undefined) return new Float64Array(count).fill(-Math.log(count));
  if (weights.length !== count) {
    throw new Error(`empirical denoiser: ${weights.length} weights for ${count} data points`);
  }
  let sum = 0;
  weights.forEach((w, i) => {
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new Error(
        `empirical denoiser: weights[${i}] = ${w}; every weight must be a positive number`,
      );
    }
    sum += w;
  });
  return Float64Array.from(weights, (w) => Math.log(w / sum));
}
