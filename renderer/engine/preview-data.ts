// What the UI gets to see of the engine's values: bounded copies, so a huge run never floods the
// UI thread. A 2-D cloud comes whole up to a cap; an image batch as its first few images, which is
// all a preview grid shows. Every copy keeps its per-point shape, which says how to draw it.
import type { ValueOf, ValueType } from '../../graph-nodes';
import { imageLayout, shapeSize, type PointShape } from '../../graph-nodes/core/shapes';
import { couplingPreviewOf } from './coupling-preview';
import type { NodePreview, PointCloud } from './engine-protocol';

/** Points per frame the trajectory preview receives from a 2-D solver. */
export const MAX_PREVIEW_POINTS = 20_000;
/** Images per frame the preview receives from a solver on image data. */
export const MAX_PREVIEW_IMAGES = 16;
/**
 * Values per frame for points that are neither 2-D nor images (the dock plots their first two
 * coordinates): as many values as a full 2-D frame, so a [785] cloud cannot send 60 MB a step.
 */
const MAX_PREVIEW_VALUES = 2 * MAX_PREVIEW_POINTS;
/** Points a node card's thumbnail draws. */
const THUMBNAIL_POINTS = 400;
/** Images a node card's thumbnail row can draw (it shows as many as fit its width). */
export const THUMBNAIL_IMAGES = 8;
/** Points of a data set drawn as the preview's backdrop. */
const BACKDROP_POINTS = 4000;
/** Samples of t a schedule curve is drawn from. */
const CURVE_SAMPLES = 64;

/** How many of `count` points of `shape` the trajectory preview keeps. */
export function previewRowCount(count: number, shape: PointShape): number {
  if (imageLayout(shape)) return Math.min(count, MAX_PREVIEW_IMAGES);
  const dim = shapeSize(shape);
  if (dim <= 2) return Math.min(count, MAX_PREVIEW_POINTS);
  return Math.min(count, MAX_PREVIEW_POINTS, Math.floor(MAX_PREVIEW_VALUES / dim));
}

/** The first `rows` points of a row-major [count, size(shape)] array, as a fresh (transferable) copy. */
export function firstRows(values: Float32Array, shape: PointShape, rows: number): PointCloud {
  const dim = shapeSize(shape);
  return { values: values.slice(0, rows * dim), count: rows, dim, shape };
}

/** Rows spread evenly through the cloud, so a thumbnail of an ordered data set shows all of it. */
function spreadRows(
  values: Float32Array,
  count: number,
  shape: PointShape,
  rows: number,
): PointCloud {
  if (rows >= count) return firstRows(values, shape, count);
  const dim = shapeSize(shape);
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const from = Math.floor((r * count) / rows) * dim;
    out.set(values.subarray(from, from + dim), r * dim);
  }
  return { values: out, count: rows, dim, shape };
}

async function cloudPreview(samples: ValueOf['samples'], rows2d: number): Promise<PointCloud> {
  const [count] = samples.points.shape;
  const values = (await samples.points.data()) as Float32Array;
  // A card shows a row of images; a 2-D cloud needs enough points to show its shape, and a
  // cloud of long vectors no more values than a 2-D one (only two coordinates are drawn).
  const rows = imageLayout(samples.shape)
    ? THUMBNAIL_IMAGES
    : Math.max(1, Math.min(rows2d, Math.floor((2 * rows2d) / shapeSize(samples.shape))));
  return spreadRows(values, count, samples.shape, rows);
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
          points: await cloudPreview(value as ValueOf['samples'], THUMBNAIL_POINTS),
        };
      case 'dataset':
        return {
          kind: 'dataset',
          points: await cloudPreview(value as ValueOf['dataset'], BACKDROP_POINTS),
        };
      case 'coupling':
        return couplingPreviewOf(value as ValueOf['coupling']);
      default:
        break;
    }
  }
  return undefined;
}
