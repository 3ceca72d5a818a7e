// Shared shapes of a bridge run (see bridge.ts for the API that produces them).

/**
 * How particles move between the given times:
 *  - 'bridge': pairs (i, j) drawn from π, each followed along its own reference bridge from x_i
 *    to y_j (the Schrödinger bridge as a mixture of bridges; exact in law at every time);
 *  - 'sde': the Markovian bridge dX = b(X, t) dt + g dW from any start points;
 *  - 'ode': its probability-flow ODE from any start points (deterministic; no randomness).
 */
export type BridgeMode = 'bridge' | 'sde' | 'ode';

/**
 * The step rule of 'sde' and 'ode' between t and s:
 *  - 'conditional' (default): the exact step of the reference bridge aimed at the posterior means,
 *    SDE: X_s ~ N(a(t,s) x + b(t,s) ŷ, c(t,s) I), the bridge from (t, x) to (1, ŷ);
 *    ODE: x_s = mean_s + √(c(s)/c(t)) (x − mean_t), mean_u = c₀(u) x̂ + c₁(u) ŷ,
 *    (the DDPM / DDIM analogues, first order in general; the SDE step is exact for a single
 *    pair, the ODE's after its first step from t = 0, bridge-markov.ts);
 *  - 'euler': Euler–Maruyama x + (s − t) b + √(∫g²) z for the SDE, Euler for the ODE.
 * Both land on t = 1 at ŷ = E[X_1 | X_t] of the last step's start, as a solver returns D.
 */
export type BridgeIntegrator = 'conditional' | 'euler';

/** One time of a run: every particle's position and its predicted endpoint E[X_1 | X_t = x]. */
export interface BridgeFrame {
  /** k, the index of t in the run's times. */
  readonly step: number;
  readonly t: number;
  /** Positions, [count, dim] row-major. */
  readonly x: Float64Array;
  /** E[X_1 | X_t = x] per particle, [count, dim]; equal to x at t = 1. */
  readonly endpoint: Float64Array;
}

export interface BridgeRun {
  readonly mode: BridgeMode;
  readonly count: number;
  readonly dim: number;
  readonly times: Float64Array;
  /** One frame per time, frames[k].t = times[k]. */
  readonly frames: readonly BridgeFrame[];
  /** Mode 'bridge' only: the coupling's source index i and target index j of each path's pair. */
  readonly sourceIndex?: Int32Array;
  readonly targetIndex?: Int32Array;
}

/** Called once per time, including t = 0 and t = 1; the arrays are the frame's own (read-only). */
export type BridgeFrameCallback = (
  step: number,
  t: number,
  x: Float64Array,
  endpoint: Float64Array,
) => void;

export interface BridgeHooks {
  /** Awaited between time steps; throws to cancel the run. */
  readonly checkpoint?: () => Promise<void>;
  readonly onFrame?: BridgeFrameCallback;
}
