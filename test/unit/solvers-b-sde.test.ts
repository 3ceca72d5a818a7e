// The stochastic solvers-b samplers converge in distribution: on Gaussian data N(μ, s²I) the final
// points' mean and per-coordinate standard deviation match the data's. A sign error in a drift or
// a missing noise term moves the moments by far more than the tolerances.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import type { SolverSettingsInput } from '../../graph-nodes/solvers/loop';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { MU, priorPoints, runSolver, SIGMA_MAX, SIGMA_MIN } from './helpers/solvers-b';

const S = 0.5;
const PARTICLES = 4000;
const STEPS = 128;
/** The Brownian path costs more per point: fewer points where a case needs it. */
const BROWNIAN_PARTICLES = 2000;

function moments(points: Float32Array): { mean: number[]; std: number[] } {
  const n = points.length / 2;
  const mean = [0, 1].map((c) => {
    let sum = 0;
    for (let p = 0; p < n; p++) sum += points[2 * p + c]!;
    return sum / n;
  });
  const std = [0, 1].map((c) => {
    let sum = 0;
    for (let p = 0; p < n; p++) sum += (points[2 * p + c]! - mean[c]!) ** 2;
    return Math.sqrt(sum / (n - 1));
  });
  return { mean, std };
}

describe('solvers-b: SDE samplers converge in distribution on Gaussian data', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const x0 = priorPoints(PARTICLES, 11);

  // The sampling error of the mean is s/√n ≈ 0.008 and of the std s/√(2n) ≈ 0.006 (0.011 and
  // 0.008 with 2000 points); the bounds leave room for the discretisation error. Most cases draw independent noise: the
  // same law as the Brownian path at a fraction of its cost for this many points (the path itself
  // is tested in solvers-brownian-tree). dpmpp_sde needs the path: its two stages draw over
  // nested intervals, and their correlation is part of the method (with independent draws its std
  // comes out about 4% low).
  const cases: [SolverAlgorithmName, SolverSettingsInput, 'fresh' | 'brownian', number][] = [
    ['euler_maruyama', { eta: 1 }, 'fresh', STEPS],
    ['euler_maruyama', { eta: 0.5 }, 'fresh', STEPS],
    ['pc', { snr: 0.16, correctorSteps: 1 }, 'fresh', STEPS],
    ['pc', { snr: 0.16, correctorSteps: 2 }, 'fresh', STEPS],
    ['dpmpp_sde', { eta: 1 }, 'brownian', 64],
    // Higher-order steps (several NFE each) need fewer of them.
    ['dpm_fast', { eta: 1 }, 'fresh', 32],
    // One adaptive pass over the whole range (k-diffusion's): tolerances tight enough for the law.
    ['dpm_adaptive', { eta: 1, rtol: 0.005, atol: 0.0005 }, 'fresh', 16],
  ];

  it.each(cases)('%s %o (%s noise, %i steps)', async (algorithm, settings, noise, steps) => {
    const brownian = noise === 'brownian';
    const { samples, nfe } = await runSolver(
      algorithm,
      karrasSigmas(steps, SIGMA_MIN, SIGMA_MAX, 7),
      brownian ? x0.subarray(0, 2 * BROWNIAN_PARTICLES) : x0,
      { s: S, settings, seed: 3, noise },
    );
    const { mean, std } = moments(samples);
    console.info(
      `${algorithm} ${JSON.stringify(settings)}: mean ${mean.map((m) => m.toFixed(4))}, ` +
        `std ${std.map((v) => v.toFixed(4))} (data ${MU.join(', ')}; ${S}), NFE ${nfe}`,
    );
    mean.forEach((m, c) => expect(Math.abs(m - MU[c]!)).toBeLessThan(0.04));
    std.forEach((v) => expect(Math.abs(v / S - 1)).toBeLessThan(0.05));
  });
});
