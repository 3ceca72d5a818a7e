// The bench's inputs, the same on every run: x_T ~ N(0, σ_max² I) and a two-moons data set,
// rounded to float32 (what the engine's tensors hold) so the float64 reference starts from
// exactly the numbers the CLI reads. Also reads the workload's settings from the fixture.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeNpy } from '../graph-nodes/math/npy';
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
  /** x_T, [particles, 2]. */
  readonly noise: Float32Array;
  /** The data set, [points, 2]. */
  readonly data: Float32Array;
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
  return { noise, data, noisePath, dataPath };
}
