// Problems on which the kernels of the empirical denoiser must agree (empirical-dense.test.ts,
// empirical-device.test.ts): data with near-duplicate pairs, and queries near points and between
// the pairs, at noise levels from 80 down to 0.002.
import { createRng } from '../../../graph-nodes/math/rng';

export const SIGMAS = [80, 20, 5, 2, 1, 0.5, 0.2, 0.05, 0.01, 0.002];

/**
 * m points of unit-scale Gaussian data rounded to float32, the last quarter in close pairs (1e-3
 * to 1e-2 apart, near-duplicates): at small σ̃ the pair shares the weight, and float32's
 * ‖x‖² − 2x·y + ‖y‖² (error ~1e-7 ‖x‖‖y‖) could not tell the two apart.
 */
export function closePairsProblem(dim: number, count: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const values = rng.fillNormal(new Float32Array(count * dim));
  for (let j = Math.floor((3 * count) / 4); j + 1 < count; j += 2) {
    const separation = 1e-3 + 9e-3 * rng.uniform();
    for (let k = 0; k < dim; k++) {
      values[(j + 1) * dim + k] =
        values[j * dim + k]! + (separation / Math.sqrt(dim)) * (rng.uniform() < 0.5 ? -1 : 1);
    }
  }
  return values;
}

/** Rows near data points (and near the midpoints of the close pairs), noised at σ̃. */
export function noisedQueries(
  data: Float32Array,
  count: number,
  dim: number,
  rows: number,
  sigma: number,
  seed: number,
) {
  const rng = createRng(seed);
  const x = new Float32Array(rows * dim);
  for (let i = 0; i < rows; i++) {
    const j = Math.floor(rng.uniform() * count);
    const partner = j + 1 < count ? j + 1 : j;
    for (let k = 0; k < dim; k++) {
      const anchor =
        i % 2 ? (data[j * dim + k]! + data[partner * dim + k]!) / 2 : data[j * dim + k]!;
      x[i * dim + k] = anchor + sigma * rng.normal();
    }
  }
  return x;
}
