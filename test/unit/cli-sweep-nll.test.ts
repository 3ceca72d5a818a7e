// `principia sweep` against NLL: a learned denoiser trained for a few and for more steps
// (`principia train --steps`), and a sweep over its weights read off a Metrics node that scores
// held-out points under it. Running a graph loads weights and never trains, so a training param
// such as train_steps is swept through the weights each value produced.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../graph-nodes/cli/main';

let folder: string;

function buffered() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    output: {
      stdout: (text: string) => void (out.stdout += text),
      stderr: (text: string) => void (out.stderr += text),
    },
  };
}

const at = { x: 0, y: 0 };

function graph(weights: string, trainSteps: number) {
  return {
    format: 'principia.graph',
    version: 1,
    nodes: [
      {
        id: 'data',
        type: 'toy-data-2d',
        typeVersion: 1,
        position: at,
        params: { shape: 'two_moons', count: 500, seed: 1, noise: 0.05 },
      },
      {
        id: 'heldout',
        type: 'toy-data-2d',
        typeVersion: 1,
        position: at,
        params: { shape: 'two_moons', count: 16, seed: 2, noise: 0.05 },
      },
      {
        id: 'denoiser',
        type: 'mlp-denoiser',
        typeVersion: 1,
        position: at,
        params: {
          weights,
          width: 16,
          depth: 1,
          frequencies: 4,
          train_steps: trainSteps,
          batch_size: 128,
          learning_rate: 0.01,
        },
      },
      {
        id: 'metrics',
        type: 'metrics',
        typeVersion: 1,
        position: at,
        params: { rtol: 1e-3, atol: 1e-3 },
      },
    ],
    edges: [
      { from: { node: 'data', port: 'dataset' }, to: { node: 'denoiser', port: 'data' } },
      { from: { node: 'heldout', port: 'dataset' }, to: { node: 'metrics', port: 'data' } },
      { from: { node: 'denoiser', port: 'denoiser' }, to: { node: 'metrics', port: 'denoiser' } },
    ],
  };
}

interface SweepJson {
  ok: boolean;
  solver: string;
  errorMetric: string;
  points: { settings: Record<string, unknown>; ok: boolean; metrics: Record<string, number> }[];
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-sweep-nll-'));
  for (const steps of [10, 300]) {
    const path = join(folder, `train-${steps}.graph.json`);
    await writeFile(path, JSON.stringify(graph(`nets/steps-${steps}.json`, steps)));
    const train = buffered();
    expect(await main(['train', path, '--node', 'denoiser', '--json'], train.output)).toBe(0);
    expect(JSON.parse(train.out.stdout)).toMatchObject({ ok: true, steps });
  }
  await writeFile(join(folder, 'nll.graph.json'), JSON.stringify(graph('nets/steps-10.json', 10)));
}, 60_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

it('sweeps a learned denoiser over its training against the NLL of held-out points', async () => {
  const graphPath = join(folder, 'nll.graph.json');
  const weights = [10, 300].map((steps) => join(folder, `nets/steps-${steps}.json`));
  const sweep = buffered();
  const code = await main(
    ['sweep', graphPath, '--set', `denoiser.weights=${weights.join(',')}`, '--jobs', '1', '--json'],
    sweep.output,
  );
  expect(sweep.out.stderr).toBe('');
  expect(code).toBe(0);
  const result = JSON.parse(sweep.out.stdout) as SweepJson;
  expect(result).toMatchObject({ ok: true, solver: 'denoiser', errorMetric: 'nll' });
  const [few, more] = result.points.map((point) => point.metrics);
  for (const metrics of [few!, more!]) {
    expect(Number.isFinite(metrics.nll)).toBe(true);
    expect(metrics.bits_per_dim).toBeCloseTo(metrics.nll! / (2 * Math.LN2), 12);
  }
  // 300 steps learn the moons far better than 10: the held-out NLL falls.
  expect(more!.nll).toBeLessThan(few!.nll!);

  const table = buffered();
  expect(
    await main(
      ['sweep', graphPath, '--set', `denoiser.weights=${weights.join(',')}`, '--jobs', '1'],
      table.output,
    ),
  ).toBe(0);
  expect(table.out.stdout).toMatch(/denoiser\.weights .* nll +bits_per_dim/);
}, 60_000);

it('runs a sweep over train_steps itself, which changes no weights at run time', async () => {
  const sweep = buffered();
  const code = await main(
    [
      'sweep',
      join(folder, 'nll.graph.json'),
      '--set',
      'denoiser.train_steps=10,300',
      '--jobs',
      '1',
      '--json',
    ],
    sweep.output,
  );
  expect(code).toBe(0);
  const result = JSON.parse(sweep.out.stdout) as SweepJson;
  const [first, second] = result.points.map((point) => point.metrics.nll);
  // The run loads nets/steps-10.json at both points: train with --steps to sweep training.
  expect(second).toBe(first);
  expect(JSON.parse(await readFile(join(folder, 'nets/steps-10.json'), 'utf8'))).toBeTruthy();
}, 60_000);
