// Which onnxruntime-web execution providers ONNX denoisers use in the app: WebGPU first when this
// worker gets a GPU adapter, else wasm (headless Chromium here has navigator.gpu but no adapter).
import { setOnnxExecutionProviders } from '../../graph-nodes/onnx/session';

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
  setOnnxExecutionProviders(first === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm']);
  return first;
}
