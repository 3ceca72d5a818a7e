// Exact (unregularised) optimal transport: the ε → 0 limit of the entropic problem in sinkhorn.ts,
//   min_π ⟨π, c⟩  over π ≥ 0 with row sums a and column sums b,
// with its dual  max Σ_i a_i f_i + Σ_j b_j g_j  s.t.  f_i + g_j ≤ c_ij.
//
// Two solvers, both exact up to float64 rounding and both returning an optimal dual pair:
// - n = m with uniform weights: the assignment problem (ot-assignment.ts), since an optimal plan
//   is then a permutation / n; O(n³), ~10–50 ms at n = 500.
// - anything else: the network simplex on the transportation problem (ot-network-simplex.ts),
//   ~10–30 ms at 300 × 200.
//
// The returned (f, g) certify optimality: f_i + g_j ≤ c_ij everywhere (to rounding), equality
// where π_ij > 0, and Σ a f + Σ b g = ⟨π, c⟩ (strong duality). As in the entropic solver they are
// defined up to (f + t, g − t).
import { solveAssignment } from './ot-assignment';
import { solveTransportSimplex } from './ot-network-simplex';
import { resolveOtProblem, type OtProblem, type ResolvedOtProblem } from './ot-problem';

export type ExactOtMethod = 'assignment' | 'network-simplex';

export interface ExactOtOptions {
  /**
   * 'auto' (the default) takes the assignment solver when it applies (n = m, uniform weights)
   * and the network simplex otherwise; the others force one (the assignment throws where it
   * does not apply).
   */
  readonly method?: 'auto' | ExactOtMethod;
}

export interface ExactOtSolution {
  readonly n: number;
  readonly m: number;
  /** An optimal π, row-major [n, m]; rows sum to a, columns to b, all to 1. */
  readonly plan: Float64Array;
  /** ⟨π, c⟩, the optimal transport cost. */
  readonly transportCost: number;
  /** Dual potential of the sources [n]. */
  readonly f: Float64Array;
  /** Dual potential of the targets [m]. */
  readonly g: Float64Array;
  readonly method: ExactOtMethod;
}

const CALLER = 'exact OT';

/** Solves the OT problem exactly (see the header); throws on bad input, like the entropic solver. */
export function solveExactOt(problem: OtProblem, options: ExactOtOptions = {}): ExactOtSolution {
  const resolved = resolveOtProblem(problem, CALLER);
  const method = chooseMethod(resolved, options.method ?? 'auto');
  const { plan, f, g } =
    method === 'assignment' ? assignmentPlan(resolved) : solveTransportSimplex(resolved);
  tightenSourcePotentials(resolved, f, g);
  return {
    n: resolved.n,
    m: resolved.m,
    plan,
    transportCost: transportCost(plan, resolved.cost),
    f,
    g,
    method,
  };
}

function chooseMethod(problem: ResolvedOtProblem, requested: string): ExactOtMethod {
  const square = problem.n === problem.m && isUniform(problem.a) && isUniform(problem.b);
  if (requested === 'auto') return square ? 'assignment' : 'network-simplex';
  if (requested === 'network-simplex') return requested;
  if (requested === 'assignment') {
    if (square) return requested;
    throw new Error(
      `${CALLER}: the assignment solver needs n = m and uniform weights (got ${problem.n} × ${problem.m}` +
        `${problem.n === problem.m ? ', non-uniform weights' : ''}); use 'network-simplex' or 'auto'`,
    );
  }
  throw new Error(
    `${CALLER}: unknown method '${requested}' (expected 'auto', 'assignment' or 'network-simplex')`,
  );
}

/** All weights bit-for-bit equal (resolveOtProblem gives exactly 1/n when none are passed). */
function isUniform(weights: Float64Array): boolean {
  const first = weights[0]!;
  for (let k = 1; k < weights.length; k++) if (weights[k] !== first) return false;
  return true;
}

/** π_iσ(i) = a_i: the permutation plan, with the assignment's potentials as the OT duals. */
function assignmentPlan(problem: ResolvedOtProblem): {
  plan: Float64Array;
  f: Float64Array;
  g: Float64Array;
} {
  const { n, a, cost } = problem;
  // With a_i = b_j = 1/n the OT dual objective is (Σ f + Σ g)/n and the primal Σ c_iσ(i)/n, so
  // the assignment's dual optimum is the OT one unscaled.
  const { columnOfRow, f, g } = solveAssignment(cost, n);
  const plan = new Float64Array(n * n);
  for (let i = 0; i < n; i++) plan[i * n + columnOfRow[i]!] = a[i]!;
  return { plan, f, g };
}

/**
 * f_i ← min_j (c_ij − g_j), the c-transform: makes f_i + g_j ≤ c_ij hold to one rounding for
 * every pair, whatever noise the solver's potentials carry. It moves f by no more than the worst
 * dual violation (≤ 1e-13 max|c| from the simplex's pricing tolerance), and only ever raises the
 * dual objective of a feasible pair, so tightness on the support and strong duality survive.
 */
function tightenSourcePotentials(problem: ResolvedOtProblem, f: Float64Array, g: Float64Array) {
  const { n, m, cost } = problem;
  for (let i = 0; i < n; i++) {
    const offset = i * m;
    let lowest = Infinity;
    for (let j = 0; j < m; j++) lowest = Math.min(lowest, cost[offset + j]! - g[j]!);
    f[i] = lowest;
  }
}

function transportCost(plan: Float64Array, cost: Float64Array): number {
  let total = 0;
  for (let k = 0; k < plan.length; k++) {
    const p = plan[k]!;
    if (p !== 0) total += p * cost[k]!;
  }
  return total;
}
