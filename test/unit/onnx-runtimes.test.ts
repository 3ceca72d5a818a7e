// The two onnxruntimes the engine runs on give the same numbers: the bundled Fashion-MNIST U-Net
// and the dense exact denoiser's matrix product, first on onnxruntime-web's wasm kernels (the
// app's), then on onnxruntime-node's native ones (what a Node host switches to at start-up).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { createConstantMatMul } from '../../graph-nodes/onnx/constant-matmul';
import {
  isNativeOnnxRuntime,
  onnxRuntime,
  useNativeOnnxRuntime,
  type OnnxRuntime,
} from '../../graph-nodes/onnx/runtime';
import { filledTensor, floatTensor, openOnnxModel } from '../../graph-nodes/onnx/session';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { createRng } from '../../graph-nodes/math/rng';

const BATCH = 4;

function noise(count: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: count }, () => rng.normal() * scale);
}

async function denoiseWithUnet(x: Float32Array, sigma: number): Promise<Float32Array> {
  const bytes = new Uint8Array(await readFile('presets/weights/fashion-unet.onnx'));
  const { session } = await openOnnxModel(bytes, 'fashion-unet.onnx');
  const out = await session.run({
    x: floatTensor('float32', x, [BATCH, 1, 28, 28]),
    sigma: filledTensor('float32', sigma, [BATCH]),
    class_labels: filledTensor('int64', 7, [BATCH]),
  });
  return Float32Array.from(out['denoised']!.data as Float32Array);
}

async function multiply(a: Float32Array, b: Float32Array, rows: number, k: number, m: number) {
  return Float32Array.from(await createConstantMatMul(b, k, m).multiply(a, rows));
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

it('the U-Net and the dense product agree on onnxruntime-web and onnxruntime-node', async () => {
  const x = noise(BATCH * 784, 1, 2);
  const [rows, k, m] = [64, 784, 300];
  const a = noise(rows * k, 2, 1);
  const b = noise(k * m, 3, 1);

  expect(isNativeOnnxRuntime()).toBe(false);
  const webUnet = await denoiseWithUnet(x, 2);
  const webProduct = await multiply(a, b, rows, k, m);

  const web = onnxRuntime();
  useNativeOnnxRuntime(() => createRequire(import.meta.url)('onnxruntime-node') as OnnxRuntime);
  expect(onnxRuntime()).not.toBe(web);
  const nativeUnet = await denoiseWithUnet(x, 2);
  const nativeProduct = await multiply(a, b, rows, k, m);

  // x̂₀ of images in [-1, 1]; float32 kernels that sum in other orders.
  expect(maxAbsDifference(webUnet, nativeUnet)).toBeLessThan(1e-4);
  expect(Math.max(...webUnet.map(Math.abs))).toBeGreaterThan(0.1);
  // Sums of 784 products of unit normals (|entries| ~ 28): float32 rounding, relative ~1e-6.
  expect(maxAbsDifference(webProduct, nativeProduct)).toBeLessThan(1e-3);
}, 60_000);

it('a Node host runs its ONNX sessions on onnxruntime-node', async () => {
  await initNodeBackend('cpu');
  expect(isNativeOnnxRuntime()).toBe(true);
});
