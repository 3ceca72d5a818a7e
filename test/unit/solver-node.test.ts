// The Solver node through run(): trajectory capture, streaming, progress, cancellation, NaN
// reporting, churn determinism and tensor hygiene.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Denoiser, Samples, Timesteps } from '../../graph-nodes/core/values';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import { createRng } from '../../graph-nodes/math/rng';
import solverNode from '../../graph-nodes/nodes/solver/solver';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { SOLVER_ALGORITHMS, SOLVER_ALGORITHM_NAMES } from '../../graph-nodes/solvers/algorithms';
import { euler } from '../../graph-nodes/solvers/euler';
import { solve, type SolverAlgorithm } from '../../graph-nodes/solvers/loop';
import { paramsReadBy, resolveSettings } from '../../graph-nodes/solvers/settings';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext } from './helpers/run-context';

type Params = ReturnType<typeof solverNode.params.parse>;
const params = (overrides: Partial<Params> = {}): Params => solverNode.params.parse(overrides);

const N = 10;
const PARTICLES = 64;

/** Exact D for data N(0, I) in 2-D: D = x̃/(1 + σ̃²). `poisonBelow` makes it return NaN there. */
function unitGaussianDenoiser(poisonBelow = 0): Denoiser {
  const denoiser: Denoiser = {
    dim: 2,
    denoise: (x, sigma) =>
      tf.tidy(() => (sigma < poisonBelow ? tf.fill(x.shape, NaN) : tf.div(x, 1 + sigma * sigma))),
    dispose: () => {},
  };
  // Unguided, so D_u = D: lets the CFG++ solvers run on it too.
  return { ...denoiser, unconditional: denoiser };
}

function makeTimesteps(steps = N): Timesteps {
  return timestepsFromSigmas(
    edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
    karrasSigmas(steps, 0.002, 80, 7),
  );
}

function makeNoise(dim = 2): Samples {
  const values = createRng(3)
    .fillNormal(new Float64Array(PARTICLES * dim))
    .map((z) => 80 * z);
  return samplesFromArray(values, PARTICLES, [dim]);
}

async function runSolver(overrides: Partial<Params> = {}, denoiser = unitGaussianDenoiser()) {
  const noise = makeNoise();
  const ctx = makeTestContext(params(overrides));
  try {
    const outputs = await solverNode.run({ noise, denoiser, timesteps: makeTimesteps() }, ctx);
    const points = await outputs.samples.points.data();
    return { outputs, ctx, points: new Float32Array(points) };
  } finally {
    noise.dispose();
  }
}

describe('Solver node', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('takes its algorithm list from the registry and has deterministic defaults', () => {
    expect(solverNode.type).toBe('solver');
    const shape = solverNode.params.shape;
    expect(shape.algorithm.unwrap().options).toEqual(SOLVER_ALGORITHM_NAMES);
    // eta, order, rtol, atol and snr stay absent: each algorithm supplies its own default.
    expect(params()).toEqual({
      algorithm: 'euler',
      s_noise: 1,
      s_churn: 0,
      s_tmin: 0,
      s_tmax: 1e9,
      r: 0.5,
      solver_type: 'midpoint',
      variant: 'bh2',
      corrector_steps: 1,
      seed: 0,
    });
    expect(() => params({ s_churn: -1 })).toThrow();
    expect(() => params({ eta: -0.5 })).toThrow();
    expect(() => params({ order: 1.5 })).toThrow();
  });

  it('shows each param only for the algorithms that read it', () => {
    const shape = solverNode.params.shape;
    const visibleFor = (param: keyof typeof shape) =>
      (shape[param].meta()?.visibleWhen as { algorithm: string[] } | undefined)?.algorithm;
    expect(shape.algorithm.meta()?.visibleWhen).toBeUndefined();
    for (const name of SOLVER_ALGORITHM_NAMES) {
      const reads = paramsReadBy(SOLVER_ALGORITHMS[name]);
      for (const param of Object.keys(shape) as (keyof typeof shape)[]) {
        if (param === 'algorithm') continue;
        expect(visibleFor(param)?.includes(name), `${name} reads ${param}`).toBe(
          (reads as readonly string[]).includes(param),
        );
      }
    }
    expect(visibleFor('s_churn')).toEqual(expect.arrayContaining(['euler', 'heun', 'dpm_2']));
    expect(visibleFor('s_churn')).not.toContain('euler_ancestral');
    expect(visibleFor('eta')).toEqual(
      expect.arrayContaining(['euler_ancestral', 'dpmpp_2m_sde', 'ddim']),
    );
    expect(visibleFor('eta')).not.toContain('euler');
    expect(visibleFor('solver_type')).toEqual(['dpmpp_2m_sde']);
    expect(visibleFor('order')).toContain('lms');
    expect(visibleFor('seed')).not.toContain('dpmpp_2m');
  });

  it("resolves absent settings to the algorithm's defaults and checks its order", () => {
    expect(resolveSettings(SOLVER_ALGORITHMS.euler_ancestral).eta).toBe(1);
    expect(resolveSettings(SOLVER_ALGORITHMS.ddim).eta).toBe(0);
    expect(resolveSettings(SOLVER_ALGORITHMS.ddim, { eta: 0.3 }).eta).toBe(0.3);
    expect(resolveSettings(SOLVER_ALGORITHMS.ddim, { eta: undefined }).eta).toBe(0);
    expect(resolveSettings(SOLVER_ALGORITHMS.lms).order).toBe(4);
    expect(() => resolveSettings(SOLVER_ALGORITHMS.lms, { order: 5 })).toThrow(/lms.*1 to 4/);
  });

  it.each([
    ['euler', N],
    ['heun', 2 * N - 1],
    ['euler_ancestral', N],
    ['dpm_2', 2 * N - 1],
    ['dpm_2_ancestral', 2 * N - 1],
    ['lms', N],
    ['dpmpp_2s_ancestral', 2 * N - 1],
    ['dpmpp_2m', N],
    ['dpmpp_2m_sde', N],
    ['dpmpp_3m_sde', N],
    ['ddim', N],
    ['ddpm', N],
  ] as const)(
    '%s records N + 1 frames, streams them and reports progress and NFE',
    async (algorithm, nfe) => {
      const { outputs, ctx, points } = await runSolver({ algorithm });
      const { trajectory } = outputs;
      const sigmas = makeTimesteps().sigmaTilde;

      expect(trajectory.frames).toHaveLength(N + 1);
      expect(trajectory.frames.map((frame) => frame.sigmaTilde)).toEqual(Array.from(sigmas));
      expect(trajectory.frames.map((frame) => frame.step)).toEqual([...Array(N + 1).keys()]);
      expect(trajectory.frames.every((frame) => frame.alpha === 1)).toBe(true);
      expect(trajectory.frames[0]!.x0hat).toBeUndefined();
      expect(
        trajectory.frames.slice(1).every((frame) => frame.x0hat?.length === PARTICLES * 2),
      ).toBe(true);
      expect([trajectory.n, trajectory.dim]).toEqual([PARTICLES, 2]);
      expect(ctx.frames).toEqual(trajectory.frames);

      expect(ctx.progressLog).toEqual(Array.from({ length: N }, (_, i) => [i + 1, N]));
      expect(trajectory.nfe).toBe(nfe);
      expect(ctx.nfe).toBe(nfe);

      // The output is the last frame, and the step onto σ̃ = 0 returned D exactly (lms, as
      // k-diffusion's, takes its multistep formula onto 0 instead).
      const last = trajectory.frames[N]!;
      expect(points).toEqual(last.x);
      if (algorithm !== 'lms') expect(last.x).toEqual(last.x0hat);
      outputs.samples.dispose();
    },
  );

  it('stops with an error when the run is cancelled, without leaking tensors', async () => {
    const noise = makeNoise();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const ctx = makeTestContext(params({ algorithm: 'heun' }), { signal: controller.signal });
    const streamFrame = ctx.frame;
    ctx.frame = (frame) => {
      streamFrame(frame);
      if (frame.step === 3) controller.abort();
    };
    const denoiser = unitGaussianDenoiser();
    await expect(
      solverNode.run({ noise, denoiser, timesteps: makeTimesteps() }, ctx),
    ).rejects.toThrow(/aborted/);
    expect(ctx.frames).toHaveLength(4);
    expect(ctx.progressLog.at(-1)).toEqual([3, N]);
    expect(tf.memory().numTensors).toBe(before);
    noise.dispose();
  });

  it('names the step and noise level when x̃ becomes NaN', async () => {
    const sigmas = makeTimesteps().sigmaTilde;
    // Poison D below σ̃_3: step 4 (σ̃_3 → σ̃_4) is the first to evaluate it.
    const poisonBelow = (sigmas[3]! + sigmas[2]!) / 2;
    const noise = makeNoise();
    const before = tf.memory().numTensors;
    const ctx = makeTestContext(params());
    const run = solverNode.run(
      { noise, denoiser: unitGaussianDenoiser(poisonBelow), timesteps: makeTimesteps() },
      ctx,
    );
    await expect(run).rejects.toThrow(`step 4 of ${N} (σ̃ ${sigmas[3]} → ${sigmas[4]})`);
    await expect(run).rejects.toThrow(/NaN/);
    expect(ctx.frames).toHaveLength(4);
    expect(tf.memory().numTensors).toBe(before);
    noise.dispose();
  });

  it('rejects noise whose dimension differs from the denoiser', async () => {
    const noise = makeNoise(3);
    const ctx = makeTestContext(params());
    await expect(
      solverNode.run({ noise, denoiser: unitGaussianDenoiser(), timesteps: makeTimesteps() }, ctx),
    ).rejects.toThrow(/input "noise" has per-point shape \[3\] but input "denoiser" has \[2\]/);
    noise.dispose();
  });

  it.each(['euler', 'heun'] as const)(
    '%s churn: s_churn = 0 is plain; s_churn > 0 is stochastic and reproducible per seed',
    async (algorithm) => {
      const plain = await runSolver({ algorithm });
      const zeroChurn = await runSolver({ algorithm, s_churn: 0, seed: 5, s_noise: 1.5 });
      const churned = await runSolver({ algorithm, s_churn: 20, seed: 1 });
      const churnedAgain = await runSolver({ algorithm, s_churn: 20, seed: 1 });
      const otherSeed = await runSolver({ algorithm, s_churn: 20, seed: 2 });
      // A window that no σ̃ falls into switches churn off again.
      const outsideWindow = await runSolver({ algorithm, s_churn: 20, seed: 1, s_tmin: 100 });

      expect(zeroChurn.points).toEqual(plain.points);
      expect(outsideWindow.points).toEqual(plain.points);
      expect(churnedAgain.points).toEqual(churned.points);
      expect(churned.points).not.toEqual(plain.points);
      expect(otherSeed.points).not.toEqual(churned.points);
      // Churn does not change the cost.
      expect(churned.ctx.nfe).toBe(plain.ctx.nfe);
      for (const run of [plain, zeroChurn, churned, churnedAgain, otherSeed, outsideWindow]) {
        run.outputs.samples.dispose();
      }
    },
  );

  it.each(['euler_ancestral', 'dpmpp_2m_sde', 'ddpm'] as const)(
    '%s draws from a Brownian path per seed; η = 0 needs no seed',
    async (algorithm) => {
      const first = await runSolver({ algorithm, seed: 1 });
      const again = await runSolver({ algorithm, seed: 1 });
      const otherSeed = await runSolver({ algorithm, seed: 2 });
      expect(again.points).toEqual(first.points);
      expect(otherSeed.points).not.toEqual(first.points);
      const runs = [first, again, otherSeed];
      if (algorithm !== 'ddpm') {
        const ode1 = await runSolver({ algorithm, seed: 1, eta: 0 });
        const ode2 = await runSolver({ algorithm, seed: 2, eta: 0 });
        expect(ode2.points).toEqual(ode1.points);
        expect(ode1.points).not.toEqual(first.points);
        runs.push(ode1, ode2);
      }
      for (const run of runs) run.outputs.samples.dispose();
    },
  );

  it("refuses at compile time an order above the algorithm's maximum", () => {
    expect(paramIssues('solver', { algorithm: 'lms', order: 5 })).toEqual([
      badParam('order', 'expected an integer in [1, 4]'),
    ]);
    expect(paramIssues('solver', { algorithm: 'dpm_adaptive', order: 4 })).toEqual([
      badParam('order', 'order must be an integer from 1 to 3 for dpm_adaptive (got 4)'),
    ]);
    // An algorithm that does not read order ignores it (the inspector hides it).
    expect(paramIssues('solver', { algorithm: 'heun', order: 4 })).toEqual([]);
  });

  it('refuses noise scales and tolerances that break float32 arithmetic', () => {
    expect(paramIssues('solver', { algorithm: 'euler_ancestral', s_noise: 1e38 })).toEqual([
      badParam('s_noise', 'expected a number in [0, 100]'),
    ]);
    expect(paramIssues('solver', { algorithm: 'rk45', rtol: 1e-300 })).toEqual([
      badParam('rtol', 'expected a tolerance in [1e-8, 1]'),
    ]);
  });

  it('leaves no tensors behind once its outputs are disposed', async () => {
    const noise = makeNoise();
    const denoiser = unitGaussianDenoiser();
    for (const algorithm of SOLVER_ALGORITHM_NAMES) {
      for (const s_churn of [0, 10]) {
        const before = tf.memory().numTensors;
        const ctx = makeTestContext(params({ algorithm, s_churn }));
        const outputs = await solverNode.run({ noise, denoiser, timesteps: makeTimesteps() }, ctx);
        expect(tf.memory().numTensors).toBe(before + 1);
        outputs.samples.dispose();
        expect(tf.memory().numTensors).toBe(before);
      }
    }
    noise.dispose();
  });
});

describe('solver loop history (for multistep methods)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it("hands each step the previous D's, most recent first, and frees them", async () => {
    const seen: {
      i: number;
      steps: number[];
      sigmas: number[];
      x: number[][];
      denoised: number[][];
    }[] = [];
    const recordingEuler: SolverAlgorithm = {
      ...euler,
      name: 'recording-euler',
      historyLength: 2,
      step(state) {
        seen.push({
          i: state.i,
          steps: state.history.map((past) => past.step),
          sigmas: state.history.map((past) => past.sigma),
          x: state.history.map((past) => Array.from(past.x.dataSync())),
          denoised: state.history.map((past) => Array.from(past.denoised.dataSync())),
        });
        return euler.step(state);
      },
    };
    const noise = makeNoise();
    const timesteps = makeTimesteps();
    const before = tf.memory().numTensors;
    const { samples, trajectory } = await solve({
      algorithm: recordingEuler,
      denoiser: unitGaussianDenoiser(),
      timesteps,
      x: noise.points,
      hooks: makeTestContext({}),
    });
    samples.dispose();
    expect(tf.memory().numTensors).toBe(before);

    expect(seen.map((entry) => entry.i)).toEqual([...Array(N).keys()]);
    seen.forEach(({ i, steps, sigmas, x, denoised }) => {
      const expectedSteps = [i - 1, i - 2].filter((j) => j >= 0);
      expect(steps).toEqual(expectedSteps);
      expect(sigmas).toEqual(expectedSteps.map((j) => timesteps.sigmaTilde[j]));
      // Step j started from frame j and its first prediction is shown in frame j + 1.
      expect(x).toEqual(expectedSteps.map((j) => Array.from(trajectory.frames[j]!.x)));
      expect(denoised).toEqual(
        expectedSteps.map((j) => Array.from(trajectory.frames[j + 1]!.x0hat!)),
      );
    });
    noise.dispose();
  });
});
