// Entropic optimal transport by Sinkhorn's algorithm, in float64, stable for any ε > 0.
//
// Problem: min_π ⟨π, c⟩ + ε KL(π ‖ a⊗b) over π ≥ 0 with row sums a and column sums b. Its solution
// is π_ij = a_i b_j exp((f_i + g_j − c_ij)/ε) for the dual potentials f, g that satisfy
//   f_i = −ε LSE_j(log b_j + (g_j − c_ij)/ε),   g_j = −ε LSE_i(log a_i + (f_i − c_ij)/ε),
// and Sinkhorn alternates these two updates.
//
// Three things make it fast and safe for ε from 10 down to 1e-3 on data of scale 2:
// - Log-domain stabilisation (ot-sinkhorn-state.ts). The plain kernel e^{−c/ε} underflows for
//   ε ≲ 0.05, and the log-sum-exp form costs an exp per entry per half-step; instead the potentials
//   are absorbed into K_ij = exp((f_i + g_j − c_ij)/ε), which only scalings multiply between
//   absorptions (two matrix-vector products per iteration), truncated to a sparse matrix where
//   most entries are negligible (ot-gibbs-kernel.ts).
// - ε-scaling. From a cold start Sinkhorn needs O(range(c)/ε) iterations, but few from the solution
//   at a slightly larger ε, so the solver runs ε_0 > ε_0/4 > … > ε, starting at the cost's range
//   (where every kernel entry is within e^−1 of the others and the problem is easy), each stage
//   warm-started from the last and solved to 1e-3 except the final one.
// - Over-relaxation (ot-overrelaxation.ts), which cuts the iterations of a stage from ~1/δ to
//   ~1/√δ per e-fold of the error when plain Sinkhorn contracts by 1 − δ.
// - Sinkhorn–Newton steps (SinkhornState.newtonStep) when a stage stalls: near-permutation plans
//   at small ε split into almost separate blocks, whose slow mode no relaxation fixes.
import { AdaptiveOverrelaxation } from './ot-overrelaxation';
import { costRange, resolveOtProblem, type OtProblem } from './ot-problem';
import { SinkhornState } from './ot-sinkhorn-state';

export interface EntropicOtOptions {
  /** Regularisation ε > 0 (same units as the cost). */
  readonly epsilon: number;
  /** Stop when Σ_i |π_i· − a_i| and Σ_j |π_·j − b_j| are both ≤ this. Default 1e-9. */
  readonly tolerance?: number;
  /** Total Sinkhorn iterations (one f- and one g-update each) over all ε stages. Default 20,000. */
  readonly maxIterations?: number;
  /** Solve a decreasing sequence of ε (÷4 per stage) before ε itself. Default true. */
  readonly epsilonScaling?: boolean;
  /** Adaptive over-relaxation of the updates. Default true; false gives textbook Sinkhorn. */
  readonly overrelaxation?: boolean;
  /**
   * A previous solution, e.g. at a nearby ε (a slider): its potentials f, g start the iteration,
   * its `relaxation` the over-relaxation, and if its `epsilon` is over 4× this problem's ε,
   * ε-scaling runs down from it (instead of from the cost's range). Without `epsilon`, the
   * previous ε is taken to be close: no ε-scaling.
   */
  readonly warmStart?: {
    readonly f: Float64Array;
    readonly g: Float64Array;
    readonly epsilon?: number;
    readonly relaxation?: number;
  };
  /**
   * Awaited about every `checkpointIntervalMs` of work by `solveEntropicOt` (never by the sync
   * form), so that the host can yield to its event loop, and cancel the run by throwing from it.
   */
  readonly checkpoint?: () => Promise<void>;
  /** Default 50 ms. */
  readonly checkpointIntervalMs?: number;
}

export interface EntropicOtSolution {
  readonly n: number;
  readonly m: number;
  readonly epsilon: number;
  /** π, row-major [n, m]; rows sum to a, columns to b, all to 1. */
  readonly plan: Float64Array;
  /** Dual potential of the sources [n] (defined up to f + t, g − t). */
  readonly f: Float64Array;
  /** Dual potential of the targets [m]. */
  readonly g: Float64Array;
  /** ⟨π, c⟩. */
  readonly transportCost: number;
  /** KL(π ‖ a⊗b) = Σ π_ij log(π_ij / (a_i b_j)) (the mutual information of the coupling). */
  readonly klDivergence: number;
  /** Primal objective ⟨π, c⟩ + ε KL(π ‖ a⊗b). */
  readonly entropicObjective: number;
  /**
   * Dual objective Σ a_i f_i + Σ b_j g_j − ε(Σ π_ij − 1), a lower bound on the primal for any
   * (f, g); the last term is ~1e-16 at the returned potentials. entropicObjective − dualObjective
   * is the duality gap, bounded by the marginal error times max |f|, |g|.
   */
  readonly dualObjective: number;
  /** H(π) = −Σ π_ij log π_ij. */
  readonly entropy: number;
  /** Sinkhorn iterations run (one f- and one g-update each), all ε stages together. */
  readonly iterations: number;
  /** max(Σ_i |π_i· − a_i|, Σ_j |π_·j − b_j|) of the returned plan. */
  readonly marginalError: number;
  /** The over-relaxation ω reached; pass it back in `warmStart` for a nearby ε. */
  readonly relaxation: number;
}

const DEFAULT_TOLERANCE = 1e-9;
const DEFAULT_MAX_ITERATIONS = 20_000;
const DEFAULT_CHECKPOINT_MS = 50;
/** ε shrinks by this factor per ε-scaling stage. */
const EPSILON_STAGE_FACTOR = 4;
/** Intermediate ε stages stop at this marginal error: enough to warm-start the next. */
const STAGE_TOLERANCE = 1e-3;
/** Sinkhorn–Newton steps only once the marginal error is below this (its local regime), … */
const NEWTON_THRESHOLD = 1e-2;
/** … with CG solved to this relative residual at most, … */
const NEWTON_MAX_FORCING = 0.1;
/** … pausing this many iterations after a step that was refused, … */
const NEWTON_PAUSE = 20;
/**
 * … and only in a stage where the error has not halved for this many Sinkhorn iterations: plain
 * (over-relaxed) Sinkhorn is cheaper while it converges, Newton pays when it stalls.
 */
const NEWTON_STALL = 30;

/**
 * Solves the entropic OT problem, awaiting `options.checkpoint` about every 50 ms of work.
 * Throws if the marginals do not reach the tolerance within `maxIterations`, and passes on
 * whatever `checkpoint` throws (cancellation).
 */
export async function solveEntropicOt(
  problem: OtProblem,
  options: EntropicOtOptions,
): Promise<EntropicOtSolution> {
  const steps = sinkhornSteps(problem, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (options.checkpoint) await options.checkpoint();
  }
}

/** The same solver without checkpoints, for callers that cannot await. */
export function solveEntropicOtSync(
  problem: OtProblem,
  options: EntropicOtOptions,
): EntropicOtSolution {
  const steps = sinkhornSteps(problem, { ...options, checkpoint: undefined });
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The solver as a generator that yields at each checkpoint (every ~50 ms, when one is given). */
function* sinkhornSteps(
  problem: OtProblem,
  options: EntropicOtOptions,
): Generator<void, EntropicOtSolution> {
  const resolved = resolveOtProblem(problem, 'entropic OT');
  const { n, m, cost } = resolved;
  const epsilon = options.epsilon;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new Error(`entropic OT: ε must be positive and finite (got ${epsilon})`);
  }
  if (!(tolerance > 0)) throw new Error(`entropic OT: tolerance must be > 0 (got ${tolerance})`);
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new Error(`entropic OT: maxIterations must be a whole number ≥ 1 (got ${maxIterations})`);
  }

  const state = new SinkhornState(resolved);
  let startEpsilon = costRange(cost);
  let relaxation = 1;
  const warm = options.warmStart;
  if (warm) {
    if (warm.f.length !== n || warm.g.length !== m) {
      throw new Error(
        `entropic OT: the warm start has ${warm.f.length} + ${warm.g.length} potentials for ` +
          `${n} + ${m} points`,
      );
    }
    state.f.set(warm.f);
    state.g.set(warm.g);
    startEpsilon = warm.epsilon !== undefined ? warm.epsilon / EPSILON_STAGE_FACTOR : epsilon;
    relaxation = warm.relaxation ?? 1;
  }
  const stages =
    options.epsilonScaling === false ? [epsilon] : epsilonStages(startEpsilon, epsilon);
  const relax = options.overrelaxation !== false;

  const checkpointMs = options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_MS;
  let lastCheckpoint = performance.now();
  let iterations = 0;
  for (let s = 0; s < stages.length; s++) {
    const stageEpsilon = stages[s]!;
    const stageTolerance =
      s === stages.length - 1 ? tolerance : Math.max(tolerance, STAGE_TOLERANCE);
    state.beginStage(stageEpsilon);
    // Plain Sinkhorn contracts more slowly at each smaller ε, so the optimal relaxation only grows
    // from stage to stage: each starts from the last one's.
    const overrelaxation = new AdaptiveOverrelaxation(relax ? relaxation : 1);
    let columnError = 0; // the stage starts with an exact log-domain g-update
    let stageIterations = 0;
    let newtonResumesAt = 0;
    let progressMark = Infinity;
    let sinceProgress = 0;
    let newtonEnabled = false;
    for (;;) {
      const rowError = state.rowSumsAndError();
      if (rowError <= stageTolerance && columnError <= stageTolerance) break;
      const error = rowError + columnError;
      if (iterations >= maxIterations) {
        throw new Error(
          `entropic OT did not converge: marginal error ${Math.max(rowError, columnError)} > ` +
            `${stageTolerance} after ${iterations} iterations (maxIterations = ${maxIterations}; ` +
            `ε = ${epsilon}${stageEpsilon !== epsilon ? `, at the ε-scaling stage ${stageEpsilon}` : ''})`,
        );
      }
      if (error <= 0.5 * progressMark) {
        progressMark = error;
        sinceProgress = 0;
      } else {
        sinceProgress++;
      }
      if (sinceProgress >= NEWTON_STALL) newtonEnabled = true;
      if (newtonEnabled && error <= NEWTON_THRESHOLD && stageIterations >= newtonResumesAt) {
        const step = state.newtonStep(
          error,
          Math.max(Math.min(NEWTON_MAX_FORCING, Math.sqrt(error)), (0.5 * stageTolerance) / error),
          Math.max(1, maxIterations - iterations),
        );
        iterations += step.evaluations;
        stageIterations += step.evaluations;
        if (step.taken) columnError = step.columnError;
        else newtonResumesAt = stageIterations + NEWTON_PAUSE;
        continue;
      }
      if (relax) overrelaxation.observe(rowError + columnError);
      relaxation = overrelaxation.omega;
      state.updateSourceScaling(relaxation);
      columnError = state.updateTargetScaling(relaxation);
      iterations++;
      stageIterations++;
      if (options.checkpoint && performance.now() - lastCheckpoint >= checkpointMs) {
        yield;
        lastCheckpoint = performance.now();
      }
    }
  }
  const summary = state.finish();
  return {
    n,
    m,
    epsilon,
    plan: summary.plan,
    f: summary.f,
    g: summary.g,
    transportCost: summary.transportCost,
    klDivergence: summary.klDivergence,
    entropicObjective: summary.entropicObjective,
    dualObjective: summary.dualObjective,
    entropy: summary.entropy,
    iterations,
    marginalError: Math.max(summary.rowError, summary.columnError),
    relaxation,
  };
}

/** ε_0, ε_0/4, … down to (and ending exactly at) ε; just [ε] when ε_0 ≤ ε. */
function epsilonStages(startEpsilon: number, epsilon: number): number[] {
  const stages: number[] = [];
  for (let e = startEpsilon; e > epsilon; e /= EPSILON_STAGE_FACTOR) stages.push(e);
  stages.push(epsilon);
  return stages;
}
