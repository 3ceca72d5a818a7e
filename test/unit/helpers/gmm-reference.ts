// The k-diffusion Gaussian-mixture reference (../shared/reference/kdiffusion-gmm): its problem,
// its arrays, and a float32 run of one of our solvers on it.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { samplesFromArray } from '../../../graph-nodes/core/samples';
import type { Schedule } from '../../../graph-nodes/core/values';
import { createGmmDenoiser } from '../../../graph-nodes/denoisers/gmm';
import { parseNpy } from '../../../graph-nodes/math/npy';
import { edmSchedule } from '../../../graph-nodes/schedules/edm';
import { solve, type NoiseSource, type SolverAlgorithm } from '../../../graph-nodes/solvers/loop';
import type { SolverSettingsInput } from '../../../graph-nodes/solvers/settings';
import { timestepsFromSigmas } from '../../../graph-nodes/timesteps/from-sigmas';
import { REFERENCE_DIR } from './reference';
import { makeTestContext } from './run-context';

export interface GmmProblem {
  problem: {
    data: { weights: number[]; means: number[][]; stds: number[] };
    sigma_min: number;
    sigma_max: number;
  };
  results: Record<string, { nfe: number; mean_l2_error_vs_truth: number }>;
}

export const gmmProblem = JSON.parse(
  readFileSync(`${REFERENCE_DIR}problem.json`, 'utf8'),
) as GmmProblem;

export function readReferenceNpy(name: string): { data: Float64Array; shape: number[] } {
  const array = parseNpy(new Uint8Array(readFileSync(`${REFERENCE_DIR}${name}`)), name);
  return { data: Float64Array.from(array.data), shape: array.shape };
}

export function meanL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let p = 0; p < a.length / 2; p++) {
    total += Math.hypot(a[2 * p]! - b[2 * p]!, a[2 * p + 1]! - b[2 * p + 1]!);
  }
  return total / (a.length / 2);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]! - b[k]!));
  return max;
}

export function referenceSchedule(): Schedule {
  return edmSchedule({
    sigmaMin: gmmProblem.problem.sigma_min,
    sigmaMax: gmmProblem.problem.sigma_max,
  });
}

export interface GmmRun {
  readonly algorithm: SolverAlgorithm;
  /** Noise levels σ̃_0 > … > 0; defaults to the reference's sigmas_<steps>.npy. */
  readonly sigmas: Float64Array;
  readonly schedule?: Schedule;
  readonly settings?: SolverSettingsInput;
  readonly noise?: NoiseSource;
  /** Initial x̃; defaults to the reference's x_T scaled to σ̃_0/σ_max. */
  readonly start?: Float64Array;
}

/** Runs a solver on the mixture from the reference x_T; returns every frame's x̃ and the NFE. */
export async function runOnGmm(run: GmmRun): Promise<{
  final: Float32Array;
  frames: Float32Array[];
  nfe: number;
}> {
  const xT = readReferenceNpy('x_T.npy');
  const [n, dim] = xT.shape as [number, number];
  const scale = run.sigmas[0]! / gmmProblem.problem.sigma_max;
  const start = run.start ?? xT.data.map((value) => value * scale);
  const denoiser = createGmmDenoiser(gmmProblem.problem.data);
  const noise = samplesFromArray(start, n, [dim]);
  try {
    const { samples, trajectory } = await solve({
      algorithm: run.algorithm,
      denoiser,
      timesteps: timestepsFromSigmas(run.schedule ?? referenceSchedule(), run.sigmas),
      x: noise.points,
      ...(run.settings ? { settings: run.settings } : {}),
      ...(run.noise ? { noise: run.noise } : {}),
      hooks: makeTestContext({}),
    });
    const final = new Float32Array(await samples.data());
    tf.dispose(samples);
    return { final, frames: trajectory.frames.map((frame) => frame.x), nfe: trajectory.nfe };
  } finally {
    noise.dispose();
    denoiser.dispose();
  }
}
