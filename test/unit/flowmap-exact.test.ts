// The exact flow maps: the closed-form Gaussian one against the PF-ODE integrated by rk45, the
// teacher one against the rk45 solver itself (and through an asynchronous ONNX denoiser), and the
// flow-map sampler's jumps and γ-sampling on the Gaussian, where every answer is known.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGaussianFlowMap } from '../../graph-nodes/flowmaps/gaussian';
import { createTeacherFlowMap } from '../../graph-nodes/flowmaps/teacher';
import { createRng } from '../../graph-nodes/math/rng';
import { createMlpDenoiser, trainMlpDenoiser } from '../../graph-nodes/neural/mlp-denoiser';
import { exportMlpDenoiserToOnnx } from '../../graph-nodes/onnx/export-mlp-denoiser';
import onnxNode from '../../graph-nodes/nodes/denoiser/onnx';
import samplerNode from '../../graph-nodes/nodes/flowmap/sampler';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { solve } from '../../graph-nodes/solvers/loop';
import { rk45 } from '../../graph-nodes/solvers/rk45';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { timestepsFromSigmas } from '../../graph-nodes/timesteps/from-sigmas';
import { gaussianDenoiser } from './helpers/gaussian-denoiser';
import { makeTestContext, memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

const MEAN = [0.5, -1];
const STD = [0.3, 1.5];

const levels = edmSchedule({ sigmaMin: 1e-9, sigmaMax: 1e9 });
const hooks = makeTestContext({});

function points(n: number, scale: number, seed: number): tf.Tensor2D {
  return tf.tensor2d(
    createRng(seed)
      .fillNormal(new Float32Array(n * 2))
      .map((z) => scale * z),
    [n, 2],
  );
}

async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const value = (await d.data())[0]!;
  d.dispose();
  return value;
}

describe('Gaussian flow map', () => {
  it('matches the PF-ODE integrated by rk45 between any two levels', async () => {
    const flow = createGaussianFlowMap(MEAN, STD);
    const x = points(64, 20, 1);
    for (const [from, to] of [
      [20, 5],
      [5, 0.3],
      [1, 0.01],
    ] as const) {
      const exact = await flow.map(x, from, to);
      const { samples } = await solve({
        algorithm: rk45,
        denoiser: gaussianDenoiser(MEAN, STD),
        timesteps: {
          schedule: levels,
          sigmaTilde: Float64Array.of(from, to),
          t: Float64Array.of(from, to),
        },
        x,
        settings: { rtol: 1e-7, atol: 1e-7 },
        hooks,
      });
      expect(await maxDiff(exact, samples)).toBeLessThan(2e-4);
      tf.dispose([exact, samples]);
    }
    x.dispose();
    flow.dispose();
  });

  it('composes exactly: Ψ_{b→c} ∘ Ψ_{a→b} = Ψ_{a→c}, and satisfies the MeanFlow identity', async () => {
    const flow = createGaussianFlowMap(MEAN, STD);
    const x = points(32, 10, 2);
    const direct = await flow.map(x, 10, 0);
    const half = await flow.map(x, 10, 0.7);
    const twice = await flow.map(half, 0.7, 0);
    expect(await maxDiff(direct, twice)).toBeLessThan(1e-5);

    // u = (x − Ψ_{t→r}(x))/(t − r) obeys u = v − (t − r) du/dt along the ODE, v = (x − D)/t.
    const [t, r, h] = [2, 0.5, 1e-3];
    const u = async (y: tf.Tensor2D, at: number) => {
      const psi = await flow.map(y, at, r);
      const value = tf.tidy(() => tf.div(tf.sub(y, psi), at - r) as tf.Tensor2D);
      psi.dispose();
      return value;
    };
    // One trajectory through three levels: y(t + h), y(t), y(t − h).
    const ahead = await flow.map(x, 12, t + h);
    const here = await flow.map(ahead, t + h, t);
    const behind = await flow.map(ahead, t + h, t - h);
    const denoised = gaussianDenoiser(MEAN, STD).denoise(here, t);
    const v = tf.tidy(() => tf.div(tf.sub(here, denoised), t) as tf.Tensor2D);
    const [uAhead, uBehind, uHere] = [
      await u(ahead, t + h),
      await u(behind, t - h),
      await u(here, t),
    ];
    const identity = tf.tidy(() =>
      tf.sub(v, tf.mul(tf.div(tf.sub(uAhead, uBehind), 2 * h), t - r)),
    );
    expect(await maxDiff(uHere, identity)).toBeLessThan(2e-3);
    tf.dispose([ahead, here, behind, uAhead, uBehind, uHere]);
    tf.dispose([x, direct, half, twice, denoised, v, identity]);
    flow.dispose();
  });
});

describe('teacher flow map', () => {
  it('is the rk45 solution of its denoiser’s PF-ODE (here the Gaussian’s closed form)', async () => {
    const teacher = createTeacherFlowMap(gaussianDenoiser(MEAN, STD), {
      rtol: 1e-6,
      atol: 1e-6,
      sigmaEnd: 0.002,
    });
    const exact = createGaussianFlowMap(MEAN, STD);
    const x = points(64, 40, 3);
    let nfe = 0;
    for (const [from, to] of [
      [40, 2],
      [2, 0.05],
      [40, 0],
    ] as const) {
      const a = await teacher.map(x, from, to, (count) => (nfe += count));
      const b = await exact.map(x, from, to);
      expect(await maxDiff(a, b)).toBeLessThan(to === 0 ? 1e-3 : 2e-4);
      tf.dispose([a, b]);
    }
    expect(nfe).toBeGreaterThan(20);
    await expect(teacher.map(x, 1, 2)).rejects.toThrow(
      /goes from σ̃ = 1 down to a level in \[0, 1\]/,
    );
    x.dispose();
    exact.dispose();
  });

  it('integrates an asynchronous (ONNX) denoiser the same as its tfjs twin', async () => {
    const moons = createRng(4).fillNormal(new Float32Array(400));
    const model = await trainMlpDenoiser(
      { values: moons, n: 200, dim: 2 },
      {
        width: 16,
        depth: 1,
        frequencies: 3,
        sigmaData: 1,
        pMean: -1,
        pStd: 1.2,
        steps: 30,
        batchSize: 32,
        learningRate: 0.01,
        emaDecay: 0.5,
        seed: 1,
      },
    );
    const files = memoryFiles({ 'm.onnx': exportMlpDenoiserToOnnx(model) });
    const schedule = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
    const { denoiser: onnx } = await onnxNode.run(
      { schedule },
      makeTestContext(onnxNode.params.parse({ path: 'm.onnx' }), { files }),
    );
    const mlp = createMlpDenoiser(model);
    const x = points(16, 5, 5);
    const viaOnnx = await createTeacherFlowMap(onnx, {
      rtol: 1e-4,
      atol: 1e-4,
      sigmaEnd: 0.002,
    }).map(x, 5, 0.1);
    const viaTfjs = await createTeacherFlowMap(mlp, {
      rtol: 1e-4,
      atol: 1e-4,
      sigmaEnd: 0.002,
    }).map(x, 5, 0.1);
    expect(await maxDiff(viaOnnx, viaTfjs)).toBeLessThan(1e-4);
    tf.dispose([x, viaOnnx, viaTfjs]);
    onnx.dispose();
    mlp.dispose();
  });
});

describe('flow-map sampler', () => {
  const schedule = edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 });
  const timesteps = timestepsFromSigmas(schedule, karrasSigmas(10, 0.002, 80, 7));

  async function sampleNode(params: Record<string, unknown>, x: tf.Tensor2D) {
    const flowmap = createGaussianFlowMap(MEAN, STD);
    const ctx = makeTestContext(samplerNode.params.parse(params));
    const out = await samplerNode.run(
      { noise: { points: x, shape: [x.shape[1]], dispose: () => {} }, flowmap, timesteps },
      ctx,
    );
    flowmap.dispose();
    return { ...out, ctx };
  }

  it('with γ = 0, any number of exact jumps lands where one does; one NFE per jump', async () => {
    const x = points(200, 80, 6);
    const one = await sampleNode({ jumps: 1 }, x);
    const four = await sampleNode({ jumps: 4, gamma: 0 }, x);
    expect(await maxDiff(one.samples.points, four.samples.points)).toBeLessThan(1e-4);
    expect(four.trajectory.frames.map((f) => f.step)).toEqual([0, 1, 2, 3, 4]);
    expect(four.ctx.nfe).toBe(4);
    expect(four.trajectory.frames[4]!.sigmaTilde).toBe(0);
    one.samples.dispose();
    four.samples.dispose();
    x.dispose();
  });

  it('with γ = 1 (consistency sampling) re-noises yet keeps the data distribution', async () => {
    const x = points(4000, 80, 7);
    const { samples } = await sampleNode({ jumps: 3, gamma: 1, seed: 2 }, x);
    const values = await samples.points.data();
    for (let axis = 0; axis < 2; axis++) {
      const column = Array.from({ length: 4000 }, (_, i) => values[2 * i + axis]!);
      const mean = column.reduce((a, b) => a + b, 0) / 4000;
      const std = Math.sqrt(column.reduce((a, b) => a + (b - mean) ** 2, 0) / 4000);
      expect(mean).toBeCloseTo(MEAN[axis]!, 1);
      expect(std / STD[axis]!).toBeGreaterThan(0.95);
      expect(std / STD[axis]!).toBeLessThan(1.05);
    }
    samples.dispose();
    x.dispose();
    const broken = tf.tensor2d([
      [NaN, 0],
      [1, 1],
    ]);
    await expect(sampleNode({ jumps: 1 }, broken)).rejects.toThrow(
      /the starting points gave NaN in x̃ \(point 0\)/,
    );
    broken.dispose();
    await expect(sampleNode({ jumps: 2, sigma_min: 100 }, points(2, 1, 1))).rejects.toThrow(
      'param "sigma_min" (100) must be below the first level σ̃_0 = 80 of input "timesteps"',
    );
  });
});
