// Where the exact denoisers (empirical, labelled, GMM) compute in the app: as tfjs kernels on the
// backend's GPU, with the rows float32 cannot settle recomputed in float64 (device-softmax.ts), or
// in float64 on this worker's CPU. On 'auto' they go to the GPU when the backend is WebGL or
// WebGPU on a hardware adapter: Chromium offers WebGL (and WebGPU where enabled) on its software
// rasteriser, SwiftShader, on machines without a GPU, and there the same kernels run on the CPU
// many times slower than the float64 ones (the image workload took 11 s on WebGPU-on-SwiftShader
// against 0.5 s on wasm). 'device' and 'cpu' force one (?exact=device|cpu; tests, gpu-check).
import { setExactDenoisersOnDevice } from '../../graph-nodes/core/device-kernels';
import type { BackendName, ExactDenoiserPlacement, ExactDenoiserReport } from './engine-protocol';
import type { DeviceDescription } from './gpu-device';

/**
 * Decides, sets (core/device-kernels.ts) and reports where the exact denoisers compute; `device`
 * is the backend's GPU as gpu-device.ts identified it (undefined on CPU backends).
 */
export function placeExactDenoisers(
  active: BackendName,
  placement: ExactDenoiserPlacement,
  device: DeviceDescription | Error | undefined,
): ExactDenoiserReport {
  const report = decidePlacement(active, placement, device);
  setExactDenoisersOnDevice(report.on === 'device');
  return report;
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
