// The log-likelihood contract from the command line, as a script would use it: points loaded by
// load-npy, a GMM denoiser and a log-likelihood node named "ll", run through the CLI with
// --save ll.log_density=F.npy, which must read back as an [n] float array equal to the engine's
// own values; and, through the executor, bits per dimension on the node, the ELBO node beside it
// and the errors that name a param.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogue, compileGraph, Executor, type GraphDocument } from '../../graph-nodes';
import type { Metrics, Samples } from '../../graph-nodes/core/values';
import { createGmmDenoiser } from '../../graph-nodes/denoisers/gmm';
import { pfOdeLogLikelihood } from '../../graph-nodes/likelihood/pf-ode-likelihood';
import { encodeNpy, parseNpy } from '../../graph-nodes/math/npy';
import { createRng } from '../../graph-nodes/math/rng';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { principia } from './helpers/cli-process';

const N = 50;
const MIXTURE = {
  weights: [1, 2],
  means: [
    [-1, 0],
    [1.5, 1],
  ],
  stds: [0.5, 0.3],
};
let folder: string;
let points: Float32Array;

function likelihoodGraph(llParams: Record<string, unknown> = {}): GraphDocument {
  const at = { x: 0, y: 0 };
  return {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [
      { id: 'data', type: 'load-npy', typeVersion: 1, position: at, params: { path: 'x.npy' } },
      { id: 'gmm', type: 'gmm-denoiser', typeVersion: 1, position: at, params: MIXTURE },
      { id: 'll', type: 'log-likelihood', typeVersion: 1, position: at, params: llParams },
      { id: 'schedule', type: 'ddpm-schedule', typeVersion: 1, position: at, params: {} },
      { id: 'bound', type: 'elbo', typeVersion: 1, position: at, params: {} },
    ],
    edges: [
      { from: { node: 'data', port: 'samples' }, to: { node: 'll', port: 'samples' } },
      { from: { node: 'gmm', port: 'denoiser' }, to: { node: 'll', port: 'denoiser' } },
      { from: { node: 'data', port: 'samples' }, to: { node: 'bound', port: 'samples' } },
      { from: { node: 'gmm', port: 'denoiser' }, to: { node: 'bound', port: 'denoiser' } },
      { from: { node: 'schedule', port: 'schedule' }, to: { node: 'bound', port: 'schedule' } },
    ],
  };
}

beforeAll(async () => {
  await initNodeBackend('wasm');
  folder = await mkdtemp(join(tmpdir(), 'principia-likelihood-'));
  const rng = createRng(21);
  points = Float32Array.from({ length: N * 2 }, () => 1.5 * rng.normal());
  await writeFile(join(folder, 'x.npy'), encodeNpy(points, [N, 2]));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The engine's own values for the points as the graph loads them (float32, widened). */
async function engineLogDensity(): Promise<Float64Array> {
  const denoiser = createGmmDenoiser(MIXTURE);
  const result = await pfOdeLogLikelihood(denoiser, Float64Array.from(points), 2, {
    sigmaMin: 0.002,
    sigmaMax: 80,
    divergence: 'exact',
    probes: 8,
    seed: 0,
    prior: 'gaussian',
    rtol: 1e-7,
    atol: 1e-7,
  });
  denoiser.dispose();
  return result.logDensity;
}

describe('principia run G.json --save ll.log_density=F.npy', () => {
  it('writes one float64 log-density per point, [n], equal to the engine’s values', async () => {
    const graphFile = join(folder, 'likelihood.graph.json');
    await writeFile(graphFile, JSON.stringify(likelihoodGraph()));
    const out = join(folder, 'll.npy');
    const started = performance.now();
    const result = await principia('run', graphFile, '--save', `ll.log_density=${out}`, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { nodes: Record<string, { nfe: number }> };
    expect(report.nodes.ll!.nfe).toBeGreaterThan(50);
    const saved = parseNpy(new Uint8Array(await readFile(out)), 'll.npy');
    expect(saved.shape).toEqual([N]);
    expect(saved.data).toBeInstanceOf(Float64Array);
    const expected = await engineLogDensity();
    for (let i = 0; i < N; i++) expect(saved.data[i]).toBe(expected[i]);
    console.info(`CLI run of ${N} points: ${(performance.now() - started).toFixed(0)} ms`);
  });
});

describe('the log-likelihood and ELBO nodes in a run', () => {
  it('show bits per dimension and the NLL on the node, and the ELBO lies below the log-likelihood', async () => {
    const executor = new Executor({ files: nodeFileHost(folder) });
    try {
      const summary = await executor.run(compileGraph(likelihoodGraph(), catalogue));
      expect(summary.error).toBeUndefined();
      const { values } = executor.output('ll', 'metrics') as Metrics;
      const expected = await engineLogDensity();
      const mean = expected.reduce((sum, v) => sum + v, 0) / N;
      expect(values.nll).toBeCloseTo(-mean, 12);
      expect(values.bits_per_dim).toBeCloseTo(-mean / (2 * Math.LN2), 12);
      expect(values.n).toBe(N);
      const logDensity = executor.output('ll', 'log_density') as Samples;
      expect(logDensity.shape).toEqual([1]);
      expect(logDensity.points.shape).toEqual([N, 1]);
      const bound = executor.output('bound', 'metrics') as Metrics;
      expect(bound.values.steps).toBe(1000);
      expect(bound.values.nll_bound).toBeGreaterThan(values.nll!);
      expect(bound.values.bits_per_dim).toBeGreaterThan(values.bits_per_dim!);
      console.info(
        `bits/dim: PF-ODE ${values.bits_per_dim!.toFixed(4)}, DDPM ELBO bound ` +
          `${bound.values.bits_per_dim!.toFixed(4)} ± ${(bound.values.nll_standard_error! / (2 * Math.LN2)).toFixed(4)}`,
      );
    } finally {
      executor.dispose();
    }
    expect(tf.memory().numTensors).toBeLessThan(1000);
  });

  it('refuse what a run cannot do, naming the param or input', async () => {
    const run = async (graph: GraphDocument) => {
      const executor = new Executor({ files: nodeFileHost(folder) });
      try {
        return await executor.run(compileGraph(graph, catalogue));
      } finally {
        executor.dispose();
      }
    };
    // prior "exact" behind guidance: the guided denoiser has no closed form.
    const guided = likelihoodGraph({ prior: 'exact' });
    guided.nodes.push({
      id: 'guided',
      type: 'autoguidance',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: {},
    });
    guided.edges = guided.edges.filter(
      (edge) => edge.to.node !== 'll' || edge.to.port !== 'denoiser',
    );
    guided.edges.push(
      { from: { node: 'gmm', port: 'denoiser' }, to: { node: 'guided', port: 'good' } },
      { from: { node: 'gmm', port: 'denoiser' }, to: { node: 'guided', port: 'weak' } },
      { from: { node: 'guided', port: 'denoiser' }, to: { node: 'll', port: 'denoiser' } },
    );
    const summary = await run(guided);
    expect(summary.error?.message).toMatch(/param "prior"/);
    // A continuous schedule for the ELBO.
    const continuous = likelihoodGraph();
    continuous.nodes = continuous.nodes.map((node) =>
      node.id === 'schedule' ? { ...node, type: 'edm-schedule' } : node,
    );
    const refused = await run(continuous);
    expect(refused.error?.message).toMatch(/input "schedule"/);
  });
});
