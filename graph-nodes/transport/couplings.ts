// Couplings (core/values.ts) from two point clouds: the entropic plan of a reference process, and
// the exact (unregularised) plan. The nodes under nodes/transport/ call these.
//
// Static Schrödinger bridge = entropic OT (reference §9). For a reference whose transition from
// t = 0 to 1 is X_1 | X_0 = x ~ N(α x, ε s² I), the static problem min KL(π ‖ R_01) over couplings
// of μ and ν is, up to a constant,
//   min_π ⟨π, c⟩ + ε KL(π ‖ μ⊗ν),   c(x, y) = ‖y − α x‖² / (2 s²),
// so the reference only changes the cost:
//   Brownian √ε dW:            α = 1, s² = 1:  c = ½‖x − y‖² (the contract);
//   VP −½βX dt + √(εβ) dW:     α = e^{−½∫β}, s² = 1 − α²  (bridge-reference.ts with ε = 1).
// The plan's Gibbs form π_ij = a_i b_j e^{(f_i + g_j − c_ij)/ε} is what lets the bridge code
// factor its posterior (bridge-gibbs.ts), so the two must use this same cost.
import type { BridgeReference, Coupling } from '../core/values';
import type { PointShape } from '../core/shapes';
import { referenceProcess } from './bridge-reference';
import { solveExactOt } from './exact-ot';
import { solveEntropicOt, type EntropicOtOptions } from './sinkhorn';

/** Two clouds of equal per-point shape, row-major float64. */
export interface PointClouds {
  readonly source: Float64Array;
  readonly target: Float64Array;
  readonly dim: number;
  readonly shape: PointShape;
}

/**
 * Largest n·m a plan may have: the solver holds three n × m float64 arrays (cost, kernel, plan),
 * 384 MiB at this size (4096 × 4096).
 */
export const MAX_PLAN_ENTRIES = 4096 * 4096;

/** c(x, y) of the reference's static problem (see above), for one pair of length-d views. */
export function referenceCost(
  reference: BridgeReference,
): ((x: Float64Array, y: Float64Array) => number) | undefined {
  if (reference.kind === 'brownian') return undefined; // the solvers' default ½‖x − y‖²
  const { decay, variance } = referenceProcess(reference, 1).transition(0, 1);
  const scale = 1 / (2 * variance);
  return (x, y) => {
    let squared = 0;
    for (let k = 0; k < x.length; k++) squared += (y[k]! - decay * x[k]!) ** 2;
    return scale * squared;
  };
}

function checkSizes(clouds: PointClouds, caller: string): { n: number; m: number } {
  const n = clouds.source.length / clouds.dim;
  const m = clouds.target.length / clouds.dim;
  if (n < 1 || m < 1) throw new Error(`${caller}: source and target need at least one point each`);
  if (n * m > MAX_PLAN_ENTRIES) {
    throw new Error(
      `${caller}: a plan of ${n} × ${m} = ${n * m} entries is over the limit of ${MAX_PLAN_ENTRIES} ` +
        '(4096 × 4096); use fewer points',
    );
  }
  return { n, m };
}

/** The entropic plan of `reference` at ε between the clouds (uniform weights), as a Coupling. */
export async function entropicCoupling(
  clouds: PointClouds,
  reference: BridgeReference,
  options: EntropicOtOptions,
): Promise<Coupling & { readonly relaxation: number }> {
  const { n, m } = checkSizes(clouds, 'entropic OT');
  const solution = await solveEntropicOt(
    {
      x: clouds.source,
      y: clouds.target,
      dim: clouds.dim,
      costFunction: referenceCost(reference),
    },
    options,
  );
  const gap = solution.entropicObjective - solution.dualObjective;
  return {
    ...clouds,
    n,
    m,
    plan: solution.plan,
    epsilon: solution.epsilon,
    reference,
    f: solution.f,
    g: solution.g,
    relaxation: solution.relaxation,
    values: {
      epsilon: solution.epsilon,
      transport_cost: solution.transportCost,
      entropic_objective: solution.entropicObjective,
      dual_objective: solution.dualObjective,
      duality_gap: gap,
      entropy: solution.entropy,
      kl: solution.klDivergence,
      iterations: solution.iterations,
      marginal_error: solution.marginalError,
      // The potentials are defined up to f + t, g − t: their spreads are what is meaningful.
      f_range: spread(solution.f),
      g_range: spread(solution.g),
      n,
      m,
    },
  };
}

/** max − min. */
function spread(values: Float64Array): number {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return high - low;
}

/** The exact optimal plan (ε = 0) under ½‖x − y‖², as a Coupling with the Brownian reference. */
export function exactCoupling(clouds: PointClouds): Coupling {
  const { n, m } = checkSizes(clouds, 'exact OT');
  const solution = solveExactOt({ x: clouds.source, y: clouds.target, dim: clouds.dim });
  let entropy = 0;
  for (const mass of solution.plan) if (mass > 0) entropy -= mass * Math.log(mass);
  return {
    ...clouds,
    n,
    m,
    plan: solution.plan,
    epsilon: 0,
    reference: { kind: 'brownian' },
    f: solution.f,
    g: solution.g,
    values: {
      transport_cost: solution.transportCost,
      entropy,
      f_range: spread(solution.f),
      g_range: spread(solution.g),
      n,
      m,
    },
  };
}
