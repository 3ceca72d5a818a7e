// tfjs backends for Node hosts (CLI, tests, benchmarks): wasm by default, cpu as the reference.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { setOnnxThreads, useNativeOnnxRuntime, type OnnxRuntime } from '../onnx/runtime';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

let wasmPathsSet = false;

/** Makes `name` the active tfjs backend, or throws saying why it could not start. */
export async function initNodeBackend(name: NodeBackend): Promise<void> {
  // Before the first await: a host may start an onnxruntime session (prewarmMatMul) meanwhile.
  preferNativeOnnxRuntime();
  if (name === 'wasm' && !wasmPathsSet) {
    const require = createRequire(import.meta.url);
    const wasmDir = dirname(
      require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
    );
    setWasmPaths(`${wasmDir}/`);
    wasmPathsSet = true;
  }
  // Production mode skips tfjs's debug checks and its "install tfjs-node" console notice, which
  // cannot apply here: native binaries are not installable on these machines.
  tf.enableProdMode();
  // onnxruntime's matrix products (ONNX models, the dense exact denoisers) on every core.
  setOnnxThreads(availableParallelism());
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`the tfjs "${name}" backend failed to start`);
  await tf.ready();
}

/**
 * onnxruntime-node's native kernels for every ONNX session of this process (runtime.ts says why),
 * loaded when the first session or tensor needs them.
 */
function preferNativeOnnxRuntime(): void {
  const require = createRequire(import.meta.url);
  useNativeOnnxRuntime(() => require('onnxruntime-node') as OnnxRuntime);
}
