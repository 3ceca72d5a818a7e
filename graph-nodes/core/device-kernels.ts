// Where the exact denoisers compute when the tfjs backend is a GPU. The host decides once per
// backend (the app's worker after choosing WebGL or WebGPU and seeing a hardware adapter, a test
// or a benchmark to force one path); the denoisers read it at each call. Off by default: in Node
// the backends are CPUs, where the float64 kernels and onnxruntime's products are faster.
let onDevice = false;

/**
 * What a call to an exact denoiser's device kernel costs at least, in nanoseconds: a dozen kernel
 * launches and the read-back of its correction flags, taken as 1 ms, the usual round trip of a
 * WebGL read-back (not measured on a GPU here: none was lent). A call whose CPU kernel is expected
 * to take less stays on the CPU.
 */
export const DEVICE_CALL_FLOOR_NS = 1e6;

/** Whether exact denoisers should run as tfjs kernels on the active backend's device. */
export function exactDenoisersOnDevice(): boolean {
  return onDevice;
}

export function setExactDenoisersOnDevice(value: boolean): void {
  onDevice = value;
}
