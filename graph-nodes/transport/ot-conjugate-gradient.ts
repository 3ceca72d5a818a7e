// Jacobi-preconditioned conjugate gradients for a symmetric positive semidefinite system
// H x = rhs given only products with H, as the Newton steps of the Sinkhorn solver need.
//
// The Newton matrix [[D_r, π], [πᵀ, D_c]] is singular (null vector (1, −1): shifting f up and g
// down leaves the plan alone), but its right-hand side (a − r; b − c) is orthogonal to that null
// vector (both marginals carry the same mass), so the system is consistent and CG from x = 0 stays
// in the range of H up to rounding; any drift along the null vector does not change the plan.

export interface ConjugateGradientResult {
  /** The approximate solution (starting from 0). */
  readonly x: Float64Array;
  /** Iterations run (one product with H each). */
  readonly iterations: number;
  /** ‖H x − rhs‖₁ / ‖rhs‖₁ reached. */
  readonly relativeResidual: number;
}

/**
 * Solves H x = rhs to ‖H x − rhs‖₁ ≤ `relativeTolerance` ‖rhs‖₁, or stops after `maxIterations`.
 * `applyH(v, out)` writes H v into out; `diagonal` is H's diagonal (positive), the preconditioner.
 */
export function conjugateGradient(
  applyH: (v: Float64Array, out: Float64Array) => void,
  diagonal: Float64Array,
  rhs: Float64Array,
  relativeTolerance: number,
  maxIterations: number,
): ConjugateGradientResult {
  const size = rhs.length;
  const x = new Float64Array(size);
  const residual = rhs.slice();
  const preconditioned = new Float64Array(size);
  const direction = new Float64Array(size);
  const product = new Float64Array(size);
  let rhsNorm = 0;
  let rz = 0;
  for (let k = 0; k < size; k++) {
    rhsNorm += Math.abs(rhs[k]!);
    preconditioned[k] = residual[k]! / diagonal[k]!;
    direction[k] = preconditioned[k]!;
    rz += residual[k]! * preconditioned[k]!;
  }
  if (rhsNorm === 0) return { x, iterations: 0, relativeResidual: 0 };
  let residualNorm = rhsNorm;
  let iterations = 0;
  while (iterations < maxIterations && residualNorm > relativeTolerance * rhsNorm) {
    applyH(direction, product);
    iterations++;
    let curvature = 0;
    for (let k = 0; k < size; k++) curvature += direction[k]! * product[k]!;
    // Zero curvature: the direction lies in H's null space (rounding); nothing more to gain.
    if (!(curvature > 0)) break;
    const step = rz / curvature;
    residualNorm = 0;
    let rzNext = 0;
    for (let k = 0; k < size; k++) {
      x[k] = x[k]! + step * direction[k]!;
      residual[k] = residual[k]! - step * product[k]!;
      residualNorm += Math.abs(residual[k]!);
      preconditioned[k] = residual[k]! / diagonal[k]!;
      rzNext += residual[k]! * preconditioned[k]!;
    }
    const beta = rzNext / rz;
    rz = rzNext;
    for (let k = 0; k < size; k++) direction[k] = preconditioned[k]! + beta * direction[k]!;
  }
  return { x, iterations, relativeResidual: residualNorm / rhsNorm };
}
