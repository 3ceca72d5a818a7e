// The bench's inputs, the same on every run: x_T ~ N(0, σ_max² I) and a two-moons data set,
// rounded to float32 (what the engine's tensors hold) so the float64 reference starts from
// exactly the numbers the CLI reads. Also reads the workload's settings from the fixture.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy, parseNpyUint8 } from '../graph-nodes/math/npy';
import { createRng } from '../graph-nodes/math/rng';
import { generateToy2d } from '../graph-nodes/math/toy-2d';

export const BENCH_FIXTURE = fileURLToPath(
  new URL('../test/fixtures/empirical-bench.graph.json', import.meta.url),
);

export interface BenchWorkload {
  readonly algorithm: string;
  readonly steps: number;
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  readonly rho: number;
}

/** The solver and timestep settings written in the fixture (what a run without --set uses). */
export function readBenchWorkload(fixture = BENCH_FIXTURE): BenchWorkload {
  const document = JSON.parse(readFileSync(fixture, 'utf8')) as {
    nodes: { id: string; params: Record<string, unknown> }[];
  };
  const params = (id: string) => document.nodes.find((node) => node.id === id)?.params ?? {};
  const [timesteps, solver] = [params('timesteps'), params('solver')];
  return {
    algorithm: String(solver.algorithm),
    steps: Number(timesteps.steps),
    sigmaMin: Number(timesteps.sigma_min),
    sigmaMax: Number(timesteps.sigma_max),
    rho: Number(timesteps.rho),
  };
}

export interface BenchInputs {
  /** x_T, [particles, dim]. */
  readonly noise: Float32Array;
  /** The data set, [points, dim]. */
  readonly data: Float32Array;
  readonly dim: number;
  readonly noisePath: string;
  readonly dataPath: string;
}

/** Draws the inputs and writes them as float32 .npy files into `dir`. */
export async function writeBenchInputs(
  dir: string,
  particles: number,
  points: number,
  sigmaMax: number,
): Promise<BenchInputs> {
  const noise = createRng(20_000).fillNormal(new Float32Array(particles * 2));
  for (let k = 0; k < noise.length; k++) noise[k] = noise[k]! * sigmaMax;
  const data = Float32Array.from(generateToy2d('two_moons', points, 1_000, 0.05).points);
  const [noisePath, dataPath] = [join(dir, 'noise.npy'), join(dir, 'data.npy')];
  await writeFile(noisePath, encodeNpy(noise, [particles, 2]));
  await writeFile(dataPath, encodeNpy(data, [points, 2]));
  return { noise, data, dim: 2, noisePath, dataPath };
}

/**
 * The image workload's inputs: x_T ~ N(0, σ_max² I) of shape [particles, 1, 28, 28] and the first
 * `points` images of the committed Fashion-MNIST subset scaled to [−1, 1], as float32 .npy files.
 */
export async function writeImageBenchInputs(
  dir: string,
  particles: number,
  points: number,
  sigmaMax: number,
): Promise<BenchInputs> {
  const images = parseNpyUint8(readFileSync(FASHION_MNIST_FILE), FASHION_MNIST_FILE);
  const dim = 784;
  if (points > images.data.length / dim)
    throw new Error(`the subset holds fewer than ${points} images`);
  const data = Float32Array.from(images.data.subarray(0, points * dim), (v) => v / 127.5 - 1);
  const noise = createRng(20_000).fillNormal(new Float32Array(particles * dim));
  for (let k = 0; k < noise.length; k++) noise[k] = noise[k]! * sigmaMax;
  const [noisePath, dataPath] = [join(dir, 'noise.npy'), join(dir, 'data.npy')];
  await writeFile(noisePath, encodeNpy(noise, [particles, 1, 28, 28]));
  await writeFile(dataPath, encodeNpy(data, [points, 1, 28, 28]));
  return { noise, data, dim, noisePath, dataPath };
}

const FASHION_MNIST_FILE = fileURLToPath(
  new URL('../presets/data/fashion-mnist-subset.npy', import.meta.url),
);

/** The CLI arguments that run the bench fixture on `inputs` and print a JSON report. */
export function benchRunArguments(inputs: BenchInputs, ...extra: string[]): string[] {
  return [
    'run',
    BENCH_FIXTURE,
    '--set',
    `noise.path=${inputs.noisePath}`,
    '--set',
    `data.path=${inputs.dataPath}`,
    ...extra,
    '--json',
  ];
}
