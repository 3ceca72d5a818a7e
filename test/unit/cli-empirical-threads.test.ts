// The CLI runs from an esbuild bundle, where a function whose name another module also uses is
// renamed; the empirical denoiser's worker threads are built from its kernel's source text, so
// they must call the kernel by the name the bundle gave it. A large enough call (4 M pairs) takes
// the threaded path on any machine with two cores.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseNpy } from '../../graph-nodes/math/npy';
import { principia } from './helpers/cli-process';

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'principia-threads-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

it.runIf(availableParallelism() >= 2)(
  'samples with the empirical denoiser on worker threads from the bundled CLI',
  async () => {
    const out = join(outDir, 'samples.npy');
    const result = await principia(
      'run',
      'presets/two-moons-empirical.graph.json',
      '--set',
      'prior.count=2000',
      '--set',
      'data.count=2000',
      '--set',
      'timesteps.steps=3',
      '--save',
      `solver.samples=${out}`,
    );
    expect(result.code, result.stderr).toBe(0);
    const { shape, data } = parseNpy(new Uint8Array(await readFile(out)), out);
    expect(shape).toEqual([2000, 2]);
    for (let i = 0; i < data.length; i++) expect(Number.isFinite(data[i]!)).toBe(true);
  },
  60_000,
);
