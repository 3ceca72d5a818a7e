// Where the exact denoisers (empirical, labelled, GMM) compute in the app: as tfjs kernels on the
// backend's GPU, with the rows float32 cannot settle recomputed in float64 (device-softmax.ts), or
// in float64 on this worker's CPU. On 'auto' they go to the GPU when the backend is WebGL or
// WebGPU on a hardware adapter: Chromium offers WebGL (and WebGPU where enabled) on its software
// rasteriser, SwiftShader, on machines without a GPU, and there the same kernels run on the CPU
// many times slower than the float64 ones (the image workload took 11 s on WebGPU-on-SwiftShader
// against 0.5 s on wasm). 'device' and 'cpu' force one (?exact=device|cpu; tests, gpu-check).
import * as tf from '@tensorflow/tfjs-core';
import { setExactDenoisersOnDevice } from '../../graph-nodes/core/device-kernels';
import type { BackendName, ExactDenoiserPlacement, ExactDenoiserReport } from './engine-protocol';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/iu;

export interface DeviceDescription {
  readonly name: string;
  /** A software rasteriser or fallback adapter: the CPU in a GPU's clothes. */
  readonly software: boolean;
}

/** Whether a GL renderer or adapter description names a software implementation. */
export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE_RENDERER.test(name);
}

interface GpuAdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { readonly isFallbackAdapter?: boolean } & Record<string, unknown>;
}

/** The GL renderer tfjs's WebGL backend draws with, e.g. "ANGLE (NVIDIA, …)". */
function webglRenderer(): string {
  const backend = tf.backend() as { gpgpu?: { gl?: WebGLRenderingContext } };
  const gl = backend.gpgpu?.gl;
  if (!gl) return 'unknown (no WebGL context)';
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** The WebGPU adapter this worker gets, described, and whether it is a software fallback. */
async function webgpuAdapter(): Promise<DeviceDescription> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = (await gpu?.requestAdapter()) as GpuAdapterLike | null | undefined;
  if (!adapter) return { name: 'none', software: true };
  const info = adapter.info ?? {};
  const name = ['vendor', 'architecture', 'device', 'description']
    .map((key) => info[key])
    .filter((value) => typeof value === 'string' && value.length > 0)
    .join(' ');
  const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
  return { name: name || 'unnamed adapter', software: fallback || isSoftwareRenderer(name) };
}

/** Decides, sets (core/device-kernels.ts) and reports where the exact denoisers compute. */
export async function placeExactDenoisers(
  active: BackendName,
  placement: ExactDenoiserPlacement,
): Promise<ExactDenoiserReport> {
  const report = decidePlacement(active, placement, await identifyDevice(active, placement));
  setExactDenoisersOnDevice(report.on === 'device');
  return report;
}

/** The GPU the backend draws with, when 'auto' must know it; an Error when it cannot be read. */
async function identifyDevice(
  active: BackendName,
  placement: ExactDenoiserPlacement,
): Promise<DeviceDescription | Error | undefined> {
  if (placement !== 'auto') return undefined;
  try {
    if (active === 'webgl') {
      const name = webglRenderer();
      return { name, software: isSoftwareRenderer(name) };
    }
    if (active === 'webgpu') return await webgpuAdapter();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Where the exact denoisers go, given the backend and (for 'auto' on a GPU backend) its device. */
export function decidePlacement(
  active: BackendName,
  placement: ExactDenoiserPlacement,
  device: DeviceDescription | Error | undefined,
): ExactDenoiserReport {
  if (placement === 'cpu') return { on: 'cpu', why: 'asked for (?exact=cpu)' };
  if (placement === 'device') {
    return { on: 'device', why: `asked for (?exact=device), on ${active}` };
  }
  if (active !== 'webgl' && active !== 'webgpu') {
    return { on: 'cpu', why: `the ${active} backend computes on the CPU` };
  }
  if (device === undefined || device instanceof Error) {
    const reason = device?.message ?? 'no device';
    return { on: 'cpu', why: `the ${active} device could not be identified (${reason})` };
  }
  return device.software
    ? { on: 'cpu', why: `${active} runs on a software renderer (${device.name}), not a GPU` }
    : { on: 'device', why: `${active} on ${device.name}` };
}
