// Bridge sampling: the Schrödinger bridge as a mixture of reference bridges, P* = ∫ R(· | x, y) dπ.
// Draw pairs (i, j) ~ π, then for each a path of the reference bridge from x_i at t = 0 to y_j at
// t = 1 at the given times. The bridge is Markov, so the path is sampled sequentially: from
// (t_k, X_{t_k}) the next point is the bridge from there to (1, y_j) evaluated at t_{k+1},
//
//   X_{t_{k+1}} ~ N(a X_{t_k} + b y_j, c I)   (a, b, c from bridge-reference.ts;
//   Brownian: a = (1 − t_{k+1})/(1 − t_k), b = (t_{k+1} − t_k)/(1 − t_k),
//             c = ε (t_{k+1} − t_k)(1 − t_{k+1})/(1 − t_k)),
//
// so the frames are one continuous path with the right joint law at every set of times (not
// independent draws of each marginal), and the last step (a = 0, b = 1, c = 0) lands exactly on y_j.

import { createRng } from '../math/rng';
import type { BridgeField } from './bridge-field';
import type { BridgeFrame, BridgeHooks } from './bridge-types';

export interface BridgeSamplingOptions extends BridgeHooks {
  readonly count: number;
  readonly times: Float64Array;
  readonly seed: number;
}

export interface SampledBridges {
  readonly frames: BridgeFrame[];
  readonly sourceIndex: Int32Array;
  readonly targetIndex: Int32Array;
}

/** `count` paths of the mixture of bridges, with the pair each one follows. */
export async function sampleBridges(
  field: BridgeField,
  options: BridgeSamplingOptions,
): Promise<SampledBridges> {
  const { count, times, checkpoint, onFrame } = options;
  const { reference, dim, coupling } = field;
  const rng = createRng(options.seed);
  // Pairs first, then the noise of each step in time order, so a seed fixes everything.
  const cumulative = new Float64Array(coupling.plan.length);
  let total = 0;
  coupling.plan.forEach((weight, k) => (cumulative[k] = total += weight));
  const sourceIndex = new Int32Array(count);
  const targetIndex = new Int32Array(count);
  const ends = new Float64Array(count * dim);
  let x = new Float64Array(count * dim);
  for (let row = 0; row < count; row++) {
    const k = entryAt(cumulative, rng.uniform() * total);
    const [i, j] = [Math.floor(k / coupling.m), k % coupling.m];
    sourceIndex[row] = i;
    targetIndex[row] = j;
    for (let c = 0; c < dim; c++) {
      x[row * dim + c] = coupling.source[i * dim + c]!;
      ends[row * dim + c] = coupling.target[j * dim + c]!;
    }
  }

  const frames: BridgeFrame[] = [];
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    const frame = { step: k, t, x, endpoint: field.predictEndpoints(x, t) };
    frames.push(frame);
    onFrame?.(k, t, frame.x, frame.endpoint);
    if (k === times.length - 1) break;
    await checkpoint?.();
    const { fromStart, toEnd, variance } = reference.bridge(t, times[k + 1]!);
    const spread = Math.sqrt(variance);
    const noise = rng.fillNormal(new Float64Array(x.length));
    const next = new Float64Array(x.length);
    for (let e = 0; e < x.length; e++)
      next[e] = fromStart * x[e]! + toEnd * ends[e]! + spread * noise[e]!;
    x = next;
  }
  return { frames, sourceIndex, targetIndex };
}

/** The first k with cumulative[k] > goal (binary search); entries of zero weight are never hit. */
function entryAt(cumulative: Float64Array, goal: number): number {
  let [lo, hi] = [0, cumulative.length - 1];
  while (lo < hi) {
    const middle = (lo + hi) >> 1;
    if (cumulative[middle]! > goal) hi = middle;
    else lo = middle + 1;
  }
  return lo;
}
