// The exact empirical denoiser for high-dimensional data, through matrix products:
//
//   ‖x̃ − y_j‖² = ‖x̃ − c‖² − 2 (x̃ − c)·(y_j − c) + ‖y_j − c‖²      (c: the data's mean)
//
// The n × m products (x̃ − c)·(y_j − c) come from one float32 matrix product on onnxruntime
// (onnx/constant-matmul.ts: SIMD and threads); everything else is float64. In 784-D the pruned
// kernel (empirical-kernel.ts) skips nothing and its scalar loops lose ~20× to this. Centring on the
// data's mean keeps the products, and so their rounding, as small as the data's spread allows.
//
// Where float32 is not enough. A float32 dot product of length d, in any summation order, is off
// by at most γ_d Σ_k |a_k b_k| ≤ γ_d ‖a‖‖b‖, with γ_d = d·u/(1 − d·u) and u = 2⁻²⁴ (Higham,
// Accuracy and Stability of Numerical Algorithms, §3.1). So every approximate logit
// ℓ̂_j = log w_j − ‖x̃ − y_j‖²/(2σ̃²) of row i is within
//
//   E_i = (2 γ_d ‖x̃_i − c‖ R + ε_i)/(2σ̃²)      (R = max_j ‖y_j − c‖; ε_i covers the float64 steps)
//
// of the true ℓ_j. Let L̂ = max_j ℓ̂_j, so the true maximum is at least L̂ − E_i. A point with
// ℓ̂_j < L̂ − 2E_i − LOGIT_CUTOFF has ℓ_j < L̂ − E_i − LOGIT_CUTOFF ≤ max ℓ − LOGIT_CUTOFF: its
// weight is below e^−40 of the largest, the same cut the pruned kernel makes. Every other point —
// the candidates — is recomputed from float64 differences, and the softmax and D are taken over
// them in float64: at small σ̃, where float32's rounding would decide the winner, the result is the
// pruned kernel's. Only when the weight is spread over more than MAX_EXACT_CANDIDATES points (large
// σ̃, where no single distance decides D) are the approximate logits used as they are; their error
// is then at most E_i, float32's own, and D moves by at most (e^{2E_i} − 1)·max_j |y_j − D|.
//
// D = Σ_j r_j y_j is a second product: in float64 over the nonzero weights when there are few (the
// usual case once σ̃ is small), else as one float32 matrix product over the rows that need it.
import { createConstantMatMul, type ConstantMatMul } from '../onnx/constant-matmul';
import { LOGIT_CUTOFF } from './empirical-kernel';

/** Above this many candidates a row's approximate logits stand (see the comment above). */
export const MAX_EXACT_CANDIDATES = 64;

const UNIT_ROUNDOFF = 2 ** -24;

export interface DenseEmpirical {
  /** D for `rows` rows of x̃ (row-major [rows, dim]) at noise level `sigma`. */
  denoise(x: Float32Array, rows: number, sigma: number): Promise<Float32Array>;
  dispose(): void;
}

export function createDenseEmpirical(
  points: ArrayLike<number>,
  count: number,
  dim: number,
  logWeights: Float64Array,
): DenseEmpirical {
  const centre = new Float64Array(dim);
  for (let j = 0; j < count; j++) {
    for (let k = 0; k < dim; k++) centre[k]! += points[j * dim + k]! / count;
  }
  /** y_j − c, float64 [count, dim]; and its float32 copies for the two products. */
  const centred = new Float64Array(count * dim);
  const centredNormsSq = new Float64Array(count);
  let radius = 0;
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let k = 0; k < dim; k++) {
      const value = points[j * dim + k]! - centre[k]!;
      centred[j * dim + k] = value;
      sum += value * value;
    }
    centredNormsSq[j] = sum;
    radius = Math.max(radius, Math.sqrt(sum));
  }
  const gammaD = (dim * UNIT_ROUNDOFF) / (1 - dim * UNIT_ROUNDOFF);

  let distances: Promise<ConstantMatMul> | undefined;
  let combine: Promise<ConstantMatMul> | undefined;
  const transposed = (): Float32Array => {
    const out = new Float32Array(dim * count);
    for (let j = 0; j < count; j++) {
      for (let k = 0; k < dim; k++) out[k * count + j] = centred[j * dim + k]!;
    }
    return out;
  };

  return {
    async denoise(x, rows, sigma) {
      distances ??= createConstantMatMul(transposed(), dim, count);
      const shifted = new Float32Array(rows * dim);
      const shiftedNormsSq = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        for (let k = 0; k < dim; k++) {
          // Float64 for the norm; the product sees the float32 value, whose own rounding is part
          // of x̃'s representation error, not of the distance's.
          const value = x[i * dim + k]! - centre[k]!;
          shifted[i * dim + k] = value;
          sum += value * value;
        }
        shiftedNormsSq[i] = sum;
      }
      const products = await (await distances).multiply(shifted, rows);

      const out = new Float32Array(rows * dim);
      const scale = 1 / (2 * sigma * sigma);
      const logits = new Float64Array(count);
      const exact = new Float64Array(dim);
      // Rows whose weights stand as computed, for the second product: their row index and weights.
      const weighted: number[] = [];
      const weights = new Float32Array(rows * count);
      let nonzero = 0;

      for (let i = 0; i < rows; i++) {
        const xx = shiftedNormsSq[i]!;
        let best = -Infinity;
        for (let j = 0; j < count; j++) {
          const squared = xx - 2 * products[i * count + j]! + centredNormsSq[j]!;
          const logit = logWeights[j]! - squared * scale;
          logits[j] = logit;
          if (logit > best) best = logit;
        }
        const norm = Math.sqrt(xx);
        // The float64 steps: a few roundings of quantities up to (‖x − c‖ + R)².
        const float64Slack = 8 * Number.EPSILON * (norm + radius) ** 2;
        const bound = (2 * gammaD * norm * radius + float64Slack) * scale;
        const floor = best - 2 * bound - LOGIT_CUTOFF;
        let candidates = 0;
        for (let j = 0; j < count; j++) if (logits[j]! >= floor) candidates++;

        if (candidates <= MAX_EXACT_CANDIDATES) {
          // Exact: float64 differences for the candidates, softmax and D in float64.
          let exactBest = -Infinity;
          for (let j = 0; j < count; j++) {
            if (logits[j]! < floor) continue;
            let squared = 0;
            for (let k = 0; k < dim; k++) {
              const difference = x[i * dim + k]! - points[j * dim + k]!;
              squared += difference * difference;
            }
            logits[j] = logWeights[j]! - squared * scale;
            if (logits[j]! > exactBest) exactBest = logits[j]!;
          }
          exact.fill(0);
          let total = 0;
          for (let j = 0; j < count; j++) {
            if (logits[j]! < floor) continue;
            const w = Math.exp(logits[j]! - exactBest);
            if (w < Math.exp(-LOGIT_CUTOFF)) continue;
            total += w;
            for (let k = 0; k < dim; k++) exact[k]! += w * points[j * dim + k]!;
          }
          for (let k = 0; k < dim; k++) out[i * dim + k] = exact[k]! / total;
          continue;
        }

        // Spread: the approximate weights, normalised, for the second product.
        const slot = weighted.length;
        weighted.push(i);
        let total = 0;
        for (let j = 0; j < count; j++) {
          const delta = logits[j]! - best;
          total += delta >= -LOGIT_CUTOFF ? Math.exp(delta) : 0;
        }
        for (let j = 0; j < count; j++) {
          const delta = logits[j]! - best;
          if (delta < -LOGIT_CUTOFF) continue;
          weights[slot * count + j] = Math.exp(delta) / total;
          nonzero++;
        }
      }

      if (weighted.length) {
        // D − c = Σ_j r_j (y_j − c): smaller numbers, so smaller rounding, than Σ_j r_j y_j.
        const used = weights.subarray(0, weighted.length * count);
        let spread: Float32Array | Float64Array;
        if (nonzero * 8 < weighted.length * count) {
          spread = new Float64Array(weighted.length * dim);
          for (let s = 0; s < weighted.length; s++) {
            for (let j = 0; j < count; j++) {
              const w = used[s * count + j]!;
              if (w === 0) continue;
              for (let k = 0; k < dim; k++) spread[s * dim + k]! += w * centred[j * dim + k]!;
            }
          }
        } else {
          combine ??= createConstantMatMul(Float32Array.from(centred), count, dim);
          spread = await (await combine).multiply(used, weighted.length);
        }
        weighted.forEach((i, s) => {
          for (let k = 0; k < dim; k++) out[i * dim + k] = centre[k]! + spread[s * dim + k]!;
        });
      }
      return out;
    },
    dispose() {
      const sessions = [distances, combine];
      distances = combine = undefined;
      for (const session of sessions) void session?.then((matmul) => matmul.release());
    },
  };
}
