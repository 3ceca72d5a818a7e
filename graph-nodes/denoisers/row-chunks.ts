// Oracle denoisers compare every query point with every component or data point, which makes
// [rows, components, d] intermediates. Running the rows in chunks bounds that memory.
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

/** Float32 elements allowed in one [rows, components, d] intermediate: 16 MB. */
export const DEFAULT_MAX_CHUNK_ELEMENTS = 4 * 1024 * 1024;

/** How many query rows fit in one chunk when each row meets `components` points of dimension `dim`. */
export function rowsPerChunk(components: number, dim: number, maxElements: number): number {
  return Math.max(1, Math.floor(maxElements / Math.max(1, components * dim)));
}

/**
 * Applies `perChunk` to consecutive row blocks of `x` and stacks the results. Each block runs in
 * its own tidy so its intermediates are freed before the next block starts.
 */
export function mapRowChunks(
  x: Tensor2D,
  chunkRows: number,
  perChunk: (rows: Tensor2D) => Tensor2D,
): Tensor2D {
  const rows = x.shape[0];
  if (rows <= chunkRows) return tf.tidy(() => perChunk(x));
  const parts: Tensor2D[] = [];
  try {
    for (let start = 0; start < rows; start += chunkRows) {
      const size = Math.min(chunkRows, rows - start);
      parts.push(tf.tidy(() => perChunk(tf.slice(x, [start, 0], [size, -1]))));
    }
    return tf.concat(parts, 0);
  } finally {
    tf.dispose(parts);
  }
}
