// Which onnxruntime the engine's sessions and tensors come from: one per process, since a tensor
// made by one cannot feed the other's session. onnxruntime-web by default (the app: wasm kernels,
// WebGPU where an adapter exists); Node hosts (CLI, benchmarks, sweep workers) switch to
// onnxruntime-node, whose native CPU kernels run a batch of 64 through the bundled Fashion-MNIST
// U-Net in 48 ms on two cores against the web build's 316 ms in Node (measured on this machine).
import * as ortWeb from 'onnxruntime-web';

/** What the engine uses of an onnxruntime package; both packages export it from onnxruntime-common. */
export type OnnxRuntime = Pick<typeof ortWeb, 'InferenceSession' | 'Tensor'>;

let runtime: OnnxRuntime = ortWeb;
let native = false;
let threads: number | undefined;

export function onnxRuntime(): OnnxRuntime {
  return runtime;
}

/**
 * Makes onnxruntime-node the runtime of every session made from now on (a Node host calls it at
 * start-up, before its first session).
 */
export function useNativeOnnxRuntime(module: OnnxRuntime): void {
  runtime = module;
  native = true;
}

/** Whether sessions run on onnxruntime-node's native kernels (else onnxruntime-web's wasm). */
export function isNativeOnnxRuntime(): boolean {
  return native;
}

/**
 * Threads onnxruntime's kernels may use. For the web build it takes effect only before its first
 * session (Node hosts call it at start-up: without it, Node gets one thread); the native one reads
 * it per session.
 */
export function setOnnxThreads(count: number): void {
  threads = Math.max(1, Math.floor(count));
  ortWeb.env.wasm.numThreads = threads;
}

/**
 * The native runtime's session options: its CPU kernels on the threads set, and its own logging
 * off but for fatal errors: a failed run's message reaches the user through the node's error, and
 * onnxruntime would print it to the console once more.
 */
export function nativeSessionOptions(): ortWeb.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    logSeverityLevel: 4,
    ...(threads !== undefined ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
  };
}
