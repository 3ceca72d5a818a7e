// The Gaussian-mixture denoiser as tfjs kernels (gmm-device.ts), on tfjs's cpu backend (the same
// ops run on WebGL or WebGPU in the app): the float64 CPU loop's D to 1e-5 from σ̃ = 80 down to
// 0.002 in 2, 16 and 784 dimensions, on mixtures with near-duplicate components (where float32
// would pick the split between them) and Dirac components (s = 0); and inside a solver step it
// reads the particles only asynchronously.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setExactDenoisersOnDevice } from '../../graph-nodes/core/device-kernels';
import { settle } from '../../graph-nodes/core/pending';
import {
  checkGmm,
  createGmmDenoiser,
  totalVariances,
  type GmmParams,
} from '../../graph-nodes/denoisers/gmm';
import { createDeviceGmm } from '../../graph-nodes/denoisers/gmm-device';
import { createRng } from '../../graph-nodes/math/rng';
import { closePairsProblem, noisedQueries, SIGMAS } from './helpers/empirical-problems';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  setExactDenoisersOnDevice(false);
  vi.restoreAllMocks();
});

/** Components at the close-pairs problem's points, stds from 0 (Dirac) to 0.5, uneven weights. */
function mixture(
  dim: number,
  count: number,
  seed: number,
): { params: GmmParams; data: Float32Array } {
  const data = closePairsProblem(dim, count, seed);
  const rng = createRng(seed + 1);
  const means = Array.from({ length: count }, (_, k) =>
    Array.from(data.subarray(k * dim, (k + 1) * dim)),
  );
  return {
    data,
    params: {
      weights: means.map(() => 0.5 + rng.uniform()),
      means,
      stds: means.map((_, k) => (k % 3 === 0 ? 0 : 0.5 * rng.uniform())),
    },
  };
}

describe.each([2, 16, 784])('in %i dimensions', (dim) => {
  it('the device kernel gives the float64 loop’s D to 1e-5 from σ̃ = 80 down to 0.002', async () => {
    // Up to MAX_EXACT_CANDIDATES (64) components every row float32 cannot settle is recomputed.
    const count = 40;
    const rows = dim === 2 ? 256 : 48;
    const { params, data } = mixture(dim, count, dim);
    const device = createGmmDenoiser(params, { kernel: 'device' });
    const cpu = createGmmDenoiser(params, { kernel: 'cpu' });
    const before = tf.memory().numTensors;
    try {
      for (const sigma of SIGMAS) {
        const x = tf.tensor2d(noisedQueries(data, count, dim, rows, sigma, 7 + sigma * 1000), [
          rows,
          dim,
        ]);
        const onDevice = await settle(() => device.denoise(x, sigma));
        const onCpu = cpu.denoise(x, sigma);
        const [a, b] = [await onDevice.data(), await onCpu.data()];
        tf.dispose([x, onDevice, onCpu]);
        let largest = 0;
        for (let k = 0; k < a.length; k++) largest = Math.max(largest, Math.abs(a[k]! - b[k]!));
        expect(largest, `σ̃ = ${sigma}`).toBeLessThan(1e-5);
      }
      // Only the mixture's copy stays on the backend.
      expect(tf.memory().numTensors).toBe(before + 3);
    } finally {
      device.dispose();
      cpu.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a call larger than one pass', () => {
  it('goes through in blocks of rows with the same D', async () => {
    const dim = 16;
    const { params, data } = mixture(dim, 30, 8);
    const gmm = checkGmm(params);
    const whole = createDeviceGmm(gmm);
    const blocks = createDeviceGmm(gmm, { maxLogitsPerPass: 5 * 30 });
    try {
      for (const sigma of [5, 0.05]) {
        const x = tf.tensor2d(noisedQueries(data, 30, dim, 23, sigma, 3), [23, dim]);
        const variances = totalVariances(gmm, sigma);
        const [a, b] = [await whole.denoise(x, variances), await blocks.denoise(x, variances)];
        expect(await b.data()).toEqual(await a.data());
        tf.dispose([x, a, b]);
      }
    } finally {
      whole.dispose();
      blocks.dispose();
    }
  });
});

describe('choosing the kernel', () => {
  it('runs large calls on the device where the host put exact denoisers there, inside a step', async () => {
    const dim = 784;
    const { params, data } = mixture(dim, 12, 3);
    const denoiser = createGmmDenoiser(params);
    const x = tf.tensor2d(noisedQueries(data, 12, dim, 64, 0.2, 5), [64, dim]);
    const engine = tf.engine();
    try {
      const onCpu = await settle(() => denoiser.denoise(x, 0.2));
      setExactDenoisersOnDevice(true);
      const readSync = vi.spyOn(engine, 'readSync');
      const onDevice = await settle(() => denoiser.denoise(x, 0.2));
      expect(readSync).not.toHaveBeenCalled();
      const [a, b] = [await onDevice.data(), await onCpu.data()];
      let largest = 0;
      for (let k = 0; k < a.length; k++) largest = Math.max(largest, Math.abs(a[k]! - b[k]!));
      expect(largest).toBeLessThan(1e-5);
      // A small call, or one outside a step, stays on the CPU (it reads x̃ at once).
      const small = tf.slice(x, [0, 0], [2, dim]);
      tf.dispose([await settle(() => denoiser.denoise(small, 0.2)), denoiser.denoise(x, 0.2)]);
      expect(readSync).toHaveBeenCalledTimes(2);
      tf.dispose([onCpu, onDevice, small]);
    } finally {
      denoiser.dispose();
      x.dispose();
    }
  });
});
