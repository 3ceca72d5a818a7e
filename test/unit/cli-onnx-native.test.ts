// The CLI runs ONNX models on onnxruntime-node's native code, and a model file is as untrusted as
// the graph naming it: garbage, a truncated model and models with bytes flipped at random must end
// in an error that says what is wrong (or a finished run), never in a process killed by a signal.
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRng } from '../../graph-nodes/math/rng';
import { principia } from './helpers/cli-process';

let folder: string;
let model: Uint8Array;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'principia-onnx-native-'));
  await copyFile('test/fixtures/unet-bench.graph.json', join(folder, 'graph.json'));
  model = new Uint8Array(await readFile('presets/weights/fashion-unet.onnx'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function runWith(bytes: Uint8Array, name: string) {
  await writeFile(join(folder, name), bytes);
  return principia(
    'run',
    join(folder, 'graph.json'),
    '--set',
    // A path on the command line is the user's, relative to where the command runs.
    `denoiser.path=${join(folder, name)}`,
    '--set',
    'prior.count=4',
    '--set',
    'timesteps.steps=2',
  );
}

it('a file that is no model, or half of one, is refused with its name', async () => {
  const garbage = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 256);
  for (const [name, bytes] of [
    ['garbage.onnx', garbage],
    ['half.onnx', model.slice(0, Math.floor(model.length * 0.4))],
  ] as const) {
    const result = await runWith(bytes, name);
    expect(result.code, result.stderr).not.toBeNull();
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(`${name}" is not an ONNX model onnxruntime can load`);
  }
}, 60_000);

it('models with bytes flipped at random fail with a message or run; none crashes', async () => {
  const rng = createRng(7);
  const outcomes: string[] = [];
  for (let variant = 0; variant < 6; variant++) {
    const bytes = model.slice();
    for (let flip = 0; flip < 300; flip++) {
      const at = Math.floor(rng.uniform() * bytes.length);
      bytes[at] = bytes[at]! ^ (1 + Math.floor(rng.uniform() * 255));
    }
    const result = await runWith(bytes, `flipped-${variant}.onnx`);
    // Killed by a signal, a process reports no exit code.
    expect(result.code, `variant ${variant}: ${result.stderr}`).not.toBeNull();
    // onnxruntime's own console logging is off: the error is said once, by the CLI.
    expect(result.stderr + result.stdout).not.toContain('onnxruntime:');
    if (result.code !== 0) {
      // Refused at load (naming the file) or at the first bad value (naming the node and step).
      expect(result.stderr).toMatch(/^error: /mu);
      expect(result.stderr).not.toMatch(/file not found/u);
    }
    outcomes.push(result.code === 0 ? 'ran' : 'refused');
  }
  console.log(`flipped models: ${outcomes.join(', ')}`);
}, 120_000);
