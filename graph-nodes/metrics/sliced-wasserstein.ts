// Sliced Wasserstein-2 distance: W2 between the 1-D projections of two point clouds on random
// directions, averaged over directions (Rabin et al. 2011; Bonneel et al. 2015):
//   SW2(μ, ν) = ( E_θ W2²(θ·μ, θ·ν) )^{1/2},  θ uniform on the unit sphere.
// In 1-D, W2 is exact: the L2 distance between the two quantile functions.
import { createRng } from '../math/rng';
import { checkSameDimension, type PointSet } from './point-set';

export interface SlicedWassersteinOptions {
  /** Number of random directions. */
  readonly projections: number;
  readonly seed: number;
}

export function slicedWasserstein(
  a: PointSet,
  b: PointSet,
  { projections, seed }: SlicedWassersteinOptions,
): number {
  checkSameDimension(a, b, 'sliced Wasserstein');
  if (a.n === 0 || b.n === 0) throw new Error('sliced Wasserstein of an empty point set');
  const rng = createRng(seed);
  const direction = new Float64Array(a.dim);
  let sum = 0;
  for (let p = 0; p < projections; p++) {
    rng.fillNormal(direction);
    // Normal draws normalised are uniform on the sphere.
    let squaredNorm = 0;
    for (let k = 0; k < a.dim; k++) squaredNorm += direction[k]! * direction[k]!;
    const norm = Math.sqrt(squaredNorm);
    for (let k = 0; k < a.dim; k++) direction[k] = direction[k]! / norm;
    sum += wasserstein2Squared1d(project(a, direction), project(b, direction));
  }
  return Math.sqrt(sum / projections);
}

/**
 * W2² between two 1-D empirical distributions (equal weights within each), exactly:
 * ∫₀¹ (F_a⁻¹(u) − F_b⁻¹(u))² du. Both quantile functions are steps, at multiples of 1/n and of
 * 1/m; the integral is a sum over the merged steps. Sizes may differ; equal sizes reduce to
 * mean_i (a_(i) − b_(i))².
 */
export function wasserstein2Squared1d(a: Float64Array, b: Float64Array): number {
  const sortedA = Float64Array.from(a).sort();
  const sortedB = Float64Array.from(b).sort();
  const n = sortedA.length;
  const m = sortedB.length;
  // Positions on [0, 1] in units of 1/(n·m), integers, so step ends compare exactly.
  let position = 0;
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const endA = (i + 1) * m;
    const endB = (j + 1) * n;
    const end = Math.min(endA, endB);
    const difference = sortedA[i]! - sortedB[j]!;
    total += (end - position) * difference * difference;
    position = end;
    if (endA === end) i++;
    if (endB === end) j++;
  }
  return total / (n * m);
}

function project(set: PointSet, direction: Float64Array): Float64Array {
  const out = new Float64Array(set.n);
  for (let i = 0; i < set.n; i++) {
    let dot = 0;
    for (let k = 0; k < set.dim; k++) dot += set.values[i * set.dim + k]! * direction[k]!;
    out[i] = dot;
  }
  return out;
}
