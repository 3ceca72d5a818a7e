// Writes the committed Fashion-MNIST subset (presets/data/fashion-mnist-subset*.npy) from Debian's
// `dataset-fashion-mnist` package: the first PER_CLASS training images of each of the 10 classes,
// in the order they appear in the training file. Deterministic: re-running it gives the same bytes.
// CI never runs it; the committed .npy files are the data.
//   apt-get install dataset-fashion-mnist && npx tsx scripts/extract-fashion-mnist.ts [SOURCE_DIR]
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { encodeNpy } from '../graph-nodes/math/npy';

export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';
export const PER_CLASS = 200;
const CLASSES = 10;
const IMAGES_FILE = 'train-images-idx3-ubyte.gz';
const LABELS_FILE = 'train-labels-idx1-ubyte.gz';
const OUT_DIR = fileURLToPath(new URL('../presets/data/', import.meta.url));

/** IDX (LeCun's format): big-endian magic 0x0000 08 NDIMS (08 = unsigned byte), sizes, data. */
function readIdxUint8(bytes: Uint8Array, name: string): { shape: number[]; data: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const dims = magic & 0xff;
  if (magic >>> 8 !== 0x08) throw new Error(`${name}: not an unsigned-byte IDX file`);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const start = 4 + 4 * dims;
  const count = shape.reduce((product, size) => product * size, 1);
  if (bytes.length - start !== count) throw new Error(`${name}: expected ${count} data bytes`);
  return { shape, data: bytes.subarray(start) };
}

async function readIdx(dir: string, file: string): Promise<{ shape: number[]; data: Uint8Array }> {
  return readIdxUint8(gunzipSync(await readFile(join(dir, file))), file);
}

/** Row indices of the first `perClass` examples of each class, in file order. */
export function firstPerClass(labels: Uint8Array, perClass: number): number[] {
  const taken = new Array<number>(CLASSES).fill(0);
  const rows: number[] = [];
  labels.forEach((label, row) => {
    if (taken[label]! < perClass) {
      taken[label]!++;
      rows.push(row);
    }
  });
  if (taken.some((count) => count < perClass)) throw new Error('a class has too few examples');
  return rows;
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? DEBIAN_DIR;
  const images = await readIdx(dir, IMAGES_FILE);
  const labels = await readIdx(dir, LABELS_FILE);
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) throw new Error('images and labels differ in count');

  const rows = firstPerClass(labels.data, PER_CLASS);
  const pixels = height * width;
  const subsetImages = new Uint8Array(rows.length * pixels);
  const subsetLabels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    subsetImages.set(images.data.subarray(row * pixels, (row + 1) * pixels), i * pixels);
    subsetLabels[i] = labels.data[row]!;
  });
  await writeFile(
    join(OUT_DIR, 'fashion-mnist-subset.npy'),
    encodeNpy(subsetImages, [rows.length, pixels]),
  );
  await writeFile(
    join(OUT_DIR, 'fashion-mnist-subset-labels.npy'),
    encodeNpy(subsetLabels, [rows.length]),
  );
  console.log(
    `wrote ${rows.length} images (${PER_CLASS} per class, training rows ${rows[0]}…${rows.at(-1)}) to ${OUT_DIR}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
