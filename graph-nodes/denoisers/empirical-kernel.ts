// The exact empirical denoiser as typed-array loops in float64, independent of any tfjs backend.
//
//   logit_k = log w_k − ‖x̃ − y_k‖²/(2σ̃²),   D(x̃) = Σ_k e^{logit_k − max} y_k / Σ_k e^{logit_k − max}
//
// Squared distances come from the differences themselves, in float64: at σ̃ = 0.002 a logit is
// ‖x̃ − y‖²·125 000, so float32's ‖x̃‖² − 2x̃·y + ‖y‖² (error ~1e-7‖x̃‖²) would decide the winner.
//
// Pruning. Points are grouped into spatially compact blocks (k-d tree leaves), each with a
// bounding ball, so a whole block can be skipped when even its closest possible point has a logit
// below max − LOGIT_CUTOFF. Every skipped term is < e^{−40}·(its weight), so the skipped mass is
// < m·e^{−40} ≈ 4e-18·m of the total and D moves by less than that times the data's diameter:
// far below float32 resolution. At large σ̃ nothing is skipped; at small σ̃ almost everything is.
//
// Everything here is plain functions over typed arrays with no imports and no closures, so that
// worker threads can be given the same code (see empirical-threads.ts).

/** Terms whose logit is this far below the row's largest are dropped (weight < e^{−40}). */
export const LOGIT_CUTOFF = 40;

/**
 * The kernels that find distances through float32 products recompute a row exactly when at most
 * this many terms are within reach of its largest (empirical-dense.ts, device-softmax.ts).
 */
export const MAX_EXACT_CANDIDATES = 64;

/** Data points per pruning block. Measured on the 2-D bench: 8–32 are within noise; 16 is best. */
export const DEFAULT_BLOCK_SIZE = 16;

/** The data set, reordered into blocks, with each block's bounding ball. */
export interface EmpiricalIndex {
  readonly count: number;
  readonly dim: number;
  /** [count, dim] in block order. */
  readonly points: Float64Array;
  /** log w_k (Σ w = 1) in block order. */
  readonly logWeights: Float64Array;
  /** Block b holds points blockStarts[b] … blockStarts[b + 1] − 1. */
  readonly blockStarts: Int32Array;
  /** [blocks, dim]: the mean of each block's points. */
  readonly blockCentres: Float64Array;
  /** Largest distance from a block's centre to one of its points. */
  readonly blockRadii: Float64Array;
  readonly blockMaxLogWeights: Float64Array;
}

/** Per-thread working memory for denoiseRows. */
export interface EmpiricalScratch {
  readonly logits: Float64Array;
  readonly blockBounds: Float64Array;
  readonly includedBlocks: Int32Array;
  readonly sums: Float64Array;
  readonly expTable: Float64Array;
}

/**
 * Groups the points into k-d tree leaves of at most `blockSize` points (split at the median of
 * the widest coordinate), so that each leaf is compact and its bounding ball is tight.
 */
export function buildEmpiricalIndex(
  points: ArrayLike<number>,
  count: number,
  dim: number,
  logWeights: ArrayLike<number>,
  blockSize: number,
): EmpiricalIndex {
  const order = Int32Array.from({ length: count }, (_, k) => k);
  const leaves: number[] = [0];
  const pending: [number, number][] = [[0, count]];
  while (pending.length > 0) {
    const [lo, hi] = pending.pop()!;
    if (hi - lo <= blockSize) continue;
    let widest = 0;
    let widestSpread = -1;
    for (let j = 0; j < dim; j++) {
      let low = Infinity;
      let high = -Infinity;
      for (let p = lo; p < hi; p++) {
        const value = points[order[p]! * dim + j]!;
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
      if (high - low > widestSpread) [widest, widestSpread] = [j, high - low];
    }
    order
      .subarray(lo, hi)
      .sort((a, b) => points[a * dim + widest]! - points[b * dim + widest]! || a - b);
    const middle = (lo + hi) >> 1;
    leaves.push(middle);
    pending.push([lo, middle], [middle, hi]);
  }
  const blockStarts = Int32Array.from(new Set([...leaves, count])).sort();
  const blocks = blockStarts.length - 1;

  const sorted = new Float64Array(count * dim);
  const sortedLogWeights = new Float64Array(count);
  order.forEach((source, target) => {
    for (let j = 0; j < dim; j++) sorted[target * dim + j] = points[source * dim + j]!;
    sortedLogWeights[target] = logWeights[source]!;
  });
  const blockCentres = new Float64Array(blocks * dim);
  const blockRadii = new Float64Array(blocks);
  const blockMaxLogWeights = new Float64Array(blocks).fill(-Infinity);
  for (let b = 0; b < blocks; b++) {
    const [start, end] = [blockStarts[b]!, blockStarts[b + 1]!];
    for (let k = start; k < end; k++) {
      for (let j = 0; j < dim; j++)
        blockCentres[b * dim + j]! += sorted[k * dim + j]! / (end - start);
      blockMaxLogWeights[b] = Math.max(blockMaxLogWeights[b]!, sortedLogWeights[k]!);
    }
    let radiusSquared = 0;
    for (let k = start; k < end; k++) {
      let squared = 0;
      for (let j = 0; j < dim; j++)
        squared += (sorted[k * dim + j]! - blockCentres[b * dim + j]!) ** 2;
      radiusSquared = Math.max(radiusSquared, squared);
    }
    // Widened by a relative 1e-12 so rounding in the centre can never exclude a member point.
    blockRadii[b] = Math.sqrt(radiusSquared) * (1 + 1e-12) + 1e-300;
  }
  return {
    count,
    dim,
    points: sorted,
    logWeights: sortedLogWeights,
    blockStarts,
    blockCentres,
    blockRadii,
    blockMaxLogWeights,
  };
}

/**
 * 2^{−j/32} for j = 0 … 32·LOGIT_CUTOFF/ln 2 + 1: the table half of expNonPositive's range
 * reduction. The cutoff is passed in so the function has no free variables (it runs in workers).
 */
export function createExpTable(cutoff: number): Float64Array {
  const size = Math.ceil((cutoff * 32) / Math.LN2) + 2;
  return Float64Array.from({ length: size }, (_, j) => Math.pow(2, -j / 32));
}

export function createEmpiricalScratch(index: EmpiricalIndex, cutoff: number): EmpiricalScratch {
  const blocks = index.blockStarts.length - 1;
  return {
    logits: new Float64Array(index.count),
    blockBounds: new Float64Array(blocks),
    includedBlocks: new Int32Array(blocks),
    sums: new Float64Array(index.dim),
    expTable: createExpTable(cutoff),
  };
}

/**
 * e^z for −cutoff ≤ z ≤ 0, relative error < 2e-12: z = −j·ln2/32 + r with |r| ≤ ln2/64, so
 * e^z = 2^{−j/32}·e^r, the first factor from the table and e^r from its degree-4 Taylor polynomial
 * (remainder r⁵/120 < 1.3e-12). About twice as fast as Math.exp in V8, where exp is the kernel's
 * largest cost at large σ̃.
 */
export function expNonPositive(z: number, expTable: Float64Array): number {
  const j = (z * -46.16624130844683 + 0.5) | 0; // 32/ln 2
  const r = z + j * 0.02166084939249829; // ln 2/32
  return (
    expTable[j]! * (1 + r * (1 + r * (0.5 + r * (0.16666666666666666 + r * 0.041666666666666664))))
  );
}

/**
 * D(x̃; σ̃) for rows rowStart … rowEnd − 1 of x ([n, dim] row-major), written to the same rows of
 * out. Rows are independent, so callers may split them across threads.
 */
export function denoiseRows(
  index: EmpiricalIndex,
  x: Float64Array,
  rowStart: number,
  rowEnd: number,
  sigmaTilde: number,
  out: Float32Array,
  scratch: EmpiricalScratch,
  cutoff: number,
): void {
  if (index.dim === 2)
    denoiseRowsPlanar(index, x, rowStart, rowEnd, sigmaTilde, out, scratch, cutoff);
  else denoiseRowsAnyDim(index, x, rowStart, rowEnd, sigmaTilde, out, scratch, cutoff);
}

/**
 * Fills scratch.blockBounds with the highest logit any point of each block could have (the nearest
 * point of its ball, its best weight) and returns the block with the highest bound.
 */
export function boundBlocks(
  index: EmpiricalIndex,
  x: Float64Array,
  xOffset: number,
  inverseTwoVariance: number,
  blockBounds: Float64Array,
): number {
  const { dim, blockCentres, blockRadii, blockMaxLogWeights } = index;
  const blocks = blockRadii.length;
  let bestBlock = 0;
  for (let b = 0; b < blocks; b++) {
    let squared = 0;
    for (let j = 0; j < dim; j++) {
      const difference = x[xOffset + j]! - blockCentres[b * dim + j]!;
      squared += difference * difference;
    }
    const gap = Math.max(0, Math.sqrt(squared) - blockRadii[b]!);
    blockBounds[b] = blockMaxLogWeights[b]! - gap * gap * inverseTwoVariance;
    if (blockBounds[b]! > blockBounds[bestBlock]!) bestBlock = b;
  }
  return bestBlock;
}

/** Any dimension: the loops over coordinates are the inner ones. */
export function denoiseRowsAnyDim(
  index: EmpiricalIndex,
  x: Float64Array,
  rowStart: number,
  rowEnd: number,
  sigmaTilde: number,
  out: Float32Array,
  scratch: EmpiricalScratch,
  cutoff: number,
): void {
  const { dim, points, logWeights, blockStarts } = index;
  const { logits, blockBounds, includedBlocks, sums, expTable } = scratch;
  const blocks = blockStarts.length - 1;
  const inverseTwoVariance = 1 / (2 * sigmaTilde * sigmaTilde);
  for (let row = rowStart; row < rowEnd; row++) {
    const xOffset = row * dim;
    const bestBlock = boundBlocks(index, x, xOffset, inverseTwoVariance, blockBounds);
    // The most promising block first, so that its best logit prunes the others.
    let largest = -Infinity;
    let included = 0;
    for (let visit = -1; visit < blocks; visit++) {
      const b = visit < 0 ? bestBlock : visit;
      if (visit === bestBlock || blockBounds[b]! < largest - cutoff) continue;
      includedBlocks[included++] = b;
      for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
        let squared = 0;
        for (let j = 0; j < dim; j++) {
          const difference = x[xOffset + j]! - points[k * dim + j]!;
          squared += difference * difference;
        }
        const logit = logWeights[k]! - squared * inverseTwoVariance;
        logits[k] = logit;
        if (logit > largest) largest = logit;
      }
    }
    let total = 0;
    sums.fill(0);
    for (let visit = 0; visit < included; visit++) {
      const b = includedBlocks[visit]!;
      for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
        const z = logits[k]! - largest;
        if (z < -cutoff) continue;
        const weight = expNonPositive(z, expTable);
        total += weight;
        for (let j = 0; j < dim; j++) sums[j]! += weight * points[k * dim + j]!;
      }
    }
    for (let j = 0; j < dim; j++) out[xOffset + j] = sums[j]! / total;
  }
}

/**
 * The same for d = 2 (the toy data sets), with the coordinate loops written out: measured about
 * twice as fast as the general loops, which V8 does not unroll.
 */
export function denoiseRowsPlanar(
  index: EmpiricalIndex,
  x: Float64Array,
  rowStart: number,
  rowEnd: number,
  sigmaTilde: number,
  out: Float32Array,
  scratch: EmpiricalScratch,
  cutoff: number,
): void {
  const { points, logWeights, blockStarts } = index;
  const { logits, blockBounds, includedBlocks, expTable } = scratch;
  const blocks = blockStarts.length - 1;
  const inverseTwoVariance = 1 / (2 * sigmaTilde * sigmaTilde);
  for (let row = rowStart; row < rowEnd; row++) {
    const x0 = x[2 * row]!;
    const x1 = x[2 * row + 1]!;
    const bestBlock = boundBlocks(index, x, 2 * row, inverseTwoVariance, blockBounds);
    let largest = -Infinity;
    let included = 0;
    for (let visit = -1; visit < blocks; visit++) {
      const b = visit < 0 ? bestBlock : visit;
      if (visit === bestBlock || blockBounds[b]! < largest - cutoff) continue;
      includedBlocks[included++] = b;
      for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
        const d0 = x0 - points[2 * k]!;
        const d1 = x1 - points[2 * k + 1]!;
        const logit = logWeights[k]! - (d0 * d0 + d1 * d1) * inverseTwoVariance;
        logits[k] = logit;
        if (logit > largest) largest = logit;
      }
    }
    let total = 0;
    let sum0 = 0;
    let sum1 = 0;
    for (let visit = 0; visit < included; visit++) {
      const b = includedBlocks[visit]!;
      for (let k = blockStarts[b]!; k < blockStarts[b + 1]!; k++) {
        const z = logits[k]! - largest;
        if (z < -cutoff) continue;
        const weight = expNonPositive(z, expTable);
        total += weight;
        sum0 += weight * points[2 * k]!;
        sum1 += weight * points[2 * k + 1]!;
      }
    }
    out[2 * row] = sum0 / total;
    out[2 * row + 1] = sum1 / total;
  }
}
