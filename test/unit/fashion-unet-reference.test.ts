// The bundled image model end to end through the CLI, the way a user would run their own: an .npy
// of starting noise [16, 1, 28, 28] → solver ← onnx-denoiser ← edm-schedule, written back as
// [16, 1, 28, 28], matching what k-diffusion's samplers made from the same PyTorch model
// (test/fixtures/fashion-unet/, written by scripts/train-fashion-unet.py) to 1e-3.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from '../../graph-nodes/math/npy';
import { karrasSigmas } from '../../graph-nodes/timesteps/karras';
import { principia, REPO_ROOT } from './helpers/cli-process';

const FIXTURE_DIR = join(REPO_ROOT, 'test', 'fixtures', 'fashion-unet');
const GRAPH = 'test/fixtures/fashion-unet/fashion-unet.graph.json';
// The graph names the bundled model in presets/, outside its own folder: the user lets it read there.
const ALLOW_MODEL = ['--allow-read', 'presets/weights'];

interface Reference {
  readonly class_label: number;
  readonly sigma_min: number;
  readonly sigma_max: number;
  readonly rho: number;
  readonly steps: number;
  readonly nfe: Readonly<Record<string, number>>;
}

async function readNpy(path: string) {
  return parseNpy(new Uint8Array(await readFile(path)), path);
}

let reference: Reference;
let outDir: string;
beforeAll(async () => {
  reference = JSON.parse(await readFile(join(FIXTURE_DIR, 'reference.json'), 'utf8')) as Reference;
  outDir = await mkdtemp(join(tmpdir(), 'principia-unet-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('the bundled Fashion-MNIST U-Net through the CLI', () => {
  it('steps through the noise levels the reference used', async () => {
    const sigmas = await readNpy(join(FIXTURE_DIR, 'sigmas.npy'));
    const ours = karrasSigmas(
      reference.steps,
      reference.sigma_min,
      reference.sigma_max,
      reference.rho,
    );
    expect(Array.from(ours)).toHaveLength(sigmas.data.length);
    ours.forEach((sigma, k) => expect(sigma).toBeCloseTo(sigmas.data[k]!, 10));
  });

  it.each(['euler', 'heun', 'dpmpp_2m'])(
    '%s, 10 steps: [16, 1, 28, 28] samples within 1e-3 of k-diffusion on the PyTorch model',
    async (algorithm) => {
      const out = join(outDir, `${algorithm}.npy`);
      const result = await principia(
        'run',
        GRAPH,
        ...ALLOW_MODEL,
        '--set',
        `solver.algorithm=${algorithm}`,
        '--save',
        `solver.samples=${out}`,
        '--json',
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { nodes: Record<string, { nfe: number }> };
      expect(report.nodes['solver']?.nfe).toBe(reference.nfe[algorithm]);

      const samples = await readNpy(out);
      const expected = await readNpy(join(FIXTURE_DIR, `${algorithm}_10.npy`));
      expect(samples.shape).toEqual([16, 1, 28, 28]);
      expect(expected.shape).toEqual([16, 1, 28, 28]);
      let maxDiff = 0;
      for (let i = 0; i < expected.data.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(samples.data[i]! - expected.data[i]!));
      }
      expect(maxDiff).toBeLessThan(1e-3);
    },
  );

  it('refuses noise of another shape before anything runs, naming both shapes', async () => {
    const points = join(outDir, 'points.npy');
    await writeFile(points, encodeNpy(new Float32Array(10), [5, 2]));
    const result = await principia('run', GRAPH, ...ALLOW_MODEL, '--set', `noise.path=${points}`);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /node "solver" port "denoiser": input "noise" .* has per-point shape \[2\] but input "denoiser" .*fashion-unet\.onnx input "x" is \[batch, 1, 28, 28\]\) has \[1, 28, 28\]/,
    );
  });
});

describe('a graph reads only inside its folder', () => {
  it('refuses the model outside it before anything runs, unless the user allows the folder', async () => {
    const result = await principia('run', GRAPH);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'node "model" param "path": the path "../../../presets/weights/fashion-unet.onnx" cannot be used: it leads out of the graph\'s folder',
    );
  });
});
