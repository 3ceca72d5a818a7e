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
// Accuracy and Stability of Numerical Algorithms, §3.1). So every approximate squared distance of
// row i is within ε_i = 2γ_d ‖x̃_i − c‖ R + (float64 slack) of the true one (R = max_j ‖y_j − c‖),
// and every approximate logit ℓ̂_j = log w_j − ‖x̃ − y_j‖²/(2σ̃²) within E_i = ε_i/(2σ̃²). Let
// L̂ = max_j ℓ̂_j, so the true maximum is at least L̂ − E_i. A point with
// ℓ̂_j < L̂ − 2E_i − LOGIT_CUTOFF has ℓ_j < L̂ − E_i − LOGIT_CUTOFF ≤ max ℓ − LOGIT_CUTOFF: its
// weight is below e^−40 of the largest, the same cut the pruned kernel makes. Every other point —
// the candidates — is recomputed from float64 differences, and the softmax and D are taken over
// them in float64: at small σ̃, where float32's rounding would decide the winner, the result is the
// pruned kernel's. Only when the weight is spread over more than MAX_EXACT_CANDIDATES points (large
// σ̃, where no single distance decides D) are the approximate logits used as they are; their error
// is then at most E_i, float32's own, and D moves by at most (e^{2E_i} − 1)·max_j |y_j − D|.
//
// Skipping the product. A solver calls D on the same particles step after step, and at small σ̃ a
// particle moves little while only a few points carry weight. Each row keeps the point it last had
// all its distances computed at (x_ref, with ‖x_ref − y_j‖ to within √ε) and the points that carried
// weight then. At the next call, with δ = ‖x̃ − x_ref‖, the triangle inequality bounds every
// distance below: ‖x̃ − y_j‖ ≥ ‖x_ref − y_j‖ − √ε − δ. The remembered points' exact logits give a
// lower bound L on the row's maximum; every point whose bound puts its logit below L − cutoff is
// negligible, as above, and the few others are computed exactly. Only rows where that leaves too
// many go through the product again (and get a new x_ref).
//
// D = Σ_j r_j y_j is a second product: in float64 over the nonzero weights when there are few, else
// as one float32 matrix product over the rows that need it.
import { createConstantMatMul } from '../onnx/constant-matmul';
import {
  createExpTable,
  expNonPositive,
  LOGIT_CUTOFF,
  MAX_EXACT_CANDIDATES,
} from './empirical-kernel';
import { createExactRows } from './empirical-exact-rows';

const UNIT_ROUNDOFF = 2 ** -24;

export interface DenseEmpirical {
  /** D for `rows` rows of x̃ (row-major [rows, dim]) at noise level `sigma`. */
  denoise(x: Float32Array, rows: number, sigma: number): Promise<Float32Array>;
  /** Rows settled so far by their memory, and rows that went through the product. */
  readonly rowsFromMemory: number;
  readonly rowsThroughProduct: number;
}

/** What each row keeps from its last full computation, for skipping the product next time. */
interface RowMemory {
  readonly rows: number;
  /** x_ref, [rows, dim]. */
  readonly x: Float32Array;
  /** ‖x_ref − y_j‖ as computed, [rows, count]. */
  readonly distance: Float64Array;
  /** A bound on the error of each row's distances. */
  readonly error: Float64Array;
  /** The points that carried weight at the row's last exact result (none after a spread one). */
  readonly candidates: (Int32Array | undefined)[];
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
  /** y_j − c in float64 [count, dim], its float32 copy and transpose for the two products. */
  const centred = new Float64Array(count * dim);
  const centredNormsSq = new Float64Array(count);
  const transposed = new Float32Array(dim * count);
  let radius = 0;
  for (let j = 0; j < count; j++) {
    let sum = 0;
    for (let k = 0; k < dim; k++) {
      const value = points[j * dim + k]! - centre[k]!;
      centred[j * dim + k] = value;
      transposed[k * count + j] = value;
      sum += value * value;
    }
    centredNormsSq[j] = sum;
    radius = Math.max(radius, Math.sqrt(sum));
  }
  const distances = createConstantMatMul(transposed, dim, count);
  const combine = createConstantMatMul(Float32Array.from(centred), count, dim);
  const gammaD = (dim * UNIT_ROUNDOFF) / (1 - dim * UNIT_ROUNDOFF);
  const expTable = createExpTable(LOGIT_CUTOFF);
  const logits = new Float64Array(count);
  const { exactRow, exactSquared } = createExactRows(points, count, dim, logWeights);
  let memory: RowMemory | undefined;
  let rowsFromMemory = 0;
  let rowsThroughProduct = 0;

  /**
   * Row i from its memory, if the memory rules out all but a few points (see the comment at the
   * top); false when the row needs its distances computed again.
   */
  const rowFromMemory = (
    x: Float32Array,
    i: number,
    scale: number,
    remembered: RowMemory,
    out: Float32Array,
  ): boolean => {
    const previous = remembered.candidates[i];
    if (!previous || previous.length === 0) return false;
    let moved = 0;
    for (let k = 0; k < dim; k++) {
      const step = x[i * dim + k]! - remembered.x[i * dim + k]!;
      moved += step * step;
    }
    // δ, rounded up against the float64 sums' own error.
    const slack = (1 + 1e-12) * Math.sqrt(moved) + remembered.error[i]!;
    let best = -Infinity;
    for (let c = 0; c < previous.length; c++) {
      const j = previous[c]!;
      best = Math.max(best, logWeights[j]! - exactSquared(x, i, j) * scale);
    }
    const floor = best - LOGIT_CUTOFF;
    // A point's distance is at least this; its logit can exceed the floor only if it is small.
    const needed: number[] = [];
    const row = i * count;
    for (let j = 0; j < count; j++) {
      const lower = remembered.distance[row + j]! - slack;
      const bound = logWeights[j]! - (lower > 0 ? lower * lower : 0) * scale;
      if (bound < floor) continue;
      needed.push(j);
      if (needed.length > MAX_EXACT_CANDIDATES) return false;
    }
    remembered.candidates[i] = exactRow(x, i, needed, scale, out);
    return true;
  };

  return {
    get rowsFromMemory() {
      return rowsFromMemory;
    },
    get rowsThroughProduct() {
      return rowsThroughProduct;
    },
    async denoise(x, rows, sigma) {
      const out = new Float32Array(rows * dim);
      const scale = 1 / (2 * sigma * sigma);
      if (memory?.rows !== rows) {
        memory = {
          rows,
          x: new Float32Array(rows * dim),
          distance: new Float64Array(rows * count),
          error: new Float64Array(rows),
          candidates: new Array<Int32Array | undefined>(rows),
        };
      }
      const remembered = memory;
      // Rows the memory cannot settle go through the product.
      const full: number[] = [];
      for (let i = 0; i < rows; i++) {
        if (!rowFromMemory(x, i, scale, remembered, out)) full.push(i);
      }
      rowsFromMemory += rows - full.length;
      rowsThroughProduct += full.length;
      if (full.length === 0) return out;

      const shifted = new Float32Array(full.length * dim);
      const shiftedNormsSq = new Float64Array(full.length);
      full.forEach((i, f) => {
        let sum = 0;
        for (let k = 0; k < dim; k++) {
          // Float64 for the norm; the product sees the float32 value, whose own rounding is part
          // of x̃'s representation error, not of the distance's.
          const value = x[i * dim + k]! - centre[k]!;
          shifted[f * dim + k] = value;
          sum += value * value;
        }
        shiftedNormsSq[f] = sum;
      });
      const products = await distances.multiply(shifted, full.length);

      // Rows whose approximate weights stand, for the second product, in order.
      const spreadRows: number[] = [];
      const weights = new Float32Array(full.length * count);
      let nonzero = 0;
      const candidates: number[] = [];
      full.forEach((i, f) => {
        const xx = shiftedNormsSq[f]!;
        const row = f * count;
        const norm = Math.sqrt(xx);
        // The float64 steps: a few roundings of quantities up to (‖x − c‖ + R)².
        const float64Slack = 8 * Number.EPSILON * (norm + radius) ** 2;
        const squaredError = 2 * gammaD * norm * radius + float64Slack;
        remembered.x.set(x.subarray(i * dim, (i + 1) * dim), i * dim);
        remembered.error[i] = Math.sqrt(squaredError);
        let best = -Infinity;
        for (let j = 0; j < count; j++) {
          const squared = xx - 2 * products[row + j]! + centredNormsSq[j]!;
          remembered.distance[i * count + j] = Math.sqrt(squared > 0 ? squared : 0);
          const logit = logWeights[j]! - squared * scale;
          logits[j] = logit;
          if (logit > best) best = logit;
        }
        const floor = best - 2 * squaredError * scale - LOGIT_CUTOFF;
        candidates.length = 0;
        for (let j = 0; j < count && candidates.length <= MAX_EXACT_CANDIDATES; j++) {
          if (logits[j]! >= floor) candidates.push(j);
        }
        if (candidates.length <= MAX_EXACT_CANDIDATES) {
          remembered.candidates[i] = exactRow(x, i, candidates, scale, out);
          return;
        }

        // Spread: the approximate weights, normalised, for the second product.
        remembered.candidates[i] = undefined;
        const slot = spreadRows.length * count;
        spreadRows.push(i);
        let total = 0;
        for (let j = 0; j < count; j++) {
          const delta = logits[j]! - best;
          const w = delta >= -LOGIT_CUTOFF ? expNonPositive(delta, expTable) : 0;
          logits[j] = w;
          total += w;
        }
        const normaliser = 1 / total;
        for (let j = 0; j < count; j++) {
          const w = logits[j]! * normaliser;
          weights[slot + j] = w;
          if (w !== 0) nonzero++;
        }
      });

      if (spreadRows.length) {
        // D − c = Σ_j r_j (y_j − c): smaller numbers, so smaller rounding, than Σ_j r_j y_j.
        const used = weights.subarray(0, spreadRows.length * count);
        let spread: Float32Array | Float64Array;
        if (nonzero * 8 < spreadRows.length * count) {
          spread = new Float64Array(spreadRows.length * dim);
          for (let s = 0; s < spreadRows.length; s++) {
            for (let j = 0; j < count; j++) {
              const w = used[s * count + j]!;
              if (w === 0) continue;
              for (let k = 0; k < dim; k++) spread[s * dim + k]! += w * centred[j * dim + k]!;
            }
          }
        } else {
          spread = await combine.multiply(used, spreadRows.length);
        }
        spreadRows.forEach((i, s) => {
          for (let k = 0; k < dim; k++) out[i * dim + k] = centre[k]! + spread[s * dim + k]!;
        });
      }
      return out;
    },
  };
}
