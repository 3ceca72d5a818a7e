// The dense empirical kernel (matrix products on onnxruntime, exact where float32 would decide the
// winner) against the pruned float64 kernel: the same D to 1e-5 on random problems at σ̃ from 80
// down to 0.002, in 2, 16 and 784 dimensions, with close pairs whose shared responsibility float32's
// expanded distances would get wrong; and the denoiser picks the kernel the cost model expects to
// be faster, inside a solver step only.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { settle } from '../../graph-nodes/core/pending';
import {
  createEmpiricalDenoiser,
  denseIsCheaper,
  deviceIsCheaper,
} from '../../graph-nodes/denoisers/empirical';
import { createDenseEmpirical } from '../../graph-nodes/denoisers/empirical-dense';
import {
  buildEmpiricalIndex,
  createEmpiricalScratch,
  denoiseRows,
  LOGIT_CUTOFF,
} from '../../graph-nodes/denoisers/empirical-kernel';
import {
  closePairsProblem as problem,
  noisedQueries as queries,
  SIGMAS,
} from './helpers/empirical-problems';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe.each([2, 16, 784])('in %i dimensions', (dim) => {
  it('the dense and the pruned kernels agree to 1e-5 from σ̃ = 80 down to 0.002', async () => {
    const count = dim === 784 ? 400 : 600;
    const rows = 48;
    const data = problem(dim, count, dim);
    const logWeights = new Float64Array(count).fill(-Math.log(count));
    const dense = createDenseEmpirical(data, count, dim, logWeights);
    const index = buildEmpiricalIndex(data, count, dim, logWeights, 16);
    const scratch = createEmpiricalScratch(index, LOGIT_CUTOFF);
    for (const sigma of SIGMAS) {
      const x = queries(data, count, dim, rows, sigma, Math.round(sigma * 1000));
      const fast = await dense.denoise(x, rows, sigma);
      const exact = new Float32Array(rows * dim);
      denoiseRows(index, Float64Array.from(x), 0, rows, sigma, exact, scratch, LOGIT_CUTOFF);
      let largest = 0;
      for (let k = 0; k < exact.length; k++)
        largest = Math.max(largest, Math.abs(fast[k]! - exact[k]!));
      expect(largest, `σ̃ = ${sigma}`).toBeLessThan(1e-5);
    }
  });
});

describe('a solver-like sequence of calls', () => {
  it('settles most rows at small σ̃ from each row’s memory, with the pruned kernel’s answer', async () => {
    const dim = 784;
    const count = 500;
    const rows = 64;
    const data = problem(dim, count, 11);
    const logWeights = new Float64Array(count).fill(-Math.log(count));
    const dense = createDenseEmpirical(data, count, dim, logWeights);
    const index = buildEmpiricalIndex(data, count, dim, logWeights, 16);
    const scratch = createEmpiricalScratch(index, LOGIT_CUTOFF);
    // Euler steps of the PF-ODE on the same particles, as a solver makes them.
    const sigmas = [80, 40, 20, 10, 5, 2.5, 1.2, 0.6, 0.3, 0.15, 0.07, 0.03, 0.01, 0.002];
    let x = queries(data, count, dim, rows, sigmas[0]!, 3);
    for (let s = 0; s < sigmas.length; s++) {
      const sigma = sigmas[s]!;
      const fast = await dense.denoise(x, rows, sigma);
      const exact = new Float32Array(rows * dim);
      denoiseRows(index, Float64Array.from(x), 0, rows, sigma, exact, scratch, LOGIT_CUTOFF);
      let largest = 0;
      for (let k = 0; k < exact.length; k++)
        largest = Math.max(largest, Math.abs(fast[k]! - exact[k]!));
      expect(largest, `σ̃ = ${sigma}`).toBeLessThan(1e-5);
      const next = sigmas[s + 1] ?? 0;
      x = Float32Array.from(x, (value, k) => exact[k]! + (next / sigma) * (value - exact[k]!));
    }
    // The small-σ̃ calls skip the product for most rows.
    expect(dense.rowsFromMemory).toBeGreaterThan(rows * 3);
    expect(dense.rowsFromMemory + dense.rowsThroughProduct).toBe(rows * sigmas.length);
  });
});

describe('choosing the kernel', () => {
  it('takes the pruned kernel in low dimension and the dense one in 784-D', () => {
    expect(denseIsCheaper(20_000, 1000, 2, 2)).toBe(false);
    expect(denseIsCheaper(64, 500, 2, 2)).toBe(false);
    expect(denseIsCheaper(512, 2000, 784, 2)).toBe(true);
    expect(denseIsCheaper(16, 2000, 784, 2)).toBe(true);
  });

  it('with a GPU backend, sends a call to the device when the CPU would take over a millisecond', () => {
    // The default 2-D preset's 2 000 particles against a 1 000-point data set: ~4 ms pruned.
    expect(deviceIsCheaper(2000, 1000, 2, 1)).toBe(true);
    expect(deviceIsCheaper(64, 500, 2, 1)).toBe(false);
    expect(deviceIsCheaper(16, 2000, 784, 1)).toBe(true);
    expect(deviceIsCheaper(1, 200, 784, 1)).toBe(false);
  });

  it('runs the dense kernel inside a solver step and the pruned one for a synchronous caller', async () => {
    const dim = 784;
    const count = 300;
    const data = problem(dim, count, 7);
    const points = tf.tensor2d(data, [count, dim]);
    const denoiser = createEmpiricalDenoiser(points, undefined, { threads: 1 });
    const x = tf.tensor2d(queries(data, count, dim, 32, 0.3, 1), [32, dim]);
    try {
      // Outside a step nothing can wait: the pruned kernel answers at once.
      const direct = denoiser.denoise(x, 0.3);
      // In a step (settle), the dense kernel is asked and awaited.
      const stepped = await settle(() => denoiser.denoise(x, 0.3));
      const [a, b] = [await direct.data(), await stepped.data()];
      let largest = 0;
      for (let k = 0; k < a.length; k++) largest = Math.max(largest, Math.abs(a[k]! - b[k]!));
      expect(largest).toBeLessThan(1e-5);
      tf.dispose([direct, stepped]);
      // Forcing the dense kernel outside a step is refused with a clear message.
      const forced = createEmpiricalDenoiser(points, undefined, { kernel: 'dense' });
      expect(() => forced.denoise(x, 0.3)).toThrow(/runs asynchronously/);
      forced.dispose();
    } finally {
      denoiser.dispose();
      tf.dispose([points, x]);
    }
  });
});
