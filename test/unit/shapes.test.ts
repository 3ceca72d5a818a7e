// Samples carry a per-point shape: through .npy files, the compiler's port facts, a run and back
// to .npy, for points in the plane, flat vectors, one-channel and RGB images; and a mismatch is
// refused before anything runs, naming both shapes.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  compileGraph,
  Executor,
  GraphError,
  type GraphDocument,
  type Samples,
  type Trajectory,
} from '../../graph-nodes';
import {
  formatShape,
  imageLayout,
  shapeSize,
  unifyShapes,
  type PointShape,
} from '../../graph-nodes/core/shapes';
import { encodeNpy, parseNpy } from '../../graph-nodes/math/npy';
import { memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('shape rules', () => {
  it('a flat shape agrees with any layout of the same size; two layouts only when equal', () => {
    expect(unifyShapes([2], [2])).toEqual([2]);
    expect(unifyShapes([784], [1, 28, 28])).toEqual([1, 28, 28]);
    expect(unifyShapes([1, 28, 28], [784])).toEqual([1, 28, 28]);
    expect(unifyShapes([1, 28, 28], [28, 28, 1])).toBeUndefined();
    expect(unifyShapes([2], [1, 28, 28])).toBeUndefined();
    expect(unifyShapes([3, 8, 8], [192])).toEqual([3, 8, 8]);
  });

  it('draws [H, W], [1, H, W] gray and [3, H, W] in colour; flat squares from side 4', () => {
    expect(imageLayout([1, 28, 28])).toEqual({ channels: 1, height: 28, width: 28 });
    expect(imageLayout([3, 8, 6])).toEqual({ channels: 3, height: 8, width: 6 });
    expect(imageLayout([5, 7])).toEqual({ channels: 1, height: 5, width: 7 });
    expect(imageLayout([784])).toEqual({ channels: 1, height: 28, width: 28 });
    expect(imageLayout([2])).toBeUndefined();
    expect(imageLayout([9])).toBeUndefined();
    expect(imageLayout([2, 8, 8])).toBeUndefined();
  });
});

const SHAPES: readonly PointShape[] = [[2], [784], [1, 28, 28], [3, 8, 8]];
const N = 5;
const STEPS = 4;

function node(id: string, type: string, params: Record<string, unknown> = {}) {
  return { id, type, typeVersion: 1, position: { x: 0, y: 0 }, params };
}
function edge(from: string, fromPort: string, to: string, toPort: string) {
  return { from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

/** A Gaussian mixture with one component at μ (flat), std 0.5: an exact denoiser in d dims. */
function gmmParams(dim: number) {
  const mean = Array.from({ length: dim }, (_, k) => Math.sin(k));
  return { weights: [1], means: [mean], stds: [0.5] };
}

/** noise (load-npy or gaussian-prior) → heun → save-npy of samples and trajectory. */
function graphFor(noise: ReturnType<typeof node>, dim: number): GraphDocument {
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      node('schedule', 'edm-schedule'),
      node('timesteps', 'karras-timesteps', { steps: STEPS }),
      noise,
      node('denoiser', 'gmm-denoiser', gmmParams(dim)),
      node('solver', 'solver', { algorithm: 'heun' }),
      node('save_samples', 'save-npy', { path: 'out/samples.npy' }),
      node('save_trajectory', 'save-npy', { path: 'out/trajectory.npy' }),
    ],
    edges: [
      edge('schedule', 'schedule', 'timesteps', 'schedule'),
      ...(noise.type === 'gaussian-prior'
        ? [edge('timesteps', 'timesteps', 'noise', 'timesteps')]
        : []),
      edge('noise', 'samples', 'solver', 'noise'),
      edge('denoiser', 'denoiser', 'solver', 'denoiser'),
      edge('timesteps', 'timesteps', 'solver', 'timesteps'),
      edge('solver', 'samples', 'save_samples', 'value'),
      edge('solver', 'trajectory', 'save_trajectory', 'value'),
    ],
  } as GraphDocument;
}

async function runGraph(graph: GraphDocument, files: ReturnType<typeof memoryFiles>) {
  const executor = new Executor({ files });
  try {
    const plan = await executor.probe(compileGraph(graph, catalogue));
    const summary = await executor.run(plan);
    expect(summary.error).toBeUndefined();
    const samples = executor.output('solver', 'samples') as Samples;
    const trajectory = executor.output('solver', 'trajectory') as Trajectory;
    return {
      plan,
      shape: samples.shape,
      trajectoryShape: trajectory.shape,
      values: Float32Array.from(await samples.points.data()),
    };
  } finally {
    executor.dispose();
  }
}

describe.each(SHAPES)('points of shape %j', (...shape) => {
  const dim = shapeSize(shape);
  const start = Float32Array.from({ length: N * dim }, (_, i) => 40 * Math.sin(1.7 * i + 0.3));

  it('load-npy [n, ...S] → solver → save-npy writes [n, ...S] and [frames, n, ...S]', async () => {
    const files = memoryFiles({ 'x_T.npy': encodeNpy(start, [N, ...shape]) });
    const graph = graphFor(node('noise', 'load-npy', { path: 'x_T.npy' }), dim);
    const { plan, shape: samplesShape, trajectoryShape, values } = await runGraph(graph, files);

    // The probe read the file's shape before the run; the solver's output facts follow it.
    expect(plan.facts.get('noise')?.['samples']?.shape).toEqual(shape);
    expect(plan.facts.get('solver')?.['samples']?.shape).toEqual(shape);
    expect(samplesShape).toEqual(shape);
    expect(trajectoryShape).toEqual(shape);

    const saved = parseNpy(files.files.get('out/samples.npy')!);
    expect(saved.shape).toEqual([N, ...shape]);
    expect(Array.from(saved.data)).toEqual(Array.from(values));
    const trajectory = parseNpy(files.files.get('out/trajectory.npy')!);
    expect(trajectory.shape).toEqual([STEPS + 1, N, ...shape]);
    expect(Array.from(trajectory.data.subarray(0, N * dim))).toEqual(Array.from(start));

    // The shape is only a layout: the same numbers as flat points, bit for bit.
    const flatFiles = memoryFiles({ 'x_T.npy': encodeNpy(start, [N, dim]) });
    const flat = await runGraph(graph, flatFiles);
    expect(flat.shape).toEqual([dim]);
    expect(Array.from(flat.values)).toEqual(Array.from(values));
  });

  it('gaussian-prior with a shape param gives samples of that shape (known at compile time)', async () => {
    const files = memoryFiles();
    const graph = graphFor(node('noise', 'gaussian-prior', { count: N, shape }), dim);
    expect(compileGraph(graph, catalogue).facts.get('solver')?.['trajectory']?.shape).toEqual(
      shape,
    );
    const { shape: samplesShape } = await runGraph(graph, files);
    expect(samplesShape).toEqual(shape);
    expect(parseNpy(files.files.get('out/samples.npy')!).shape).toEqual([N, ...shape]);
  });
});

describe('shape mismatches are refused before anything runs, naming both shapes', () => {
  function issuesOf(run: () => unknown): string {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(GraphError);
      const [issue] = (error as GraphError).issues;
      expect(issue?.code).toBe('shape-mismatch');
      return (error as GraphError).message;
    }
    throw new Error('expected a GraphError');
  }

  it('at compile time, from params: a prior of shape [2] and a denoiser over 784-D points', () => {
    const graph = graphFor(node('noise', 'gaussian-prior', { count: N, shape: [2] }), 784);
    const message = issuesOf(() => compileGraph(graph, catalogue));
    expect(message).toContain('node "solver" port "denoiser"');
    expect(message).toContain('input "noise" (from noise.samples) has per-point shape [2]');
    expect(message).toContain('input "denoiser" (from denoiser.denoiser) has [784]');
  });

  it('at compile time, two layouts of the same size', () => {
    const graph = graphFor(node('noise', 'gaussian-prior', { count: N, shape: [28, 28, 1] }), 784);
    graph.nodes.push(node('data', 'fashion-mnist', { count: 20 }));
    graph.nodes.push(node('metrics', 'metrics'));
    graph.edges.push(edge('solver', 'samples', 'metrics', 'samples'));
    graph.edges.push(edge('data', 'dataset', 'metrics', 'data'));
    const message = issuesOf(() => compileGraph(graph, catalogue));
    expect(message).toContain('node "metrics" port "data"');
    expect(message).toContain(`${formatShape([28, 28, 1])} but input "data"`);
    expect(message).toContain('[1, 28, 28] (the same number of values laid out differently)');
  });

  it('from a file, before any node runs: an .npy of images and a 2-D denoiser', async () => {
    const files = memoryFiles({ 'x_T.npy': encodeNpy(new Float32Array(N * 784), [N, 1, 28, 28]) });
    const graph = graphFor(node('noise', 'load-npy', { path: 'x_T.npy' }), 2);
    const plan = compileGraph(graph, catalogue); // the file is not read at compile time
    const executor = new Executor({ files });
    try {
      const probe = executor.probe(plan, 'graph.json');
      await expect(probe).rejects.toThrow(GraphError);
      await expect(probe).rejects.toThrow(
        'graph.json: node "solver" port "denoiser": input "noise" (from noise.samples: x_T.npy ' +
          'holds an array (5, 1, 28, 28)) has ' +
          'per-point shape [1, 28, 28] but input "denoiser" (from denoiser.denoiser) has [2] ' +
          '(784 values per point against 2); connect values of the same shape',
      );
      // A run that skips the probe stops at the solver with the same words.
      const summary = await executor.run(plan);
      expect(summary.error?.nodeId).toBe('solver');
      expect(summary.error?.message).toContain('has per-point shape [1, 28, 28] but input');
    } finally {
      executor.dispose();
    }
  });
});
