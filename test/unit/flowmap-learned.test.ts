// Learned flow maps (consistency, CTM, MeanFlow) distilled from the exact Gaussian denoiser, where
// the true flow map is known in closed form: a short training run must bring one-jump samples close
// to Ψ_{σ_max→0}; weights round-trip through their files; misuse is named.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowMap } from '../../graph-nodes/core/values';
import { createGaussianFlowMap } from '../../graph-nodes/flowmaps/gaussian';
import { createLearnedFlowMap, type FlowMapKind } from '../../graph-nodes/flowmaps/learned';
import {
  trainFlowMap,
  type FlowMapTrainingSettings,
} from '../../graph-nodes/flowmaps/train-flowmap';
import { createRng } from '../../graph-nodes/math/rng';
import { initialParameters } from '../../graph-nodes/neural/mlp';
import { architectureFor } from '../../graph-nodes/neural/mlp-denoiser';
import { trainAndSave } from '../../graph-nodes/neural/trainers';
import consistencyNode from '../../graph-nodes/nodes/flowmap/consistency';
import ctmNode from '../../graph-nodes/nodes/flowmap/ctm';
import meanflowNode from '../../graph-nodes/nodes/flowmap/meanflow';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { gaussianDenoiser } from './helpers/gaussian-denoiser';
import { makeTestContext, memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

const MEAN = [1, -0.5];
const STD = [0.6, 0.9];

const settings: FlowMapTrainingSettings = {
  width: 32,
  depth: 2,
  frequencies: 4,
  sigmaData: 1,
  epsilon: 0.002,
  sigmaMax: 20,
  trajectories: 512,
  levels: 16,
  steps: 400,
  batchSize: 128,
  learningRate: 0.005,
  emaDecay: 0.9,
  seed: 3,
};

/** Mean distance between a flow map's one-jump outputs and the exact Ψ_{σ_max→0}. */
async function oneJumpError(flow: FlowMap): Promise<number> {
  const x = tf.tensor2d(
    createRng(9)
      .fillNormal(new Float32Array(1000))
      .map((z) => settings.sigmaMax * z),
    [500, 2],
  );
  const exact = createGaussianFlowMap(MEAN, STD);
  const [a, b] = [
    await flow.map(x, settings.sigmaMax, 0),
    await exact.map(x, settings.sigmaMax, 0),
  ];
  const error = tf.tidy(() => tf.mean(tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), 1))));
  const value = (await error.data())[0]!;
  tf.dispose([x, a, b, error]);
  exact.dispose();
  return value;
}

describe.each<FlowMapKind>(['consistency-flowmap', 'ctm-flowmap', 'meanflow-flowmap'])(
  '%s',
  (kind) => {
    it('distils the Gaussian PF-ODE: one jump lands near the exact flow map', async () => {
      const tensors = tf.memory().numTensors;
      const untrained = createLearnedFlowMap({
        model: kind,
        architecture: architectureFor(settings, 2, kind === 'consistency-flowmap' ? 1 : 2),
        sigmaData: 1,
        epsilon: settings.epsilon,
        training: {},
        parameters: initialParameters(
          architectureFor(settings, 2, kind === 'consistency-flowmap' ? 1 : 2),
          settings.seed,
        ),
      });
      const trained = await trainFlowMap(kind, gaussianDenoiser(MEAN, STD), settings);
      const flow = createLearnedFlowMap(trained.model);
      const before = await oneJumpError(untrained);
      const after = await oneJumpError(flow);
      console.log(`${kind}: one-jump error vs exact Ψ ${before.toFixed(3)} → ${after.toFixed(3)}`);
      expect(after).toBeLessThan(0.25 * before);
      expect(after).toBeLessThan(0.35);
      untrained.dispose();
      flow.dispose();
      expect(tf.memory().numTensors).toBe(tensors);
    });
  },
);

describe('learned flow-map nodes', () => {
  it('save → load gives identical outputs, and misuse is named', async () => {
    const files = memoryFiles();
    const params = {
      ...consistencyNode.params.parse({ weights: 'w/cm.json' }),
      width: 16,
      depth: 1,
      frequencies: 3,
      trajectories: 64,
      levels: 8,
      train_steps: 20,
      batch_size: 32,
    };
    const teacher = gaussianDenoiser(MEAN, STD);
    const trained = await trainAndSave('consistency-flowmap', { teacher }, params, files);
    const { flowmap } = await consistencyNode.run(
      { teacher: undefined },
      makeTestContext(params, { files }),
    );
    const direct = createLearnedFlowMap(trained.model);
    const x = tf.tensor2d([
      [3, -2],
      [0.1, 0.4],
    ]);
    const [a, b] = [await flowmap.map(x, 5, 0), await direct.map(x, 5, 0)];
    expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
    await expect(flowmap.map(x, 5, 1)).rejects.toThrow(/only maps to the data end/);
    tf.dispose([a, b, x]);
    flowmap.dispose();
    direct.dispose();

    await expect(trainAndSave('ctm-flowmap', {}, ctmNode.params.parse({}), files)).rejects.toThrow(
      /connect the "teacher" input/,
    );
    await expect(
      meanflowNode.run(
        { teacher: undefined },
        makeTestContext({ ...params, weights: 'w/cm.json' }, { files }),
      ),
    ).rejects.toThrow(/holds consistency-flowmap weights, but this node is a meanflow-flowmap/);
  });
});
