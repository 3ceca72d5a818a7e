// The softmax mean over a weighted point set, in float64, for every row of a batch of queries:
//
//   mean(q) = Σ_k e^{ℓ_k} p_k / Σ_k e^{ℓ_k},   ℓ_k = log w_k − ‖q − p_k‖²/(2v),   q = scale·x,
//
// the empirical denoiser's sum (denoisers/empirical-kernel.ts, whose k-d blocks, bounds and fast
// exp it reuses) with a float64 result. Blocks whose best possible logit is LOGIT_CUTOFF below the
// row's largest are skipped. v = 0 is the limit: the w-weighted mean of the nearest points; so is
// a query so far away that every logit underflows to −∞. Used by the Gibbs-plan posterior
// (bridge-gibbs.ts), where X_0 and X_1 are independent given X_t.

import {
  boundBlocks,
  createExpTable,
  expNonPositive,
  LOGIT_CUTOFF,
  type EmpiricalIndex,
} from '../denoisers/empirical-kernel';

export interface SoftmaxScratch {
  readonly query: Float64Array;
  readonly logits: Float64Array;
  readonly blockBounds: Float64Array;
  readonly includedBlocks: Int32Array;
  readonly expTable: Float64Array;
}

export function createSoftmaxScratch(index: EmpiricalIndex): SoftmaxScratch {
  const blocks = index.blockStarts.length - 1;
  return {
    query: new Float64Array(index.dim),
    logits: new Float64Array(index.count),
    blockBounds: new Float64Array(blocks),
    includedBlocks: new Int32Array(blocks),
    expTable: createExpTable(LOGIT_CUTOFF),
  };
}

/** mean(scale·x_r) for every row r of x ([rows, dim]) into the same rows of out. */
export function softmaxMeans(
  index: EmpiricalIndex,
  x: Float64Array,
  scale: number,
  variance: number,
  out: Float64Array,
  scratch: SoftmaxScratch,
): void {
  const { dim } = index;
  for (let row = 0; row < x.length / dim; row++) {
    for (let c = 0; c < dim; c++) scratch.query[c] = scale * x[row * dim + c]!;
    const soft = variance > 0 && softRow(index, scratch, 1 / (2 * variance), out, row * dim);
    if (!soft) nearestRow(index, scratch, out, row * dim);
  }
}

function softRow(
  index: EmpiricalIndex,
  scratch: SoftmaxScratch,
  inverseTwoVariance: number,
  out: Float64Array,
  offset: number,
): boolean {
  const { dim, points, logWeights, blockStarts } = index;
  const { query, logits, blockBounds, includedBlocks, expTable } = scratch;
  const blocks = blockStarts.length - 1;
  const best = boundBlocks(index, query, 0, inverseTwoVariance, blockBounds);
  let largest = -Infinity;
  let included = 0;
  for (let visit = -1; visit < blocks; visit++) {
    const b = visit < 0 ? best : visit;
    if (visit === best || blockBounds[b]! < largest - LOGIT_CUTOFF) continue;
    includedBlocks[included++] = b;
    for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
      let squared = 0;
      for (let c = 0; c < dim; c++) {
        const difference = query[c]! - points[k * dim + c]!;
        squared += difference * difference;
      }
      const logit = logWeights[k]! - squared * inverseTwoVariance;
      logits[k] = logit;
      if (logit > largest) largest = logit;
    }
  }
  if (largest === -Infinity) return false;
  let total = 0;
  for (let c = 0; c < dim; c++) out[offset + c] = 0;
  for (let visit = 0; visit < included; visit++) {
    const b = includedBlocks[visit]!;
    for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
      const z = logits[k]! - largest;
      if (z < -LOGIT_CUTOFF) continue;
      const weight = expNonPositive(z, expTable);
      total += weight;
      for (let c = 0; c < dim; c++) out[offset + c]! += weight * points[k * dim + c]!;
    }
  }
  for (let c = 0; c < dim; c++) out[offset + c]! /= total;
  return true;
}

/** The w-weighted mean of the points nearest to the query (all of them, if distances overflow). */
function nearestRow(
  index: EmpiricalIndex,
  scratch: SoftmaxScratch,
  out: Float64Array,
  offset: number,
): void {
  const { dim, points, logWeights } = index;
  const { query, logits, expTable } = scratch;
  let closest = Infinity;
  for (let k = 0; k < index.count; k++) {
    let squared = 0;
    for (let c = 0; c < dim; c++) {
      const difference = query[c]! - points[k * dim + c]!;
      squared += difference * difference;
    }
    logits[k] = squared;
    if (squared < closest) closest = squared;
  }
  let heaviest = -Infinity;
  for (let k = 0; k < index.count; k++)
    if (logits[k] === closest) heaviest = Math.max(heaviest, logWeights[k]!);
  let total = 0;
  for (let c = 0; c < dim; c++) out[offset + c] = 0;
  for (let k = 0; k < index.count; k++) {
    const z = logWeights[k]! - heaviest;
    if (logits[k] !== closest || z < -LOGIT_CUTOFF) continue;
    const weight = expNonPositive(z, expTable);
    total += weight;
    for (let c = 0; c < dim; c++) out[offset + c]! += weight * points[k * dim + c]!;
  }
  for (let c = 0; c < dim; c++) out[offset + c]! /= total;
}
