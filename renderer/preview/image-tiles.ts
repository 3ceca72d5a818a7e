// Image-shaped points as the views tile them: the engine's own grid layout (the one Save image
// grid writes), with the tile layout read from the points' shape ([1, H, W] gray, [3, H, W] RGB),
// values drawn over [−1, 1], and each image pixel a whole number of screen pixels so tiles stay
// sharp. Shared by the dock, the node cards, the compare panels and the exports.
import { imageLayout } from '../../graph-nodes/core/shapes';
import { layoutGrid, type GridImage, type TileLayout } from '../../graph-nodes/math/image-grid';
import type { PointCloud } from '../engine/engine-protocol';

export type { TileLayout };

/** The value range drawn black…white: image data and image models work in [−1, 1]. */
export const IMAGE_RANGE = { rangeMin: -1, rangeMax: 1 } as const;

/** How a cloud is drawn as images, or undefined when its points are not images. */
export function cloudImageLayout(cloud: PointCloud | undefined): TileLayout | undefined {
  return cloud ? imageLayout(cloud.shape) : undefined;
}

/** How a grid of tiles is laid out on screen. */
export interface GridFit {
  readonly columns: number;
  /** Screen pixels per image pixel (a whole number, so no pixel is smeared). */
  readonly zoom: number;
  /** Gray gap between and around tiles, in screen pixels. */
  readonly padding: number;
}

export interface RgbaTiles {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8ClampedArray;
}

/** A gap of one image pixel: tiles stay apart at any zoom without wasting room. */
export function paddingFor(zoom: number): number {
  return Math.max(1, zoom);
}

/** The size in screen pixels of `count` tiles of `layout` laid out by `fit`. */
export function gridSize(
  count: number,
  layout: TileLayout,
  fit: GridFit,
): { width: number; height: number } {
  const rows = Math.max(1, Math.ceil(count / fit.columns));
  return {
    width: fit.columns * (layout.width * fit.zoom + fit.padding) + fit.padding,
    height: rows * (layout.height * fit.zoom + fit.padding) + fit.padding,
  };
}

/**
 * The column count and whole-number zoom that draw `count` tiles largest inside `box` (screen
 * pixels); among equally large ones, the grid with the fewest empty places, then the squarest
 * (as Save image grid lays them out). When not even zoom 1 fits, zoom 1 in a square-ish grid (the
 * view then shrinks it).
 */
export function fitGrid(
  count: number,
  layout: TileLayout,
  box: { readonly width: number; readonly height: number },
): GridFit {
  const shown = Math.max(1, count);
  let best: { fit: GridFit; empty: number; mismatch: number } | undefined;
  for (let columns = 1; columns <= shown; columns++) {
    let zoom = 0;
    for (let z = 1; ; z++) {
      const size = gridSize(shown, layout, { columns, zoom: z, padding: paddingFor(z) });
      if (size.width > box.width || size.height > box.height) break;
      zoom = z;
    }
    if (zoom === 0) continue;
    const fit = { columns, zoom, padding: paddingFor(zoom) };
    const size = gridSize(shown, layout, fit);
    const empty = Math.ceil(shown / columns) * columns - shown;
    const mismatch = Math.abs(Math.log(size.width / size.height));
    // Columns rise through the loop, so on an exact tie (5 × 4 against 4 × 5) the wider wins.
    const better =
      !best ||
      zoom > best.fit.zoom ||
      (zoom === best.fit.zoom &&
        (empty < best.empty || (empty === best.empty && mismatch <= best.mismatch + 1e-9)));
    if (better) best = { fit, empty, mismatch };
  }
  return best?.fit ?? { columns: Math.ceil(Math.sqrt(shown)), zoom: 1, padding: 1 };
}

/** A gray or RGB grid image as canvas RGBA. */
export function gridToRgba(grid: GridImage): Uint8ClampedArray {
  const pixelCount = grid.width * grid.height;
  const rgba = new Uint8ClampedArray(pixelCount * 4);
  const { pixels, channels } = grid;
  for (let p = 0; p < pixelCount; p++) {
    const r = pixels[p * channels]!;
    rgba[4 * p] = r;
    rgba[4 * p + 1] = channels === 3 ? pixels[p * 3 + 1]! : r;
    rgba[4 * p + 2] = channels === 3 ? pixels[p * 3 + 2]! : r;
    rgba[4 * p + 3] = 255;
  }
  return rgba;
}

/**
 * The cloud's points as one RGBA grid (the first `count`, all by default), or undefined when
 * they are not images.
 */
export function tileImages(
  cloud: PointCloud,
  fit: GridFit,
  count = cloud.count,
): RgbaTiles | undefined {
  const layout = imageLayout(cloud.shape);
  const shown = Math.min(count, cloud.count);
  if (!layout || shown <= 0) return undefined;
  const grid = layoutGrid(cloud.values, shown, {
    columns: Math.min(fit.columns, shown),
    layout,
    ...IMAGE_RANGE,
    zoom: fit.zoom,
    padding: fit.padding,
  });
  return { width: grid.width, height: grid.height, rgba: gridToRgba(grid) };
}

/** RGBA tiles onto a canvas, sized to them (one canvas pixel per tile pixel). */
export function paintTiles(canvas: HTMLCanvasElement | OffscreenCanvas, tiles: RgbaTiles): void {
  canvas.width = tiles.width;
  canvas.height = tiles.height;
  const context = canvas.getContext('2d') as
    CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!context) return;
  const data = new ImageData(tiles.width, tiles.height);
  data.data.set(tiles.rgba);
  context.putImageData(data, 0, 0);
}
