// The real node catalogue, end to end in Node: backends agree, and repeated runs leak nothing.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyParamOverride,
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type GraphDocument,
  type Samples,
  type Trajectory,
} from '../../graph-nodes';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';

const fixture = resolve(__dirname, '../fixtures/kdiffusion-gmm.graph.json');
const defaultPreset = resolve(__dirname, '../../presets/default.graph.json');

async function load(path: string): Promise<GraphDocument> {
  return parseGraphText(await readFile(path, 'utf8'), path);
}

async function runFixture(
  settings: Record<string, unknown>,
): Promise<{ samples: Float32Array; trajectory: Trajectory }> {
  let doc = await load(fixture);
  for (const [target, value] of Object.entries(settings))
    doc = applyParamOverride(doc, target, value);
  const executor = new Executor({ files: nodeFileHost(dirname(fixture)) });
  try {
    const summary = await executor.run(compileGraph(doc, catalogue));
    expect(summary.error).toBeUndefined();
    const samples = (executor.output('solver', 'samples') as Samples).points;
    return {
      samples: (await samples.data()) as Float32Array,
      trajectory: executor.output('solver', 'trajectory') as Trajectory,
    };
  } finally {
    executor.dispose();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

afterAll(async () => {
  await initNodeBackend('cpu');
});

describe('backends', () => {
  it('wasm and cpu give the same samples to 1e-4 on the reference graph', async () => {
    const settings = { 'timesteps.steps': 10, 'solver.algorithm': 'heun' };
    await initNodeBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = await runFixture(settings);
    await initNodeBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const onCpu = await runFixture(settings);
    expect(onWasm.samples.length).toBe(256 * 2);
    expect(maxAbsDiff(onWasm.samples, onCpu.samples)).toBeLessThanOrEqual(1e-4);
    // And the whole trajectory, not only its end.
    expect(onWasm.trajectory.frames.length).toBe(11);
    for (let k = 0; k < 11; k++) {
      expect(
        maxAbsDiff(onWasm.trajectory.frames[k]!.x, onCpu.trajectory.frames[k]!.x),
      ).toBeLessThanOrEqual(1e-4);
    }
  });
});

describe('the default preset', () => {
  it('compiles against the catalogue and runs to samples near the mixture', async () => {
    await initNodeBackend('wasm');
    const doc = await load(defaultPreset);
    const executor = new Executor({ files: nodeFileHost(dirname(defaultPreset)) });
    const summary = await executor.run(compileGraph(doc, catalogue));
    expect(summary.error).toBeUndefined();
    const solverId = doc.nodes.find((n) => n.type === 'solver')!.id;
    const points = (executor.output(solverId, 'samples') as Samples).points;
    const [n, d] = points.shape;
    expect(d).toBe(2);
    expect(n).toBeGreaterThanOrEqual(1000);
    // Every sample lies within a few component stds of some mixture mean.
    const denoiserNode = doc.nodes.find((node) => node.type === 'gmm-denoiser')!;
    const means = denoiserNode.params.means as number[][];
    const stds = denoiserNode.params.stds as number[];
    const xy = await points.data();
    let far = 0;
    for (let i = 0; i < n; i++) {
      const near = means.some(
        (m, k) => Math.hypot(xy[2 * i]! - m[0]!, xy[2 * i + 1]! - m[1]!) < 5 * stds[k]!,
      );
      if (!near) far++;
    }
    expect(far / n).toBeLessThan(0.01);
    executor.dispose();
  });
});

describe('tensor memory', () => {
  it('stays flat across 100 runs of the reference graph with changing params', async () => {
    await initNodeBackend('cpu');
    const base = await load(fixture);
    const executor = new Executor({ files: nodeFileHost(dirname(fixture)) });
    const start = tf.memory().numTensors;
    const planFor = (i: number) =>
      compileGraph(
        applyParamOverride(
          applyParamOverride(base, 'timesteps.steps', 2 + (i % 4)),
          'solver.algorithm',
          i % 2 ? 'heun' : 'euler',
        ),
        catalogue,
      );
    await executor.run(planFor(0));
    const afterFirst = tf.memory().numTensors;
    const counts: number[] = [];
    for (let i = 1; i <= 100; i++) {
      const summary = await executor.run(planFor(i));
      expect(summary.ok).toBe(true);
      counts.push(tf.memory().numTensors);
    }
    // Each run replaces its outputs in place: the count is the same after every run.
    expect(new Set(counts)).toEqual(new Set([afterFirst]));
    await executor.run(planFor(0));
    expect(tf.memory().numTensors).toBe(afterFirst);
    executor.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
