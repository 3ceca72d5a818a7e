// The discrete optimal-transport problem shared by the entropic (Sinkhorn) and exact solvers:
// two weighted point clouds and the cost of moving mass between them.
//
// Conventions (a contract the transport nodes and the bridge code rely on):
//   x: source points, row-major [n, d];  y: target points, row-major [m, d];
//   a: source weights [n], b: target weights [m]: positive, each summing to 1 (uniform when absent);
//   cost c_ij = ½‖x_i − y_j‖² unless the caller supplies a cost matrix or a cost function (another
//   reference process brings its own cost, e.g. c_ij = ε‖y_j − α x_i‖²/(2(1 − α²)) for an
//   Ornstein–Uhlenbeck reference).

export interface OtProblem {
  /** Source points, row-major [n, dim]. */
  readonly x: Float64Array;
  /** Target points, row-major [m, dim]. */
  readonly y: Float64Array;
  /** Dimension d of every point. */
  readonly dim: number;
  /** Source weights [n]: positive, summing to 1. Uniform 1/n when absent. */
  readonly a?: Float64Array;
  /** Target weights [m]: positive, summing to 1. Uniform 1/m when absent. */
  readonly b?: Float64Array;
  /** Cost matrix, row-major [n, m]; overrides `costFunction` and the default ½‖x − y‖². */
  readonly cost?: Float64Array;
  /** Cost of one pair, given the two points as length-`dim` views; used when `cost` is absent. */
  readonly costFunction?: (source: Float64Array, target: Float64Array) => number;
}

/** A problem checked and made explicit: sizes, weights and the full cost matrix. */
export interface ResolvedOtProblem {
  readonly n: number;
  readonly m: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
  /** Row-major [n, m], every entry finite. */
  readonly cost: Float64Array;
}

/** Weights may miss 1 by this much (relative) before they are refused; they are then renormalised. */
const WEIGHT_SUM_TOLERANCE = 1e-9;

/** Checks `problem` (sizes, finite values, positive weights summing to 1) and builds its cost matrix. */
export function resolveOtProblem(problem: OtProblem, caller: string): ResolvedOtProblem {
  const { x, y, dim } = problem;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new Error(`${caller}: dim must be a whole number ≥ 1 (got ${dim})`);
  }
  if (x.length % dim !== 0 || y.length % dim !== 0) {
    throw new Error(
      `${caller}: x has ${x.length} and y has ${y.length} numbers; both must be multiples of dim = ${dim}`,
    );
  }
  const n = x.length / dim;
  const m = y.length / dim;
  if (n < 1 || m < 1) throw new Error(`${caller}: need at least one source and one target point`);
  const a = resolveWeights(problem.a, n, 'a', caller);
  const b = resolveWeights(problem.b, m, 'b', caller);
  const cost = problem.cost
    ? checkCostMatrix(problem.cost, n, m, caller)
    : pairwiseCost(x, y, dim, problem.costFunction, caller);
  return { n, m, a, b, cost };
}

/** c_ij for every pair: ½‖x_i − y_j‖² by default, else `costFunction(x_i, y_j)`. */
export function pairwiseCost(
  x: Float64Array,
  y: Float64Array,
  dim: number,
  costFunction?: (source: Float64Array, target: Float64Array) => number,
  caller = 'pairwiseCost',
): Float64Array {
  const n = x.length / dim;
  const m = y.length / dim;
  const cost = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const xi = x.subarray(i * dim, (i + 1) * dim);
    for (let j = 0; j < m; j++) {
      let value: number;
      if (costFunction) {
        value = costFunction(xi, y.subarray(j * dim, (j + 1) * dim));
      } else {
        let squared = 0;
        for (let k = 0; k < dim; k++) {
          const diff = xi[k]! - y[j * dim + k]!;
          squared += diff * diff;
        }
        value = 0.5 * squared;
      }
      if (!Number.isFinite(value)) {
        throw new Error(`${caller}: the cost of source ${i} and target ${j} is ${value}`);
      }
      cost[i * m + j] = value;
    }
  }
  return cost;
}

function checkCostMatrix(cost: Float64Array, n: number, m: number, caller: string): Float64Array {
  if (cost.length !== n * m) {
    throw new Error(
      `${caller}: the cost matrix has ${cost.length} entries, expected n × m = ${n} × ${m}`,
    );
  }
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k]!)) {
      throw new Error(
        `${caller}: cost[${Math.floor(k / m)}, ${k % m}] is ${cost[k]}; costs must be finite`,
      );
    }
  }
  return cost;
}

function resolveWeights(
  weights: Float64Array | undefined,
  count: number,
  name: string,
  caller: string,
): Float64Array {
  if (!weights) return new Float64Array(count).fill(1 / count);
  if (weights.length !== count) {
    throw new Error(`${caller}: ${name} has ${weights.length} weights for ${count} points`);
  }
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const w = weights[k]!;
    if (!(w > 0) || !Number.isFinite(w)) {
      throw new Error(`${caller}: ${name}[${k}] = ${w}; weights must be positive and finite`);
    }
    sum += w;
  }
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new Error(`${caller}: the weights ${name} sum to ${sum}, not 1`);
  }
  // Renormalise the last few ulps away so that both marginals carry exactly the same mass.
  const normalised = new Float64Array(count);
  for (let k = 0; k < count; k++) normalised[k] = weights[k]! / sum;
  return normalised;
}

/** max_ij c_ij − min_ij c_ij: the scale against which ε counts as large or small. */
export function costRange(cost: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < cost.length; k++) {
    const value = cost[k]!;
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  return hi - lo;
}
