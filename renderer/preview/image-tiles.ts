// Image data as the preview tiles it: a batch of square grayscale images laid out by the engine's
// own image-grid layout (the one Save Image Grid writes), turned into RGBA for a canvas.
import { layoutGrid } from '../../graph-nodes/nodes/io/save-image-grid';
import type { PointCloud } from '../engine/engine-protocol';

/** Values are drawn over [−1, 1], the image nodes' default scaling. */
const RANGE = { range_min: -1, range_max: 1 } as const;

/** The side of the square image a point of `dim` values is, or undefined if it is not one. */
export function imageSide(dim: number): number | undefined {
  const side = Math.round(Math.sqrt(dim));
  return side >= 4 && side * side === dim ? side : undefined;
}

export interface RgbaTiles {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

export function tileImages(cloud: PointCloud, columns = 4): RgbaTiles | undefined {
  const side = imageSide(cloud.dim);
  if (!side || cloud.count === 0) return undefined;
  const { width, height, pixels } = layoutGrid(cloud.values, cloud.count, {
    columns: Math.min(columns, cloud.count),
    image_width: side,
    image_height: side,
    zoom: 1,
    padding: 1,
    ...RANGE,
  });
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < pixels.length; i++) {
    rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = pixels[i]!;
    rgba[4 * i + 3] = 255;
  }
  return { width, height, rgba };
}
