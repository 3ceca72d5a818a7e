// The Compare node on the "Solvers head to head" preset: a row per branch, each measured exactly
// as a Metrics node measures it, against one reference that runs once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  applyParamOverride,
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type Metrics,
  type Trajectory,
} from '../../graph-nodes';
import { finalPoints, measureSamples } from '../../graph-nodes/metrics/measure';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';

const PRESETS = join(__dirname, '../../presets');
const FILE = join(PRESETS, 'solvers-head-to-head.graph.json');
const preset = applyParamOverride(
  parseGraphText(readFileSync(FILE, 'utf8'), FILE),
  'prior.count',
  128,
);

beforeAll(async () => {
  await initNodeBackend('wasm');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

it('measures every branch the same way against one reference', async () => {
  const executor = new Executor({ files: nodeFileHost(PRESETS) });
  try {
    const summary = await executor.run(compileGraph(preset, catalogue));
    expect(summary.error).toBeUndefined();
    const { rows, values } = executor.output('compare', 'metrics') as Metrics;
    expect(rows?.map((row) => row.branch)).toEqual([
      'trajectory_1',
      'trajectory_2',
      'trajectory_3',
      'trajectory_4',
    ]);
    const reference = finalPoints(executor.output('reference', 'trajectory') as Trajectory, 'r');
    const data = executor.output('data', 'dataset') as {
      points: { data(): Promise<Float32Array> };
    };
    const dataValues = await data.points.data();
    for (const [index, solver] of ['euler', 'heun', 'dpmpp_2m', 'uni_pc'].entries()) {
      const trajectory = executor.output(solver, 'trajectory') as Trajectory;
      const row = rows![index]!;
      expect(row.values['nfe']).toBe(trajectory.nfe);
      const expected = await measureSamples(finalPoints(trajectory, solver), {
        reference,
        data: { values: Float64Array.from(dataValues), n: dataValues.length / 2, dim: 2 },
        projections: 128,
        mmdBandwidth: 0,
        maxPoints: 1000,
        seed: 0,
      });
      for (const [name, value] of Object.entries(expected)) {
        expect(row.values[name]).toBe(value);
        expect(values[`${row.branch}.${name}`]).toBe(value);
      }
    }
    const error = (index: number) => rows![index]!.values['mean_l2']!;
    // Second-order solvers land nearer the exact solution than Euler at the same step count.
    expect(error(1)).toBeLessThan(error(0));
    expect(error(2)).toBeLessThan(error(0));

    // Another step count re-runs the solvers and the table, not the reference.
    const again = await executor.run(
      compileGraph(applyParamOverride(preset, 'timesteps.steps', 40), catalogue),
    );
    expect(again.nodes['reference']!.status).toBe('cached');
    expect(again.nodes['euler']!.status).toBe('done');
    expect(again.nodes['compare']!.status).toBe('done');
    const finer = (executor.output('compare', 'metrics') as Metrics).rows!;
    expect(finer[1]!.values['mean_l2']!).toBeLessThan(error(1));
  } finally {
    executor.dispose();
  }
});

it('refuses a reference that does not start from the same noise, naming the branch', async () => {
  const executor = new Executor({ files: nodeFileHost(PRESETS) });
  const document = {
    ...preset,
    nodes: [
      ...preset.nodes,
      {
        ...preset.nodes.find((node) => node.id === 'prior')!,
        id: 'other_prior',
        params: { count: 64, seed: 1 },
      },
    ],
    edges: preset.edges.map((edge) =>
      edge.to.node === 'reference' && edge.to.port === 'noise'
        ? { ...edge, from: { node: 'other_prior', port: 'samples' } }
        : edge,
    ),
  };
  document.edges.push({
    from: { node: 'reference_timesteps', port: 'timesteps' },
    to: { node: 'other_prior', port: 'timesteps' },
  });
  try {
    const summary = await executor.run(compileGraph(document, catalogue));
    expect(summary.error?.nodeId).toBe('compare');
    expect(summary.error?.message).toMatch(/"trajectory_1" has 128 points but "reference" has 64/);
  } finally {
    executor.dispose();
  }
});
