// Schrödinger-bridge dynamics of a coupling (reference §9): particles moved from t = 0 to t = 1
// along the bridge of the coupling's plan π under its reference process (Brownian motion √ε dW or
// the VP / Ornstein–Uhlenbeck process), with every particle's predicted endpoint E[X_1 | X_t] at
// every time (what the app shows the way a solver shows x̂₀).
//
//   runBridge(coupling, { mode: 'bridge', count, times, seed })  paths of the mixture of bridges
//   runBridge(coupling, { mode: 'sde', start, times, seed })     the Markovian bridge from `start`
//   runBridge(coupling, { mode: 'ode', start, times })           its probability-flow ODE
//
// The pieces: bridge-reference.ts (the reference's transitions and bridges), bridge-pairs.ts (the
// plan's support, pruned and blocked), bridge-posterior.ts (the posterior over pairs at (x, t)),
// bridge-field.ts (drift and PF velocity, derived there), bridge-sampling.ts and bridge-markov.ts
// (the time loops). All float64; cost per step O(count · support pairs · d) before pruning.

import type { Coupling } from '../core/values';
import { checkTimes } from './bridge-checks';
import { createBridgeField, type BridgeField } from './bridge-field';
import { integrateMarkovBridge } from './bridge-markov';
import { sampleBridges } from './bridge-sampling';
import type { BridgeHooks, BridgeIntegrator, BridgeMode, BridgeRun } from './bridge-types';

export type {
  BridgeFrame,
  BridgeFrameCallback,
  BridgeHooks,
  BridgeIntegrator,
  BridgeMode,
  BridgeRun,
} from './bridge-types';
export { createBridgeField, type BridgeField, type BridgePosterior } from './bridge-field';
export { checkCoupling, checkTimes } from './bridge-checks';

export interface BridgeRunOptions extends BridgeHooks {
  readonly mode: BridgeMode;
  /** Ascending, t_0 = 0 < t_1 < … < t_K = 1. */
  readonly times: Float64Array;
  /** Seeds the pairs and noise ('bridge', 'sde'); 'ode' draws nothing and ignores it. */
  readonly seed: number;
  /** 'sde' and 'ode': start points [count, dim] row-major (any points, not only the sources). */
  readonly start?: Float64Array;
  /** 'bridge': the number of paths. */
  readonly count?: number;
  /** 'sde' and 'ode': the step rule (bridge-types.ts); 'conditional' by default. */
  readonly integrator?: BridgeIntegrator;
}

/**
 * Runs the bridge of `coupling` over `options.times`, returning one frame per time (positions and
 * predicted endpoints). `field` may be passed to reuse the indexed plan across runs of one coupling.
 */
export async function runBridge(
  coupling: Coupling,
  options: BridgeRunOptions,
  field: BridgeField = createBridgeField(coupling),
): Promise<BridgeRun> {
  const { mode, times } = options;
  checkTimes(times);
  const { dim } = coupling;
  if (mode === 'bridge') {
    const count = options.count;
    if (count === undefined || !Number.isInteger(count) || count < 1)
      throw new Error(`Bridge sampling needs a whole number of paths ≥ 1, got ${count}`);
    const sampled = await sampleBridges(field, { ...options, count });
    return { mode, count, dim, times, ...sampled };
  }
  const start = options.start;
  if (!start || start.length === 0 || start.length % dim !== 0)
    throw new Error(`The ${mode} needs start points [count, ${dim}], got ${start?.length} numbers`);
  if (!start.every(Number.isFinite)) throw new Error('The start points must be finite');
  const frames = await integrateMarkovBridge(field, start, { ...options, mode });
  return { mode, count: start.length / dim, dim, times, frames };
}
