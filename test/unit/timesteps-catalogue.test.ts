// The schedule and timesteps nodes in the real catalogue, and a run through the engine with them.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type Samples,
  type Timesteps,
  type Trajectory,
} from '../../graph-nodes';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';

const SCHEDULE_AND_TIMESTEPS_TYPES = [
  'edm-schedule',
  've-schedule',
  'vp-linear-schedule',
  'vp-cosine-schedule',
  'rectified-flow-schedule',
  'ddpm-schedule',
  'karras-timesteps',
  'uniform-timesteps',
  'exponential-timesteps',
  'polyexponential-timesteps',
  'sgm-uniform-timesteps',
  'simple-timesteps',
  'ddim-uniform-timesteps',
  'beta-timesteps',
  'kl-optimal-timesteps',
];

describe('catalogue', () => {
  it('lists every schedule and timesteps node', () => {
    for (const type of SCHEDULE_AND_TIMESTEPS_TYPES) {
      expect(catalogue.get(type)?.type, type).toBe(type);
    }
  });
});

describe('a graph on a discrete DDPM schedule', () => {
  it('samples the default preset’s mixture with beta timesteps on the SD table', async () => {
    const path = resolve(__dirname, '../../presets/default.graph.json');
    const doc = parseGraphText(await readFile(path, 'utf8'), path);
    const nodes = doc.nodes.map((node) => {
      if (node.id === 'schedule') {
        return { ...node, type: 'ddpm-schedule', params: { beta_schedule: 'scaled_linear' } };
      }
      if (node.id === 'timesteps')
        return { ...node, type: 'beta-timesteps', params: { steps: 30 } };
      if (node.id === 'prior') return { ...node, params: { ...node.params, count: 200 } };
      return node;
    });
    await initNodeBackend('cpu');
    const executor = new Executor({
      files: { read: () => Promise.reject(new Error('no files')), write: () => Promise.resolve() },
    });
    try {
      const summary = await executor.run(compileGraph({ ...doc, nodes }, catalogue));
      expect(summary.error).toBeUndefined();
      const timesteps = executor.output('timesteps', 'timesteps') as Timesteps;
      expect(timesteps.sigmaTilde[0]).toBeCloseTo(14.6146, 4);
      expect(timesteps.t[0]).toBe(999);
      const trajectory = executor.output('solver', 'trajectory') as Trajectory;
      expect(trajectory.frames.length).toBe(timesteps.sigmaTilde.length);
      const points = (await (
        executor.output('solver', 'samples') as Samples
      ).points.data()) as Float32Array;
      // every point lands near one of the eight means on the circle of radius 2.5
      for (let i = 0; i < points.length; i += 2) {
        expect(Math.hypot(points[i]!, points[i + 1]!)).toBeGreaterThan(1.5);
        expect(Math.hypot(points[i]!, points[i + 1]!)).toBeLessThan(3.5);
      }
    } finally {
      executor.dispose();
    }
  });
});
