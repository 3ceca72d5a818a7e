// Exact identities between solvers (reference §4 and §8 "golden tests"): DDIM(η) =
// euler_ancestral(η) = (η = 1) DDPM on schedules with α ≠ 1, rectified-flow Euler = Euler in σ̃ =
// DDIM, and every stochastic sampler at η = 0 is its ODE counterpart and draws no noise.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Schedule } from '../../graph-nodes/core/values';
import { createGmmDenoiser } from '../../graph-nodes/denoisers/gmm';
import { rectifiedFlowSchedule } from '../../graph-nodes/schedules/rectified-flow';
import { vpLinearSchedule } from '../../graph-nodes/schedules/vp-linear';
import { SOLVER_ALGORITHMS, type SolverAlgorithmName } from '../../graph-nodes/solvers/algorithms';
import { brownianTreeNoiseFor } from '../../graph-nodes/solvers/brownian-tree';
import type { NoiseSource } from '../../graph-nodes/solvers/loop';
import type { SolverSettingsInput } from '../../graph-nodes/solvers/settings';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { timestepsFromTimes } from '../../graph-nodes/timesteps/from-sigmas';
import { uniformTimes } from '../../graph-nodes/timesteps/uniform';
import {
  gmmProblem,
  maxAbsDiff,
  readReferenceNpy,
  referenceSchedule,
  runOnGmm,
} from './helpers/gmm-reference';

const SEED = 11;

/** Largest |a − b|/(1 + |b|) over every frame of two trajectories. */
function maxRelativeDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  expect(a).toHaveLength(b.length);
  let max = 0;
  a.forEach((frame, f) =>
    frame.forEach((value, k) => {
      const other = b[f]![k]!;
      max = Math.max(max, Math.abs(value - other) / (1 + Math.abs(other)));
    }),
  );
  return max;
}

async function run(
  name: SolverAlgorithmName,
  sigmas: Float64Array,
  settings: SolverSettingsInput = {},
  schedule?: Schedule,
  noise: NoiseSource = brownianTreeNoiseFor(SEED, sigmas),
) {
  return runOnGmm({
    algorithm: SOLVER_ALGORITHMS[name],
    sigmas,
    settings,
    noise,
    ...(schedule ? { schedule } : {}),
  });
}

const vp = vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 1e-3 });
// σ̃ up to 100 on VP is α ≈ 0.01: far from the α = 1 that k-diffusion's formulas assume.
const vpSigmas = karrasSigmas(12, 0.02, 100, 7);
const edmSigmas = readReferenceNpy('sigmas_10.npy').data;

describe('DDIM, Euler ancestral and DDPM are one sampler', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['EDM (α = 1)', 0],
    ['EDM (α = 1)', 0.5],
    ['EDM (α = 1)', 1],
    ['VP linear (α ≠ 1)', 0],
    ['VP linear (α ≠ 1)', 0.5],
    ['VP linear (α ≠ 1)', 1],
  ] as const)('%s: ddim(η) = euler_ancestral(η), η = %s', async (label, eta) => {
    const [sigmas, schedule] = label.startsWith('VP')
      ? [vpSigmas, vp]
      : [edmSigmas, referenceSchedule()];
    const ddim = await run('ddim', sigmas, { eta }, schedule);
    const ancestral = await run('euler_ancestral', sigmas, { eta }, schedule);
    const diff = maxRelativeDiff(ddim.frames, ancestral.frames);
    console.info(
      `${label}, η = ${eta}: max relative |ddim − euler_ancestral| ${diff.toExponential(2)}`,
    );
    expect(diff).toBeLessThanOrEqual(2e-5);
    expect(ddim.nfe).toBe(ancestral.nfe);
  });

  it.each([
    ['EDM (α = 1)', edmSigmas, referenceSchedule()],
    ['VP linear (α ≠ 1)', vpSigmas, vp],
  ] as const)('%s: ddpm = ddim(1), and differs from ddim(0)', async (label, sigmas, schedule) => {
    const ddpm = await run('ddpm', sigmas, {}, schedule);
    const ddim1 = await run('ddim', sigmas, { eta: 1 }, schedule);
    const ddim0 = await run('ddim', sigmas, {}, schedule);
    const diff = maxRelativeDiff(ddpm.frames, ddim1.frames);
    console.info(`${label}: max relative |ddpm − ddim(1)| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(2e-5);
    expect(maxRelativeDiff(ddpm.frames, ddim0.frames)).toBeGreaterThan(1e-2);
  });

  it('ddim(0) = euler on a VP schedule', async () => {
    const ddim = await run('ddim', vpSigmas, {}, vp);
    const euler = await run('euler', vpSigmas, {}, vp);
    expect(maxRelativeDiff(ddim.frames, euler.frames)).toBeLessThanOrEqual(2e-5);
  });
});

describe('rectified flow: Euler in t = Euler in σ̃ = DDIM', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("matches x_{t'} = x_t + (t' − t)·(x − D)/t stepped natively in x", async () => {
    const rf = rectifiedFlowSchedule({ shift: 1, tMin: 1e-3, tMax: 0.999 });
    const times = uniformTimes(13, 0, 0.98); // ends at t = 0
    const { sigmaTilde: sigmas } = timestepsFromTimes(rf, times);
    const euler = await run('euler', sigmas, {}, rf);
    const ddim = await run('ddim', sigmas, {}, rf);

    // Rectified-flow Euler in the model's own coordinates x = (1 − t) x̃ and time t.
    const denoiser = createGmmDenoiser(gmmProblem.problem.data);
    const start = euler.frames[0]!;
    let x = tf.tensor2d(
      Float32Array.from(start, (value) => value * (1 - times[0]!)),
      [start.length / 2, 2],
    );
    const native: Float32Array[] = [Float32Array.from(start)];
    for (let k = 0; k + 1 < times.length; k++) {
      const t = times[k]!;
      const tNext = times[k + 1]!;
      const next = tf.tidy(() => {
        const denoised = denoiser.denoise(tf.div(x, 1 - t), t / (1 - t));
        const velocity = tf.div(tf.sub(x, denoised), t);
        return tf.add(x, tf.mul(velocity, tNext - t)) as tf.Tensor2D;
      });
      x.dispose();
      x = next;
      const xTilde = tf.tidy(() => tf.div(x, 1 - tNext));
      native.push(new Float32Array(await xTilde.data()));
      xTilde.dispose();
    }
    x.dispose();
    denoiser.dispose();

    const eulerVsNative = maxRelativeDiff(euler.frames, native);
    const ddimVsNative = maxRelativeDiff(ddim.frames, native);
    console.info(
      `rectified flow: max relative |euler − RF Euler in t| ${eulerVsNative.toExponential(2)}, ` +
        `|ddim − RF Euler in t| ${ddimVsNative.toExponential(2)}`,
    );
    expect(eulerVsNative).toBeLessThanOrEqual(2e-5);
    expect(ddimVsNative).toBeLessThanOrEqual(2e-5);
    expect(maxAbsDiff(euler.final, native.at(-1)!)).toBeLessThanOrEqual(1e-4);
  });
});

/** A noise source that fails the test if a step draws from it. */
const noNoise: NoiseSource = {
  sample: () => {
    throw new Error('drew step noise at η = 0');
  },
  fresh: () => {
    throw new Error('drew churn noise at η = 0');
  },
};

describe('stochastic samplers at η = 0 are their ODEs', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each([
    ['euler_ancestral', 'euler'],
    ['dpm_2_ancestral', 'dpm_2'],
  ] as const)('%s(η = 0) = %s exactly', async (stochastic, ode) => {
    const reduced = await run(stochastic, edmSigmas, { eta: 0 }, undefined, noNoise);
    const plain = await run(ode, edmSigmas);
    expect(reduced.frames).toEqual(plain.frames);
    expect(reduced.nfe).toBe(plain.nfe);
  });

  it('dpmpp_2m_sde(η = 0, midpoint) = dpmpp_2m', async () => {
    const reduced = await run('dpmpp_2m_sde', edmSigmas, { eta: 0 }, undefined, noNoise);
    const plain = await run('dpmpp_2m', edmSigmas);
    const diff = maxRelativeDiff(reduced.frames, plain.frames);
    console.info(`max relative |dpmpp_2m_sde(0) − dpmpp_2m| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(2e-5);
  });

  it.each(['dpmpp_2s_ancestral', 'dpmpp_3m_sde', 'ddim'] as const)(
    '%s(η = 0) draws no noise and differs from its η = 1 run',
    async (name) => {
      const reduced = await run(name, edmSigmas, { eta: 0 }, undefined, noNoise);
      const stochastic = await run(name, edmSigmas, { eta: 1 });
      expect(maxAbsDiff(reduced.final, stochastic.final)).toBeGreaterThan(1e-2);
    },
  );

  it('dpmpp_2m_sde with the heun correction is a different deterministic 2M', async () => {
    const heun = await run(
      'dpmpp_2m_sde',
      edmSigmas,
      { eta: 0, solverType: 'heun' },
      undefined,
      noNoise,
    );
    const midpoint = await run('dpmpp_2m_sde', edmSigmas, { eta: 0 }, undefined, noNoise);
    expect(maxAbsDiff(heun.final, midpoint.final)).toBeGreaterThan(1e-4);
  });
});
