// Which onnxruntime the engine's sessions and tensors come from: one per process, since a tensor
// made by one cannot feed the other's session. onnxruntime-web by default (the app: wasm kernels,
// WebGPU where an adapter exists); Node hosts (CLI, benchmarks, sweep workers) switch to
// onnxruntime-node, whose native CPU kernels run a batch of 64 through the bundled Fashion-MNIST
// U-Net in 48 ms on two cores against the web build's 316 ms in Node (measured on this machine).
import * as ortWeb from 'onnxruntime-web';

/** What the engine uses of an onnxruntime package; both packages export it from onnxruntime-common. */
export type OnnxRuntime = Pick<typeof ortWeb, 'InferenceSession' | 'Tensor'>;

let runtime: OnnxRuntime | undefined;
let loadNative: (() => OnnxRuntime) | undefined;
let threads: number | undefined;

/**
 * The runtime of every session and tensor; the native one is loaded on first use, so a process
 * that never opens a model never pays for loading its library (~60 ms). Where it cannot load (a
 * platform it ships no binary for), the web build's wasm kernels serve: slower, the same results.
 */
export function onnxRuntime(): OnnxRuntime {
  if (runtime === undefined) {
    try {
      runtime = loadNative ? loadNative() : ortWeb;
    } catch {
      runtime = ortWeb;
    }
  }
  return runtime;
}

/**
 * Makes onnxruntime-node (from `load`, called on first use) the runtime of every session made from
 * then on. A Node host calls it at start-up, before its first session.
 */
export function useNativeOnnxRuntime(load: () => OnnxRuntime): void {
  loadNative = load;
  runtime = undefined;
}

/** Whether sessions run on onnxruntime-node's native kernels (else onnxruntime-web's wasm). */
export function isNativeOnnxRuntime(): boolean {
  return onnxRuntime() !== ortWeb;
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
