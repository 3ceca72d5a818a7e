import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createGmmDenoiser, gmmLogDensity, type GmmParams } from '../../graph-nodes/denoisers/gmm';
import { createRng } from '../../graph-nodes/math/rng';
import gmmNode from '../../graph-nodes/nodes/denoiser/gmm';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// The reference problem's mixture (reference/kdiffusion-gmm/problem.json), weights left unnormalised.
const mixture: GmmParams = {
  weights: [3, 2, 2, 1.5, 1.5],
  means: [
    [-3, 0],
    [3, 1],
    [0, 3.5],
    [0.5, -3],
    [-2, -2.5],
  ],
  stds: [0.5, 0.3, 0.8, 0.2, 0.4],
};

/** Points drawn from the noised mixture itself, rounded to float32 (what the tensor will hold). */
function noisedSamples(
  p: GmmParams,
  sigmaTilde: number,
  count: number,
  seed: number,
): Float32Array {
  const rng = createRng(seed);
  const dim = p.means[0]!.length;
  const total = p.weights.reduce((a, b) => a + b, 0);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    let u = rng.uniform() * total;
    let k = 0;
    while (k < p.weights.length - 1 && u >= p.weights[k]!) u -= p.weights[k++]!;
    const spread = Math.sqrt(p.stds[k]! ** 2 + sigmaTilde ** 2);
    for (let j = 0; j < dim; j++) out[i * dim + j] = p.means[k]![j]! + spread * rng.normal();
  }
  return out;
}

function denoiseArray(p: GmmParams, x: Float32Array, sigmaTilde: number): Float32Array {
  const dim = p.means[0]!.length;
  const denoiser = createGmmDenoiser(p);
  const input = tf.tensor2d(x, [x.length / dim, dim]);
  const output = denoiser.denoise(input, sigmaTilde);
  const values = output.dataSync() as Float32Array;
  tf.dispose([input, output]);
  denoiser.dispose();
  return values;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i]! - b[i]!));
  return largest;
}

describe('GMM denoiser', () => {
  it.each([0.05, 0.5, 5, 50])(
    'satisfies Tweedie D = x̃ + σ̃² ∇log p against float64 finite differences at σ̃ = %s',
    (sigmaTilde) => {
      const dim = 2;
      const x = noisedSamples(mixture, sigmaTilde, 200, 7);
      const step = 1e-4 * Math.max(sigmaTilde, 0.1);
      const tweedie = new Float64Array(x.length);
      for (let j = 0; j < dim; j++) {
        const plus = Float64Array.from(x);
        const minus = Float64Array.from(x);
        for (let i = j; i < x.length; i += dim) {
          plus[i]! += step;
          minus[i]! -= step;
        }
        const logPlus = gmmLogDensity(mixture, plus, sigmaTilde);
        const logMinus = gmmLogDensity(mixture, minus, sigmaTilde);
        for (let i = 0; i < x.length / dim; i++) {
          const gradient = (logPlus[i]! - logMinus[i]!) / (2 * step);
          tweedie[i * dim + j] = x[i * dim + j]! + sigmaTilde * sigmaTilde * gradient;
        }
      }
      expect(maxAbsDifference(denoiseArray(mixture, x, sigmaTilde), tweedie)).toBeLessThanOrEqual(
        1e-3,
      );
    },
  );

  it('equals the Gaussian posterior mean for a single component', () => {
    const single: GmmParams = { weights: [2], means: [[1, -2, 0.5]], stds: [0.7] };
    const sigmaTilde = 1.3;
    const x = noisedSamples(single, sigmaTilde, 50, 3);
    const shrink = 0.7 ** 2 / (0.7 ** 2 + sigmaTilde ** 2);
    const expected = Float64Array.from(x, (value, i) => {
      const mean = single.means[0]![i % 3]!;
      return mean + shrink * (value - mean);
    });
    expect(maxAbsDifference(denoiseArray(single, x, sigmaTilde), expected)).toBeLessThanOrEqual(
      1e-5,
    );
  });

  it('tends to the weighted mean of the means as σ̃ grows', () => {
    const x = new Float32Array([1, 2, -40, 10, 0, 0]);
    const denoised = denoiseArray(mixture, x, 1e5);
    const total = 10;
    const weightedMean = [0, 1].map((j) =>
      mixture.weights.reduce((sum, w, k) => sum + (w / total) * mixture.means[k]![j]!, 0),
    );
    for (let i = 0; i < 3; i++) {
      expect(denoised[2 * i]).toBeCloseTo(weightedMean[0]!, 4);
      expect(denoised[2 * i + 1]).toBeCloseTo(weightedMean[1]!, 4);
    }
  });

  it('returns x̃ itself as σ̃ → 0 near a component with s > 0', () => {
    const x = new Float32Array([-3.1, 0.2, 3.05, 0.9, 0.4, -2.95]);
    const denoised = denoiseArray(mixture, x, 1e-3);
    expect(maxAbsDifference(denoised, x)).toBeLessThanOrEqual(1e-5);
  });

  it('handles a Dirac component (std 0) at small σ̃ and refuses σ̃ = 0 for it', () => {
    const withDirac: GmmParams = {
      weights: [1, 1],
      means: [
        [0, 0],
        [1, 0],
      ],
      stds: [0, 0.5],
    };
    const denoised = denoiseArray(withDirac, new Float32Array([1e-4, 2e-4]), 1e-3);
    expect(maxAbsDifference(denoised, [0, 0])).toBeLessThanOrEqual(1e-6);
    const denoiser = createGmmDenoiser(withDirac);
    const x = tf.tensor2d([[0, 0]]);
    expect(() => denoiser.denoise(x, 0)).toThrow(/sigmaTilde = 0/);
    tf.dispose(x);
    denoiser.dispose();
  });

  it('leaks no tensors over repeated calls and frees its own on dispose', () => {
    const before = tf.memory().numTensors;
    const denoiser = createGmmDenoiser(mixture);
    const input = tf.tensor2d(noisedSamples(mixture, 1, 64, 5), [64, 2]);
    const afterSetup = tf.memory().numTensors;
    for (const sigmaTilde of [0.01, 1, 100, 1]) {
      const output = denoiser.denoise(input, sigmaTilde);
      output.dispose();
      expect(tf.memory().numTensors).toBe(afterSetup);
    }
    expect(input.isDisposed).toBe(false);
    input.dispose();
    denoiser.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const late = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => denoiser.denoise(late, 1)).toThrow(/after dispose/);
    late.dispose();
  });

  it('validates its parameters with messages that name them', () => {
    const base = {
      weights: [1, 1],
      means: [
        [0, 0],
        [1, 1],
      ],
      stds: [1, 1],
    };
    expect(() => createGmmDenoiser({ ...base, weights: [1, -1] })).toThrow(
      'weights[1] = -1: every weight must be a positive number',
    );
    expect(() => createGmmDenoiser({ ...base, weights: [1, 1, 1] })).toThrow(
      /means: expected one mean per weight/,
    );
    expect(() => createGmmDenoiser({ ...base, stds: [1] })).toThrow(
      /stds: expected one std per weight/,
    );
    expect(() => createGmmDenoiser({ ...base, stds: [1, -0.5] })).toThrow(/stds\[1\] = -0.5/);
    expect(() => createGmmDenoiser({ ...base, means: [[0, 0], [1]] })).toThrow(
      'means[1] = [1]: expected 2 coordinates, as means[0] has (all means need the same dimension)',
    );
    expect(() => createGmmDenoiser({ weights: [], means: [], stds: [] })).toThrow(
      /at least one component/,
    );
    const denoiser = createGmmDenoiser(base);
    const wrongShape = tf.zeros([4, 3]) as tf.Tensor2D;
    const rightShape = tf.zeros([1, 2]) as tf.Tensor2D;
    expect(() => denoiser.denoise(wrongShape, 1)).toThrow(/shape \[n, 2\]/);
    expect(() => denoiser.denoise(rightShape, NaN)).toThrow(/sigmaTilde/);
    tf.dispose([wrongShape, rightShape]);
    denoiser.dispose();
  });
});

describe('gmmLogDensity', () => {
  it('is the normal log density for one component', () => {
    const single: GmmParams = { weights: [1], means: [[1, 2]], stds: [0.6] };
    const variance = 0.36 + 0.64;
    const logDensity = gmmLogDensity(single, new Float64Array([1, 2, 3, 2]), 0.8);
    expect(logDensity[0]).toBeCloseTo(-Math.log(2 * Math.PI * variance), 12);
    expect(logDensity[1]).toBeCloseTo(-Math.log(2 * Math.PI * variance) - 4 / (2 * variance), 12);
  });

  it('integrates to 1 over the plane', () => {
    const step = 0.05;
    const grid: number[] = [];
    for (let a = -9; a <= 9; a += step) for (let b = -9; b <= 9; b += step) grid.push(a, b);
    const logDensity = gmmLogDensity(mixture, Float64Array.from(grid), 0.3);
    const mass = logDensity.reduce((sum, value) => sum + Math.exp(value) * step * step, 0);
    expect(mass).toBeCloseTo(1, 4);
  });
});

describe('gmm-denoiser node', () => {
  it('defaults to eight components of std 0.25 on a circle of radius 2.5', async () => {
    const params = gmmNode.params.parse({});
    expect(params.weights).toHaveLength(8);
    expect(params.stds).toEqual(Array(8).fill(0.25));
    params.means.forEach((mean) => expect(Math.hypot(mean[0]!, mean[1]!)).toBeCloseTo(2.5, 12));
    const { denoiser } = await gmmNode.run({}, makeTestContext(params));
    expect(denoiser.dim).toBe(2);
    const x = tf.tensor2d([[2.5, 0.01]]);
    const d = denoiser.denoise(x, 1e3);
    expect(maxAbsDifference(d.dataSync(), [0, 0])).toBeLessThanOrEqual(1e-4); // the circle's centre
    tf.dispose([x, d]);
    denoiser.dispose();
  });

  it('refuses a malformed mixture at compile time, naming the param and the entry', () => {
    const stds = [0.25, -1, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25];
    expect(paramIssues('gmm-denoiser', { stds })).toEqual([
      badParam('stds[1]', 'expected a standard deviation in [0, 1e6]'),
    ]);
    // Lengths are checked against the weights: both other lists are reported.
    expect(paramIssues('gmm-denoiser', { weights: [1, 2] })).toEqual([
      badParam('means', 'expected one mean per weight (2), got 8'),
      badParam('stds', 'expected one std per weight (2), got 8'),
    ]);
    const ragged = [
      [0, 0],
      [1, 1, 1],
    ];
    expect(paramIssues('gmm-denoiser', { weights: [1, 1], stds: [1, 1], means: ragged })).toEqual([
      badParam('means[1]', 'expected 2 coordinates, as means[0] has'),
    ]);
    expect(paramIssues('gmm-denoiser', { weights: [], means: [], stds: [] })).toEqual([
      badParam('weights', 'the mixture needs at least one component'),
      badParam('means', 'the mixture needs at least one component'),
      badParam('stds', 'the mixture needs at least one component'),
    ]);
    // Finite in JSON, but squared distances would overflow: bounded like every coordinate.
    expect(paramIssues('gmm-denoiser', { weights: [1], stds: [1], means: [[1e300, 0]] })).toEqual([
      badParam('means[0][0]', 'expected a number in [-1e6, 1e6]'),
    ]);
    expect(
      paramIssues('gmm-denoiser', { weights: [0, 1], stds: [1, 1], means: [[0], [1]] }),
    ).toEqual([badParam('weights[0]', 'expected a positive weight (a number > 0)')]);
  });

  it('weighs components by ratio, however large the weights', async () => {
    const huge = { weights: [1e308, 1e308], means: [[-1], [1]], stds: [0.5, 0.5] };
    const { denoiser } = await gmmNode.run({}, makeTestContext(gmmNode.params.parse(huge)));
    const x = tf.tensor2d([[0.3]]);
    const d = denoiser.denoise(x, 1);
    const reference = createGmmDenoiser({ ...huge, weights: [1, 1] });
    const expected = reference.denoise(x, 1);
    expect(maxAbsDifference(d.dataSync(), expected.dataSync())).toBe(0);
    tf.dispose([x, d, expected]);
    denoiser.dispose();
    reference.dispose();
  });
});
