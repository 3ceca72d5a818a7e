// Maximum mean discrepancy with a Gaussian kernel (Gretton et al. 2012): a distance between two
// distributions from samples alone, 0 exactly when they are equal (the kernel is characteristic).
//   k(x, y) = exp(−‖x − y‖² / (2h²))
//   MMD²_u = 1/(n(n−1)) Σ_{i≠j} k(x_i, x_j) + 1/(m(m−1)) Σ_{i≠j} k(y_i, y_j) − 2/(nm) Σ_{i,j} k(x_i, y_j)
// The unbiased estimator: its mean over draws is the true MMD², so it may come out slightly
// below 0 when the two distributions agree.
import { checkSameDimension, squaredDistance, subsampleRows, type PointSet } from './point-set';

export interface MmdOptions {
  /** Kernel bandwidth h; 0 or absent: the median heuristic. */
  readonly bandwidth?: number;
  /** Each set is subsampled to at most this many points (the cost grows as (n + m)²·d). */
  readonly maxPoints: number;
  readonly seed: number;
}

/** Points the median heuristic looks at: their pairwise distances are sorted. */
const MEDIAN_POINTS = 1000;

export function mmdSquared(
  a: PointSet,
  b: PointSet,
  options: MmdOptions,
): { mmd2: number; bandwidth: number } {
  checkSameDimension(a, b, 'MMD');
  if (a.n < 2 || b.n < 2) {
    throw new Error(`MMD needs at least 2 points on each side (got ${a.n} and ${b.n})`);
  }
  const x = subsampleRows(a, options.maxPoints, options.seed);
  const y = subsampleRows(b, options.maxPoints, options.seed + 1);
  const bandwidth =
    options.bandwidth && options.bandwidth > 0
      ? options.bandwidth
      : medianDistance(x, y, options.seed);
  const scale = -1 / (2 * bandwidth * bandwidth);

  const withinX = sumKernelWithin(x, scale) / (x.n * (x.n - 1));
  const withinY = sumKernelWithin(y, scale) / (y.n * (y.n - 1));
  let across = 0;
  for (let i = 0; i < x.n; i++) {
    for (let j = 0; j < y.n; j++) across += Math.exp(scale * squaredDistance(x, i, y, j));
  }
  return { mmd2: withinX + withinY - (2 * across) / (x.n * y.n), bandwidth };
}

/** Σ_{i≠j} k(x_i, x_j), each unordered pair counted twice. */
function sumKernelWithin(set: PointSet, scale: number): number {
  let sum = 0;
  for (let i = 0; i < set.n; i++) {
    for (let j = i + 1; j < set.n; j++) sum += Math.exp(scale * squaredDistance(set, i, set, j));
  }
  return 2 * sum;
}

/**
 * The median heuristic: h = median pairwise distance of the pooled points, so the kernel neither
 * saturates (h too small: every k ≈ 0) nor flattens (h too large: every k ≈ 1). 1 if all coincide.
 */
export function medianDistance(a: PointSet, b: PointSet, seed: number): number {
  const half = MEDIAN_POINTS / 2;
  const x = subsampleRows(a, half, seed + 2);
  const y = subsampleRows(b, half, seed + 3);
  const pooled = [...rowsOf(x), ...rowsOf(y)];
  const distances = new Float64Array((pooled.length * (pooled.length - 1)) / 2);
  let at = 0;
  for (let i = 0; i < pooled.length; i++) {
    for (let j = i + 1; j < pooled.length; j++) {
      const [setI, rowI] = pooled[i]!;
      const [setJ, rowJ] = pooled[j]!;
      distances[at++] = Math.sqrt(squaredDistance(setI, rowI, setJ, rowJ));
    }
  }
  distances.sort();
  const median = distances[Math.floor(distances.length / 2)] ?? 0;
  return median > 0 ? median : 1;
}

function rowsOf(set: PointSet): [PointSet, number][] {
  return Array.from({ length: set.n }, (_, row) => [set, row]);
}
