// One row of the empirical denoiser computed exactly over a few candidate points: the logits from
// float64 differences (no ‖x‖² − 2x·y + ‖y‖² cancellation), the softmax and D = Σ_j r_j y_j in
// float64. The kernels that find distances through float32 matrix products (empirical-dense.ts on
// onnxruntime, empirical-device.ts on the tfjs backend) finish the rows whose winner float32 could
// decide with it, so every kernel gives the pruned float64 kernel's answer there.
import { createExpTable, expNonPositive, LOGIT_CUTOFF } from './empirical-kernel';

export interface ExactRows {
  /**
   * Writes row i of D (x and out row-major [rows, dim]) from the candidates' exact logits at
   * scale 1/(2σ̃²); returns the candidates that carry weight (within LOGIT_CUTOFF of the best).
   */
  exactRow(
    x: ArrayLike<number>,
    i: number,
    candidates: ArrayLike<number>,
    scale: number,
    out: Float32Array,
  ): Int32Array;
  /** ‖x_i − y_j‖² from float64 differences. */
  exactSquared(x: ArrayLike<number>, i: number, j: number): number;
}

export function createExactRows(
  points: ArrayLike<number>,
  count: number,
  dim: number,
  logWeights: Float64Array,
): ExactRows {
  const expTable = createExpTable(LOGIT_CUTOFF);
  const logits = new Float64Array(count);
  const sums = new Float64Array(dim);

  const exactSquared = (x: ArrayLike<number>, i: number, j: number): number => {
    let squared = 0;
    for (let k = 0; k < dim; k++) {
      const difference = x[i * dim + k]! - points[j * dim + k]!;
      squared += difference * difference;
    }
    return squared;
  };

  return {
    exactSquared,
    exactRow(x, i, candidates, scale, out) {
      let best = -Infinity;
      for (let c = 0; c < candidates.length; c++) {
        const j = candidates[c]!;
        const logit = logWeights[j]! - exactSquared(x, i, j) * scale;
        logits[j] = logit;
        if (logit > best) best = logit;
      }
      sums.fill(0);
      let total = 0;
      const kept: number[] = [];
      for (let c = 0; c < candidates.length; c++) {
        const j = candidates[c]!;
        const delta = logits[j]! - best;
        if (delta < -LOGIT_CUTOFF) continue;
        const w = expNonPositive(delta, expTable);
        kept.push(j);
        total += w;
        for (let k = 0; k < dim; k++) sums[k]! += w * points[j * dim + k]!;
      }
      for (let k = 0; k < dim; k++) out[i * dim + k] = sums[k]! / total;
      return Int32Array.from(kept);
    },
  };
}
