// Sweeps that train: which nodes a sweep trains and why, the scratch path each point's weights go
// to (named by the node and what is upstream of it only), the in-memory file layer they go
// through, and a real solvers × train_steps sweep that trains once per train_steps value and
// never touches the user's weights file on disk.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  catalogue,
  Executor,
  GraphError,
  parseGraphText,
  runSweep,
  type GraphDocument,
} from '../../graph-nodes';
import { rerunCommand } from '../../graph-nodes/cli/sweep-points';
import { scratchWeightsPath, sweepTrainedNodes } from '../../graph-nodes/compare/sweep-training';
import { FileNotFoundError } from '../../graph-nodes/core/file-not-found';
import { MemoryFileLayer, SCRATCH_FOLDER, scratchKey } from '../../graph-nodes/core/memory-files';
import type { FileHost } from '../../graph-nodes/core/node-definition';
import { applyParamOverride } from '../../graph-nodes/core/overrides';
import { trainerFor } from '../../graph-nodes/neural/trainers';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';

const at = { x: 0, y: 0 };
const node = (id: string, type: string, params: Record<string, unknown> = {}) => ({
  id,
  type,
  typeVersion: 1,
  position: at,
  params,
});
const edge = (from: string, fromPort: string, to: string, toPort: string) => ({
  from: { node: from, port: fromPort },
  to: { node: to, port: toPort },
});

/** Two moons → MLP denoiser → solver from a small prior, measured against the data. */
function samplingGraph(weights = 'nets/denoiser.json'): GraphDocument {
  return parseGraphText(
    JSON.stringify({
      format: 'principia.graph',
      version: 1,
      nodes: [
        node('schedule', 'edm-schedule', { sigma_min: 0.002, sigma_max: 80 }),
        node('timesteps', 'karras-timesteps', {
          steps: 4,
          rho: 7,
          sigma_min: 0.002,
          sigma_max: 80,
        }),
        node('prior', 'gaussian-prior', { count: 64, seed: 0 }),
        node('data', 'toy-data-2d', { shape: 'two_moons', count: 200, seed: 1, noise: 0.05 }),
        node('denoiser', 'mlp-denoiser', {
          weights,
          width: 8,
          depth: 1,
          frequencies: 2,
          train_steps: 10,
          batch_size: 64,
          learning_rate: 0.01,
        }),
        node('solver', 'solver', { algorithm: 'euler' }),
        node('metrics', 'metrics', { rtol: 1e-3, atol: 1e-3 }),
      ],
      edges: [
        edge('schedule', 'schedule', 'timesteps', 'schedule'),
        edge('timesteps', 'timesteps', 'prior', 'timesteps'),
        edge('prior', 'samples', 'solver', 'noise'),
        edge('denoiser', 'denoiser', 'solver', 'denoiser'),
        edge('timesteps', 'timesteps', 'solver', 'timesteps'),
        edge('data', 'dataset', 'denoiser', 'data'),
        edge('solver', 'samples', 'metrics', 'samples'),
        edge('data', 'dataset', 'metrics', 'data'),
      ],
    }),
  );
}

function sweepIssue(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return (error as GraphError).issues.map((issue) => issue.message).join('\n');
  }
  throw new Error('expected a GraphError');
}

describe('trainerFor', () => {
  it("finds the trainable types and none of Object's own properties", () => {
    expect(trainerFor('mlp-denoiser')?.inputs).toEqual(['data']);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(trainerFor(name)).toBeUndefined();
    }
  });
});

describe('sweepTrainedNodes', () => {
  const graph = samplingGraph();

  it('trains a learned node an axis sets a training param of, with the axis as the reason', () => {
    expect(
      sweepTrainedNodes(graph, [
        { target: 'solver.algorithm', values: ['euler', 'heun'] },
        { target: 'denoiser.train_steps', values: [10, 20] },
        { target: 'denoiser.seed', values: [0, 1] },
      ]),
    ).toEqual([{ nodeId: 'denoiser', reasons: ['denoiser.train_steps', 'denoiser.seed'] }]);
  });

  it('trains nothing for axes off learned nodes or over their weights files', () => {
    expect(sweepTrainedNodes(graph, [{ target: 'solver.algorithm', values: ['euler'] }])).toEqual(
      [],
    );
    expect(
      sweepTrainedNodes(graph, [{ target: 'denoiser.weights', values: ['a.json', 'b.json'] }]),
    ).toEqual([]);
    // A data axis changes what the node would learn, but only --train says to retrain for it.
    expect(
      sweepTrainedNodes(graph, [{ target: 'data.count', values: [100, 200] }], ['denoiser']),
    ).toEqual([{ nodeId: 'denoiser', reasons: ['--train'] }]);
  });

  it('refuses unknown and untrainable --train nodes, and a weights axis on a trained node', () => {
    const axes = [{ target: 'data.count', values: [100, 200] }];
    expect(sweepIssue(() => sweepTrainedNodes(graph, axes, ['nope']))).toMatch(
      /--train "nope": there is no such node/,
    );
    expect(sweepIssue(() => sweepTrainedNodes(graph, axes, ['constructor']))).toMatch(
      /"constructor": there is no such node/,
    );
    expect(sweepIssue(() => sweepTrainedNodes(graph, axes, ['solver']))).toMatch(
      /a solver node has nothing to train; the trainable node types are .*mlp-denoiser/,
    );
    expect(
      sweepIssue(() =>
        sweepTrainedNodes(graph, [
          { target: 'denoiser.train_steps', values: [10, 20] },
          { target: 'denoiser.weights', values: ['a.json', 'b.json'] },
        ]),
      ),
    ).toMatch(/trains "denoiser" .*denoiser\.weights cannot be an axis too/);
  });

  it("is in a shard's rerun command", () => {
    const command = { graph: 'g.json', sets: ['data.count=1,2'], train: ['denoiser'] };
    expect(
      rerunCommand(
        { ...command, backend: 'wasm', allowRead: [], allowWrite: [] },
        { index: 1, count: 2 },
        'out',
      ),
    ).toBe('principia sweep g.json --set data.count=1,2 --train denoiser --shard 1/2 --out out');
  });

  it('refuses to train a node whose training input is not connected', () => {
    const unwired = { ...graph, edges: graph.edges.filter((e) => e.to.node !== 'denoiser') };
    expect(sweepIssue(() => sweepTrainedNodes(unwired, [], ['denoiser']))).toMatch(
      /training reads this input: connect it/,
    );
  });
});

describe('scratchWeightsPath', () => {
  const trained = new Set(['denoiser']);
  const pathWith = (target: string, value: unknown) =>
    scratchWeightsPath(applyParamOverride(samplingGraph(), target, value), 'denoiser', trained);
  const base = scratchWeightsPath(samplingGraph(), 'denoiser', trained);

  it('lies in the in-memory folder', () => {
    expect(base).toMatch(new RegExp(`^${SCRATCH_FOLDER.replace('.', '\\.')}/[0-9a-f]{16}\\.json$`));
    expect(scratchKey(base)).toBe(base);
  });

  it('changes with the node and what is upstream of it, not with what is downstream', () => {
    expect(pathWith('denoiser.train_steps', 20)).not.toBe(base);
    expect(pathWith('denoiser.width', 16)).not.toBe(base);
    expect(pathWith('data.count', 100)).not.toBe(base);
    // Downstream and beside it: the same training, so the same weights.
    expect(pathWith('solver.algorithm', 'heun')).toBe(base);
    expect(pathWith('timesteps.steps', 8)).toBe(base);
    expect(pathWith('prior.seed', 3)).toBe(base);
    // The path the user's weights would go to is what the sweep replaces, not part of the key.
    expect(pathWith('denoiser.weights', 'elsewhere.json')).toBe(base);
  });
});

describe('MemoryFileLayer', () => {
  function recordingHost() {
    const calls: string[] = [];
    const host: FileHost = {
      read: async (path) => {
        calls.push(`read ${path}`);
        return new Uint8Array([7]);
      },
      write: async (path) => {
        calls.push(`write ${path}`);
      },
    };
    return { host, calls };
  }

  it('keeps the reserved folder in memory and passes every other path through', async () => {
    const { host, calls } = recordingHost();
    const layer = new MemoryFileLayer(host);
    await layer.write('.principia-sweep/a.json', new Uint8Array([1, 2]));
    expect(layer.has('./.principia-sweep//a.json')).toBe(true);
    expect([...(await layer.read('./.principia-sweep/a.json'))]).toEqual([1, 2]);
    expect([...(await layer.read('nets/a.json'))]).toEqual([7]);
    await layer.write('nets/b.json', new Uint8Array([3]));
    // Look-alikes are ordinary paths, for the host to confine as it always does.
    for (const path of [
      '/.principia-sweep/a.json',
      '../.principia-sweep/a.json',
      '.principia-sweep/../a.json',
      'x/.principia-sweep/a.json',
      '.principia-sweep',
    ]) {
      expect(layer.has(path)).toBe(false);
      await layer.read(path);
    }
    expect(calls).toEqual([
      'read nets/a.json',
      'write nets/b.json',
      'read /.principia-sweep/a.json',
      'read ../.principia-sweep/a.json',
      'read .principia-sweep/../a.json',
      'read x/.principia-sweep/a.json',
      'read .principia-sweep',
    ]);
  });

  it('says a reserved file not written is not found, and hands out copies', async () => {
    const layer = new MemoryFileLayer(recordingHost().host);
    await expect(layer.read('.principia-sweep/none.json')).rejects.toBeInstanceOf(
      FileNotFoundError,
    );
    // Map keys, never object properties: a graph's path cannot reach Object.prototype.
    await expect(layer.read('.principia-sweep/__proto__')).rejects.toBeInstanceOf(
      FileNotFoundError,
    );
    const written = new Uint8Array([1]);
    await layer.write('.principia-sweep/c.bin', written);
    written[0] = 9;
    const read = await layer.read('.principia-sweep/c.bin');
    read[0] = 8;
    expect([...(await layer.read('.principia-sweep/c.bin'))]).toEqual([1]);
  });

  it('is what the Executor reads and writes through', async () => {
    const { host, calls } = recordingHost();
    const executor = new Executor({ files: host });
    await executor.files.write('.principia-sweep/d.json', new Uint8Array([4]));
    expect(executor.files.has('.principia-sweep/d.json')).toBe(true);
    expect(calls).toEqual([]);
  });
});

describe('a sweep that trains', () => {
  let folder: string;
  beforeAll(async () => {
    await initNodeBackend('wasm');
    folder = await mkdtemp(join(tmpdir(), 'principia-sweep-training-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
    await initNodeBackend('cpu');
  });

  it('trains once per train_steps value and leaves the weights file on disk alone', async () => {
    const weights = join(folder, 'nets', 'denoiser.json');
    await mkdir(join(folder, 'nets'));
    // Not weights at all: a run that read this file would fail, so every point used its own.
    await writeFile(weights, 'not weights');
    const before = await stat(weights);

    const executor = new Executor({ files: nodeFileHost(folder) });
    try {
      const result = await runSweep(samplingGraph(), {
        catalogue,
        executor,
        axes: [
          { target: 'denoiser.train_steps', values: [5, 50] },
          { target: 'solver.algorithm', values: ['euler', 'heun'] },
        ],
      });
      expect(result.points.map((point) => point.error)).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(result.points.map((point) => point.training?.map((t) => [t.node, t.steps]))).toEqual([
        [['denoiser', 5]],
        undefined,
        [['denoiser', 50]],
        undefined,
      ]);
      for (const point of result.points) {
        expect(Number.isFinite(point.metrics.swd)).toBe(true);
        expect(point.ms).toBeGreaterThanOrEqual(0);
      }
      for (const training of result.points.flatMap((point) => point.training ?? [])) {
        expect(Number.isFinite(training.finalLoss)).toBe(true);
        expect(training.ms).toBeGreaterThan(0);
      }
      // Different trainings, different samples.
      expect(result.points[0]!.metrics.swd).not.toBe(result.points[2]!.metrics.swd);
    } finally {
      executor.dispose();
    }
    const after = await stat(weights);
    expect(await readFile(weights, 'utf8')).toBe('not weights');
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect((await readdir(folder)).sort()).toEqual(['nets']);
    expect(await readdir(join(folder, 'nets'))).toEqual(['denoiser.json']);
  }, 30_000);
});
