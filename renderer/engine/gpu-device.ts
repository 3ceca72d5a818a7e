// Which device a GPU backend of tfjs really runs on. Chromium offers WebGL (and WebGPU where
// enabled) on machines without a GPU through SwiftShader, its software rasteriser: the backend
// then initialises and computes correctly, on the CPU, many times slower than wasm. The GL
// renderer string and the WebGPU adapter's info name it.
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from './engine-protocol';

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

/** The WebGPU adapter this worker gets (null when there is none), described. */
export async function webgpuAdapter(): Promise<DeviceDescription | null> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = (await gpu?.requestAdapter()) as GpuAdapterLike | null | undefined;
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const name = ['vendor', 'architecture', 'device', 'description']
    .map((key) => info[key])
    .filter((value) => typeof value === 'string' && value.length > 0)
    .join(' ');
  const fallback = adapter.isFallbackAdapter === true || info.isFallbackAdapter === true;
  return { name: name || 'unnamed adapter', software: fallback || isSoftwareRenderer(name) };
}

/**
 * The device the active backend (tfjs's current one) computes on: undefined for the CPU backends,
 * an Error when it cannot be read.
 */
export async function identifyBackendDevice(
  active: BackendName,
): Promise<DeviceDescription | Error | undefined> {
  try {
    if (active === 'webgl') {
      const name = webglRenderer();
      return { name, software: isSoftwareRenderer(name) };
    }
    if (active === 'webgpu') return (await webgpuAdapter()) ?? new Error('no WebGPU adapter');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
