// Chooses the fastest tfjs backend that actually works in this worker. A backend can register
// and still be useless (WebGPU without an adapter, a lost WebGL context), so each one must also
// run a tiny op with the right answer before it is accepted.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import {
  BACKEND_PREFERENCE,
  type BackendName,
  type BackendReport,
  type ExactDenoiserPlacement,
} from './engine-protocol';
import { placeExactDenoisers } from './exact-denoiser-placement';
import { identifyBackendDevice } from './gpu-device';
import { chooseOnnxProviders } from './onnx-providers';

// The page is cross-origin isolated (for onnxruntime's threads), which makes tfjs pick its threaded
// wasm build; that one starts its helper workers with importScripts, which this module worker does
// not have, and never finishes starting (seen in Chromium). tfjs keeps its single-threaded SIMD
// build; the heavy products run on onnxruntime, whose threads do work here.
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

// Vite copies the .wasm binaries into the served/built assets and gives us their URLs.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

async function computesCorrectly(): Promise<boolean> {
  const probe = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), tf.scalar(1)));
  try {
    const values = await probe.data();
    return values[0] === 2 && values[1] === 3 && values[2] === 4;
  } finally {
    probe.dispose();
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name))) return 'did not initialise';
    await tf.ready();
    return (await computesCorrectly()) ? null : 'gave wrong results on a test op';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function selectBackend(
  preferred?: BackendName,
  exactDenoisers: ExactDenoiserPlacement = 'auto',
): Promise<BackendReport> {
  const candidates = preferred
    ? [preferred, ...BACKEND_PREFERENCE.filter((name) => name !== preferred)]
    : BACKEND_PREFERENCE;
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of candidates) {
    const failure = await tryBackend(name);
    if (failure !== null) {
      skipped.push({ name, reason: failure });
      continue;
    }
    const device = await identifyBackendDevice(name);
    // Unasked, a GPU backend on a software renderer is passed over: it is the CPU, slower.
    if (!preferred && device && !(device instanceof Error) && device.software) {
      skipped.push({ name, reason: `runs on a software renderer (${device.name}), not a GPU` });
      continue;
    }
    return {
      active: name,
      skipped,
      onnx: await chooseOnnxProviders(),
      exactDenoisers: placeExactDenoisers(name, exactDenoisers, device),
    };
  }
  throw new Error(
    `no tfjs backend works here: ${skipped.map((s) => `${s.name} ${s.reason}`).join('; ')}`,
  );
}
