// `principia train`: trains the named node from its graph, writes its weights beside the graph,
// and the graph then runs with them; bad requests name what is wrong.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../graph-nodes/cli/main';

let folder: string;
let graphPath: string;

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

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-train-'));
  graphPath = join(folder, 'graph.json');
  const preset = JSON.parse(
    await readFile(new URL('../../presets/train-a-denoiser.graph.json', import.meta.url), 'utf8'),
  );
  for (const node of preset.nodes) {
    if (node.id === 'denoiser') {
      node.params = { ...node.params, weights: 'nets/moons.json', width: 16, depth: 1 };
    }
    if (node.id === 'prior') node.params.count = 50;
  }
  await writeFile(graphPath, JSON.stringify(preset));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

it('trains a node, writes its weights beside the graph, and the graph runs with them', async () => {
  const before = buffered();
  expect(await main(['run', graphPath], before.output)).toBe(1);
  expect(before.out.stderr).toMatch(/node "denoiser".*principia train GRAPH\.json --node denoiser/);

  const train = buffered();
  const code = await main(
    ['train', graphPath, '--node', 'denoiser', '--steps', '40', '--json'],
    train.output,
  );
  expect(code).toBe(0);
  const report = JSON.parse(train.out.stdout);
  expect(report).toMatchObject({
    ok: true,
    node: 'denoiser',
    steps: 40,
    weights: 'nets/moons.json',
  });
  expect(report.finalLoss).toBeLessThan(report.firstLoss);
  const manifest = JSON.parse(await readFile(join(folder, 'nets/moons.json'), 'utf8'));
  expect(manifest).toMatchObject({
    format: 'principia-weights',
    model: 'mlp-denoiser',
    bin: 'moons.bin',
  });
  expect((await readFile(join(folder, 'nets/moons.bin'))).byteLength).toBeGreaterThan(0);

  const after = buffered();
  expect(await main(['run', graphPath], after.output)).toBe(0);
});

it('names a missing node, an untrainable one and bad --steps', async () => {
  const missing = buffered();
  expect(await main(['train', graphPath, '--node', 'nope'], missing.output)).toBe(2);
  expect(missing.out.stderr).toMatch(/node "nope": there is no such node/);
  const solver = buffered();
  expect(await main(['train', graphPath, '--node', 'solver'], solver.output)).toBe(2);
  expect(solver.out.stderr).toMatch(/node "solver".*a solver node has nothing to train/);
  const steps = buffered();
  expect(await main(['train', graphPath, '--node', 'denoiser', '--steps', '0'], steps.output)).toBe(
    2,
  );
  expect(steps.out.stderr).toMatch(/--steps must be a whole number ≥ 1/);
});
