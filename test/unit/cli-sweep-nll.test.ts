// `principia sweep` against NLL: a sweep over a learned denoiser's train_steps trains it at each
// grid point (in memory, never over the graph's weights file) and scores held-out points under
// the weights it just trained; the same in worker processes and in shards, bit for bit; `--train`
// trains a node whose inputs alone are swept; and the command line says what it cannot do.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../graph-nodes/cli/main';
import { parseSweepResultText } from '../../graph-nodes/compare/sweep-result-file';

const BIN = join(__dirname, '../../bin/principia.mjs');
const WEIGHTS = 'nets/denoiser.json';
const run = promisify(execFile);

let folder: string;
let graphPath: string;
/** The graph's own weights file (trained for 10 steps) as it was before any sweep. */
let userWeights: { bytes: Buffer; mtimeMs: number };

async function cli(args: readonly string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await main(args, {
    stdout: (text: string) => void (out.stdout += text),
    stderr: (text: string) => void (out.stderr += text),
  });
  return { code, ...out };
}

/** The CLI in a process of its own, so its trainings share nothing with this one's. */
async function cliProcess(args: readonly string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: folder });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const at = { x: 0, y: 0 };

function graph() {
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
          weights: WEIGHTS,
          width: 16,
          depth: 1,
          frequencies: 4,
          train_steps: 10,
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

interface Training {
  node: string;
  steps: number;
  finalLoss: number;
  ms: number;
}

interface SweepJson {
  ok: boolean;
  solver: string;
  errorMetric: string;
  points: {
    settings: Record<string, unknown>;
    ok: boolean;
    ms?: number;
    metrics: Record<string, number>;
    training?: Training[];
  }[];
}

const TRAIN_STEPS = ['--set', 'denoiser.train_steps=20,400'];
let oneProcess: SweepJson;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-sweep-nll-'));
  graphPath = join(folder, 'nll.graph.json');
  await writeFile(graphPath, JSON.stringify(graph()));
  const train = await cli(['train', graphPath, '--node', 'denoiser', '--json']);
  expect(train.code, train.stderr).toBe(0);
  const path = join(folder, WEIGHTS);
  userWeights = { bytes: await readFile(path), mtimeMs: (await stat(path)).mtimeMs };
}, 30_000);
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function expectUserWeightsUntouched() {
  const path = join(folder, WEIGHTS);
  expect((await readFile(path)).equals(userWeights.bytes)).toBe(true);
  expect((await stat(path)).mtimeMs).toBe(userWeights.mtimeMs);
  // Nothing else was written beside the graph either (the scratch folder lives in memory).
  expect((await readdir(folder)).sort()).toEqual(['nets', 'nll.graph.json']);
  expect((await readdir(join(folder, 'nets'))).sort()).toEqual(['denoiser.bin', 'denoiser.json']);
}

it('trains at each train_steps value and scores held-out points under those weights', async () => {
  const sweep = await cli(['sweep', graphPath, ...TRAIN_STEPS, '--jobs', '1', '--json']);
  expect(sweep.code, sweep.stderr).toBe(0);
  expect(sweep.stderr).toMatch(/trains "denoiser" \(axis denoiser\.train_steps\)/);
  oneProcess = JSON.parse(sweep.stdout) as SweepJson;
  expect(oneProcess).toMatchObject({ ok: true, solver: 'denoiser', errorMetric: 'nll' });
  const [few, more] = oneProcess.points;
  expect(few!.training).toEqual([
    { node: 'denoiser', steps: 20, finalLoss: expect.any(Number), ms: expect.any(Number) },
  ]);
  expect(more!.training).toMatchObject([{ node: 'denoiser', steps: 400 }]);
  for (const { metrics } of [few!, more!]) {
    expect(Number.isFinite(metrics.nll)).toBe(true);
    expect(metrics.bits_per_dim).toBeCloseTo(metrics.nll! / (2 * Math.LN2), 12);
  }
  // 400 steps learn the moons far better than 20: the held-out NLL falls.
  expect(more!.metrics.nll).toBeLessThan(few!.metrics.nll!);
  await expectUserWeightsUntouched();
  // The app's Sweep tab opens the file, trainings and all.
  expect(parseSweepResultText(sweep.stdout).points.map((point) => point.training)).toEqual(
    oneProcess.points.map((point) => point.training),
  );

  // The graph's own weights (10 steps) give neither number: the sweep did not read them.
  const asSaved = await cli(['sweep', graphPath, '--set', 'heldout.seed=2', '--json']);
  expect(asSaved.code, asSaved.stderr).toBe(0);
  const saved = (JSON.parse(asSaved.stdout) as SweepJson).points[0]!;
  expect(saved.training).toBeUndefined();
  expect(saved.metrics.nll).not.toBe(few!.metrics.nll);

  const table = await cli(['sweep', graphPath, ...TRAIN_STEPS, '--jobs', '1']);
  expect(table.code, table.stderr).toBe(0);
  expect(table.stdout).toMatch(/denoiser\.train_steps .* nll +bits_per_dim/);
  expect(table.stdout).toMatch(/trained "denoiser": 2 trainings, [\d.]+ s in all/);
}, 30_000);

it('gives the same numbers bit for bit in worker processes and in shards', async () => {
  expect(oneProcess).toBeDefined();
  const expected = oneProcess.points.map((point) => point.metrics);
  const parallel = await cli(['sweep', graphPath, ...TRAIN_STEPS, '--jobs', '2', '--json']);
  expect(parallel.code, parallel.stderr).toBe(0);
  const parallelPoints = (JSON.parse(parallel.stdout) as SweepJson).points;
  expect(parallelPoints.map((point) => point.metrics)).toStrictEqual(expected);

  // Two shards in two processes of their own: each trains its point, neither sees the other's.
  const out = join(tmpdir(), `principia-sweep-nll-shards-${process.pid}`);
  try {
    const shards = await Promise.all(
      [0, 1].map((k) =>
        cliProcess(['sweep', graphPath, ...TRAIN_STEPS, '--shard', `${k}/2`, '--out', out]),
      ),
    );
    for (const shard of shards) expect(shard.code, shard.stderr).toBe(0);
    const record = JSON.parse(await readFile(join(out, 'point-1.json'), 'utf8')) as {
      sweep: { train?: string[] };
      point: { training?: Training[] };
    };
    expect(record.sweep.train).toEqual(['denoiser']);
    expect(record.point.training).toMatchObject([{ node: 'denoiser', steps: 400 }]);
    const merged = await cli(['sweep', 'merge', out, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const mergedPoints = (JSON.parse(merged.stdout) as SweepJson).points;
    expect(mergedPoints.map((point) => point.metrics)).toStrictEqual(expected);
    expect(mergedPoints.map((point) => point.training?.[0]?.finalLoss)).toStrictEqual(
      oneProcess.points.map((point) => point.training?.[0]?.finalLoss),
    );
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  await expectUserWeightsUntouched();
}, 40_000);

it('--train trains a node whose inputs alone are swept', async () => {
  const dataAxis = ['--set', 'data.count=200,500', '--jobs', '1', '--json'];
  const forced = await cli(['sweep', graphPath, ...dataAxis, '--train', 'denoiser']);
  expect(forced.code, forced.stderr).toBe(0);
  expect(forced.stderr).toMatch(/trains "denoiser" \(--train\)/);
  const trained = (JSON.parse(forced.stdout) as SweepJson).points;
  expect(trained.map((point) => point.training?.map((t) => t.steps))).toEqual([[10], [10]]);

  // Without it the sweep runs the saved weights at both points: no training, one NLL.
  const plain = await cli(['sweep', graphPath, ...dataAxis]);
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stderr).toBe('');
  const loaded = (JSON.parse(plain.stdout) as SweepJson).points;
  expect(loaded.map((point) => point.training)).toEqual([undefined, undefined]);
  expect(loaded[1]!.metrics.nll).toBe(loaded[0]!.metrics.nll);
  // Trained on 200 or on 500 points: two different models.
  expect(trained[1]!.metrics.nll).not.toBe(trained[0]!.metrics.nll);
  await expectUserWeightsUntouched();
}, 30_000);

it('names what is wrong with a sweep it cannot train, before anything runs', async () => {
  const cases: [string[], RegExp][] = [
    [['--train', 'nope'], /--train "nope": there is no such node; its nodes are "data"/],
    [['--train', 'heldout'], /node "heldout": --train: a toy-data-2d node has nothing to train/],
    [
      [...TRAIN_STEPS, '--set', 'denoiser.weights=a.json,b.json'],
      /trains "denoiser" at every point \(denoiser\.train_steps\), so denoiser\.weights cannot be an axis too/,
    ],
    [['--train', ''], /--train needs a node id/],
  ];
  for (const [args, message] of cases) {
    const result = await cli(['sweep', graphPath, '--set', 'data.count=200', ...args]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  }
});
