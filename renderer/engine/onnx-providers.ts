// Which onnxruntime-web execution providers ONNX denoisers use in the app: WebGPU first when this
// worker gets a hardware GPU adapter, else wasm (headless Chromium here has navigator.gpu but no
// adapter, or with WebGPU switched on only SwiftShader's, where a network runs on the CPU slower
// than on onnxruntime's own wasm kernels).
import { setOnnxExecutionProviders, setOnnxThreads } from '../../graph-nodes/onnx/session';
import { webgpuAdapter } from './gpu-device';

export type OnnxProvider = 'webgpu' | 'wasm';

async function hasHardwareAdapter(): Promise<boolean> {
  try {
    const adapter = await webgpuAdapter();
    return adapter !== null && !adapter.software;
  } catch {
    return false;
  }
}

export async function chooseOnnxProviders(): Promise<OnnxProvider> {
  const first: OnnxProvider = (await hasHardwareAdapter()) ? 'webgpu' : 'wasm';
  // Every core where the page is cross-origin isolated (onnxruntime's default is half of them).
  if (globalThis.crossOriginIsolated)
    setOnnxThreads(globalThis.navigator?.hardwareConcurrency ?? 1);
  setOnnxExecutionProviders(first === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm']);
  return first;
}
