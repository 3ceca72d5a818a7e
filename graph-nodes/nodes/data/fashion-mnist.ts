// Real images as a data set: a committed Fashion-MNIST subset (presets/data/README.md), so the
// exact empirical denoiser can be watched on something other than 2-D points.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { numberIn } from '../param-rules';
import { readParamFile } from '../../core/param-files';
import { datasetFromArray } from '../../core/samples';
import { shapeSize, type PointShape } from '../../core/shapes';
import { parseNpyUint8 } from '../../math/npy';
import { createRng } from '../../math/rng';

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

/** The committed subset, relative to the presets/ folder (where graph files resolve paths). */
export const FASHION_MNIST_SUBSET_PATH = 'data/fashion-mnist-subset.npy';

export const FASHION_MNIST_RANGES = ['-1..1', '0..1'] as const;

/** One grayscale 28 × 28 image, channels first as PyTorch models take it. */
export const FASHION_MNIST_SHAPE: PointShape = [1, 28, 28];
const IMAGES_FILE = { param: 'path', kind: 'a uint8 .npy of images' };

export default defineNode({
  type: 'fashion-mnist',
  version: 1,
  kind: 'data',
  title: 'Fashion-MNIST',
  description:
    'Loads 28 × 28 grayscale clothing images (Zalando’s Fashion-MNIST, MIT licence) from the ' +
    'committed 2000-image subset as a labelled data set of images of shape [1, 28, 28], drawn ' +
    'evenly from the chosen classes and scaled to [−1, 1] (or [0, 1]).',
  section: '§1 (data distribution p_data); book §6.3 (empirical data as a Dirac mixture)',
  formula: 'x₀ = 2 · pixel/255 − 1 ∈ [−1, 1]^(1×28×28)  (range "0..1": x₀ = pixel/255)',
  inputs: {},
  outputs: {
    dataset: {
      type: 'dataset',
      description: 'count images [count, 1, 28, 28], labelled by class 0–9.',
    },
  },
  params: z.object({
    count: numberIn(1, 100_000, { integer: true })
      .default(200)
      .meta({
        title: 'Count',
        widget: 'number',
        description:
          'Number of images, at most the number of subset images in the chosen classes ' +
          '(200 per class in the committed subset).',
      }),
    classes: z
      .union(
        [
          z.literal('all'),
          z.array(numberIn(0, 9, { integer: true })).min(1, 'expected at least one class id'),
        ],
        {
          error: 'expected "all" or a non-empty list of class ids from 0 to 9',
        },
      )
      .default('all')
      .meta({
        title: 'Classes',
        widget: 'json',
        description:
          '"all", or a list of class ids: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress, ' +
          '4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot.',
      }),
    seed: z
      .number()
      .int()
      .default(0)
      .meta({
        title: 'Seed',
        widget: 'seed',
        description:
          'Which subset images are taken: each class is shuffled with this seed, then the ' +
          'classes take turns, so any count is as balanced as it can be.',
      }),
    range: z
      .enum(FASHION_MNIST_RANGES)
      .default('-1..1')
      .meta({
        title: 'Value range',
        widget: 'select',
        description:
          'Pixel scaling: "-1..1" maps 0…255 to −1…1 (DDPM’s convention, background −1); ' +
          '"0..1" maps it to 0…1.',
      }),
    path: z
      .string()
      .default(FASHION_MNIST_SUBSET_PATH)
      .meta({
        title: 'Images file',
        widget: 'file',
        extensions: ['.npy'],
        description:
          'A uint8 .npy of n 28 × 28 images ([n, 784], [n, 28, 28] or [n, 1, 28, 28]); the ' +
          'labels are read from the file beside it named ' +
          '…-labels.npy (uint8 [n]). The default is the committed subset, relative to presets/.',
      }),
  }),
  facts: () => ({ dataset: { shape: FASHION_MNIST_SHAPE } }),
  async run(_inputs, ctx) {
    const { count, classes, seed, range, path } = ctx.params;
    const images = parseNpyUint8(await readParamFile(ctx.files, path, IMAGES_FILE), path);
    const labelsPath = labelsPathFor(path);
    const labels = parseNpyUint8(
      await readParamFile(ctx.files, labelsPath, IMAGES_FILE),
      labelsPath,
    );
    const [n, ...imageShape] = images.shape;
    const pixels = shapeSize(FASHION_MNIST_SHAPE);
    if (n === undefined || shapeSize(imageShape) !== pixels) {
      throw new Error(
        `${path}: expected 28 × 28 images ([n, 784], [n, 28, 28] or [n, 1, 28, 28]), found ` +
          `(${images.shape.join(', ')})`,
      );
    }
    if (labels.data.length !== n) {
      throw new Error(`${labelsPath}: ${labels.data.length} labels for ${n} images in ${path}`);
    }

    const wanted = classes === 'all' ? FASHION_MNIST_CLASSES.map((_, id) => id) : classes;
    const rows = pickBalancedRows(labels.data, [...new Set(wanted)], count, seed);
    if (rows.length < count) {
      throw new Error(
        `count = ${count} but ${path} holds only ${rows.length} images of classes ` +
          `${classes === 'all' ? 'all' : classes.join(', ')}; lower count or add classes`,
      );
    }

    const [offset, scale] = range === '-1..1' ? [-1, 2 / 255] : [0, 1 / 255];
    const values = new Float32Array(count * pixels);
    const rowLabels = new Int32Array(count);
    rows.forEach((row, i) => {
      for (let p = 0; p < pixels; p++) {
        values[i * pixels + p] = offset + scale * images.data[row * pixels + p]!;
      }
      rowLabels[i] = labels.data[row]!;
    });
    return {
      dataset: datasetFromArray('fashion-mnist', values, count, FASHION_MNIST_SHAPE, rowLabels),
    };
  },
});

/** images.npy → images-labels.npy */
export function labelsPathFor(imagesPath: string): string {
  return imagesPath.replace(/(\.npy)?$/i, '-labels.npy');
}

/**
 * Each class's rows shuffled with the seed (Fisher–Yates), then taken in turns class by class, so
 * the first k rows hold ⌈k/classes⌉ or ⌊k/classes⌋ of each class that has enough.
 */
export function pickBalancedRows(
  labels: Uint8Array,
  classes: readonly number[],
  count: number,
  seed: number,
): number[] {
  const rng = createRng(seed);
  const byClass = classes.map((id) => {
    const rows: number[] = [];
    labels.forEach((label, row) => {
      if (label === id) rows.push(row);
    });
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    return rows;
  });
  const picked: number[] = [];
  for (let turn = 0; picked.length < count; turn++) {
    const before = picked.length;
    for (const rows of byClass) {
      if (turn < rows.length && picked.length < count) picked.push(rows[turn]!);
    }
    if (picked.length === before) break;
  }
  return picked;
}
