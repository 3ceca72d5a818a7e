import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEmpiricalDenoiser } from '../../graph-nodes/denoisers/empirical';
import { parseNpyUint8 } from '../../graph-nodes/math/npy';
import fashionMnist, {
  labelsPathFor,
  pickBalancedRows,
} from '../../graph-nodes/nodes/data/fashion-mnist';
import { nodeFileHost } from '../../graph-nodes/runtime/node-files';
import { makeTestContext } from './helpers/run-context';

const PRESETS = resolve(__dirname, '../../presets');
const IMAGES = resolve(PRESETS, 'data/fashion-mnist-subset.npy');
const LABELS = resolve(PRESETS, 'data/fashion-mnist-subset-labels.npy');
const raw = parseNpyUint8(readFileSync(IMAGES), IMAGES);
const rawLabels = parseNpyUint8(readFileSync(LABELS), LABELS);

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function load(params: Record<string, unknown> = {}) {
  const ctx = makeTestContext(fashionMnist.params.parse(params), {
    files: nodeFileHost(PRESETS),
  });
  return (await fashionMnist.run({}, ctx)).dataset;
}

function countLabels(labels: Int32Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]!++;
  return counts;
}

describe('the committed subset', () => {
  it('is 2000 uint8 images of 28 × 28, 200 per class, within 2 MB', () => {
    expect(raw.shape).toEqual([2000, 784]);
    expect(rawLabels.shape).toEqual([2000]);
    expect(countLabels(Int32Array.from(rawLabels.data))).toEqual(new Array(10).fill(200));
    expect(statSync(IMAGES).size + statSync(LABELS).size).toBeLessThanOrEqual(2 * 1024 * 1024);
    // Real images: dark background, bright garments, every byte value in use somewhere.
    expect(raw.data.reduce((a, b) => Math.min(a, b))).toBe(0);
    expect(raw.data.reduce((a, b) => Math.max(a, b))).toBe(255);
  });
});

describe('fashion-mnist node', () => {
  it('by default gives 200 images in [−1, 1], 20 per class, from the committed file', async () => {
    const dataset = await load();
    expect(dataset.name).toBe('fashion-mnist');
    expect(dataset.points.shape).toEqual([200, 784]);
    expect(countLabels(dataset.labels!)).toEqual(new Array(10).fill(20));
    const values = dataset.points.dataSync() as Float32Array;
    expect(values.reduce((a, b) => Math.min(a, b))).toBe(-1);
    expect(values.reduce((a, b) => Math.max(a, b))).toBe(1);
    dataset.dispose();
  });

  it('scales pixel p to 2p/255 − 1 (or p/255) of the very rows it picked', async () => {
    const params = fashionMnist.params.parse({ count: 30, seed: 3 });
    const rows = pickBalancedRows(rawLabels.data, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 30, 3);
    for (const range of ['-1..1', '0..1'] as const) {
      const dataset = await load({ ...params, range });
      const values = dataset.points.dataSync();
      rows.forEach((row, i) => {
        expect(dataset.labels![i]).toBe(rawLabels.data[row]);
        for (const p of [0, 300, 400, 783]) {
          const pixel = raw.data[row * 784 + p]!;
          const expected = range === '-1..1' ? (2 * pixel) / 255 - 1 : pixel / 255;
          expect(values[i * 784 + p]).toBeCloseTo(expected, 6);
        }
      });
      dataset.dispose();
    }
  });

  it('takes only the chosen classes, balanced, and the seed decides which images', async () => {
    const a = await load({ count: 10, classes: [5, 9], seed: 1 });
    expect(countLabels(a.labels!)).toEqual([0, 0, 0, 0, 0, 5, 0, 0, 0, 5]);
    const again = await load({ count: 10, classes: [5, 9], seed: 1 });
    const other = await load({ count: 10, classes: [5, 9], seed: 2 });
    expect(again.points.dataSync()).toEqual(a.points.dataSync());
    expect(other.points.dataSync()).not.toEqual(a.points.dataSync());
    [a, again, other].forEach((dataset) => dataset.dispose());
  });

  it('refuses more images than the chosen classes hold', async () => {
    await expect(load({ count: 401, classes: [0, 1] })).rejects.toThrow(
      /count = 401 but .* holds only 400 images of classes 0, 1/,
    );
  });

  it('names the file it could not read', async () => {
    await expect(load({ path: 'data/missing.npy' })).rejects.toThrow(
      `file not found: data/missing.npy (resolved from ${PRESETS})`,
    );
    expect(labelsPathFor('data/x.npy')).toBe('data/x-labels.npy');
  });
});

describe('the exact empirical denoiser on Fashion-MNIST (d = 784)', () => {
  it('returns the nearest image at tiny σ̃ and the mean image at large σ̃', async () => {
    const dataset = await load({ count: 2000 });
    const images = dataset.points.arraySync();
    const denoiser = createEmpiricalDenoiser(dataset.points);
    expect(denoiser.dim).toBe(784);

    // Three images, nudged by a little noise (σ̃ = 0.05 per pixel; images are ~10 apart).
    const picks = [0, 777, 1999];
    const noise = tf.randomNormal([3, 784], 0, 0.05, 'float32', 7);
    const nudged = tf.add(tf.tensor2d(picks.map((i) => images[i]!)), noise) as tf.Tensor2D;
    const nearest = denoiser.denoise(nudged, 0.05).arraySync();
    picks.forEach((pick, k) => {
      const error = Math.max(...nearest[k]!.map((v, p) => Math.abs(v - images[pick]![p]!)));
      expect(error).toBeLessThan(1e-5);
    });

    const mean = new Array<number>(784).fill(0);
    for (const image of images) image.forEach((v, p) => (mean[p] = mean[p]! + v / images.length));
    const far = denoiser.denoise(nudged, 1e4).arraySync();
    for (const row of far) {
      expect(Math.max(...row.map((v, p) => Math.abs(v - mean[p]!)))).toBeLessThan(1e-3);
    }
    // And the mean is no data image: the two regimes are really different.
    expect(Math.max(...mean.map((v, p) => Math.abs(v - images[0]![p]!)))).toBeGreaterThan(0.5);

    tf.dispose([noise, nudged]);
    denoiser.dispose();
    dataset.dispose();
  });
});
