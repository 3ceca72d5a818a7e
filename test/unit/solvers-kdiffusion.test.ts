// Agreement with k-diffusion's float64 sample_dpmpp_2m on the Gaussian-mixture reference
// (reference/kdiffusion-gmm), in the style of solver-kdiffusion.test.ts: max |diff| ≤ 1e-3.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOLVER_ALGORITHMS } from '../../graph-nodes/solvers/algorithms';
import {
  gmmProblem,
  maxAbsDiff,
  meanL2,
  readReferenceNpy,
  runOnGmm,
} from './helpers/gmm-reference';

describe('dpmpp_2m reproduces k-diffusion on the Gaussian-mixture reference', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([5, 10, 25])('dpmpp_2m with %i steps', async (steps) => {
    const key = `dpmpp_2m_${steps}`;
    const expected = gmmProblem.results[key]!;
    const reference = readReferenceNpy(`${key}.npy`);
    const truth = readReferenceNpy('truth.npy');
    const before = tf.memory().numTensors;
    const { final, nfe } = await runOnGmm({
      algorithm: SOLVER_ALGORITHMS.dpmpp_2m,
      sigmas: readReferenceNpy(`sigmas_${steps}.npy`).data,
    });
    expect(tf.memory().numTensors).toBe(before);

    const maxDiff = maxAbsDiff(final, reference.data);
    const error = meanL2(final, truth.data);
    console.info(
      `${key}: max |diff| vs k-diffusion ${maxDiff.toExponential(2)}, NFE ${nfe}, ` +
        `mean L2 vs truth ${error.toFixed(6)} (k-diffusion ${expected.mean_l2_error_vs_truth.toFixed(6)})`,
    );
    expect(reference.shape).toEqual([final.length / 2, 2]);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    expect(nfe).toBe(expected.nfe);
    expect(Math.abs(error - expected.mean_l2_error_vs_truth)).toBeLessThanOrEqual(1e-3);
  });
});
