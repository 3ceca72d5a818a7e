// Agreement with k-diffusion: its float64 sample_euler / sample_heun outputs on a 2-D Gaussian
// mixture with the exact denoiser (reference/kdiffusion-gmm). A float32 engine lands within 1e-4.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import { createGmmDenoiser } from '../../graph-nodes/denoisers/gmm';
import { parseNpy } from '../../graph-nodes/math/npy';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { SOLVER_ALGORITHMS } from '../../graph-nodes/solvers/algorithms';
import { solve } from '../../graph-nodes/solvers/loop';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';
import { makeTestContext } from './helpers/run-context';
import { REFERENCE_DIR } from './helpers/reference';

interface Problem {
  problem: {
    data: { weights: number[]; means: number[][]; stds: number[] };
    sigma_min: number;
    sigma_max: number;
  };
  results: Record<string, { nfe: number; mean_l2_error_vs_truth: number }>;
}
const problem = JSON.parse(readFileSync(`${REFERENCE_DIR}problem.json`, 'utf8')) as Problem;

function readNpy(name: string): { data: Float64Array; shape: number[] } {
  const array = parseNpy(new Uint8Array(readFileSync(`${REFERENCE_DIR}${name}`)), name);
  return { data: Float64Array.from(array.data), shape: array.shape };
}

function meanL2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let p = 0; p < a.length / 2; p++) {
    total += Math.hypot(a[2 * p]! - b[2 * p]!, a[2 * p + 1]! - b[2 * p + 1]!);
  }
  return total / (a.length / 2);
}

describe('euler and heun reproduce k-diffusion on the Gaussian-mixture reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases = (['euler', 'heun'] as const).flatMap((solver) =>
    [5, 10, 25].map((steps) => [solver, steps] as const),
  );

  it.each(cases)('%s with %i steps', async (solver, steps) => {
    const key = `${solver}_${steps}`;
    const expected = problem.results[key]!;
    const xT = readNpy('x_T.npy');
    const reference = readNpy(`${key}.npy`);
    const truth = readNpy('truth.npy');
    const [n, dim] = xT.shape as [number, number];

    const before = tf.memory().numTensors;
    const denoiser = createGmmDenoiser(problem.problem.data);
    const noise = samplesFromArray(xT.data, n, [dim]);
    const schedule = edmSchedule({
      sigmaMin: problem.problem.sigma_min,
      sigmaMax: problem.problem.sigma_max,
    });
    const ctx = makeTestContext({});
    const { samples, trajectory } = await solve({
      algorithm: SOLVER_ALGORITHMS[solver],
      denoiser,
      timesteps: timestepsFromSigmas(schedule, readNpy(`sigmas_${steps}.npy`).data),
      x: noise.points,
      hooks: ctx,
    });
    const got = await samples.data();
    tf.dispose(samples);
    noise.dispose();
    denoiser.dispose();
    expect(tf.memory().numTensors).toBe(before);

    let maxDiff = 0;
    reference.data.forEach((value, k) => {
      maxDiff = Math.max(maxDiff, Math.abs(got[k]! - value));
    });
    const error = meanL2(got, truth.data);
    console.info(
      `${key}: max |diff| vs k-diffusion ${maxDiff.toExponential(2)}, NFE ${trajectory.nfe}, ` +
        `mean L2 vs truth ${error.toFixed(6)} (k-diffusion ${expected.mean_l2_error_vs_truth.toFixed(6)})`,
    );
    expect(reference.shape).toEqual([n, dim]);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    expect(trajectory.nfe).toBe(expected.nfe);
    expect(ctx.nfe).toBe(expected.nfe);
    expect(Math.abs(error - expected.mean_l2_error_vs_truth)).toBeLessThanOrEqual(1e-3);
  });
});
