// Shared problems for the solvers-b tests: Gaussian data N(μ, s²I), whose PF-ODE has a closed form
// in σ̃ form, x̃(σ) = μ + √((s² + σ²)/(s² + σ₀²))·(x̃₀ − μ), and a runner around the solver loop.
import * as tf from '@tensorflow/tfjs-core';
import type { Denoiser } from '../../../graph-nodes/core/values';
import { createRng } from '../../../graph-nodes/math/rng';
import { edmSchedule } from '../../../graph-nodes/schedules/edm';
import {
  SOLVER_ALGORITHMS,
  type SolverAlgorithmName,
} from '../../../graph-nodes/solvers/algorithms';
import { brownianTreeNoiseFor } from '../../../graph-nodes/solvers/brownian-tree';
import { gaussianNoise, solve, type SolverSettingsInput } from '../../../graph-nodes/solvers/loop';
import { timestepsFromSigmas } from '../../../graph-nodes/timesteps/from-sigmas';
import { gaussianDenoiser as gaussianDenoiserOf } from './gaussian-denoiser';
import { makeTestContext } from './run-context';

export const MU = [0.5, -1] as const;
export const SIGMA_MIN = 0.002;
export const SIGMA_MAX = 80;

/** The exact posterior mean for N(μ, s²I). */
export function gaussianDenoiser(s: number): Denoiser {
  return gaussianDenoiserOf(MU, [s, s]);
}

/** Initial points σ_max·z, as float32 values (what the solver sees). */
export function priorPoints(particles: number, seed = 7): Float32Array {
  const z = createRng(seed).fillNormal(new Float64Array(particles * 2));
  return Float32Array.from(z, (value) => SIGMA_MAX * value);
}

/**
 * The exact output for a list [σ_0 = σ_max, …, σ_last, 0]: the ODE solution at σ_last, then D
 * there, in float64.
 */
export function exactFinal(x0: Float32Array, s: number, sigmaLast: number): Float64Array {
  const shrink = Math.sqrt((s * s + sigmaLast ** 2) / (s * s + SIGMA_MAX ** 2));
  const denoiseFactor = (s * s) / (s * s + sigmaLast ** 2);
  return Float64Array.from(x0, (value, k) => {
    const mu = MU[k % 2]!;
    return mu + denoiseFactor * shrink * (value - mu);
  });
}

export interface RunResult {
  readonly samples: Float32Array;
  readonly nfe: number;
  readonly hookNfe: number;
  readonly frames: number;
}

export async function runSolver(
  algorithm: SolverAlgorithmName,
  sigmas: Float64Array,
  x0: Float32Array,
  options: {
    s?: number;
    settings?: SolverSettingsInput;
    seed?: number;
    /** The Solver node's Brownian path (default), or independent draws (faster for many points). */
    noise?: 'brownian' | 'fresh';
  } = {},
): Promise<RunResult> {
  const denoiser = gaussianDenoiser(options.s ?? 1);
  const start = tf.tensor2d(x0, [x0.length / 2, 2]);
  const ctx = makeTestContext({});
  const { samples, trajectory } = await solve({
    algorithm: SOLVER_ALGORITHMS[algorithm],
    denoiser,
    timesteps: timestepsFromSigmas(
      edmSchedule({ sigmaMin: SIGMA_MIN, sigmaMax: SIGMA_MAX }),
      sigmas,
    ),
    x: start,
    ...(options.settings ? { settings: options.settings } : {}),
    noise:
      options.noise === 'fresh'
        ? gaussianNoise(options.seed ?? 0)
        : brownianTreeNoiseFor(options.seed ?? 0, sigmas),
    hooks: ctx,
  });
  const values = new Float32Array(await samples.data());
  tf.dispose([samples, start]);
  denoiser.dispose();
  return {
    samples: values,
    nfe: trajectory.nfe,
    hookNfe: ctx.nfe,
    frames: trajectory.frames.length,
  };
}

/** Mean L2 distance between two [n, 2] point sets. */
export function meanL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  const n = a.length / 2;
  for (let p = 0; p < n; p++)
    total += Math.hypot(a[2 * p]! - b[2 * p]!, a[2 * p + 1]! - b[2 * p + 1]!);
  return total / n;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]! - b[k]!));
  return max;
}

export { observedOrder } from '../../../graph-nodes/metrics/observed-order';
