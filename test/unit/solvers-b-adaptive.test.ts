// The adaptive solvers: rk45 is the reference for metrics, so at tight tolerances it must reproduce
// the DOP853 solution of the shared Gaussian-mixture problem (reference/kdiffusion-gmm/truth.npy);
// both rk45 and dpm_adaptive must tighten their error as the tolerances tighten, within a bound the
// tolerances imply.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import type { Denoiser } from '../../graph-nodes/core/values';
import { createGmmDenoiser } from '../../graph-nodes/denoisers/gmm';
import { parseNpy } from '../../graph-nodes/math/npy';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import type { SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import { SOLVER_ALGORITHMS } from '../../graph-nodes/solvers/algorithms';
import { solve } from '../../graph-nodes/solvers/loop';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { REFERENCE_DIR } from './helpers/reference';
import { makeTestContext } from './helpers/run-context';
import {
  exactFinal,
  maxAbsDiff,
  meanL2,
  priorPoints,
  runSolver,
  SIGMA_MAX,
  SIGMA_MIN,
} from './helpers/solvers-b';

interface Problem {
  problem: {
    data: { weights: number[]; means: number[][]; stds: number[] };
    sigma_min: number;
    sigma_max: number;
  };
}

function readNpy(name: string): { data: Float64Array; shape: number[] } {
  const array = parseNpy(new Uint8Array(readFileSync(`${REFERENCE_DIR}${name}`)), name);
  return { data: Float64Array.from(array.data), shape: array.shape };
}

/** Counts the calls that reach the denoiser, independently of the loop's own count. */
function counting(denoiser: Denoiser): Denoiser & { calls: number } {
  const counted = {
    dim: denoiser.dim,
    calls: 0,
    denoise: (x: tf.Tensor2D, sigma: number) => {
      counted.calls++;
      return denoiser.denoise(x, sigma);
    },
    dispose: () => denoiser.dispose(),
  };
  return counted;
}

describe('rk45 reproduces the DOP853 reference on the Gaussian mixture', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('matches truth.npy to 1e-3 at its default tolerances', async () => {
    const problem = JSON.parse(readFileSync(`${REFERENCE_DIR}problem.json`, 'utf8')) as Problem;
    const xT = readNpy('x_T.npy');
    const truth = readNpy('truth.npy');
    const [n, dim] = xT.shape as [number, number];
    const before = tf.memory().numTensors;
    const denoiser = counting(createGmmDenoiser(problem.problem.data));
    const noise = samplesFromArray(xT.data, n, [dim]);
    const ctx = makeTestContext({});
    const schedule = edmSchedule({
      sigmaMin: problem.problem.sigma_min,
      sigmaMax: problem.problem.sigma_max,
    });
    const { samples, trajectory } = await solve({
      algorithm: SOLVER_ALGORITHMS.rk45,
      denoiser,
      timesteps: timestepsFromSigmas(schedule, readNpy('sigmas_25.npy').data),
      x: noise.points,
      hooks: ctx,
    });
    const got = await samples.data();
    tf.dispose(samples);
    noise.dispose();
    denoiser.dispose();
    const diff = maxAbsDiff(got, truth.data);
    console.info(
      `rk45 (rtol = atol = 1e-5) on sigmas_25: max |diff| vs truth ${diff.toExponential(2)}, ` +
        `mean L2 ${meanL2(got, truth.data).toExponential(2)}, NFE ${trajectory.nfe}`,
    );
    expect(diff).toBeLessThanOrEqual(1e-3);
    expect(trajectory.nfe).toBe(denoiser.calls);
    expect(ctx.nfe).toBe(denoiser.calls);
    expect(trajectory.frames.length).toBe(26);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('adaptive solvers tighten with their tolerances (closed-form Gaussian)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const x0 = priorPoints(256);
  const exact = exactFinal(x0, 1, SIGMA_MIN);
  const sigmas = karrasSigmas(10, SIGMA_MIN, SIGMA_MAX, 7);
  const meanAbsExact = exact.reduce((sum, value) => sum + Math.abs(value), 0) / exact.length;

  it.each(['rk45', 'dpm_adaptive'] as SolverAlgorithmName[])('%s', async (algorithm) => {
    const tolerances = [1e-3, 1e-4, 1e-5];
    const errors: number[] = [];
    const nfes: number[] = [];
    for (const tol of tolerances) {
      const result = await runSolver(algorithm, sigmas, x0, { settings: { rtol: tol, atol: tol } });
      errors.push(meanL2(result.samples, exact));
      nfes.push(result.nfe);
    }
    console.info(
      `${algorithm}: tolerances ${tolerances.join(', ')} → errors ` +
        `${errors.map((e) => e.toExponential(2)).join(', ')}, NFE ${nfes.join(', ')}`,
    );
    tolerances.forEach((tol, k) => {
      // A local error of at most atol + rtol·|x̃| per step, over the ~10–40 steps taken in
      // these intervals while the ODE contracts: 10× the per-step scale at the end is generous
      // for a working controller and far below a broken one.
      expect(errors[k]).toBeLessThanOrEqual(10 * tol * (1 + meanAbsExact));
      if (k > 0) {
        expect(errors[k]).toBeLessThan(errors[k - 1]!);
        expect(nfes[k]).toBeGreaterThan(nfes[k - 1]!);
      }
    });
  });
});
