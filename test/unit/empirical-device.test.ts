// The empirical denoiser as tfjs kernels (empirical-device.ts), run here on tfjs's cpu backend:
// the same ops go to WebGL or WebGPU in the app (empirical-device.spec.ts runs them on WebGL in
// Chromium). Against the pruned float64 kernel: the same D to 1e-5 from σ̃ = 80 down to 0.002 in
// 2, 16 and 784 dimensions, with the close pairs whose split float32 would get wrong corrected on
// the CPU; and a solver run with it reads no tensor synchronously and only flagged rows back.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setExactDenoisersOnDevice } from '../../graph-nodes/core/device-kernels';
import { settle } from '../../graph-nodes/core/pending';
import type { Timesteps } from '../../graph-nodes/core/values';
import { createEmpiricalDenoiser } from '../../graph-nodes/denoisers/empirical';
import { createDeviceEmpirical } from '../../graph-nodes/denoisers/empirical-device';
import {
  buildEmpiricalIndex,
  createEmpiricalScratch,
  denoiseRows,
  LOGIT_CUTOFF,
} from '../../graph-nodes/denoisers/empirical-kernel';
import { edmSchedule } from '../../graph-nodes/schedules/edm';
import { heun } from '../../graph-nodes/solvers/heun';
import { solve } from '../../graph-nodes/solvers/loop';
import { closePairsProblem, noisedQueries, SIGMAS } from './helpers/empirical-problems';
import { makeTestContext } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  setExactDenoisersOnDevice(false);
  vi.restoreAllMocks();
});

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let largest = 0;
  for (let k = 0; k < a.length; k++) largest = Math.max(largest, Math.abs(a[k]! - b[k]!));
  return largest;
}

describe.each([2, 16, 784])('in %i dimensions', (dim) => {
  it('the device and the pruned kernels agree to 1e-5 from σ̃ = 80 down to 0.002', async () => {
    const count = dim === 784 ? 400 : 600;
    const rows = 48;
    const data = closePairsProblem(dim, count, dim);
    const logWeights = new Float64Array(count).fill(-Math.log(count));
    const device = createDeviceEmpirical(data, count, dim, logWeights);
    const index = buildEmpiricalIndex(data, count, dim, logWeights, 16);
    const scratch = createEmpiricalScratch(index, LOGIT_CUTOFF);
    const before = tf.memory().numTensors;
    try {
      for (const sigma of SIGMAS) {
        const values = noisedQueries(data, count, dim, rows, sigma, Math.round(sigma * 1000));
        const x = tf.tensor2d(values, [rows, dim]);
        const result = await device.denoise(x, sigma);
        const fast = await result.data();
        tf.dispose([x, result]);
        const exact = new Float32Array(rows * dim);
        denoiseRows(index, Float64Array.from(values), 0, rows, sigma, exact, scratch, LOGIT_CUTOFF);
        expect(largestDifference(fast, exact), `σ̃ = ${sigma}`).toBeLessThan(1e-5);
      }
      // Nothing is left behind on the backend but the data's copy.
      expect(tf.memory().numTensors).toBe(before);
      // The queries between close pairs at small σ̃ are the rows float32 could not settle.
      expect(device.counts.rowsCorrected).toBeGreaterThan(0);
      expect(device.counts.rowsCorrected).toBeLessThan(device.counts.rowsComputed);
    } finally {
      device.dispose();
    }
  });
});

describe('a call larger than one pass', () => {
  it('goes through in blocks of rows with the same D and nothing left on the backend', async () => {
    const dim = 16;
    const count = 200;
    const rows = 50;
    const data = closePairsProblem(dim, count, 4);
    const logWeights = new Float64Array(count).fill(-Math.log(count));
    const whole = createDeviceEmpirical(data, count, dim, logWeights);
    // Blocks of 7 rows: 8 passes, the last one short.
    const blocks = createDeviceEmpirical(data, count, dim, logWeights, {
      maxLogitsPerPass: 7 * count,
    });
    const before = tf.memory().numTensors;
    try {
      for (const sigma of [5, 0.05, 0.002]) {
        const x = tf.tensor2d(noisedQueries(data, count, dim, rows, sigma, 3), [rows, dim]);
        const [a, b] = [await whole.denoise(x, sigma), await blocks.denoise(x, sigma)];
        expect(b.shape).toEqual([rows, dim]);
        expect(await b.data()).toEqual(await a.data());
        tf.dispose([x, a, b]);
      }
      expect(tf.memory().numTensors).toBe(before);
      expect(blocks.counts.rowsCorrected).toBe(whole.counts.rowsCorrected);
    } finally {
      whole.dispose();
      blocks.dispose();
    }
  });
});

describe('in a solver run', () => {
  const dim = 784;
  const count = 300;
  const sigmas = Float64Array.from([80, 20, 5, 2, 1, 0.5, 0.2, 0.05, 0.01, 0.002, 0]);
  const timesteps: Timesteps = {
    schedule: edmSchedule({ sigmaMin: 0.002, sigmaMax: 80 }),
    sigmaTilde: sigmas,
    t: sigmas,
  };

  async function sampled(onDevice: boolean, start: Tensor2D, points: Tensor2D) {
    setExactDenoisersOnDevice(onDevice);
    const denoiser = createEmpiricalDenoiser(points, undefined, { threads: 1 });
    try {
      const { samples, trajectory } = await solve({
        algorithm: heun,
        denoiser,
        timesteps,
        x: start,
        hooks: makeTestContext({}),
      });
      const values = await samples.data();
      samples.dispose();
      return { values, trajectory };
    } finally {
      denoiser.dispose();
    }
  }

  it('gives the float64 kernels’ samples and never reads a tensor synchronously', async () => {
    const data = closePairsProblem(dim, count, 5);
    const points = tf.tensor2d(data, [count, dim]);
    const start = tf.tensor2d(noisedQueries(data, count, dim, 32, 80, 9), [32, dim]);
    const engine = tf.engine();
    try {
      const onCpu = await sampled(false, start, points);
      const readSync = vi.spyOn(engine, 'readSync');
      const read = vi.spyOn(engine, 'read');
      const onDevice = await sampled(true, start, points);
      // The state and D stay on the backend: nothing but the data set (read once, for the exact
      // rows) is read synchronously in the run.
      expect(readSync.mock.calls.map(([id]) => id)).toEqual([points.dataId]);
      // Asynchronous reads: the frames (x̃ and x̂₀ per step, and the start), each call's
      // correction flags, and the few calls with rows to correct (4 reads each).
      expect(read.mock.calls.length).toBeGreaterThan(0);
      expect(largestDifference(onDevice.values, onCpu.values)).toBeLessThan(1e-5);
      expect(onDevice.trajectory.frames).toHaveLength(sigmas.length);
    } finally {
      tf.dispose([points, start]);
    }
  });

  it('is taken only where the host put exact denoisers on the device, inside a step', async () => {
    const data = closePairsProblem(dim, count, 6);
    const points = tf.tensor2d(data, [count, dim]);
    const x = tf.tensor2d(noisedQueries(data, count, dim, 16, 0.3, 2), [16, dim]);
    const engine = tf.engine();
    const denoiser = createEmpiricalDenoiser(points, undefined, { threads: 1 });
    try {
      setExactDenoisersOnDevice(true);
      const readSync = vi.spyOn(engine, 'readSync');
      const stepped = await settle(() => denoiser.denoise(x, 0.3));
      // The data set is read once, to build the kernel; the particles never.
      expect(readSync.mock.calls.map(([id]) => id)).toEqual([points.dataId]);
      // A synchronous caller still gets the pruned kernel's answer.
      const direct = denoiser.denoise(x, 0.3);
      expect(largestDifference(await stepped.data(), await direct.data())).toBeLessThan(1e-5);
      tf.dispose([stepped, direct]);
    } finally {
      denoiser.dispose();
      tf.dispose([points, x]);
    }
  });
});
