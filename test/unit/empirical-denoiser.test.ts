import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import { createEmpiricalDenoiser } from '../../graph-nodes/denoisers/empirical';
import {
  buildEmpiricalIndex,
  createEmpiricalScratch,
  createExpTable,
  denoiseRows,
  expNonPositive,
  LOGIT_CUTOFF,
} from '../../graph-nodes/denoisers/empirical-kernel';
import { createRowThreads } from '../../graph-nodes/denoisers/empirical-threads';
import { createRng } from '../../graph-nodes/math/rng';
import empiricalNode from '../../graph-nodes/nodes/denoiser/empirical';
import { makeTestContext } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const DIM = 2;
const SPREAD_COUNT = 48;
const PAIR_COUNT = 16;
const DATA_COUNT = SPREAD_COUNT + 2 * PAIR_COUNT;

/**
 * Unit-scale data, rounded to float32 like the tensor that holds it: standard normal points, plus
 * close pairs (0.02 to 0.1 apart, like near-duplicates in real data) whose bisectors are where
 * responsibilities are shared at small σ̃.
 */
const data = ((): Float32Array => {
  const rng = createRng(2024);
  const values = rng.fillNormal(new Float32Array(DATA_COUNT * DIM));
  for (let p = 0; p < PAIR_COUNT; p++) {
    const first = SPREAD_COUNT + 2 * p;
    const separation = 0.02 + 0.08 * rng.uniform();
    const angle = 2 * Math.PI * rng.uniform();
    values[(first + 1) * DIM] = values[first * DIM]! + separation * Math.cos(angle);
    values[(first + 1) * DIM + 1] = values[first * DIM + 1]! + separation * Math.sin(angle);
  }
  return values;
})();

/** D(x̃) = Σ r_i y_i with r = softmax(log w_i − ‖x̃ − y_i‖²/(2σ̃²)), in float64. */
function referenceDenoise(
  points: Float32Array,
  x: Float32Array,
  sigmaTilde: number,
  weights?: number[],
  DIM = 2,
): Float64Array {
  const count = points.length / DIM;
  const out = new Float64Array(x.length);
  const logits = new Float64Array(count);
  for (let i = 0; i < x.length / DIM; i++) {
    let largest = -Infinity;
    for (let k = 0; k < count; k++) {
      let squaredDistance = 0;
      for (let j = 0; j < DIM; j++)
        squaredDistance += (x[i * DIM + j]! - points[k * DIM + j]!) ** 2;
      logits[k] = Math.log(weights?.[k] ?? 1) - squaredDistance / (2 * sigmaTilde * sigmaTilde);
      largest = Math.max(largest, logits[k]!);
    }
    let total = 0;
    for (let k = 0; k < count; k++) total += Math.exp(logits[k]! - largest);
    for (let k = 0; k < count; k++) {
      const responsibility = Math.exp(logits[k]! - largest) / total;
      for (let j = 0; j < DIM; j++) out[i * DIM + j]! += responsibility * points[k * DIM + j]!;
    }
  }
  return out;
}

/**
 * Queries that make small σ̃ hard: every data point plus σ̃-sized noise, and points near the
 * bisector of each close pair, where the answer hinges on tiny differences of squared distances.
 */
function hardQueries(sigmaTilde: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const queries: number[] = [];
  for (let i = 0; i < DATA_COUNT; i++) {
    queries.push(
      data[i * DIM]! + sigmaTilde * rng.normal(),
      data[i * DIM + 1]! + sigmaTilde * rng.normal(),
    );
  }
  for (let p = 0; p < PAIR_COUNT; p++) {
    const a = SPREAD_COUNT + 2 * p;
    const [ax, ay, bx, by] = [
      data[a * DIM]!,
      data[a * DIM + 1]!,
      data[(a + 1) * DIM]!,
      data[(a + 1) * DIM + 1]!,
    ];
    // Moving δ along the pair changes the logit gap by |y_b − y_a|² δ/σ̃² (δ as a fraction of the
    // pair's separation): keep the gap O(1), and stay on the segment at large σ̃.
    const squaredSeparation = (bx - ax) ** 2 + (by - ay) ** 2;
    const fraction =
      0.5 + (rng.uniform() - 0.5) * Math.min(1, (sigmaTilde * sigmaTilde) / squaredSeparation);
    queries.push(ax + fraction * (bx - ax), ay + fraction * (by - ay));
  }
  return Float32Array.from(queries);
}

/** The textbook ‖x‖² − 2x·y + ‖y‖² expansion in float32, kept here only to show it fails. */
function naiveDenoise(points: tf.Tensor2D, x: tf.Tensor2D, sigmaTilde: number): Float32Array {
  return tf.tidy(() => {
    const squaredDistance = tf.add(
      tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(2, tf.matMul(x, points, false, true))),
      tf.sum(tf.square(points), 1),
    );
    const responsibilities = tf.softmax(tf.div(squaredDistance, -2 * sigmaTilde * sigmaTilde));
    return tf.matMul(responsibilities, points).dataSync() as Float32Array;
  });
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}

describe('empirical denoiser', () => {
  it.each([0.002, 0.05, 1, 80])(
    'matches the float64 Dirac-mixture posterior mean at σ̃ = %s',
    (sigmaTilde) => {
      const points = tf.tensor2d(data, [DATA_COUNT, DIM]);
      const x = hardQueries(sigmaTilde, 99);
      const input = tf.tensor2d(x, [x.length / DIM, DIM]);
      const denoiser = createEmpiricalDenoiser(points);
      const output = denoiser.denoise(input, sigmaTilde);
      // Float64 inside: the only error left is rounding the answer to float32 (|D| < 4).
      expect(
        maxAbsDifference(output.dataSync(), referenceDenoise(data, x, sigmaTilde)),
      ).toBeLessThanOrEqual(5e-7);
      tf.dispose([points, input, output]);
      denoiser.dispose();
    },
  );

  it('stays accurate at σ̃ = 0.002 where the ‖x‖² − 2x·y + ‖y‖² expansion does not', () => {
    const sigmaTilde = 0.002;
    const points = tf.tensor2d(data, [DATA_COUNT, DIM]);
    const x = hardQueries(sigmaTilde, 5);
    const input = tf.tensor2d(x, [x.length / DIM, DIM]);
    const reference = referenceDenoise(data, x, sigmaTilde);
    const denoiser = createEmpiricalDenoiser(points);
    const output = denoiser.denoise(input, sigmaTilde);
    const ourError = maxAbsDifference(output.dataSync(), reference);
    const naiveError = maxAbsDifference(naiveDenoise(points, input, sigmaTilde), reference);
    // Same tolerance for both: the expansion misses it several times over (≈ 8e-4 here).
    expect(ourError).toBeLessThanOrEqual(1e-4);
    expect(ourError).toBeLessThanOrEqual(5e-7);
    expect(naiveError).toBeGreaterThan(3e-4);
    tf.dispose([points, input, output]);
    denoiser.dispose();
  });

  it('uses normalised weights', () => {
    const weights = Array.from({ length: DATA_COUNT }, (_, i) => 1 + (i % 5));
    const points = tf.tensor2d(data, [DATA_COUNT, DIM]);
    const x = hardQueries(0.5, 3);
    const input = tf.tensor2d(x, [x.length / DIM, DIM]);
    const denoiser = createEmpiricalDenoiser(points, weights);
    const output = denoiser.denoise(input, 0.5);
    const reference = referenceDenoise(data, x, 0.5, weights);
    expect(maxAbsDifference(output.dataSync(), reference)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDifference(output.dataSync(), referenceDenoise(data, x, 0.5))).toBeGreaterThan(
      1e-3,
    );
    tf.dispose([points, input, output]);
    denoiser.dispose();
  });

  it.each([1, 3, 16, DATA_COUNT])(
    'gives the same result with pruning blocks of %s points as with none',
    (blockSize) => {
      const points = tf.tensor2d(data, [DATA_COUNT, DIM]);
      for (const sigmaTilde of [0.002, 0.05, 1]) {
        const x = hardQueries(sigmaTilde, 8);
        const input = tf.tensor2d(x, [x.length / DIM, DIM]);
        const blocked = createEmpiricalDenoiser(points, undefined, { blockSize });
        const output = blocked.denoise(input, sigmaTilde);
        expect(output.shape).toEqual([x.length / DIM, DIM]);
        expect(
          maxAbsDifference(output.dataSync(), referenceDenoise(data, x, sigmaTilde)),
        ).toBeLessThanOrEqual(5e-7);
        tf.dispose([input, output]);
        blocked.dispose();
      }
      points.dispose();
    },
  );

  it('skips only blocks that cannot matter, where block radii are near the cutoff distance', () => {
    // Four clusters 1 apart, each 0.03 wide, at σ̃ = 0.005: a term counts within about
    // √(80σ̃²) ≈ 0.045 of the nearest point, the size of a block's ball. Bounds that ignored
    // the radius, or skipped a block with a close point, would change D by ~0.01 or more.
    const sigmaTilde = 0.005;
    const rng = createRng(12);
    const clustered = Float32Array.from({ length: 64 * DIM }, (_, k) => {
      const cluster = Math.floor(k / (16 * DIM));
      return cluster * (k % 2 === 0 ? 1 : 0.5) + 0.03 * rng.normal();
    });
    const queries = Float32Array.from(
      { length: 200 * DIM },
      (_, k) => clustered[k % clustered.length]! + 0.01 * rng.normal(),
    );
    const logWeights = new Float64Array(64).fill(-Math.log(64));
    const reference = referenceDenoise(clustered, queries, sigmaTilde);
    for (const blockSize of [2, 4, 8]) {
      const index = buildEmpiricalIndex(clustered, 64, DIM, logWeights, blockSize);
      const out = new Float32Array(queries.length);
      const scratch = createEmpiricalScratch(index, LOGIT_CUTOFF);
      denoiseRows(
        index,
        Float64Array.from(queries),
        0,
        200,
        sigmaTilde,
        out,
        scratch,
        LOGIT_CUTOFF,
      );
      expect(maxAbsDifference(out, reference)).toBeLessThanOrEqual(5e-7);
    }
  });

  it.each([1, 5, 12])('works in any dimension (d = %s)', (dim) => {
    const rng = createRng(dim);
    const count = 37;
    const points = rng.fillNormal(new Float32Array(count * dim));
    for (const sigmaTilde of [0.01, 0.3, 5]) {
      const queries = Float32Array.from(
        { length: 9 * dim },
        (_, k) => points[k % points.length]! + sigmaTilde * rng.normal(),
      );
      const denoiser = createEmpiricalDenoiser(tf.tensor2d(points, [count, dim]), undefined, {
        blockSize: 4,
      });
      const input = tf.tensor2d(queries, [9, dim]);
      const output = denoiser.denoise(input, sigmaTilde);
      expect(
        maxAbsDifference(
          output.dataSync(),
          referenceDenoise(points, queries, sigmaTilde, undefined, dim),
        ),
      ).toBeLessThanOrEqual(1e-6);
      tf.dispose([input, output]);
      denoiser.dispose();
    }
  });

  it('computes e^z on [−40, 0] to a relative 2e-12', () => {
    const table = createExpTable(LOGIT_CUTOFF);
    let worst = 0;
    for (let k = 0; k <= 400_000; k++) {
      const z = -LOGIT_CUTOFF * (k / 400_000);
      worst = Math.max(worst, Math.abs(expNonPositive(z, table) / Math.exp(z) - 1));
    }
    expect(worst).toBeLessThanOrEqual(2e-12);
  });

  it('splits rows across a worker thread with the same answer as one thread', () => {
    const x = Float64Array.from(
      { length: 3000 * DIM },
      (_, k) => data[k % data.length]! + 0.3 * Math.sin(k),
    );
    const index = buildEmpiricalIndex(
      data,
      DATA_COUNT,
      DIM,
      new Float64Array(DATA_COUNT).fill(-Math.log(DATA_COUNT)),
      8,
    );
    const expected = new Float32Array(x.length);
    denoiseRows(
      index,
      x,
      0,
      3000,
      0.2,
      expected,
      createEmpiricalScratch(index, LOGIT_CUTOFF),
      LOGIT_CUTOFF,
    );
    const threads = createRowThreads(index, 2, LOGIT_CUTOFF, 16);
    expect(threads).toBeDefined();
    try {
      // The worker starts in the background; until it does, the caller does every chunk.
      let workerChunks = 0;
      for (let call = 0; call < 200 && workerChunks === 0; call++) {
        expect(threads!.denoise(x, 3000, 0.2)).toEqual(expected);
        workerChunks = threads!.lastWorkerChunks;
      }
      expect(workerChunks).toBeGreaterThan(0);
      // A larger batch replaces the shared buffers; the worker must follow.
      const doubled = Float64Array.from({ length: 2 * x.length }, (_, k) => x[k % x.length]!);
      const out = threads!.denoise(doubled, 6000, 0.2);
      expect(out.subarray(x.length)).toEqual(expected);
      expect(out.subarray(0, x.length)).toEqual(expected);
    } finally {
      threads!.dispose();
    }
  });

  it('leaks nothing, never frees the data points, and frees only its own tensors', () => {
    const before = tf.memory().numTensors;
    const points = tf.tensor2d(data, [DATA_COUNT, DIM]);
    const queries = hardQueries(1, 4);
    const input = tf.tensor2d(queries, [queries.length / DIM, DIM]);
    const denoiser = createEmpiricalDenoiser(points, undefined, { blockSize: 5 });
    const afterSetup = tf.memory().numTensors;
    for (const sigmaTilde of [0.002, 1, 80, 1]) {
      denoiser.denoise(input, sigmaTilde).dispose();
      expect(tf.memory().numTensors).toBe(afterSetup);
    }
    denoiser.dispose();
    denoiser.dispose(); // idempotent
    expect(points.isDisposed).toBe(false);
    expect(input.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(() => denoiser.denoise(input, 1)).toThrow(/after dispose/);
    tf.dispose([points, input]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad input with clear messages', () => {
    const points = tf.tensor2d(data, [DATA_COUNT, DIM]);
    expect(() => createEmpiricalDenoiser(points, [1, 2])).toThrow(/2 weights for 80 data points/);
    expect(() => createEmpiricalDenoiser(points, Array(DATA_COUNT).fill(0))).toThrow(
      /weights\[0\] = 0/,
    );
    const denoiser = createEmpiricalDenoiser(points);
    const wrong = tf.zeros([3, 3]) as tf.Tensor2D;
    const right = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => denoiser.denoise(wrong, 1)).toThrow(/shape \[n, 2\]/);
    expect(() => denoiser.denoise(right, 0)).toThrow(/sigmaTilde/);
    denoiser.dispose();
    points.dispose();
    expect(() => createEmpiricalDenoiser(points).denoise(right, 1)).toThrow(
      /data set has been freed/,
    );
    tf.dispose([wrong, right]);
  });
});

describe('empirical-denoiser node', () => {
  it('wraps the data input without taking ownership of it', async () => {
    const samples = samplesFromArray(data, DATA_COUNT, [DIM]);
    const ctx = makeTestContext(empiricalNode.params.parse({}));
    const { denoiser } = await empiricalNode.run({ data: samples }, ctx);
    expect(denoiser.dim).toBe(DIM);
    const x = tf.tensor2d(data.slice(0, 2 * DIM), [2, DIM]);
    const d = denoiser.denoise(x, 1e-3);
    expect(maxAbsDifference(d.dataSync(), data.slice(0, 2 * DIM))).toBeLessThanOrEqual(1e-6);
    tf.dispose([x, d]);
    denoiser.dispose();
    expect(samples.points.isDisposed).toBe(false);
    samples.dispose();
  });
});
