// NFE accounting and tensor hygiene of the solvers-b algorithms: each one spends exactly the
// denoiser calls its `nfe` formula states (the adaptive ones: exactly the calls made), records one
// frame per level, and leaves no tensor behind.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Denoiser } from '../../graph-nodes/core/values';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { SOLVER_ALGORITHMS, type SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import { brownianTreeNoiseFor } from '../../graph-nodes/solvers/brownian-tree';
import { solve, type SolverSettingsInput } from '../../graph-nodes/solvers/loop';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { makeTestContext } from './helpers/run-context';
import { gaussianDenoiser, priorPoints, SIGMA_MAX, SIGMA_MIN } from './helpers/solvers-b';

const N = 6;

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

async function run(algorithm: SolverAlgorithmName, settings: SolverSettingsInput) {
  const sigmas = karrasSigmas(N, SIGMA_MIN, SIGMA_MAX, 7);
  const before = tf.memory().numTensors;
  const denoiser = counting(gaussianDenoiser(0.5));
  const start = tf.tensor2d(priorPoints(64), [64, 2]);
  const ctx = makeTestContext({});
  const { samples, trajectory } = await solve({
    algorithm: SOLVER_ALGORITHMS[algorithm],
    denoiser,
    timesteps: timestepsFromSigmas(
      edmSchedule({ sigmaMin: SIGMA_MIN, sigmaMax: SIGMA_MAX }),
      sigmas,
    ),
    x: start,
    settings,
    noise: brownianTreeNoiseFor(5, sigmas),
    hooks: ctx,
  });
  const values = await samples.data();
  tf.dispose([samples, start]);
  denoiser.dispose();
  return {
    calls: denoiser.calls,
    nfe: trajectory.nfe,
    hookNfe: ctx.nfe,
    frames: trajectory.frames.length,
    finite: values.every(Number.isFinite),
    leaked: tf.memory().numTensors - before,
  };
}

describe('solvers-b: NFE as documented, one frame per level, no leaked tensors', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // [algorithm, settings, expected NFE for N = 6 steps (the last onto σ̃ = 0), or null if adaptive]
  const cases: [SolverAlgorithmName, SolverSettingsInput, number | null][] = [
    // k-diffusion's budget: N NFE on its own grid, then D at σ_min.
    ['dpm_fast', {}, N + 1],
    ['dpm_fast', { eta: 1 }, N + 1],
    ['dpm_adaptive', {}, null],
    ['dpm_adaptive', { order: 2, eta: 1 }, null],
    ['dpmpp_sde', {}, 2 * N - 1],
    ['uni_pc', {}, N],
    ['uni_pc', { variant: 'bh1', order: 2 }, N],
    ['deis', {}, N],
    ['deis', { order: 4 }, N],
    ['ipndm', {}, N],
    ['euler_maruyama', {}, N],
    ['pc', {}, 2 * (N - 1) + 1],
    ['pc', { correctorSteps: 3 }, 4 * (N - 1) + 1],
    ['pc', { correctorSteps: 0 }, N],
    ['rk45', {}, null],
  ];

  it.each(cases)('%s %o', async (algorithm, settings, expectedNfe) => {
    const result = await run(algorithm, settings);
    console.info(`${algorithm} ${JSON.stringify(settings)}: NFE ${result.nfe}`);
    expect(result.nfe).toBe(result.calls);
    expect(result.hookNfe).toBe(result.calls);
    if (expectedNfe === null) expect(result.nfe).toBeGreaterThan(N);
    else expect(result.nfe).toBe(expectedNfe);
    // dpm_fast and dpm_adaptive step on k-diffusion's own grids (σ_max … σ_min, then 0).
    const levels: Partial<Record<SolverAlgorithmName, number>> = {
      dpm_fast: Math.floor(N / 3) + 3,
      dpm_adaptive: 3,
    };
    expect(result.frames).toBe(levels[algorithm] ?? N + 1);
    expect(result.finite).toBe(true);
    expect(result.leaked).toBe(0);
  });

  it('dpm_adaptive refuses order 1 (it needs an embedded pair)', async () => {
    await expect(run('dpm_adaptive', { order: 1 })).rejects.toThrow(/order must be 2 or 3/);
  });
});
