// Previews of a model while it trains: when they are drawn, that they sample the weights as they
// stood (later previews sit on the data, early ones do not), and that watching changes nothing
// about the weights trained.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainFlowMap } from '../../graph-nodes/flowmaps/train-flowmap';
import { generateToy2d } from '../../graph-nodes/math/toy-2d';
import { trainMlpDenoiser, type MlpDenoiserSettings } from '../../graph-nodes/neural/mlp-denoiser';
import {
  PREVIEW_INTERVAL_MS,
  PREVIEW_TIME_SHARE,
  previewCount,
  previewSchedule,
  sampleDenoiserPreview,
  type TrainingSamples,
} from '../../graph-nodes/neural/training-samples';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { gaussianDenoiser } from './helpers/gaussian-denoiser';

beforeAll(async () => {
  await initNodeBackend('wasm');
});

describe('preview schedule', () => {
  it('draws at each tenth of the run and at the last step', () => {
    const schedule = previewSchedule(300, 0);
    const reports = Array.from({ length: 12 }, (_, k) => (k + 1) * 25);
    const due = reports.filter((step) => schedule.due(step, 0));
    // Tenths of 300 are 30 steps: the reports at 25, 50, … cross 30, 60, … at these.
    expect(due).toEqual([50, 75, 100, 125, 150, 200, 225, 250, 275, 300]);
  });

  it('draws at least every few seconds on a slow run', () => {
    const schedule = previewSchedule(100_000, 0);
    expect(schedule.due(25, 10)).toBe(false);
    expect(schedule.due(50, PREVIEW_INTERVAL_MS)).toBe(true);
    expect(schedule.due(75, PREVIEW_INTERVAL_MS + 10)).toBe(false);
    expect(schedule.due(100, 2 * PREVIEW_INTERVAL_MS)).toBe(true);
  });

  it('skips previews that would take more than their share of the time, but never the last', () => {
    const schedule = previewSchedule(100, 0);
    expect(schedule.due(10, 100)).toBe(true);
    schedule.spent(50);
    // 50 ms of previews in 200 ms is 25 %: the next tenth is skipped …
    expect(schedule.due(20, 200)).toBe(false);
    // … until the time trained catches up (50 ms is 5 % of 1 s).
    expect(schedule.due(30, 1000)).toBe(true);
    schedule.spent(500);
    expect(schedule.due(100, 1200)).toBe(true);
    expect(PREVIEW_TIME_SHARE).toBeLessThanOrEqual(0.05);
  });
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
  steps: 600,
  batchSize: 128,
  learningRate: 0.01,
  emaDecay: 0.95,
  seed: 11,
};

/** Mean distance from each sample to its nearest data point. */
function distanceToData(samples: TrainingSamples): number {
  let total = 0;
  for (let i = 0; i < samples.count; i++) {
    const [x, y] = [samples.values[2 * i]!, samples.values[2 * i + 1]!];
    let best = Infinity;
    for (let j = 0; j < data.n; j++) {
      best = Math.min(best, Math.hypot(x - data.values[2 * j]!, y - data.values[2 * j + 1]!));
    }
    total += best;
  }
  return total / samples.count;
}

describe('samples drawn while training', () => {
  it('come at rising steps, approach the data, and leave the weights as they were', async () => {
    const previews: TrainingSamples[] = [];
    const order: string[] = [];
    const watched = await trainMlpDenoiser(data, settings, {
      onSamples: (samples) => {
        previews.push(samples);
        order.push(`samples ${samples.step}`);
      },
      onProgress: (progress) => order.push(`progress ${progress.step}`),
    });
    const unwatched = await trainMlpDenoiser(data, settings);

    // How many depends on time: this small network trains so fast that previews soon reach
    // their share of it (the schedule's own tests above pin that down).
    expect(previews.length).toBeGreaterThanOrEqual(2);
    expect(previews.at(-1)!.step).toBe(settings.steps);
    const steps = previews.map((p) => p.step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(new Set(steps).size).toBe(steps.length);
    // Each preview comes just before the progress report of its step.
    for (const preview of previews) {
      const at = order.indexOf(`samples ${preview.step}`);
      expect(order[at + 1]).toBe(`progress ${preview.step}`);
    }
    for (const preview of previews) {
      expect(preview).toMatchObject({ count: previewCount(2), dim: 2, shape: [2] });
      expect(preview.values).toHaveLength(previewCount(2) * 2);
      expect(preview.values.every(Number.isFinite)).toBe(true);
    }
    const early = distanceToData(previews[0]!);
    const late = distanceToData(previews.at(-1)!);
    console.log(
      `mean distance to the data: step ${steps[0]} ${early.toFixed(3)}, end ${late.toFixed(3)}`,
    );
    expect(late).toBeLessThan(0.6 * early);
    expect(late).toBeLessThan(0.2);

    watched.parameters.forEach((p, k) => expect(unwatched.parameters[k]).toEqual(p));
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('samples drawn while a flow map distils', () => {
  it('jump once from σ_max to the data end, towards the teacher’s Gaussian', async () => {
    const previews: TrainingSamples[] = [];
    await trainFlowMap(
      'meanflow-flowmap',
      gaussianDenoiser([1, -0.5], [0.6, 0.9]),
      {
        width: 32,
        depth: 2,
        frequencies: 4,
        sigmaData: 1,
        epsilon: 0.002,
        sigmaMax: 20,
        trajectories: 256,
        levels: 12,
        steps: 300,
        batchSize: 128,
        learningRate: 0.005,
        emaDecay: 0.9,
        seed: 3,
      },
      { onSamples: (samples) => previews.push(samples) },
    );
    expect(previews.length).toBeGreaterThanOrEqual(2);
    expect(previews.at(-1)).toMatchObject({ step: 300, count: previewCount(2), dim: 2 });
    const last = previews.at(-1)!;
    const meanX = last.values.filter((_, k) => k % 2 === 0).reduce((a, b) => a + b) / last.count;
    const meanY = last.values.filter((_, k) => k % 2 === 1).reduce((a, b) => a + b) / last.count;
    expect(Math.hypot(meanX - 1, meanY + 0.5)).toBeLessThan(0.5);
    expect(tf.memory().numTensors).toBe(0);
  });
});

describe('previews of image models', () => {
  it('draw a few images in their own shape', async () => {
    const denoiser = gaussianDenoiser(new Array(784).fill(0.2), new Array(784).fill(0.3));
    const drawn = await sampleDenoiserPreview(denoiser, [1, 28, 28]);
    expect(drawn).toMatchObject({ count: previewCount(784), dim: 784, shape: [1, 28, 28] });
    expect(drawn.count).toBe(16);
    expect(drawn.values).toHaveLength(16 * 784);
    const mean = drawn.values.reduce((a, b) => a + b) / drawn.values.length;
    expect(mean).toBeCloseTo(0.2, 1);
    expect(tf.memory().numTensors).toBe(0);
  });
});
