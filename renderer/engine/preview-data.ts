// What the UI gets to see of the engine's values: bounded copies, so a huge run never floods the
// UI thread. A 2-D cloud comes whole up to a cap; an image batch as its first few images, which is
// all a preview grid shows.
import type { ValueOf, ValueType } from '../../graph-nodes';
import type { NodePreview, PointCloud } from './engine-protocol';

/** Points per frame the trajectory preview receives from a 2-D solver. */
export const MAX_PREVIEW_POINTS = 20_000;
/** Images per frame the preview receives from a solver on image data. */
export const MAX_PREVIEW_IMAGES = 16;
/** Points a node card's thumbnail draws. */
const THUMBNAIL_POINTS = 400;
/** Points of a data set drawn as the preview's backdrop. */
const BACKDROP_POINTS = 4000;
/** Samples of t a schedule curve is drawn from. */
const CURVE_SAMPLES = 64;

/** How many of `count` rows of `dim` values the preview keeps. */
export function previewRowCount(count: number, dim: number): number {
  return Math.min(count, dim > 2 ? MAX_PREVIEW_IMAGES : MAX_PREVIEW_POINTS);
}

/** The first `rows` rows of a row-major [count, dim] array, as a fresh (transferable) copy. */
export function firstRows(values: Float32Array, dim: number, rows: number): PointCloud {
  return { values: values.slice(0, rows * dim), count: rows, dim };
}

/** Rows spread evenly through the cloud, so a thumbnail of an ordered data set shows all of it. */
function spreadRows(values: Float32Array, count: number, dim: number, rows: number): PointCloud {
  if (rows >= count) return firstRows(values, dim, count);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const from = Math.floor((r * count) / rows) * dim;
    out.set(values.subarray(from, from + dim), r * dim);
  }
  return { values: out, count: rows, dim };
}

async function cloudPreview(
  points: ValueOf['samples']['points'],
  rows2d: number,
): Promise<PointCloud> {
  const [count, dim] = points.shape;
  const values = (await points.data()) as Float32Array;
  // One image is enough for a card; a 2-D cloud needs enough points to show its shape.
  return spreadRows(values, count, dim, dim > 2 ? 1 : rows2d);
}

function schedulePreview(schedule: ValueOf['schedule']): NodePreview {
  const t = new Float64Array(CURVE_SAMPLES);
  const alpha = new Float64Array(CURVE_SAMPLES);
  const sigma = new Float64Array(CURVE_SAMPLES);
  const logSnr = new Float64Array(CURVE_SAMPLES);
  for (let k = 0; k < CURVE_SAMPLES; k++) {
    const time = schedule.tMin + ((schedule.tMax - schedule.tMin) * k) / (CURVE_SAMPLES - 1);
    t[k] = time;
    alpha[k] = schedule.alpha(time);
    sigma[k] = schedule.sigma(time);
    // log SNR = log(α²/σ²) = 2λ.
    logSnr[k] = 2 * schedule.lambda(time);
  }
  return { kind: 'schedule', t, alpha, sigma, logSnr };
}

/** A node's first output that has a picture, or undefined. */
export async function nodePreviewOf(
  outputs: readonly { type: ValueType; value: unknown }[],
): Promise<NodePreview | undefined> {
  for (const { type, value } of outputs) {
    switch (type) {
      case 'schedule':
        return schedulePreview(value as ValueOf['schedule']);
      case 'timesteps':
        return {
          kind: 'timesteps',
          sigmaTilde: Float64Array.from((value as ValueOf['timesteps']).sigmaTilde),
        };
      case 'samples':
        return {
          kind: 'samples',
          points: await cloudPreview((value as ValueOf['samples']).points, THUMBNAIL_POINTS),
        };
      case 'dataset':
        return {
          kind: 'dataset',
          points: await cloudPreview((value as ValueOf['dataset']).points, BACKDROP_POINTS),
        };
      default:
        break;
    }
  }
  return undefined;
}
