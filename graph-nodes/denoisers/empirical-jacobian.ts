// The empirical (Dirac-mixture) denoiser in closed form, in float64 (reference §7, §10): with
// logits ℓ_i = log w_i − ‖x̃ − y_i‖²/(2σ̃²) and r = softmax(ℓ), ∂ℓ_i/∂x̃ = (y_i − x̃)/σ̃², so
//   D = Σ_i r_i y_i,   J = ∂D/∂x̃ = Σ_i r_i (y_i − D)(y_i − D)ᵀ/σ̃² = Cov_r(y)/σ̃²,
//   tr J = Σ_i r_i ‖y_i − D‖²/σ̃²,   zᵀ J z = Σ_i r_i ((y_i − D)·z)²/σ̃²,
// and the noised data's density log p(x̃; σ̃) = log Σ_i w_i N(x̃; y_i, σ̃² I)
//   = LSE_i(ℓ_i) − (d/2) log(2πσ̃²).
// The spread is summed from y_i − D itself, not as E‖y‖² − ‖D‖², which would cancel to nothing
// at small σ̃, where one point holds almost all the weight. Far blocks of points are skipped with
// the kernel's bound (empirical-kernel.ts): what they could add is below e^{−40} of the total.
import {
  boundBlocks,
  createEmpiricalScratch,
  LOGIT_CUTOFF,
  type EmpiricalIndex,
  type EmpiricalScratch,
} from './empirical-kernel';

/** The logits of one row over the blocks that can matter; returns the largest and the count. */
function rowLogits(
  index: EmpiricalIndex,
  x: Float64Array,
  xOffset: number,
  inverseTwoVariance: number,
  scratch: EmpiricalScratch,
): { largest: number; included: number } {
  const { dim, points, logWeights, blockStarts } = index;
  const { logits, blockBounds, includedBlocks } = scratch;
  const blocks = blockStarts.length - 1;
  const bestBlock = boundBlocks(index, x, xOffset, inverseTwoVariance, blockBounds);
  let largest = -Infinity;
  let included = 0;
  for (let visit = -1; visit < blocks; visit++) {
    const b = visit < 0 ? bestBlock : visit;
    if (visit === bestBlock || blockBounds[b]! < largest - LOGIT_CUTOFF) continue;
    includedBlocks[included++] = b;
    for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
      let squared = 0;
      for (let j = 0; j < dim; j++) squared += (x[xOffset + j]! - points[k * dim + j]!) ** 2;
      const logit = logWeights[k]! - squared * inverseTwoVariance;
      logits[k] = logit;
      if (logit > largest) largest = logit;
    }
  }
  return { largest, included };
}

/** Calls `visit(k, weight)` for each kept point of the row, weight = e^{ℓ_k − largest}. */
function forEachKept(
  index: EmpiricalIndex,
  scratch: EmpiricalScratch,
  row: { largest: number; included: number },
  visit: (k: number, weight: number) => void,
): void {
  for (let v = 0; v < row.included; v++) {
    const b = scratch.includedBlocks[v]!;
    for (let k = index.blockStarts[b]!; k < index.blockStarts[b + 1]!; k++) {
      const z = scratch.logits[k]! - row.largest;
      if (z >= -LOGIT_CUTOFF) visit(k, Math.exp(z));
    }
  }
}

function checkRows(index: EmpiricalIndex, x: Float64Array, sigmaTilde: number): number {
  if (x.length % index.dim !== 0) {
    throw new Error(
      `empirical denoiser: ${x.length} values do not form rows of dimension ${index.dim}`,
    );
  }
  if (!(sigmaTilde > 0) || !Number.isFinite(sigmaTilde)) {
    throw new Error(
      `empirical denoiser: sigmaTilde must be a finite number > 0 (got ${sigmaTilde})`,
    );
  }
  return x.length / index.dim;
}

/** D and, per row, tr J — or zᵀ J z per row and probe when `probes` ([n, count, dim]) are given. */
export function empiricalDenoiseWithJacobian(
  index: EmpiricalIndex,
  x: Float64Array,
  sigmaTilde: number,
  probes?: { readonly vectors: Float64Array; readonly count: number },
): { denoised: Float64Array; jacobian: Float64Array } {
  const rows = checkRows(index, x, sigmaTilde);
  const { dim, points } = index;
  const probeCount = probes?.count ?? 0;
  if (probes && probes.vectors.length !== rows * probeCount * dim) {
    throw new Error(
      `empirical denoiser: expected ${rows} × ${probeCount} probes of dimension ${dim}, ` +
        `got ${probes.vectors.length} values`,
    );
  }
  const scratch = createEmpiricalScratch(index, LOGIT_CUTOFF);
  const inverseTwoVariance = 1 / (2 * sigmaTilde * sigmaTilde);
  const denoised = new Float64Array(rows * dim);
  const jacobian = new Float64Array(rows * Math.max(1, probeCount));
  const spread = new Float64Array(Math.max(1, probeCount));
  for (let row = 0; row < rows; row++) {
    const base = row * dim;
    const logits = rowLogits(index, x, base, inverseTwoVariance, scratch);
    let total = 0;
    forEachKept(index, scratch, logits, (k, weight) => {
      total += weight;
      for (let j = 0; j < dim; j++) denoised[base + j]! += weight * points[k * dim + j]!;
    });
    for (let j = 0; j < dim; j++) denoised[base + j]! /= total;
    spread.fill(0);
    forEachKept(index, scratch, logits, (k, weight) => {
      if (!probes) {
        let squared = 0;
        for (let j = 0; j < dim; j++) squared += (points[k * dim + j]! - denoised[base + j]!) ** 2;
        spread[0]! += weight * squared;
        return;
      }
      for (let p = 0; p < probeCount; p++) {
        const zBase = (row * probeCount + p) * dim;
        let dot = 0;
        for (let j = 0; j < dim; j++) {
          dot += (points[k * dim + j]! - denoised[base + j]!) * probes.vectors[zBase + j]!;
        }
        spread[p]! += weight * dot * dot;
      }
    });
    const scale = 1 / (total * sigmaTilde * sigmaTilde);
    for (let p = 0; p < Math.max(1, probeCount); p++) {
      jacobian[row * Math.max(1, probeCount) + p] = spread[p]! * scale;
    }
  }
  return { denoised, jacobian };
}

/** log Σ_i w_i N(x̃; y_i, σ̃² I) per row. */
export function empiricalLogDensity(
  index: EmpiricalIndex,
  x: Float64Array,
  sigmaTilde: number,
): Float64Array {
  const rows = checkRows(index, x, sigmaTilde);
  const scratch = createEmpiricalScratch(index, LOGIT_CUTOFF);
  const inverseTwoVariance = 1 / (2 * sigmaTilde * sigmaTilde);
  const normaliser = -0.5 * index.dim * Math.log(2 * Math.PI * sigmaTilde * sigmaTilde);
  const result = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const logits = rowLogits(index, x, row * index.dim, inverseTwoVariance, scratch);
    let total = 0;
    forEachKept(index, scratch, logits, (_k, weight) => (total += weight));
    result[row] = logits.largest + Math.log(total) + normaliser;
  }
  return result;
}
