// Point clouds as plain row-major arrays, the form metrics are computed on (in float64, after the
// tensors have been downloaded).
import { createRng } from '../math/rng';

export interface PointSet {
  /** Row-major [n, dim]. */
  readonly values: ArrayLike<number>;
  readonly n: number;
  readonly dim: number;
}

export function pointSet(values: ArrayLike<number>, n: number, dim: number): PointSet {
  if (values.length !== n * dim) {
    throw new Error(`a point set [${n}, ${dim}] needs ${n * dim} values, got ${values.length}`);
  }
  return { values, n, dim };
}

/** `max` rows drawn without replacement (seeded), or the set itself when it has no more. */
export function subsampleRows(set: PointSet, max: number, seed: number): PointSet {
  if (set.n <= max) return set;
  const order = Array.from({ length: set.n }, (_, i) => i);
  const rng = createRng(seed);
  // A partial Fisher–Yates shuffle: the first `max` entries are a uniform draw.
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(rng.uniform() * (set.n - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Float64Array(max * set.dim);
  for (let i = 0; i < max; i++) {
    const row = order[i]!;
    for (let k = 0; k < set.dim; k++) out[i * set.dim + k] = set.values[row * set.dim + k]!;
  }
  return { values: out, n: max, dim: set.dim };
}

/** ‖row i of a − row j of b‖² */
export function squaredDistance(a: PointSet, i: number, b: PointSet, j: number): number {
  let sum = 0;
  const offsetA = i * a.dim;
  const offsetB = j * b.dim;
  for (let k = 0; k < a.dim; k++) {
    const difference = a.values[offsetA + k]! - b.values[offsetB + k]!;
    sum += difference * difference;
  }
  return sum;
}

export function checkSameDimension(a: PointSet, b: PointSet, what: string): void {
  if (a.dim !== b.dim) {
    throw new Error(`${what}: the point sets have dimensions ${a.dim} and ${b.dim}`);
  }
}
