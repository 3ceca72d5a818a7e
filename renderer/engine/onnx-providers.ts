// Which onnxruntime-web execution providers ONNX denoisers use in the app: WebGPU first when this
// worker gets a GPU adapter, else wasm (headless Chromium here has navigator.gpu but no adapter).
import { setOnnxExecutionProviders, setOnnxThreads } from '../../graph-nodes/onnx/session';

export type OnnxProvider = 'webgpu' | 'wasm';

interface GpuLike {
  requestAdapter(): Promise<unknown>;
}

export async function chooseOnnxProviders(): Promise<OnnxProvider> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  let adapter: unknown;
  try {
    adapter = gpu ? await gpu.requestAdapter() : null;
  } catch {
    adapter = null;
  }
  const first: OnnxProvider = adapter ? 'webgpu' : 'wasm';
  // Every core where the page is cross-origin isolated (onnxruntime's default is half of them).
  if (globalThis.crossOriginIsolated)
    setOnnxThreads(globalThis.navigator?.hardwareConcurrency ?? 1);
  setOnnxExecutionProviders(first === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm']);
  return first;
}
