import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  applyParamOverride,
  catalogue,
  compileGraph,
  Executor,
  parseGraphText,
  type Metrics,
} from '../../graph-nodes';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import type { Trajectory } from '../../graph-nodes/core/values';
import { createRng } from '../../graph-nodes/math/rng';
import { pairedL2 } from '../../graph-nodes/metrics/mean-l2';
import { medianDistance, mmdSquared } from '../../graph-nodes/metrics/mmd';
import { pointSet, subsampleRows, type PointSet } from '../../graph-nodes/metrics/point-set';
import {
  slicedWasserstein,
  wasserstein2Squared1d,
} from '../../graph-nodes/metrics/sliced-wasserstein';
import metricsNode from '../../graph-nodes/nodes/analysis/metrics';
import { initNodeBackend } from '../../graph-nodes/runtime/node-backend';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { makeTestContext } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function gaussianCloud(n: number, dim: number, seed: number, shift: number[] = []): PointSet {
  const values = createRng(seed).fillNormal(new Float64Array(n * dim));
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) values[i * dim + k]! += shift[k] ?? 0;
  return pointSet(values, n, dim);
}

function shifted(set: PointSet, shift: number[]): PointSet {
  const values = Float64Array.from(set.values, (v, index) => v + shift[index % set.dim]!);
  return pointSet(values, set.n, set.dim);
}

describe('mean L2', () => {
  it('is the mean (and max) of per-row Euclidean distances', () => {
    const samples = pointSet([0, 0, 3, 4, 1, 1], 3, 2);
    const reference = pointSet([0, 0, 0, 0, 1, 2], 3, 2);
    // distances 0, 5, 1
    expect(pairedL2(samples, reference)).toEqual({ mean: 2, max: 5 });
  });

  it('refuses unpaired sets', () => {
    expect(() => pairedL2(pointSet([0, 0], 1, 2), pointSet([0, 0, 1, 1], 2, 2))).toThrow(
      /1 samples and 2 reference points/,
    );
  });
});

describe('1-D Wasserstein-2', () => {
  it('is the mean squared gap between sorted values for equal sizes', () => {
    const a = Float64Array.from([3, 1, 2]);
    const b = Float64Array.from([10, 12, 11]);
    expect(wasserstein2Squared1d(a, b)).toBeCloseTo(81, 12);
    expect(wasserstein2Squared1d(Float64Array.from([0, 1]), Float64Array.from([1, 0]))).toBe(0);
  });

  it('integrates the quantile functions exactly for unequal sizes', () => {
    // a: 0 on [0, ½), 1 on [½, 1); b: 0 on [0, ⅓), 3 on [⅓, 1).
    // W2² = (⅓ − 0)·0 + (½ − ⅓)·9 + (1 − ½)·4 = 1.5 + 2 = 3.5
    const a = Float64Array.from([0, 1]);
    const b = Float64Array.from([0, 3, 3]);
    expect(wasserstein2Squared1d(a, b)).toBeCloseTo(3.5, 12);
    // A set against itself repeated is at distance 0 (same distribution, different sizes).
    const repeated = Float64Array.from([0, 0, 0, 1, 1, 1]);
    expect(wasserstein2Squared1d(a, repeated)).toBe(0);
  });
});

describe('sliced Wasserstein distance', () => {
  const options = { projections: 64, seed: 5 };

  it('is 0 for a set against itself', () => {
    const set = gaussianCloud(200, 3, 1);
    expect(slicedWasserstein(set, set, options)).toBe(0);
  });

  it('is exactly the shift in 1-D, and ‖shift‖/√d in d dimensions (E (θ·s)² = ‖s‖²/d)', () => {
    const line = gaussianCloud(300, 1, 2);
    expect(slicedWasserstein(line, shifted(line, [0.7]), options)).toBeCloseTo(0.7, 12);
    const cloud = gaussianCloud(300, 4, 3);
    const shift = [1, -2, 0.5, 2];
    const expected = Math.hypot(...shift) / Math.sqrt(4);
    const swd = slicedWasserstein(cloud, shifted(cloud, shift), { projections: 2000, seed: 1 });
    expect(Math.abs(swd - expected) / expected).toBeLessThan(0.05);
  });

  it('grows with the gap between two distributions and depends only on the seed', () => {
    const a = gaussianCloud(400, 2, 10);
    const near = gaussianCloud(400, 2, 11, [0.1, 0]);
    const far = gaussianCloud(400, 2, 12, [2, 0]);
    expect(slicedWasserstein(a, far, options)).toBeGreaterThan(
      5 * slicedWasserstein(a, near, options),
    );
    expect(slicedWasserstein(a, near, options)).toBe(slicedWasserstein(a, near, options));
  });
});

describe('MMD² (unbiased, Gaussian kernel)', () => {
  const options = { maxPoints: 400, seed: 0 };

  it('is about 0 for two draws of one distribution and clearly > 0 for different ones', () => {
    const a = gaussianCloud(400, 2, 20);
    const same = gaussianCloud(400, 2, 21);
    const other = gaussianCloud(400, 2, 22, [1, 0]);
    const sameMmd = mmdSquared(a, same, options).mmd2;
    const otherMmd = mmdSquared(a, other, options).mmd2;
    expect(Math.abs(sameMmd)).toBeLessThan(0.005);
    expect(otherMmd).toBeGreaterThan(0.05);
    expect(otherMmd).toBeGreaterThan(20 * Math.abs(sameMmd));
  });

  it('matches a hand computation with a given bandwidth', () => {
    // x = {0, 1}, y = {0, 2} in 1-D, h = 1: k(d) = exp(−d²/2).
    const k = (d: number) => Math.exp(-(d * d) / 2);
    const expected = k(1) + k(2) - (2 / 4) * (k(0) + k(2) + k(1) + k(1));
    const { mmd2, bandwidth } = mmdSquared(pointSet([0, 1], 2, 1), pointSet([0, 2], 2, 1), {
      ...options,
      bandwidth: 1,
    });
    expect(bandwidth).toBe(1);
    expect(mmd2).toBeCloseTo(expected, 14);
  });

  it('takes the median pairwise distance as bandwidth by default', () => {
    // Pooled points 0, 1, 3, 7: distances 1, 3, 7, 2, 6, 4 → sorted 1 2 3 4 6 7 → upper median 4.
    expect(medianDistance(pointSet([0, 1], 2, 1), pointSet([3, 7], 2, 1), 0)).toBe(4);
  });

  it('subsamples large sets without replacement, seeded', () => {
    const set = pointSet(
      Float64Array.from({ length: 100 }, (_, i) => i),
      100,
      1,
    );
    const sub = subsampleRows(set, 10, 4);
    expect(new Set(Array.from(sub.values)).size).toBe(10);
    expect(Array.from(subsampleRows(set, 10, 4).values)).toEqual(Array.from(sub.values));
    expect(subsampleRows(set, 100, 4)).toBe(set);
  });
});

describe('metrics node', () => {
  const trajectory = (x: number[], nfe: number): Trajectory => ({
    n: 2,
    dim: 2,
    shape: [2],
    nfe,
    frames: [
      { step: 0, t: 1, sigmaTilde: 1, alpha: 1, x: new Float32Array(4) },
      { step: 1, t: 0, sigmaTilde: 0, alpha: 1, x: Float32Array.from(x) },
    ],
  });

  it('reports what its inputs allow: mean_l2 from a reference trajectory, NFE, swd and mmd', async () => {
    const samples = samplesFromArray(Float32Array.from([0, 0, 3, 4]), 2, [2]);
    const data = samplesFromArray(Float32Array.from([0, 0, 3, 4]), 2, [2]);
    const ctx = makeTestContext(metricsNode.params.parse({}));
    const { metrics } = await metricsNode.run(
      {
        samples,
        reference: undefined,
        reference_trajectory: trajectory([0, 1, 3, 4], 97),
        data,
        trajectory: trajectory([0, 0, 3, 4], 19),
        coupling: undefined,
        denoiser: undefined,
      },
      ctx,
    );
    expect(metrics.values).toMatchObject({
      n: 2,
      mean_l2: 0.5,
      max_l2: 1,
      nfe: 19,
      reference_nfe: 97,
      swd: 0,
    });
    // Unbiased: within-set sums skip i = j, the cross sum does not, so equal sets score below 0.
    // Median bandwidth 5 (pooled distances 0 0 5 5 5 5): MMD² = 2k(5) − (2 + 2k(5))/2 = e^{−½} − 1.
    expect(metrics.values.mmd_bandwidth).toBe(5);
    expect(metrics.values.mmd2).toBeCloseTo(Math.exp(-0.5) - 1, 6);
    expect(metrics.values.mmd).toBe(0);
    tf.dispose([samples.points, data.points]);
  });

  it('leaves out what has no inputs, and refuses two references', async () => {
    const samples = samplesFromArray(Float32Array.from([0, 0, 3, 4]), 2, [2]);
    const ctx = makeTestContext(metricsNode.params.parse({}));
    const none = {
      reference: undefined,
      reference_trajectory: undefined,
      data: undefined,
      coupling: undefined,
      denoiser: undefined,
    };
    const { metrics } = await metricsNode.run({ samples, ...none, trajectory: undefined }, ctx);
    expect(metrics.values).toEqual({ n: 2 });
    await expect(
      metricsNode.run(
        {
          samples,
          ...none,
          reference: samples,
          reference_trajectory: trajectory([0, 0, 0, 0], 1),
          trajectory: undefined,
        },
        ctx,
      ),
    ).rejects.toThrow(/either "reference" or "reference_trajectory"/);
    samples.dispose();
  });
});

describe('the solver-accuracy preset (Euler against an RK45 reference)', () => {
  const preset = resolve(__dirname, '../../presets/solver-accuracy.graph.json');

  it('reports a mean L2 error that falls as Euler takes more steps', async () => {
    await initNodeBackend('wasm');
    const base = parseGraphText(await readFile(preset, 'utf8'), preset);
    // One executor: the reference (RK45) is computed once and reused from the cache.
    const executor = new Executor({ files: nodeFileHost(dirname(preset)) });
    const errors: number[] = [];
    try {
      for (const steps of [10, 20, 40]) {
        const doc = applyParamOverride(base, 'timesteps.steps', steps);
        const summary = await executor.run(compileGraph(doc, catalogue));
        expect(summary.error).toBeUndefined();
        const { values } = executor.output('metrics', 'metrics') as Metrics;
        expect(values.nfe).toBe(steps);
        expect(values.reference_nfe).toBeGreaterThan(100);
        errors.push(values.mean_l2!);
      }
    } finally {
      executor.dispose();
    }
    // Measured: 0.206, 0.090, 0.042. Euler is first order, so doubling the steps about halves
    // the error; that it does shows the reference is far more accurate than Euler here.
    expect(errors[0]).toBeGreaterThan(0.01);
    for (const k of [1, 2]) {
      const ratio = errors[k]! / errors[k - 1]!;
      expect(ratio).toBeGreaterThan(0.35);
      expect(ratio).toBeLessThan(0.6);
    }
  });
});
