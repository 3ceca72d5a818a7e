// The posterior over a coupling's pairs given a point x at time t, and its two means:
//
//   w_ij(x, t) ∝ π_ij N(x; c₀(t) x_i + c₁(t) y_j, c(t) I),
//   x̂ = E[X_0 | X_t = x] = Σ w_ij x_i,     ŷ = E[X_1 | X_t = x] = Σ w_ij y_j,
//
// where N(c₀ x_i + c₁ y_j, c I) is the marginal at t of the reference bridge from x_i to y_j
// (bridge-reference.ts; Brownian: c₀ = 1 − t, c₁ = t, c = ε t(1 − t)). The mixture of bridges has
// marginal p_t = Σ π_ij N(c₀ x_i + c₁ y_j, c I), so ∇log p_t(x) = (c₀ x̂ + c₁ ŷ − x)/c.
//
// Weights are computed as log-sum-exp, logit_ij = log π_ij − ‖x − mean_ij‖²/(2c), from differences
// in float64. Pairs whose logit is LOGIT_CUTOFF below the row's largest are skipped (weight
// < e^{−40}), whole blocks at a time where the block's bound (bridge-pairs.ts) allows; the skipped
// terms move x̂, ŷ by less than (number of pairs)·e^{−40} times the data's diameter.
//
// The ends. At t = 0 and t = 1 (and for every t when ε = 0 under the Brownian reference) c = 0
// and the posterior is the limit c → 0: all weight on the pairs whose mean is nearest to x. Which
// of those tied pairs (at t = 0, the nearest source point's pairs) is not decided by π alone:
// writing p_t(x | x_i, y_j) = r_{0t}(x | x_i) r_{t1}(y_j | x)/r_{01}(y_j | x_i) (Markov property of
// the reference; r the transition densities), as t → 0 the first factor picks the nearest source
// x_i and the rest tends to r_{01}(y_j | x)/r_{01}(y_j | x_i), so
//   w_ij(x, 0⁺) ∝ π_ij exp((‖y_j − α x_i‖² − ‖y_j − α x‖²)/(2σ²)),  α = α(0,1), σ² = σ²(0,1),
// a tilt towards the targets on x's side of its source point (Brownian: e^{(x − x_i)·(y_j − x_i)/ε}
// up to a factor common to the ties), and symmetrically at t = 1. For a Gibbs plan this is exactly
// E[Y | X_0 = x] of the plan extended to every x (bridge-gibbs.ts). With ε = 0, or when x is so far
// away that every logit underflows to −∞, the ties share by π alone: never NaN.

import { createExpTable, expNonPositive, LOGIT_CUTOFF } from '../denoisers/empirical-kernel';
import type { PosteriorMeans } from './bridge-gibbs';
import type { PairIndex } from './bridge-pairs';
import type { BridgeCoefficients, ReferenceProcess, Transition } from './bridge-reference';

/** Working memory for one time: the pair means at t and the blocks' balls around them. */
export interface PosteriorScratch {
  /** Mean of each pair's bridge at the prepared time, [count, dim]. */
  readonly means: Float64Array;
  readonly blockCentres: Float64Array;
  readonly blockRadii: Float64Array;
  readonly blockBounds: Float64Array;
  readonly includedBlocks: Int32Array;
  readonly logits: Float64Array;
  readonly expTable: Float64Array;
  /** The prepared time's bridge variance c(t) (0 at the ends). */
  variance: number;
}

export function createPosteriorScratch(index: PairIndex): PosteriorScratch {
  const blocks = index.blockStarts.length - 1;
  return {
    means: new Float64Array(index.count * index.dim),
    blockCentres: new Float64Array(blocks * index.dim),
    blockRadii: new Float64Array(blocks),
    blockBounds: new Float64Array(blocks),
    includedBlocks: new Int32Array(blocks),
    logits: new Float64Array(index.count),
    expTable: createExpTable(LOGIT_CUTOFF),
    variance: 0,
  };
}

/** Which end's limit a c = 0 posterior takes (see above); 'none' shares ties by π alone. */
type EndTilt = 'start' | 'end' | 'none';

/** The pairwise posterior means of any plan (its support indexed in `index`). */
export function createPairPosterior(index: PairIndex, reference: ReferenceProcess): PosteriorMeans {
  const scratch = createPosteriorScratch(index);
  const endToEnd = reference.transition(0, 1);
  return (x, t, sourceMean, targetMean) => {
    preparePosterior(index, reference.bridge(0, t), scratch);
    const tilt: EndTilt = !(endToEnd.variance > 0)
      ? 'none'
      : t === 0
        ? 'start'
        : t === 1
          ? 'end'
          : 'none';
    posteriorMeans(
      index,
      scratch,
      x,
      0,
      x.length / index.dim,
      sourceMean,
      targetMean,
      tilt,
      endToEnd,
    );
  };
}

/**
 * Fills the scratch for the time whose bridge marginal (from time 0) is `marginal`: every pair's
 * mean c₀ x_i + c₁ y_j, and every block's ball around its means, c₀ r_x + c₁ r_y about
 * c₀ centre_x + c₁ centre_y. Shared by all particles at that time.
 */
export function preparePosterior(
  index: PairIndex,
  marginal: BridgeCoefficients,
  scratch: PosteriorScratch,
): void {
  const { fromStart: c0, toEnd: c1 } = marginal;
  const { sources, targets, sourceCentres, targetCentres, sourceRadii, targetRadii } = index;
  for (let k = 0; k < scratch.means.length; k++)
    scratch.means[k] = c0 * sources[k]! + c1 * targets[k]!;
  for (let k = 0; k < scratch.blockCentres.length; k++)
    scratch.blockCentres[k] = c0 * sourceCentres[k]! + c1 * targetCentres[k]!;
  for (let b = 0; b < scratch.blockRadii.length; b++)
    scratch.blockRadii[b] = (c0 * sourceRadii[b]! + c1 * targetRadii[b]!) * (1 + 1e-12) + 1e-300;
  scratch.variance = marginal.variance;
}

/**
 * x̂ and ŷ for rows rowStart … rowEnd − 1 of x ([rows, dim]), written to the same rows of
 * sourceMean and targetMean, at the time prepared in `scratch`.
 */
export function posteriorMeans(
  index: PairIndex,
  scratch: PosteriorScratch,
  x: Float64Array,
  rowStart: number,
  rowEnd: number,
  sourceMean: Float64Array,
  targetMean: Float64Array,
  tilt: EndTilt,
  endToEnd: Transition,
): void {
  for (let row = rowStart; row < rowEnd; row++) {
    const soft =
      scratch.variance > 0 &&
      softPosterior(index, scratch, x, row, sourceMean, targetMean, 1 / (2 * scratch.variance));
    if (!soft)
      hardPosterior(
        index,
        scratch,
        x,
        row,
        sourceMean,
        targetMean,
        scratch.variance > 0 ? 'none' : tilt,
        endToEnd,
      );
  }
}

/**
 * The lowest possible squared distance from row `row` of x to a mean of each block, written to
 * blockBounds; returns the block with the smallest.
 */
function boundDistances(
  index: PairIndex,
  scratch: PosteriorScratch,
  x: Float64Array,
  row: number,
): number {
  const { dim } = index;
  const { blockCentres, blockRadii, blockBounds } = scratch;
  let nearest = 0;
  for (let b = 0; b < blockRadii.length; b++) {
    let squared = 0;
    for (let c = 0; c < dim; c++) {
      const difference = x[row * dim + c]! - blockCentres[b * dim + c]!;
      squared += difference * difference;
    }
    const gap = Math.max(0, Math.sqrt(squared) - blockRadii[b]!);
    blockBounds[b] = gap * gap;
    if (blockBounds[b]! < blockBounds[nearest]!) nearest = b;
  }
  return nearest;
}

/** c > 0: log-sum-exp weights. Returns false when every logit underflowed (x far away). */
function softPosterior(
  index: PairIndex,
  scratch: PosteriorScratch,
  x: Float64Array,
  row: number,
  sourceMean: Float64Array,
  targetMean: Float64Array,
  inverseTwoVariance: number,
): boolean {
  const { dim, logWeights, blockStarts, blockMaxLogWeights } = index;
  const { means, blockBounds, includedBlocks, logits } = scratch;
  const blocks = blockStarts.length - 1;
  const offset = row * dim;
  const nearest = boundDistances(index, scratch, x, row);
  // Bounds become logit bounds: the block's best weight at its nearest possible distance.
  for (let b = 0; b < blocks; b++)
    blockBounds[b] = blockMaxLogWeights[b]! - blockBounds[b]! * inverseTwoVariance;
  // The nearest block first, so that its best logit prunes the others.
  let largest = -Infinity;
  let included = 0;
  for (let visit = -1; visit < blocks; visit++) {
    const b = visit < 0 ? nearest : visit;
    if (visit === nearest || blockBounds[b]! < largest - LOGIT_CUTOFF) continue;
    includedBlocks[included++] = b;
    for (let p = blockStarts[b]!; p < blockStarts[b + 1]!; p++) {
      let squared = 0;
      for (let c = 0; c < dim; c++) {
        const difference = x[offset + c]! - means[p * dim + c]!;
        squared += difference * difference;
      }
      const logit = logWeights[p]! - squared * inverseTwoVariance;
      logits[p] = logit;
      if (logit > largest) largest = logit;
    }
  }
  if (largest === -Infinity) return false;
  softmaxMeans(index, scratch, included, largest, offset, sourceMean, targetMean);
  return true;
}

/**
 * x̂ and ŷ of one row (at `offset`) as the softmax of the logits of the pairs in the first `count`
 * blocks of scratch.includedBlocks, `largest` the largest of those logits; pairs LOGIT_CUTOFF
 * below it are skipped.
 */
function softmaxMeans(
  index: PairIndex,
  scratch: PosteriorScratch,
  count: number,
  largest: number,
  offset: number,
  sourceMean: Float64Array,
  targetMean: Float64Array,
): void {
  const { dim, sources, targets, blockStarts } = index;
  const { includedBlocks, logits, expTable } = scratch;
  let total = 0;
  for (let c = 0; c < dim; c++) sourceMean[offset + c] = targetMean[offset + c] = 0;
  for (let visit = 0; visit < count; visit++) {
    const b = includedBlocks[visit]!;
    for (let p = blockStarts[b]!; p < blockStarts[b + 1]!; p++) {
      const z = logits[p]! - largest;
      if (!(z >= -LOGIT_CUTOFF)) continue;
      const weight = expNonPositive(z, expTable);
      total += weight;
      for (let c = 0; c < dim; c++) {
        sourceMean[offset + c]! += weight * sources[p * dim + c]!;
        targetMean[offset + c]! += weight * targets[p * dim + c]!;
      }
    }
  }
  for (let c = 0; c < dim; c++) {
    sourceMean[offset + c]! /= total;
    targetMean[offset + c]! /= total;
  }
}

/**
 * c = 0 (or every logit underflowed): the pairs whose mean is nearest to x, weighted by π and the
 * end's tilt (see above).
 */
function hardPosterior(
  index: PairIndex,
  scratch: PosteriorScratch,
  x: Float64Array,
  row: number,
  sourceMean: Float64Array,
  targetMean: Float64Array,
  tilt: EndTilt,
  { decay, variance }: Transition,
): void {
  const { dim, sources, targets, logWeights, blockStarts } = index;
  const { means, blockBounds, logits } = scratch;
  const blocks = blockStarts.length - 1;
  const offset = row * dim;
  const nearest = boundDistances(index, scratch, x, row);
  // logits[p] holds squared distances first; only blocks that could hold the nearest mean count.
  let closest = Infinity;
  for (let visit = -1; visit < blocks; visit++) {
    const b = visit < 0 ? nearest : visit;
    if (visit === nearest || blockBounds[b]! > closest) continue;
    for (let p = blockStarts[b]!; p < blockStarts[b + 1]!; p++) {
      let squared = 0;
      for (let c = 0; c < dim; c++) {
        const difference = x[offset + c]! - means[p * dim + c]!;
        squared += difference * difference;
      }
      logits[p] = squared;
      if (squared < closest) closest = squared;
    }
  }
  // Then, for the tied pairs, log π plus the tilt: at the start
  // (‖y − α x_i‖² − ‖y − α x‖²)/(2σ²), at the end (‖y − α x_i‖² − ‖x − α x_i‖²)/(2σ²).
  let largest = -Infinity;
  for (let b = 0; b < blocks; b++) {
    if (blockBounds[b]! > closest) continue;
    for (let p = blockStarts[b]!; p < blockStarts[b + 1]!; p++) {
      if (logits[p] !== closest) {
        logits[p] = -Infinity;
        continue;
      }
      let logit = logWeights[p]!;
      if (tilt !== 'none') {
        let kept = 0;
        let moved = 0;
        for (let c = 0; c < dim; c++) {
          const start = decay * sources[p * dim + c]!;
          kept += (targets[p * dim + c]! - start) ** 2;
          moved +=
            tilt === 'start'
              ? (targets[p * dim + c]! - decay * x[offset + c]!) ** 2
              : (x[offset + c]! - start) ** 2;
        }
        logit += (kept - moved) / (2 * variance);
      }
      logits[p] = logit;
      if (logit > largest) largest = logit;
    }
  }
  // A tilt can overflow only for x beyond ~1e150; then the π-weighted ties stand in.
  if (!Number.isFinite(largest)) {
    largest = -Infinity;
    for (let b = 0; b < blocks; b++) {
      if (blockBounds[b]! > closest) continue;
      for (let p = blockStarts[b]!; p < blockStarts[b + 1]!; p++)
        if (logits[p] !== -Infinity) largest = Math.max(largest, (logits[p] = logWeights[p]!));
    }
  }
  let count = 0;
  for (let b = 0; b < blocks; b++)
    if (!(blockBounds[b]! > closest)) scratch.includedBlocks[count++] = b;
  softmaxMeans(index, scratch, count, largest, offset, sourceMean, targetMean);
}
