// The learned MLP denoiser: training lowers the EDM loss, is seeded, can be cancelled, and its
// weights survive save → load bit for bit; the node says what to do when weights are missing.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Denoiser } from '../../graph-nodes/core/values';
import { createEmpiricalDenoiser } from '../../graph-nodes/denoisers/empirical';
import { generateToy2d } from '../../graph-nodes/math/toy-2d';
import { createRng } from '../../graph-nodes/math/rng';
import { edmLossWeight } from '../../graph-nodes/neural/edm-preconditioning';
import {
  createMlpDenoiser,
  trainMlpDenoiser,
  type MlpDenoiserSettings,
} from '../../graph-nodes/neural/mlp-denoiser';
import { initialParameters } from '../../graph-nodes/neural/mlp';
import { trainAndSave } from '../../graph-nodes/neural/trainers';
import { readWeights, type LearnedModel } from '../../graph-nodes/neural/weights-file';
import mlpNode from '../../graph-nodes/nodes/denoiser/mlp';
import { datasetFromArray } from '../../graph-nodes/core/samples';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { makeTestContext, memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

const moons = generateToy2d('two_moons', 1000, 3, 0.05);
const data = { values: Float32Array.from(moons.points), n: 1000, dim: 2 };
const settings: MlpDenoiserSettings = {
  width: 32,
  depth: 2,
  frequencies: 4,
  sigmaData: 1,
  pMean: -1.2,
  pStd: 1.2,
  steps: 1000,
  batchSize: 128,
  learningRate: 0.01,
  emaDecay: 0.95,
  seed: 11,
};

/** The EDM loss E λ(σ)‖D − x₀‖² on fixed noise draws (not the training draws); frees `denoiser`. */
async function evaluationLoss(denoiser: Denoiser): Promise<number> {
  const rng = createRng(999);
  let total = 0;
  const levels = [0.2, 0.5, 1, 2, 5];
  for (const sigma of levels) {
    const noisy = new Float32Array(data.values.length);
    for (let k = 0; k < noisy.length; k++) noisy[k] = data.values[k]! + sigma * rng.normal();
    const x = tf.tensor2d(noisy, [data.n, 2]);
    const d = denoiser.denoise(x, sigma);
    const squared = tf.tidy(() =>
      tf.mean(tf.sum(tf.square(tf.sub(d, tf.tensor2d(data.values, [data.n, 2]))), 1)),
    );
    total += edmLossWeight(sigma, 1) * (await squared.data())[0]!;
    tf.dispose([x, d, squared]);
  }
  denoiser.dispose();
  return total / levels.length;
}

describe('MLP denoiser training', () => {
  it('lowers the loss on a fixed seed, and the same seed gives the same weights', async () => {
    const before: LearnedModel = {
      model: 'mlp-denoiser',
      architecture: (await trainMlpDenoiser(data, { ...settings, steps: 1 })).architecture,
      sigmaData: 1,
      training: {},
      parameters: initialParameters(
        (await trainMlpDenoiser(data, { ...settings, steps: 1 })).architecture,
        settings.seed,
      ),
    };
    const progress: number[] = [];
    const trained = await trainMlpDenoiser(data, settings, {
      onProgress: (p) => progress.push(p.step),
    });
    const again = await trainMlpDenoiser(data, settings);
    const lossBefore = await evaluationLoss(createMlpDenoiser(before));
    const lossAfter = await evaluationLoss(createMlpDenoiser(trained));
    // The loss has a floor (the posterior variance); the exact denoiser of the data reaches it.
    const points = tf.tensor2d(data.values, [data.n, 2]);
    const floor = await evaluationLoss(createEmpiricalDenoiser(points));
    points.dispose();
    console.log(
      `EDM loss on fixed noise: ${lossBefore.toFixed(4)} → ${lossAfter.toFixed(4)} ` +
        `(exact denoiser ${floor.toFixed(4)})`,
    );
    expect(lossAfter - floor).toBeLessThan(0.5 * (lossBefore - floor));
    expect(trained.history.at(-1)!.loss).toBeLessThan(trained.history[0]!.loss);
    expect(progress.at(-1)).toBe(settings.steps);
    trained.parameters.forEach((p, k) => expect(again.parameters[k]).toEqual(p));
    expect(tf.memory().numTensors).toBe(0);
  });

  it('stops when its AbortSignal fires', async () => {
    const controller = new AbortController();
    const run = trainMlpDenoiser(
      data,
      { ...settings, steps: 10_000 },
      {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step >= 50) controller.abort();
        },
      },
    );
    await expect(run).rejects.toThrow(/training cancelled at step/);
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('MLP denoiser node', () => {
  const params = mlpNode.params.parse({
    weights: 'weights/moons.json',
    width: 32,
    depth: 2,
    frequencies: 4,
    train_steps: 60,
    batch_size: 64,
  });

  it('save → load gives identical outputs', async () => {
    const files = memoryFiles();
    const dataset = datasetFromArray('moons', moons.points, 1000, [2]);
    const trained = await trainAndSave('mlp-denoiser', { data: dataset }, params, files);
    expect(files.files.has('weights/moons.json')).toBe(true);
    expect(files.files.get('weights/moons.bin')!.byteLength).toBe(
      4 * trained.model.parameters.reduce((s, p) => s + p.length, 0),
    );
    const reloaded = await readWeights(files, 'weights/moons.json');
    reloaded.parameters.forEach((p, k) => expect(p).toEqual(trained.model.parameters[k]));

    const direct = createMlpDenoiser(trained.model);
    const { denoiser } = await mlpNode.run({ data: undefined }, makeTestContext(params, { files }));
    const x = tf.tensor2d(
      Float32Array.from(createRng(5).fillNormal(new Float32Array(64))),
      [32, 2],
    );
    for (const sigma of [0.01, 0.7, 30]) {
      const a = direct.denoise(x, sigma);
      const b = denoiser.denoise(x, sigma);
      expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
      tf.dispose([a, b]);
    }
    tf.dispose([x]);
    direct.dispose();
    denoiser.dispose();
    dataset.dispose();
  });

  it('says how to train when the weights are missing, and names a shape mismatch', async () => {
    const files = memoryFiles();
    await expect(
      mlpNode.run({ data: undefined }, makeTestContext(params, { files, nodeId: 'net' })),
    ).rejects.toThrow(/weights\/moons\.json.*principia train GRAPH\.json --node net/s);

    const dataset = datasetFromArray('moons', moons.points, 1000, [2]);
    await trainAndSave('mlp-denoiser', { data: dataset }, params, files, { steps: 5 });
    dataset.dispose();
    await expect(
      mlpNode.run({ data: undefined }, makeTestContext({ ...params, width: 64 }, { files })),
    ).rejects.toThrow(/trained with width 32 \(param 64\)/);
    await expect(trainAndSave('mlp-denoiser', {}, params, files)).rejects.toThrow(
      /connect the "data" input/,
    );
  });
});
