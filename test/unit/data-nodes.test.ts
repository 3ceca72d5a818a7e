// The data and io nodes run for real on tfjs's cpu backend, through their public run().
import { REFERENCE_DIR } from './helpers/reference';
import { readFileSync } from 'node:fs';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  Samples,
  Schedule,
  Timesteps,
  Trajectory,
  TrajectoryFrame,
} from '../../graph-nodes/core/values';
import { datasetFromArray, samplesFromArray } from '../../graph-nodes/core/samples';
import { encodeNpy, parseNpy } from '../../graph-nodes/math/npy';
import { createRng } from '../../graph-nodes/math/rng';
import { generateToy2d, TOY_2D_SHAPES } from '../../graph-nodes/math/toy-2d';
import loadNpy from '../../graph-nodes/nodes/data/load-npy';
import toyData2d from '../../graph-nodes/nodes/data/toy-data-2d';
import saveNpy from '../../graph-nodes/nodes/io/save-npy';
import gaussianPrior from '../../graph-nodes/nodes/prior/gaussian-prior';
import { badParam, paramIssues } from './helpers/param-issues';
import { makeTestContext, memoryFiles } from './helpers/run-context';

const X_T_PATH = `${REFERENCE_DIR}x_T.npy`;

/** A VE-like schedule stub (α = 1, σ = t): the prior only reads the timestep list. */
const stubSchedule: Schedule = {
  name: 'stub',
  tMin: 0,
  tMax: 80,
  alpha: () => 1,
  sigma: (t) => t,
  alphaDot: () => 0,
  sigmaDot: () => 1,
  lambda: (t) => -Math.log(t),
  tOfLambda: (lambda) => Math.exp(-lambda),
  sigmaTilde: (t) => t,
  tOfSigmaTilde: (sigmaTilde) => sigmaTilde,
};

function timestepsFrom(sigmaTilde: number[]): Timesteps {
  return {
    schedule: stubSchedule,
    sigmaTilde: Float64Array.from(sigmaTilde),
    t: Float64Array.from(sigmaTilde),
  };
}

const karrasLike = timestepsFrom([80, 42.4, 21.1, 9.7, 4.1, 1.5, 0.47, 0.12, 0.02, 0.002, 0]);

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

function std(values: ArrayLike<number>): number {
  const center = mean(values);
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - center) ** 2;
  return Math.sqrt(squares / values.length);
}

let tensorsAtStart = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

beforeEach(() => {
  tensorsAtStart = tf.memory().numTensors;
});

afterEach(() => {
  // Every test disposes what the nodes returned; nothing else may stay behind.
  expect(tf.memory().numTensors).toBe(tensorsAtStart);
});

describe('gaussian-prior', () => {
  it('has defaults count 1000, dim 2, seed 0', async () => {
    const params = gaussianPrior.params.parse({});
    expect(params).toEqual({ count: 1000, dim: 2, seed: 0 });
    const { samples } = await gaussianPrior.run({ timesteps: karrasLike }, makeTestContext(params));
    expect(samples.points.shape).toEqual([1000, 2]);
    samples.dispose();
  });

  it('draws σ̃_0 · ε: standard deviation ≈ 80, mean ≈ 0', async () => {
    const params = gaussianPrior.params.parse({ count: 5000, dim: 3, seed: 1 });
    const { samples } = await gaussianPrior.run({ timesteps: karrasLike }, makeTestContext(params));
    expect(samples.points.shape).toEqual([5000, 3]);
    expect(samples.points.dtype).toBe('float32');
    const values = await samples.points.data();
    // 15 000 draws: the sample std has a standard error of about 80/√30000 ≈ 0.46.
    expect(Math.abs(std(values) - 80)).toBeLessThan(2);
    expect(Math.abs(mean(values))).toBeLessThan(2.5);
    samples.dispose();
  });

  it('is exactly createRng(seed).fillNormal scaled by σ̃_0, so a seed means the same everywhere', async () => {
    const params = gaussianPrior.params.parse({ count: 4, dim: 2, seed: 99 });
    const timesteps = timestepsFrom([2.5, 1, 0]);
    const { samples } = await gaussianPrior.run({ timesteps }, makeTestContext(params));
    const expected = createRng(99)
      .fillNormal(new Float32Array(8))
      .map((value) => value * 2.5);
    expect(Array.from(await samples.points.data())).toEqual(Array.from(expected));
    samples.dispose();
  });

  it('gives the same points for the same seed and different points for another', async () => {
    const run = async (seed: number) => {
      const params = gaussianPrior.params.parse({ count: 50, seed });
      const { samples } = await gaussianPrior.run(
        { timesteps: karrasLike },
        makeTestContext(params),
      );
      const values = Array.from(await samples.points.data());
      samples.dispose();
      return values;
    };
    expect(await run(3)).toEqual(await run(3));
    expect(await run(3)).not.toEqual(await run(4));
  });

  it('refuses an empty timestep list and out-of-range params', async () => {
    const params = gaussianPrior.params.parse({});
    expect(() =>
      gaussianPrior.run({ timesteps: timestepsFrom([]) }, makeTestContext(params)),
    ).toThrow(/must start with a finite noise level/);
    expect(gaussianPrior.params.safeParse({ count: 0 }).success).toBe(false);
    expect(gaussianPrior.params.safeParse({ dim: 2 ** 20 + 1 }).success).toBe(false);
    expect(gaussianPrior.params.safeParse({ seed: 1.5 }).success).toBe(false);
  });

  it('refuses, before any run, more points than memory holds, naming count or shape', () => {
    // 1e6 points of 784 values: 7.8e8 float32 values, past the 2^27 limit.
    expect(paramIssues('gaussian-prior', { count: 1_000_000, dim: 784 })).toEqual([
      badParam('count', 'count × values per point = 1000000 × 784 is more than 134217728 values'),
    ]);
    // Every axis within limits, their product not.
    expect(paramIssues('gaussian-prior', { count: 1, shape: [4096, 4096] })).toEqual([
      badParam('shape', 'holds 16777216 values per point; at most 1048576 are allowed'),
    ]);
    expect(paramIssues('gaussian-prior', { shape: [] })).toEqual([
      badParam('shape', 'a point shape needs at least one axis'),
    ]);
    expect(paramIssues('gaussian-prior', { count: 1000, shape: [1, 28, 28] })).toEqual([]);
  });
});

describe('load-npy', () => {
  async function load(path: string, files: Record<string, Uint8Array>) {
    const params = loadNpy.params.parse({ path });
    return loadNpy.run({}, makeTestContext(params, { files: memoryFiles(files) }));
  }

  it('loads the reference x_T.npy as float32 samples [256, 2]', async () => {
    const { samples } = await load('ref/x_T.npy', { 'ref/x_T.npy': readFileSync(X_T_PATH) });
    expect(samples.points.shape).toEqual([256, 2]);
    expect(samples.points.dtype).toBe('float32');
    const values = await samples.points.data();
    expect(values[0]).toBe(Math.fround(-128.30694443170412));
    expect(values[511]).toBe(Math.fround(165.695417615152));
    samples.dispose();
  });

  it('loads float32 and int32 arrays', async () => {
    const { samples: floats } = await load('f.npy', {
      'f.npy': encodeNpy(Float32Array.from([1.5, 2, 3, 4, 5, 6]), [3, 2]),
    });
    expect(floats.points.arraySync()).toEqual([
      [1.5, 2],
      [3, 4],
      [5, 6],
    ]);
    floats.dispose();
    const { samples: ints } = await load('i.npy', {
      'i.npy': encodeNpy(Int32Array.from([-1, 2, 7]), [1, 3]),
    });
    expect(ints.points.dtype).toBe('float32');
    expect(ints.points.arraySync()).toEqual([[-1, 2, 7]]);
    ints.dispose();
  });

  it('asks for a path when none is set', async () => {
    await expect(load('', {})).rejects.toThrow('set the path param to a .npy file');
    expect(loadNpy.params.parse({})).toEqual({ path: '' });
  });

  it('reads [n, ...S] of any rank as n points of shape S, uint8 images included', async () => {
    const { samples: cube } = await load('cube.npy', {
      'cube.npy': encodeNpy(
        Float32Array.from({ length: 24 }, (_, i) => i),
        [2, 3, 4],
      ),
    });
    expect(cube.shape).toEqual([3, 4]);
    expect(cube.points.shape).toEqual([2, 12]);
    expect(Array.from(await cube.points.data())).toEqual(Array.from({ length: 24 }, (_, i) => i));
    cube.dispose();
    const { samples: images } = await load('images.npy', {
      'images.npy': encodeNpy(
        Uint8Array.from({ length: 2 * 16 }, (_, i) => 8 * i),
        [2, 1, 4, 4],
      ),
    });
    expect(images.shape).toEqual([1, 4, 4]);
    expect((await images.points.data())[31]).toBe(248);
    images.dispose();
    const { samples: scalars } = await load('flat.npy', {
      'flat.npy': encodeNpy(Float64Array.from([1, 2, 3, 4, 5]), [5]),
    });
    expect(scalars.shape).toEqual([1]);
    expect(scalars.points.shape).toEqual([5, 1]);
    scalars.dispose();
  });

  it('names the path and what is wrong: no points, a bare number, Fortran order', async () => {
    await expect(
      load('empty.npy', { 'empty.npy': encodeNpy(new Float32Array(0), [0, 2]) }),
    ).rejects.toThrow(/^empty\.npy: the array \(0, 2\) holds no points/);
    await expect(
      load('zero.npy', { 'zero.npy': encodeNpy(new Float32Array(0), [3, 0]) }),
    ).rejects.toThrow(/^zero\.npy: the points have shape \[0\] .*whole size ≥ 1/);
    await expect(load('one.npy', { 'one.npy': encodeNpy(Float32Array.of(1), []) })).rejects.toThrow(
      /^one\.npy: the array is a single number/,
    );
    const fortran = encodeNpy(new Float32Array(6), [3, 2]);
    const header = new TextDecoder('latin1').decode(fortran.subarray(0, 128));
    const at = header.indexOf('False');
    fortran.set(new TextEncoder().encode('True, '), at);
    await expect(load('f.npy', { 'f.npy': fortran })).rejects.toThrow(
      /^f\.npy: Fortran-order arrays are not supported; save it in C order/,
    );
  });

  it('names the path when the file is missing or not a .npy file', async () => {
    await expect(load('missing.npy', {})).rejects.toThrow(
      /could not read "missing\.npy": no such file/,
    );
    await expect(
      load('notes.npy', { 'notes.npy': new TextEncoder().encode('hello, world') }),
    ).rejects.toThrow(/^notes\.npy: not a \.npy file/);
  });
});

describe('toy-data-2d', () => {
  it('outputs a labelled data set named after the shape, matching generateToy2d', async () => {
    const params = toyData2d.params.parse({});
    expect(params).toEqual({ shape: 'two_moons', count: 1000, seed: 0, noise: 0.05 });
    const { dataset } = await toyData2d.run({}, makeTestContext(params));
    expect(dataset.name).toBe('two_moons');
    expect(dataset.points.shape).toEqual([1000, 2]);
    const expected = generateToy2d('two_moons', 1000, 0, 0.05);
    expect(Array.from(await dataset.points.data())).toEqual(
      Array.from(Float32Array.from(expected.points)),
    );
    expect(Array.from(dataset.labels ?? [])).toEqual(Array.from(expected.labels));
    dataset.dispose();
  });

  it('runs every shape', async () => {
    for (const shape of TOY_2D_SHAPES) {
      const params = toyData2d.params.parse({ shape, count: 64, seed: 5 });
      const { dataset } = await toyData2d.run({}, makeTestContext(params));
      expect(dataset.name).toBe(shape);
      expect(dataset.points.shape).toEqual([64, 2]);
      expect(dataset.labels?.length).toBe(64);
      dataset.dispose();
    }
  });

  it('validates its params', () => {
    expect(toyData2d.params.safeParse({ shape: 'spiral' }).success).toBe(false);
    expect(toyData2d.params.safeParse({ noise: -0.1 }).success).toBe(false);
    expect(toyData2d.params.safeParse({ count: 0 }).success).toBe(false);
  });
});

describe('save-npy', () => {
  async function save(value: Parameters<typeof saveNpy.run>[0]['value'], path = 'out.npy') {
    const files = memoryFiles();
    const params = saveNpy.params.parse({ path });
    const outputs = await saveNpy.run({ value }, makeTestContext(params, { files }));
    return { outputs, files: files.files };
  }

  it('writes samples as float32 [n, d] and leaves its input alive', async () => {
    const samples = samplesFromArray(Float64Array.from([1, 2, 3, 4, 5, 6.25]), 3, [2]);
    const { outputs, files } = await save(samples);
    expect(outputs).toEqual({});
    const array = parseNpy(files.get('out.npy')!);
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([3, 2]);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4, 5, 6.25]);
    expect(samples.points.isDisposed).toBe(false);
    samples.dispose();
  });

  it('writes a data set the same way', async () => {
    const dataset = datasetFromArray(
      'pair',
      Float32Array.from([0.5, -0.5]),
      1,
      [2],
      Int32Array.of(1),
    );
    const { files } = await save(dataset, 'sets/pair.npy');
    const array = parseNpy(files.get('sets/pair.npy')!);
    expect(array.shape).toEqual([1, 2]);
    expect(Array.from(array.data)).toEqual([0.5, -0.5]);
    dataset.dispose();
  });

  it('writes a trajectory as float32 [frames, n, d] of each frame’s x̃', async () => {
    const frame = (step: number, x: number[]): TrajectoryFrame => ({
      step,
      t: 1 - step / 2,
      sigmaTilde: 1 - step / 2,
      alpha: 1,
      x: Float32Array.from(x),
    });
    const trajectory: Trajectory = {
      n: 2,
      dim: 2,
      shape: [2],
      nfe: 2,
      frames: [frame(0, [1, 2, 3, 4]), frame(1, [5, 6, 7, 8]), frame(2, [9, 10, 11, 12])],
    };
    const { files } = await save(trajectory);
    const array = parseNpy(files.get('out.npy')!);
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([3, 2, 2]);
    expect(Array.from(array.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('asks for a path when none is set', async () => {
    const samples = samplesFromArray(new Float32Array(2), 1, [2]);
    await expect(save(samples, '')).rejects.toThrow('set the path param to the .npy file to write');
    samples.dispose();
  });

  it('round-trips through load-npy', async () => {
    const params = toyData2d.params.parse({ shape: 'rings', count: 40 });
    const { dataset } = await toyData2d.run({}, makeTestContext(params));
    const { files } = await save(dataset, 'rings.npy');
    const loaded = await loadNpy.run(
      {},
      makeTestContext(loadNpy.params.parse({ path: 'rings.npy' }), {
        files: memoryFiles(Object.fromEntries(files)),
      }),
    );
    expect(loaded.samples.points.arraySync()).toEqual(dataset.points.arraySync());
    loaded.samples.dispose();
    dataset.dispose();
  });
});

describe('samplesFromArray', () => {
  it('checks the layout', () => {
    expect(() => samplesFromArray(new Float32Array(5), 3, [2])).toThrow(
      /samples \[3, 2\] need 6 values but the array has 5/,
    );
    expect(() => samplesFromArray(new Float32Array(6), 3, [2], new Int32Array(2))).toThrow(
      /3 points but 2 labels/,
    );
  });

  it('keeps labels and releases its tensor on dispose', () => {
    const samples: Samples = samplesFromArray(new Float32Array(4), 2, [2], Int32Array.of(0, 1));
    expect(Array.from(samples.labels ?? [])).toEqual([0, 1]);
    expect(tf.memory().numTensors).toBe(tensorsAtStart + 1);
    samples.dispose();
    expect(samples.points.isDisposed).toBe(true);
  });
});
