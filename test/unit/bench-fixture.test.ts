// The `npm run bench` fixture, small enough for the unit suite: it compiles, names the nodes the
// bench sets, and runs the whole pipeline to the float64 reference the bench checks against.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyParamOverride,
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type Samples,
} from '../../graph-nodes';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { graphFilePolicy } from '../../graph-nodes/cli/file-policy';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import {
  BENCH_FIXTURE,
  readBenchWorkload,
  writeBenchInputs,
  type BenchInputs,
} from '../../scripts/bench-inputs';
import { karrasSigmas, maxAbsDifference, referenceSamples } from '../../scripts/bench-reference';

const PARTICLES = 50;
const POINTS = 20;

let dir: string;
let inputs: BenchInputs;
beforeAll(async () => {
  await initNodeBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'principia-bench-fixture-'));
  inputs = await writeBenchInputs(dir, PARTICLES, POINTS, readBenchWorkload().sigmaMax);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the bench fixture', () => {
  it('has the node ids and defaults the bench relies on', async () => {
    const document = parseGraphText(await readFile(BENCH_FIXTURE, 'utf8'), BENCH_FIXTURE);
    expect(document.nodes.map((node) => node.id).sort()).toEqual(
      ['data', 'denoiser', 'noise', 'schedule', 'solver', 'timesteps'].sort(),
    );
    expect(readBenchWorkload()).toEqual({
      algorithm: 'dpmpp_2m',
      steps: 20,
      sigmaMin: 0.002,
      sigmaMax: 80,
      rho: 7,
    });
  });

  it('runs on a tiny input to the float64 reference within 1e-4', async () => {
    let document = parseGraphText(await readFile(BENCH_FIXTURE, 'utf8'), BENCH_FIXTURE);
    document = applyParamOverride(document, 'noise.path', inputs.noisePath);
    document = applyParamOverride(document, 'data.path', inputs.dataPath);
    // As the CLI's --set does: the user named these files, outside the graph's folder.
    const policy = graphFilePolicy(
      BENCH_FIXTURE,
      { allowRead: [], allowWrite: [] },
      new Set([inputs.noisePath, inputs.dataPath]),
    );
    const executor = new Executor({ files: nodeFileHost(policy.graphFolder, policy.rules) });
    try {
      const plan = compileGraph(document, catalogue, { trustedPath: policy.trustedPath });
      const summary = await executor.run(plan);
      expect(summary.error).toBeUndefined();
      expect(summary.nodes.solver?.nfe).toBe(20);
      const samples = await (executor.output('solver', 'samples') as Samples).points.data();
      const workload = readBenchWorkload();
      const reference = referenceSamples(
        workload.algorithm,
        Float64Array.from(inputs.noise),
        { values: Float64Array.from(inputs.data), count: POINTS, dim: 2 },
        workload,
      );
      expect(samples.length).toBe(PARTICLES * 2);
      expect(maxAbsDifference(samples, reference)).toBeLessThanOrEqual(1e-4);
      // The samples landed on the data (20 points, σ_min = 0.002), not anywhere near x_T.
      const nearest = Array.from({ length: PARTICLES }, (_, i) =>
        Math.min(
          ...Array.from({ length: POINTS }, (_, k) =>
            Math.hypot(
              samples[2 * i]! - inputs.data[2 * k]!,
              samples[2 * i + 1]! - inputs.data[2 * k + 1]!,
            ),
          ),
        ),
      );
      expect(Math.max(...nearest)).toBeLessThan(0.05);
    } finally {
      executor.dispose();
    }
  });

  it('has a reference whose Karras levels are k-diffusion’s', () => {
    // get_sigmas_karras(5, 0.002, 80): reference §3.
    const sigmas = karrasSigmas(5, 0.002, 80, 7);
    expect(Array.from(sigmas, (s) => Number(s.toPrecision(5)))).toEqual([
      80, 17.528, 2.5152, 0.16975, 0.002, 0,
    ]);
  });
});
