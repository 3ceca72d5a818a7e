// The support of a coupling as a list of pairs (i, j) with π_ij > 0, grouped into spatially compact
// blocks so that the posterior over pairs (bridge-posterior.ts) can skip whole blocks.
//
// Pruning the plan. Pairs with π_ij < max π · e^{−PLAN_CUTOFF} are dropped: they carry less than
// n·m·e^{−40} ≈ 4e-18·n·m of the mass, so the mixture of bridges changes by less than that in total
// variation. Exact plans are sparse (at most n + m − 1 pairs); entropic plans at small ε are nearly
// so, since π_ij ∝ e^{−(c_ij − f_i − g_j)/ε} underflows this cutoff away from the transport map.
//
// Blocks. A bridge's marginal at time t has mean c₀(t) x_i + c₁(t) y_j with c₀, c₁ ≥ 0, which moves
// with t, so the blocks are built once in the joint space (x_i, y_j) ∈ R^{2d} (k-d tree leaves, split
// at the median of the widest of the 2d coordinates) and carry a ball around their sources and one
// around their targets. At time t every mean of the block lies within c₀ r_x + c₁ r_y of
// c₀ centre_x + c₁ centre_y (triangle inequality), which is what the posterior's bound uses.

import type { Coupling } from '../core/values';

/** Pairs whose plan weight is this many nats below the largest are dropped (see above). */
export const PLAN_CUTOFF = 40;

/** Pairs per block. Measured on the 2-D bench (n = m = 200): 16–64 are within noise. */
export const DEFAULT_PAIR_BLOCK_SIZE = 32;

/** The coupling's support pairs, in block order. */
export interface PairIndex {
  readonly count: number;
  readonly dim: number;
  /** Source point x_i of each pair, [count, dim]. */
  readonly sources: Float64Array;
  /** Target point y_j of each pair, [count, dim]. */
  readonly targets: Float64Array;
  /** log π_ij. */
  readonly logWeights: Float64Array;
  /** Indices i and j of each pair in the coupling. */
  readonly sourceIndex: Int32Array;
  readonly targetIndex: Int32Array;
  /** Block b holds pairs blockStarts[b] … blockStarts[b + 1] − 1. */
  readonly blockStarts: Int32Array;
  /** [blocks, dim] centres of the block's sources and of its targets, and the balls' radii. */
  readonly sourceCentres: Float64Array;
  readonly targetCentres: Float64Array;
  readonly sourceRadii: Float64Array;
  readonly targetRadii: Float64Array;
  readonly blockMaxLogWeights: Float64Array;
}

/** The support pairs of `coupling`'s plan, grouped into blocks of at most `blockSize` pairs. */
export function buildPairIndex(
  coupling: Coupling,
  blockSize: number = DEFAULT_PAIR_BLOCK_SIZE,
): PairIndex {
  const { n, m, dim, plan, source, target } = coupling;
  let largest = 0;
  for (let k = 0; k < n * m; k++) largest = Math.max(largest, plan[k]!);
  const threshold = largest * Math.exp(-PLAN_CUTOFF);
  let count = 0;
  for (let k = 0; k < n * m; k++) if (plan[k]! > 0 && plan[k]! >= threshold) count++;
  const support = new Int32Array(count);
  count = 0;
  for (let k = 0; k < n * m; k++) if (plan[k]! > 0 && plan[k]! >= threshold) support[count++] = k;

  const order = splitIntoBlocks(support, m, source, target, dim, blockSize);
  const blocks = order.blockStarts.length - 1;
  const sources = new Float64Array(count * dim);
  const targets = new Float64Array(count * dim);
  const logWeights = new Float64Array(count);
  const sourceIndex = new Int32Array(count);
  const targetIndex = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    const k = order.pairs[p]!;
    const [i, j] = [Math.floor(k / m), k % m];
    sourceIndex[p] = i;
    targetIndex[p] = j;
    for (let c = 0; c < dim; c++) {
      sources[p * dim + c] = source[i * dim + c]!;
      targets[p * dim + c] = target[j * dim + c]!;
    }
    logWeights[p] = Math.log(plan[k]!);
  }

  const sourceCentres = new Float64Array(blocks * dim);
  const targetCentres = new Float64Array(blocks * dim);
  const sourceRadii = new Float64Array(blocks);
  const targetRadii = new Float64Array(blocks);
  const blockMaxLogWeights = new Float64Array(blocks).fill(-Infinity);
  for (let b = 0; b < blocks; b++) {
    const [start, end] = [order.blockStarts[b]!, order.blockStarts[b + 1]!];
    for (let p = start; p < end; p++)
      blockMaxLogWeights[b] = Math.max(blockMaxLogWeights[b]!, logWeights[p]!);
    sourceRadii[b] = enclose(sources, start, end, dim, sourceCentres, b);
    targetRadii[b] = enclose(targets, start, end, dim, targetCentres, b);
  }
  return {
    count,
    dim,
    sources,
    targets,
    logWeights,
    sourceIndex,
    targetIndex,
    blockStarts: order.blockStarts,
    sourceCentres,
    targetCentres,
    sourceRadii,
    targetRadii,
    blockMaxLogWeights,
  };
}

/**
 * Writes the mean of rows start … end − 1 of `points` into centres[block] and returns the radius of
 * the ball around it that holds them, widened by a relative 1e-12 so that rounding in the centre can
 * never exclude a member.
 */
function enclose(
  points: Float64Array,
  start: number,
  end: number,
  dim: number,
  centres: Float64Array,
  block: number,
): number {
  for (let p = start; p < end; p++)
    for (let c = 0; c < dim; c++) centres[block * dim + c]! += points[p * dim + c]! / (end - start);
  let radiusSquared = 0;
  for (let p = start; p < end; p++) {
    let squared = 0;
    for (let c = 0; c < dim; c++)
      squared += (points[p * dim + c]! - centres[block * dim + c]!) ** 2;
    radiusSquared = Math.max(radiusSquared, squared);
  }
  return Math.sqrt(radiusSquared) * (1 + 1e-12) + 1e-300;
}

/**
 * Orders the support pairs (flat plan indices k = i·m + j) into k-d tree leaves over the joint
 * coordinates (x_i, y_j): each node is split at the median of its widest coordinate, found by
 * quickselect so that the build is O(P log P) even for dense plans.
 */
function splitIntoBlocks(
  support: Int32Array,
  m: number,
  source: Float64Array,
  target: Float64Array,
  dim: number,
  blockSize: number,
): { pairs: Int32Array; blockStarts: Int32Array } {
  const pairs = support.slice();
  const coordinate = (k: number, axis: number): number =>
    axis < dim ? source[Math.floor(k / m) * dim + axis]! : target[(k % m) * dim + axis - dim]!;
  const keys = new Float64Array(pairs.length);
  const starts: number[] = [0];
  const pending: [number, number][] = [[0, pairs.length]];
  while (pending.length > 0) {
    const [lo, hi] = pending.pop()!;
    if (hi - lo <= blockSize) continue;
    let widest = 0;
    let widestSpread = -1;
    for (let axis = 0; axis < 2 * dim; axis++) {
      let low = Infinity;
      let high = -Infinity;
      for (let p = lo; p < hi; p++) {
        const value = coordinate(pairs[p]!, axis);
        if (value < low) low = value;
        if (value > high) high = value;
      }
      if (high - low > widestSpread) [widest, widestSpread] = [axis, high - low];
    }
    if (widestSpread <= 0) continue; // all pairs coincide: one block
    for (let p = lo; p < hi; p++) keys[p] = coordinate(pairs[p]!, widest);
    const middle = (lo + hi) >> 1;
    selectNth(keys, pairs, lo, hi - 1, middle);
    starts.push(middle);
    pending.push([lo, middle], [middle, hi]);
  }
  const blockStarts = Int32Array.from(new Set([...starts, pairs.length])).sort();
  return { pairs, blockStarts };
}

/**
 * Reorders keys[lo..hi] (and `items` alongside) so that keys[nth] is the value it would have if
 * sorted, with no larger key before it and no smaller one after (Hoare's quickselect).
 */
function selectNth(
  keys: Float64Array,
  items: Int32Array,
  lo: number,
  hi: number,
  nth: number,
): void {
  const swap = (a: number, b: number): void => {
    const key = keys[a]!;
    keys[a] = keys[b]!;
    keys[b] = key;
    const item = items[a]!;
    items[a] = items[b]!;
    items[b] = item;
  };
  while (hi > lo) {
    const pivot = keys[(lo + hi) >> 1]!;
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (keys[i]! < pivot) i++;
      while (keys[j]! > pivot) j--;
      if (i <= j) swap(i++, j--);
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
