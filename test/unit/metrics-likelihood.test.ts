// Likelihood as a metric: a Metrics node with a denoiser reports the held-out data's NLL and bits
// per dimension, equal to the Log-likelihood node's on the same points, and leaves every other
// number as it was; Compare reports it per branch, and a sweep reads it off the Metrics node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, compileGraph, Executor, type GraphDocument } from '../../graph-nodes';
import type { Metrics } from '../../graph-nodes/core/values';
import { runSweep } from '../../graph-nodes/compare/sweep';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';

const at = { x: 0, y: 0 };
const RING = Array.from({ length: 8 }, (_, k) => [
  Math.SQRT2 * Math.cos((k * Math.PI) / 4),
  Math.SQRT2 * Math.sin((k * Math.PI) / 4),
]);
const MIXTURE = { weights: RING.map(() => 1), means: RING, stds: RING.map(() => 0.1) };
// A wider mixture: the model that is wrong about the data, for a second branch.
const WIDE = { ...MIXTURE, stds: RING.map(() => 0.3) };

function node(id: string, type: string, params: Record<string, unknown> = {}) {
  return { id, type, typeVersion: 1, position: at, params };
}
function edge(from: string, fromPort: string, to: string, toPort: string) {
  return { from: { node: from, port: fromPort }, to: { node: to, port: toPort } };
}

function graph(options: { denoiserOnMetrics: boolean; likelihoodOnly?: boolean }): GraphDocument {
  const metricsEdges = options.likelihoodOnly
    ? []
    : [
        edge('solver', 'samples', 'metrics', 'samples'),
        edge('solver', 'trajectory', 'metrics', 'trajectory'),
      ];
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      node('schedule', 'edm-schedule'),
      node('timesteps', 'karras-timesteps', { steps: 8 }),
      node('prior', 'gaussian-prior', { count: 40, seed: 3 }),
      node('gmm', 'gmm-denoiser', MIXTURE),
      node('wide', 'gmm-denoiser', WIDE),
      node('solver', 'solver', { algorithm: 'heun' }),
      node('wide_solver', 'solver', { algorithm: 'heun' }),
      node('heldout', 'toy-data-2d', { shape: 'eight_gaussians', count: 30, seed: 9, noise: 0.1 }),
      node('ll', 'log-likelihood', { rtol: 1e-5, atol: 1e-5 }),
      node('ll_wide', 'log-likelihood', { rtol: 1e-5, atol: 1e-5 }),
      node('metrics', 'metrics', { rtol: 1e-5, atol: 1e-5 }),
      node('compare', 'compare', { rtol: 1e-5, atol: 1e-5 }),
    ],
    edges: [
      edge('schedule', 'schedule', 'timesteps', 'schedule'),
      edge('timesteps', 'timesteps', 'prior', 'timesteps'),
      edge('prior', 'samples', 'solver', 'noise'),
      edge('timesteps', 'timesteps', 'solver', 'timesteps'),
      edge('gmm', 'denoiser', 'solver', 'denoiser'),
      edge('prior', 'samples', 'wide_solver', 'noise'),
      edge('timesteps', 'timesteps', 'wide_solver', 'timesteps'),
      edge('wide', 'denoiser', 'wide_solver', 'denoiser'),
      edge('heldout', 'dataset', 'll', 'samples'),
      edge('gmm', 'denoiser', 'll', 'denoiser'),
      edge('heldout', 'dataset', 'll_wide', 'samples'),
      edge('wide', 'denoiser', 'll_wide', 'denoiser'),
      ...metricsEdges,
      edge('heldout', 'dataset', 'metrics', 'data'),
      ...(options.denoiserOnMetrics ? [edge('gmm', 'denoiser', 'metrics', 'denoiser')] : []),
      edge('solver', 'trajectory', 'compare', 'trajectory_1'),
      edge('wide_solver', 'trajectory', 'compare', 'trajectory_2'),
      edge('gmm', 'denoiser', 'compare', 'denoiser_1'),
      edge('wide', 'denoiser', 'compare', 'denoiser_2'),
      edge('heldout', 'dataset', 'compare', 'data'),
    ],
  };
}

async function run(document: GraphDocument): Promise<(id: string) => Metrics> {
  const executor = new Executor({ files: nodeFileHost(process.cwd()) });
  const summary = await executor.run(compileGraph(document, catalogue));
  expect(summary.error).toBeUndefined();
  const outputs = new Map(
    ['metrics', 'll', 'll_wide', 'compare'].map((id) => [
      id,
      executor.output(id, 'metrics') as Metrics,
    ]),
  );
  executor.dispose();
  return (id) => outputs.get(id)!;
}

beforeAll(async () => {
  await initNodeBackend('cpu');
});
afterAll(async () => {
  await initNodeBackend('cpu');
});

describe('Metrics with a denoiser', () => {
  it('reports nll and bits/dim equal to the Log-likelihood node’s, and nothing else changes', async () => {
    const withModel = await run(graph({ denoiserOnMetrics: true }));
    const without = await run(graph({ denoiserOnMetrics: false }));
    const ll = withModel('ll').values;
    const measured = withModel('metrics').values;
    expect(measured.nll).toBe(ll.nll);
    expect(measured.bits_per_dim).toBe(ll.bits_per_dim);
    expect(measured.nll_standard_error).toBeUndefined();
    // Eight Gaussians of std 0.1 in 2-D: E log p = log(1/8) − log(2π·0.01) − 1 ≈ −0.31 nats,
    // so the NLL of 30 held-out points lies near 0.3.
    expect(measured.nll).toBeGreaterThan(0);
    expect(measured.nll).toBeLessThan(1);
    const before = without('metrics').values;
    expect(before.nll).toBeUndefined();
    expect(before.bits_per_dim).toBeUndefined();
    const { nll: _nll, bits_per_dim: _bits, ...rest } = measured;
    expect(rest).toEqual(before);
    expect(Object.keys(before).sort()).toEqual(
      [
        'mmd',
        'mmd2',
        'mmd_bandwidth',
        'n',
        'nearest_data_l2',
        'nearest_data_l2_max',
        'nfe',
        'swd',
      ].sort(),
    );
  });

  it('needs no samples: data and a denoiser alone give the likelihood', async () => {
    const out = await run(graph({ denoiserOnMetrics: true, likelihoodOnly: true }));
    expect(out('metrics').values).toEqual({
      nll: out('ll').values.nll,
      bits_per_dim: out('ll').values.bits_per_dim,
    });
  });

  it('refuses a denoiser without data to score', async () => {
    const document = graph({ denoiserOnMetrics: true });
    const executor = new Executor({ files: nodeFileHost(process.cwd()) });
    const summary = await executor.run(
      compileGraph(
        {
          ...document,
          edges: document.edges.filter((e) => !(e.to.node === 'metrics' && e.to.port === 'data')),
        },
        catalogue,
      ),
    );
    executor.dispose();
    expect(summary.error?.message).toMatch(
      /input "denoiser" scores the held-out points on input "data"/,
    );
  });
});

describe('Compare with a denoiser per branch', () => {
  it('puts each branch’s NLL of the held-out data in its row', async () => {
    const out = await run(graph({ denoiserOnMetrics: false }));
    const { rows, values } = out('compare');
    expect(rows?.map((row) => row.branch)).toEqual(['trajectory_1', 'trajectory_2']);
    expect(rows![0]!.values.nll).toBe(out('ll').values.nll);
    expect(rows![1]!.values.nll).toBe(out('ll_wide').values.nll);
    expect(values['trajectory_2.bits_per_dim']).toBe(out('ll_wide').values.bits_per_dim);
    // The model that matches the data scores it better.
    expect(rows![0]!.values.nll!).toBeLessThan(rows![1]!.values.nll!);
  });
});

describe('a sweep against NLL', () => {
  it('reads nll off a likelihood-only Metrics node, per grid point', async () => {
    const executor = new Executor({ files: nodeFileHost(process.cwd()) });
    try {
      const result = await runSweep(graph({ denoiserOnMetrics: true, likelihoodOnly: true }), {
        catalogue,
        executor,
        axes: [{ target: 'gmm.stds', values: [RING.map(() => 0.1), RING.map(() => 0.3)] }],
      });
      expect(result.solverNode).toBe('gmm');
      expect(result.errorMetric).toBe('nll');
      expect(result.points.every((point) => point.ok)).toBe(true);
      const [sharp, wide] = result.points.map((point) => point.metrics.nll!);
      expect(sharp!).toBeLessThan(wide!);
    } finally {
      executor.dispose();
    }
  });
});
